/* Unit tests: text fields, phone numbers, service types (src/core/text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/text.h"

static void
text_check_lengths(void **state)
{
	(void)state;
	assert_int_equal(jz_text_check("桃江", 2, 10, false), JZ_TEXT_OK);
	assert_int_equal(jz_text_check("桃", 2, 10, false), JZ_TEXT_TOO_SHORT);
	assert_int_equal(jz_text_check("一二三四五六七八九十十", 2, 10, false), JZ_TEXT_TOO_LONG);
	assert_int_equal(jz_text_check("   ", 1, 10, false), JZ_TEXT_EMPTY);
	assert_int_equal(jz_text_check("\xE3\x80\x80", 1, 10, false), JZ_TEXT_EMPTY);
	assert_int_equal(jz_text_check("", 0, 10, false), JZ_TEXT_OK);
}

static void
text_check_rejects_bad_bytes(void **state)
{
	(void)state;
	assert_int_equal(jz_text_check("ab\xff", 1, 10, false), JZ_TEXT_BAD_UTF8);
	assert_int_equal(jz_text_check("\xC0\xAF", 1, 10, false), JZ_TEXT_BAD_UTF8); /* overlong */
	assert_int_equal(jz_text_check("\xED\xA0\x80", 1, 10, false), JZ_TEXT_BAD_UTF8); /* surrogate */
	assert_int_equal(jz_text_check("a\nb", 1, 10, false), JZ_TEXT_CONTROL);
	assert_int_equal(jz_text_check("a\nb", 1, 10, true), JZ_TEXT_OK);
	assert_int_equal(jz_text_check("a\x01" "b", 1, 10, true), JZ_TEXT_CONTROL);
	/* SQL and HTML are ordinary text: stored verbatim, escaped on output. */
	assert_int_equal(jz_text_check("'; DROP TABLE x; --<b>", 1, 100, false), JZ_TEXT_OK);
}

static void
text_trim_and_length(void **state)
{
	(void)state;
	char *t = jz_text_trim(" \t\xE3\x80\x80张三\xE3\x80\x80 \n");
	assert_string_equal(t, "张三");
	free(t);
	assert_int_equal(jz_text_length("张三abc"), 5);
}

static void
phone_numbers(void **state)
{
	(void)state;
	char out[24];
	assert_true(jz_phone_normalise("138 1234 5678", out, sizeof out));
	assert_string_equal(out, "13812345678");
	assert_true(jz_phone_normalise("0737-8888888", out, sizeof out));
	assert_string_equal(out, "0737-8888888");
	assert_true(jz_phone_normalise("01088888888", out, sizeof out));
	assert_string_equal(out, "010-88888888");
	assert_true(jz_phone_normalise("073188889999", out, sizeof out));
	assert_string_equal(out, "0731-88889999");
	assert_false(jz_phone_normalise("12812345678", out, sizeof out)); /* no 12x mobiles */
	assert_false(jz_phone_normalise("1381234567", out, sizeof out));  /* 10 digits */
	assert_false(jz_phone_normalise("0737-12345", out, sizeof out));  /* local too short */
	assert_false(jz_phone_normalise("+8613812345678", out, sizeof out));
	assert_false(jz_phone_normalise("0737--8888888", out, sizeof out));
	assert_false(jz_phone_normalise("", out, sizeof out));
	assert_false(jz_phone_normalise("abc", out, sizeof out));
}

static void
service_types_by_code_and_name(void **state)
{
	(void)state;
	assert_string_equal(jz_service_type_find("maternity")->zh, "月嫂");
	assert_string_equal(jz_service_type_find("育婴员")->code, "infant_care");
	assert_null(jz_service_type_find("plumber"));
	for (size_t i = 0; i < jz_service_type_count(); i++)
		assert_ptr_equal(jz_service_type_find(jz_service_type_at(i)->code), jz_service_type_at(i));
}

/* Error texts go into JSON, which must be valid UTF-8: a copy never ends inside a
 * character and replaces malformed bytes. */
static void
text_copy_whole_characters(void **state)
{
	(void)state;
	char out[8];
	/* "桃江县" is 9 bytes: 7 bytes of room hold two characters, not two and a third. */
	assert_int_equal(jz_text_copy(out, sizeof out, "桃江县"), 6);
	assert_string_equal(out, "桃江");
	assert_int_equal(jz_text_copy(out, sizeof out, "a\xFF" "b"), 5);
	assert_string_equal(out, "a\xEF\xBF\xBD" "b");
	assert_int_equal(jz_text_copy(out, sizeof out, "\xE6\xA1"), 6); /* a cut character */
	assert_string_equal(out, "\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_int_equal(jz_text_copy(out, 1, "abc"), 0);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(text_check_lengths),     cmocka_unit_test(text_check_rejects_bad_bytes),
	    cmocka_unit_test(text_trim_and_length),   cmocka_unit_test(phone_numbers),
	    cmocka_unit_test(service_types_by_code_and_name), cmocka_unit_test(text_copy_whole_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
