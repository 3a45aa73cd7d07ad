/* Credit record categories, severities and repair periods (docs/credit-model.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/credit.h"

static void
categories_are_unique_and_negative_ones_name_a_least_severity(void **state)
{
	(void)state;
	size_t n = jz_credit_category_count();
	assert_true(n >= 8);
	for (size_t i = 0; i < n; i++) {
		const jz_credit_category *c = jz_credit_category_at(i);
		assert_ptr_equal(jz_credit_category_find(c->code), c);
		if (c->negative)
			assert_true(jz_severity_parse(c->least) >= 0);
		else
			assert_null(c->least);
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(c->code, jz_credit_category_at(j)->code);
	}
	assert_null(jz_credit_category_find("gossip"));
	assert_null(jz_credit_category_find(NULL));
	assert_null(jz_credit_category_at(n));
}

static void
theft_and_abuse_are_always_grave(void **state)
{
	(void)state;
	assert_string_equal(jz_credit_category_find("theft")->least, "grave");
	assert_string_equal(jz_credit_category_find("abuse")->least, "grave");
	assert_string_equal(jz_credit_category_find("fraud")->least, "serious");
	assert_false(jz_credit_category_find("competition")->negative);
}

static void
severities_parse_and_repair_periods_grow(void **state)
{
	(void)state;
	assert_int_equal(jz_severity_parse("minor"), JZ_SEVERITY_MINOR);
	assert_int_equal(jz_severity_parse("serious"), JZ_SEVERITY_SERIOUS);
	assert_int_equal(jz_severity_parse("grave"), JZ_SEVERITY_GRAVE);
	assert_int_equal(jz_severity_parse("Grave"), -1);
	assert_int_equal(jz_severity_parse(""), -1);
	assert_int_equal(jz_severity_parse(NULL), -1);
	assert_int_equal(jz_severity_days(JZ_SEVERITY_MINOR), 365);
	assert_int_equal(jz_severity_days(JZ_SEVERITY_SERIOUS), 3 * 365);
	assert_int_equal(jz_severity_days(JZ_SEVERITY_GRAVE), 5 * 365);
	assert_string_equal(jz_severity_label(JZ_SEVERITY_GRAVE, false), "严重");
	assert_string_equal(jz_severity_name(JZ_SEVERITY_SERIOUS), "serious");
}

static void
statuses_have_words(void **state)
{
	(void)state;
	assert_string_equal(jz_credit_status_label("published", false), "已认定公示");
	assert_string_equal(jz_credit_status_label("expired", true), "expired (repaired)");
	assert_string_equal(jz_credit_status_label("upheld", false), "异议成立");
	assert_string_equal(jz_credit_status_label("unknown", false), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(categories_are_unique_and_negative_ones_name_a_least_severity),
	    cmocka_unit_test(theft_and_abuse_are_always_grave),
	    cmocka_unit_test(severities_parse_and_repair_periods_grow),
	    cmocka_unit_test(statuses_have_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
