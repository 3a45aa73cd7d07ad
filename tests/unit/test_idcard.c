/* Unit tests for core/idcard: GB 11643-1999 validation, normalisation, reasons and
 * generation. A fixed "today" keeps the date tests independent of the clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/idcard.h"
#include "core/regions.h"

#define TODAY 20240615

/* The worked example of GB 11643-1999 (Beijing 朝阳区, born 1949-12-31, female). */
#define STD_EXAMPLE "11010519491231002X"

static jz_id_fault
parse(const char *s)
{
	return jz_idcard_parse(s, TODAY, NULL);
}

/* A valid number with these fields, built independently of jz_idcard_make. */
static void
make_id(const char *region, int y, int m, int d, int seq, char out[19])
{
	snprintf(out, 19, "%.6s%04d%02d%02d%03d", region, y, m, d, seq);
	out[17] = jz_idcard_check_char(out);
	out[18] = '\0';
}

static void
test_standard_example(void **state)
{
	(void)state;
	jz_id id;

	memset(&id, 0xAA, sizeof id);
	assert_int_equal(jz_idcard_parse(STD_EXAMPLE, TODAY, &id), JZ_ID_OK);
	assert_string_equal(id.number, STD_EXAMPLE);
	assert_string_equal(id.region, "110105");
	assert_int_equal(id.year, 1949);
	assert_int_equal(id.month, 12);
	assert_int_equal(id.day, 31);
	assert_true(id.female);
	assert_int_equal(jz_idcard_check_char(STD_EXAMPLE), 'X');
	/* out may be NULL. */
	assert_int_equal(parse(STD_EXAMPLE), JZ_ID_OK);
}

static void
test_male_and_female(void **state)
{
	(void)state;
	char n[19];
	jz_id id;

	make_id("430102", 1985, 7, 1, 101, n);
	assert_int_equal(jz_idcard_parse(n, TODAY, &id), JZ_ID_OK);
	assert_false(id.female);
	make_id("430102", 1985, 7, 1, 100, n);
	assert_int_equal(jz_idcard_parse(n, TODAY, &id), JZ_ID_OK);
	assert_true(id.female);
}

static void
test_check_char(void **state)
{
	(void)state;
	/* Each of the 11 possible check characters occurs for some sequence number. */
	char seen[128] = {0};
	char n[19];

	for (int seq = 0; seq < 1000; seq++) {
		make_id("430102", 1990, 1, 1, seq, n);
		seen[(unsigned char)n[17]] = 1;
	}
	for (const char *c = "0123456789X"; *c; c++)
		assert_true(seen[(unsigned char)*c]);
}

static void
test_normalisation(void **state)
{
	(void)state;
	static const char *const forms[] = {
	    "11010519491231002x",
	    " 11010519491231002X",
	    "11010519491231002X \t\r\n",
	    "\t11010519491231002X\t",
	    "\xE3\x80\x80" STD_EXAMPLE "\xE3\x80\x80",       /* U+3000 both sides */
	    "\xE3\x80\x80 \t" STD_EXAMPLE " \xE3\x80\x80\n", /* mixed padding */
	    /* full-width digits U+FF10.. and Ｘ U+FF38 */
	    "\xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x95"
	    "\xEF\xBC\x91\xEF\xBC\x99\xEF\xBC\x94\xEF\xBC\x99\xEF\xBC\x91\xEF\xBC\x92"
	    "\xEF\xBC\x93\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\xB8",
	    /* half full-width, ending in ｘ U+FF58 */
	    "110105194912\xEF\xBC\x93\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x92\xEF\xBD\x98",
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		jz_id id;

		memset(&id, 0, sizeof id);
		assert_int_equal(jz_idcard_parse(forms[i], TODAY, &id), JZ_ID_OK);
		assert_string_equal(id.number, STD_EXAMPLE);
	}
}

