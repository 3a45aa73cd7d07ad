/* Unit tests for core/regions: the generated tables and the lookups over them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/regions.h"

static const jz_region *
must_find(const char *code)
{
	const jz_region *r = jz_region_find(code);

	assert_non_null(r);
	assert_string_equal(r->code, code);
	return r;
}

static void
test_find_county_in_prefecture(void **state)
{
	(void)state;
	const jz_region *r = must_find("430102");

	assert_string_equal(r->name, "芙蓉区");
	assert_int_equal(r->level, JZ_REGION_COUNTY);
	assert_string_equal(r->parent, "430100");
	assert_string_equal(r->province, "430000");
	assert_string_equal(r->prefecture, "430100");
}

static void
test_find_prefecture_and_province(void **state)
{
	(void)state;
	const jz_region *pre = must_find("430100");
	const jz_region *prov = must_find("430000");

	assert_string_equal(pre->name, "长沙市");
	assert_int_equal(pre->level, JZ_REGION_PREFECTURE);
	assert_string_equal(pre->parent, "430000");
	assert_string_equal(pre->province, "430000");
	/* Nothing prefecture-level lies above a prefecture. */
	assert_string_equal(pre->prefecture, "");

	assert_string_equal(prov->name, "湖南省");
	assert_int_equal(prov->level, JZ_REGION_PROVINCE);
	assert_string_equal(prov->parent, "");
	assert_string_equal(prov->province, "430000");
	assert_string_equal(prov->prefecture, "");
}

static void
test_province_administered_county(void **state)
{
	(void)state;
	const jz_region *r = must_find("429004");

	assert_string_equal(r->name, "仙桃市");
	assert_int_equal(r->level, JZ_REGION_COUNTY);
	assert_string_equal(r->parent, "420000");
	assert_string_equal(r->province, "420000");
	assert_string_equal(r->prefecture, "");
	assert_true(jz_region_within(r, must_find("420000")));
	assert_false(jz_region_within(r, must_find("420100")));
}

static void
test_municipality_district(void **state)
{
	(void)state;
	const jz_region *r = must_find("110101");

	assert_string_equal(r->name, "东城区");
	assert_string_equal(r->parent, "110000");
	assert_string_equal(r->prefecture, "");
	assert_true(jz_region_within(r, must_find("110000")));
	assert_false(jz_region_within(r, must_find("120000")));
}

static void
test_within_subtree(void **state)
{
	(void)state;
	const jz_region *county = must_find("430102");
	const jz_region *pre = must_find("430100");
	const jz_region *prov = must_find("430000");

	assert_true(jz_region_within(county, pre));
	assert_true(jz_region_within(pre, prov));
	assert_true(jz_region_within(county, prov));
	assert_true(jz_region_within(county, county));
	assert_true(jz_region_within(pre, pre));
	assert_true(jz_region_within(prov, prov));

	/* Never upwards, never sideways. */
	assert_false(jz_region_within(prov, pre));
	assert_false(jz_region_within(pre, county));
	assert_false(jz_region_within(prov, county));
	assert_false(jz_region_within(county, must_find("430103")));
	assert_false(jz_region_within(county, must_find("430200")));
	assert_false(jz_region_within(county, must_find("420000")));
	assert_false(jz_region_within(pre, must_find("420000")));

	assert_false(jz_region_within(NULL, prov));
	assert_false(jz_region_within(county, NULL));
}

static void
test_find_rejects(void **state)
{
	(void)state;
	assert_null(jz_region_find(NULL));
	assert_null(jz_region_find(""));
	assert_null(jz_region_find("43010"));
	assert_null(jz_region_find("4301020"));
	assert_null(jz_region_find("43010a"));
	assert_null(jz_region_find(" 430102"));
	assert_null(jz_region_find("999999"));
	assert_null(jz_region_find("000000"));
	/* Abolished: historic, but no longer a current region. */
	assert_null(jz_region_find("110103"));
}

static void
test_ever_existed(void **state)
{
	(void)state;
	assert_true(jz_region_code_ever_existed("110103")); /* 崇文区, 1981-2010 */
	assert_true(jz_region_code_ever_existed("110104")); /* 宣武区, 1981-2010 */
	assert_true(jz_region_code_ever_existed("440524")); /* 潮阳县, 1983-1993 */
	assert_true(jz_region_code_ever_existed("430102"));
	assert_true(jz_region_code_ever_existed("110000"));
	assert_true(jz_region_code_ever_existed("820000"));
	assert_false(jz_region_code_ever_existed("110199"));
	assert_false(jz_region_code_ever_existed("999999"));
	assert_false(jz_region_code_ever_existed("000000"));
	assert_false(jz_region_code_ever_existed(NULL));
	assert_false(jz_region_code_ever_existed(""));
	assert_false(jz_region_code_ever_existed("11010"));
	assert_false(jz_region_code_ever_existed("1101030"));
}

/* Whole-table invariants: sorted, every parent present and one level up, province and
 * prefecture fields consistent with the parent chain, every current code historic. */
static void
test_table_consistent(void **state)
{
	(void)state;
	size_t n = jz_region_count();
	size_t provinces = 0;

	assert_true(n > 3000);
	assert_null(jz_region_at(n));
	for (size_t i = 0; i < n; i++) {
		const jz_region *r = jz_region_at(i);

		assert_non_null(r);
		assert_int_equal(strlen(r->code), 6);
		assert_true(strlen(r->name) > 0);
		if (i > 0)
			assert_true(strcmp(jz_region_at(i - 1)->code, r->code) < 0);
		assert_ptr_equal(jz_region_find(r->code), r);
		assert_true(jz_region_code_ever_existed(r->code));
		assert_int_equal(memcmp(r->province, r->code, 2), 0);
		assert_string_equal(r->province + 2, "0000");
		assert_true(jz_region_within(r, must_find(r->province)));
		if (r->level == JZ_REGION_PROVINCE) {
			provinces++;
			assert_string_equal(r->parent, "");
			assert_string_equal(r->province, r->code);
			continue;
		}
		const jz_region *parent = must_find(r->parent);
		assert_true(parent->level < r->level);
		assert_true(jz_region_within(r, parent));
		if (r->level == JZ_REGION_COUNTY && parent->level == JZ_REGION_PREFECTURE)
			assert_string_equal(r->prefecture, r->parent);
		else
			assert_string_equal(r->prefecture, "");
	}
	assert_int_equal(provinces, 34);
}

/* DESIGN.md: Hunan has 14 prefecture-level divisions and 122 counties. */
static void
test_hunan_counts(void **state)
{
	(void)state;
	const jz_region *hunan = must_find("430000");
	int prefectures = 0, counties = 0;

	for (size_t i = 0; i < jz_region_count(); i++) {
		const jz_region *r = jz_region_at(i);

		if (!jz_region_within(r, hunan))
			continue;
		prefectures += r->level == JZ_REGION_PREFECTURE;
		counties += r->level == JZ_REGION_COUNTY;
	}
	assert_int_equal(prefectures, 14);
	assert_int_equal(counties, 122);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find_county_in_prefecture),
	    cmocka_unit_test(test_find_prefecture_and_province),
	    cmocka_unit_test(test_province_administered_county),
	    cmocka_unit_test(test_municipality_district),
	    cmocka_unit_test(test_within_subtree),
	    cmocka_unit_test(test_find_rejects),
	    cmocka_unit_test(test_ever_existed),
	    cmocka_unit_test(test_table_consistent),
	    cmocka_unit_test(test_hunan_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
