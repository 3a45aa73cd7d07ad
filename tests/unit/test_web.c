/* Unit tests: HTML escaping (src/pages/html.c), route matching (src/http/router.c) and the
 * audit hash chain (src/core/audit_chain.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/audit_chain.h"
#include "http/routes.h"
#include "pages/html.h"

static void
escapes_every_special_character(void **state)
{
	(void)state;
	jz_buf b = JZ_BUF_INIT;
	jz_html_esc(&b, "<script>alert('x') & \"y\"</script>");
	assert_string_equal(jz_buf_str(&b),
	                    "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
	jz_buf_free(&b);
}

static void
html_format_escapes_s_not_r(void **state)
{
	(void)state;
	jz_buf b = JZ_BUF_INIT;
	jz_html(&b, "<p title=\"%s\">%r %d %L 100%%</p>", "a\"b", "<br>", 42, (int64_t)1 << 40);
	assert_string_equal(jz_buf_str(&b), "<p title=\"a&quot;b\"><br> 42 1099511627776 100%</p>");
	/* Unknown conversions and a trailing % are written as they are; escaping at the
	 * ends of a value and of a long value. */
	jz_buf_reset(&b);
	jz_html(&b, "%x %s%", "&");
	assert_string_equal(jz_buf_str(&b), "%x &amp;%");
	jz_buf_reset(&b);
	jz_html_esc(&b, "'plain text, long enough to be more than one run of characters>");
	assert_string_equal(jz_buf_str(&b),
	                    "&#39;plain text, long enough to be more than one run of characters&gt;");
	jz_buf_reset(&b);
	jz_buf_printf(&b, "%0300d|", 7); /* longer than the room a buffer starts with */
	assert_int_equal(strlen(jz_buf_str(&b)), 301);
	assert_string_equal(jz_buf_str(&b) + 299, "7|");
	jz_buf_free(&b);
}

static void
routes_match_segments(void **state)
{
	(void)state;
	const jz_route *r = NULL;
	char *args[JZ_MAX_PATH_ARGS] = {NULL};
	assert_int_equal(jz_routes_find("POST", "/regulator/applications/17/approve", &r, args), JZ_MATCH_OK);
	assert_string_equal(r->pattern, "/regulator/applications/*/approve");
	assert_string_equal(args[0], "17");
	free(args[0]);
	args[0] = NULL;
	assert_int_equal(jz_routes_find("HEAD", "/healthz", &r, args), JZ_MATCH_OK);
	assert_int_equal(jz_routes_find("DELETE", "/healthz", &r, args), JZ_MATCH_METHOD);
	assert_int_equal(jz_routes_find("GET", "/nope", &r, args), JZ_MATCH_NONE);
	assert_int_equal(jz_routes_find("GET", "/companies/", &r, args), JZ_MATCH_NONE); /* empty segment */
	assert_int_equal(jz_routes_find("GET", "/companies/a/b", &r, args), JZ_MATCH_NONE);
	assert_null(args[0]);
}

static void
audit_hash_covers_every_field(void **state)
{
	(void)state;
	char a[65], b[65];
	jz_audit_chain_hash(JZ_AUDIT_GENESIS, 1, 100, "cli", "user.add", "user:1", "{}", a);
	jz_audit_chain_hash(JZ_AUDIT_GENESIS, 1, 100, "cli", "user.add", "user:1", "{}", b);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 64);
	const char *variants[][4] = {
	    {"clj", "user.add", "user:1", "{}"}, {"cli", "user.adD", "user:1", "{}"},
	    {"cli", "user.add", "user:2", "{}"}, {"cli", "user.add", "user:1", "{ }"},
	    {"cl", "iuser.add", "user:1", "{}"}, /* moving bytes between fields changes the hash */
	};
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		jz_audit_chain_hash(JZ_AUDIT_GENESIS, 1, 100, variants[i][0], variants[i][1], variants[i][2],
		                    variants[i][3], b);
		assert_string_not_equal(a, b);
	}
	jz_audit_chain_hash(JZ_AUDIT_GENESIS, 2, 100, "cli", "user.add", "user:1", "{}", b);
	assert_string_not_equal(a, b);
	jz_audit_chain_hash(a, 1, 100, "cli", "user.add", "user:1", "{}", b);
	assert_string_not_equal(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(escapes_every_special_character),
	    cmocka_unit_test(html_format_escapes_s_not_r),
	    cmocka_unit_test(routes_match_segments),
	    cmocka_unit_test(audit_hash_covers_every_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