static void
test_length(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), JZ_ID_LENGTH);
	assert_int_equal(parse(""), JZ_ID_LENGTH);
	assert_int_equal(parse("   \t "), JZ_ID_LENGTH);
	assert_int_equal(parse("\xE3\x80\x80"), JZ_ID_LENGTH);
	assert_int_equal(parse("1"), JZ_ID_LENGTH);
	assert_int_equal(parse("11010519491231002"), JZ_ID_LENGTH);   /* 17 */
	assert_int_equal(parse("11010519491231002X1"), JZ_ID_LENGTH); /* 19 */
	assert_int_equal(parse("1101051949123100"), JZ_ID_LENGTH);    /* 16 */
	assert_int_equal(parse("11010519491231002X11010519491231002X"), JZ_ID_LENGTH);
	/* 15 characters that are not all digits is just the wrong length. */
	assert_int_equal(parse("11010549123100X"), JZ_ID_LENGTH);
	/* Characters are counted, not bytes: 17 digits and 汉 are 18 characters... */
	assert_int_equal(parse("11010519491231002\xE6\xB1\x89"), JZ_ID_CHARS);
	/* ...and 16 digits and 汉 (19 bytes) are 17. */
	assert_int_equal(parse("1101051949123100\xE6\xB1\x89"), JZ_ID_LENGTH);
	/* A stray byte of malformed UTF-8 counts as one character. */
	assert_int_equal(parse("11010519491231002\xFF"), JZ_ID_CHARS);
	assert_int_equal(parse("11010519491231002\xE6\xB1"), JZ_ID_LENGTH);
}

static void
test_first_generation(void **state)
{
	(void)state;
	assert_int_equal(parse("110105491231002"), JZ_ID_FIRST_GEN);
	assert_int_equal(parse(" 110105491231002\n"), JZ_ID_FIRST_GEN);
	const char *r = jz_idcard_reason(JZ_ID_FIRST_GEN);
	const char *want = "length: 15-digit first-generation number ";
	assert_int_equal(strncmp(r, want, strlen(want)), 0);
	assert_non_null(strstr(r, "18"));
	assert_string_equal(jz_idcard_reason_zh(JZ_ID_FIRST_GEN),
	                    "15位一代身份证号已停用，请使用18位号码");
}

static void
test_characters(void **state)
{
	(void)state;
	assert_int_equal(parse("1101051949123100XX"), JZ_ID_CHARS); /* X not last */
	assert_int_equal(parse("X10105194912310021"), JZ_ID_CHARS);
	assert_int_equal(parse("11010519491231002A"), JZ_ID_CHARS);
	assert_int_equal(parse("11010519491231002Y"), JZ_ID_CHARS);
	assert_int_equal(parse("110105 19491231002"), JZ_ID_CHARS); /* inner space */
	assert_int_equal(parse("110105-1949123100X"), JZ_ID_CHARS);
	assert_int_equal(parse("110105\t1949123100X"), JZ_ID_CHARS);
	/* Inner U+3000 is one character, not trimmed. */
	assert_int_equal(parse("11010519491231\xE3\x80\x80"
	                       "02X"),
	                 JZ_ID_CHARS);
	/* Full-width letters other than Ｘ are not digits. */
	assert_int_equal(parse("11010519491231002\xEF\xBC\xA1"), JZ_ID_CHARS);
	/* Characters come before the region: 000000 is no region, but the letter wins. */
	assert_int_equal(parse("00000019491231002A"), JZ_ID_CHARS);
}

static void
test_region(void **state)
{
	(void)state;
	char n[19];

	make_id("999999", 1990, 1, 1, 123, n);
	assert_int_equal(parse(n), JZ_ID_REGION);
	make_id("000000", 1990, 1, 1, 123, n);
	assert_int_equal(parse(n), JZ_ID_REGION);
	make_id("110199", 1990, 1, 1, 123, n); /* plausible shape, never a code */
	assert_int_equal(parse(n), JZ_ID_REGION);
	/* The region is checked before the date and the check character. */
	memcpy(n, "999999", 6);
	memcpy(n + 6, "19901399", 8);
	assert_int_equal(parse(n), JZ_ID_REGION);
}

static void
test_abolished_region_accepted(void **state)
{
	(void)state;
	char n[19];

	/* 110103 崇文区 was merged into 东城区 in 2010; people born there keep it. */
	assert_null(jz_region_find("110103"));
	make_id("110103", 1975, 3, 14, 27, n);
	assert_int_equal(parse(n), JZ_ID_OK);
	/* 440524 潮阳县, in use 1983-1993, then renumbered 440582. */
	make_id("440524", 1988, 8, 8, 8, n);
	assert_int_equal(parse(n), JZ_ID_OK);
}

static void
test_birth_date(void **state)
{
	(void)state;
	/* clang-format off */
	static const struct {
		int y, m, d;
		jz_id_fault want;
	} cases[] = {
		{2000, 2, 29, JZ_ID_OK},         /* divisible by 400: leap */
		{2024, 2, 29, JZ_ID_OK},
		{1996, 2, 29, JZ_ID_OK},
		{1900, 2, 29, JZ_ID_BIRTH_DATE}, /* divisible by 100 only: not leap */
		{2023, 2, 29, JZ_ID_BIRTH_DATE},
		{2000, 2, 30, JZ_ID_BIRTH_DATE},
		{1990, 4, 31, JZ_ID_BIRTH_DATE},
		{1990, 4, 30, JZ_ID_OK},
		{1990, 12, 31, JZ_ID_OK},
		{1990, 13, 1, JZ_ID_BIRTH_DATE},
		{1990, 0, 1, JZ_ID_BIRTH_DATE},
		{1990, 1, 0, JZ_ID_BIRTH_DATE},
		{1990, 1, 32, JZ_ID_BIRTH_DATE},
		{1900, 1, 1, JZ_ID_OK},
		{1899, 12, 31, JZ_ID_BIRTH_DATE},
		{1880, 1, 1, JZ_ID_BIRTH_DATE},
		{0, 1, 1, JZ_ID_BIRTH_DATE},
		{2024, 6, 15, JZ_ID_OK},         /* born today */
		{2024, 6, 16, JZ_ID_BIRTH_DATE}, /* tomorrow */
		{2025, 1, 1, JZ_ID_BIRTH_DATE},
		{2999, 1, 1, JZ_ID_BIRTH_DATE},
	};
	/* clang-format on */
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char n[19];

		make_id("430102", cases[i].y, cases[i].m, cases[i].d, 7, n);
		if (parse(n) != cases[i].want)
			fail_msg("%s: got %d, want %d", n, parse(n), cases[i].want);
	}
	/* The date is checked before the check character. */
	assert_int_equal(parse("430102202302290071"), JZ_ID_BIRTH_DATE);
	assert_int_equal(parse("43010220230229007X"), JZ_ID_BIRTH_DATE);
}

static void
test_today_is_a_bound(void **state)
{
	(void)state;
	char n[19];

	make_id("430102", 2010, 5, 5, 1, n);
	assert_int_equal(jz_idcard_parse(n, 20100505, NULL), JZ_ID_OK);
	assert_int_equal(jz_idcard_parse(n, 20100504, NULL), JZ_ID_BIRTH_DATE);
	assert_int_equal(jz_idcard_parse(n, jz_today(), NULL), JZ_ID_OK);
}

static void
test_check_character_wrong(void **state)
{
	(void)state;
	char n[19];
	int wrong = 0;

	make_id("430102", 1985, 7, 1, 31, n);
	assert_int_equal(parse(n), JZ_ID_OK);
	char right = n[17];
	for (const char *c = "0123456789X"; *c; c++) {
		if (*c == right)
			continue;
		n[17] = *c;
		assert_int_equal(parse(n), JZ_ID_CHECK);
		wrong++;
	}
	assert_int_equal(wrong, 10);
	/* Lowercase x is normalised first, then checked like X. */
	assert_int_equal(parse("11010519491231003x"), JZ_ID_CHECK);
	/* A transposition of two digits is caught. */
	assert_int_equal(parse("11010591491231002X"), JZ_ID_BIRTH_DATE);
	assert_int_equal(parse("11010519491231020X"), JZ_ID_CHECK);
}

static void
test_make_always_valid(void **state)
{
	(void)state;
	size_t regions = jz_region_count();
	int made = 0;

	for (size_t i = 0; i < regions; i += 7) {
		const jz_region *r = jz_region_at(i);
		for (int k = 0; k < 12; k++) {
			int y = 1900 + (int)((i * 13 + (size_t)k * 29) % 124);
			int m = 1 + k;
			int d = 1 + (int)((i + (size_t)k) % 28); /* month ends: test_birth_date */
			int seq = (int)((i * 7 + (size_t)k * 97) % 1000);
			char n[19];
			jz_id id;

			if (y * 10000 + m * 100 + d > TODAY)
				y -= 100;
			jz_idcard_make(r->code, y, m, d, seq, n);
			assert_int_equal(strlen(n), 18);
			if (jz_idcard_parse(n, TODAY, &id) != JZ_ID_OK)
				fail_msg("generated %s invalid: %s", n,
				         jz_idcard_reason(jz_idcard_parse(n, TODAY, NULL)));
			assert_string_equal(id.number, n);
			assert_string_equal(id.region, r->code);
			assert_int_equal(id.year, y);
			assert_int_equal(id.month, m);
			assert_int_equal(id.day, d);
			assert_int_equal(id.female, seq % 2 == 0);
			made++;
		}
	}
	assert_true(made > 5000);
}

static void
test_make_fields(void **state)
{
	(void)state;
	char n[19];

	jz_idcard_make("110105", 1949, 12, 31, 2, n);
	assert_string_equal(n, STD_EXAMPLE);
	jz_idcard_make("430102", 2000, 2, 29, 999, n);
	assert_int_equal(memcmp(n, "43010220000229999", 17), 0);
	assert_int_equal(parse(n), JZ_ID_OK);
	/* Out-of-range sequences wrap into 0..999. */
	jz_idcard_make("430102", 2000, 2, 29, 1005, n);
	assert_int_equal(memcmp(n + 14, "005", 3), 0);
	assert_int_equal(parse(n), JZ_ID_OK);
}

static void
test_reasons(void **state)
{
	(void)state;
	static const struct {
		jz_id_fault f;
		const char *prefix;
		const char *zh;
	} cases[] = {
	    {JZ_ID_LENGTH, "length: ", "长度应为18位"},
	    {JZ_ID_FIRST_GEN, "length: 15-digit first-generation number ", NULL},
	    {JZ_ID_CHARS, "characters: ", "含有无效字符"},
	    {JZ_ID_REGION, "region: ", "地区码不存在"},
	    {JZ_ID_BIRTH_DATE, "birth date: ", "出生日期无效"},
	    {JZ_ID_CHECK, "check character: ", "校验码错误"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *r = jz_idcard_reason(cases[i].f);

		if (strncmp(r, cases[i].prefix, strlen(cases[i].prefix)))
			fail_msg("reason %d is \"%s\"", cases[i].f, r);
		assert_true(strlen(r) > strlen(cases[i].prefix));
		assert_null(strchr(r, '\n'));
		if (cases[i].zh)
			assert_string_equal(jz_idcard_reason_zh(cases[i].f), cases[i].zh);
	}
	assert_non_null(jz_idcard_reason(JZ_ID_OK));
	assert_non_null(jz_idcard_reason_zh(JZ_ID_OK));
	assert_non_null(jz_idcard_reason((jz_id_fault)99));
	assert_non_null(jz_idcard_reason_zh((jz_id_fault)99));
}

static void
test_today(void **state)
{
	(void)state;
	int t = jz_today();

	assert_true(t > 20240101 && t < 21000101);
	assert_true(t / 100 % 100 >= 1 && t / 100 % 100 <= 12);
	assert_true(t % 100 >= 1 && t % 100 <= 31);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_standard_example),
	    cmocka_unit_test(test_male_and_female),
	    cmocka_unit_test(test_check_char),
	    cmocka_unit_test(test_normalisation),
	    cmocka_unit_test(test_length),
	    cmocka_unit_test(test_first_generation),
	    cmocka_unit_test(test_characters),
	    cmocka_unit_test(test_region),
	    cmocka_unit_test(test_abolished_region_accepted),
	    cmocka_unit_test(test_birth_date),
	    cmocka_unit_test(test_today_is_a_bound),
	    cmocka_unit_test(test_check_character_wrong),
	    cmocka_unit_test(test_make_always_valid),
	    cmocka_unit_test(test_make_fields),
	    cmocka_unit_test(test_reasons),
	    cmocka_unit_test(test_today),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
