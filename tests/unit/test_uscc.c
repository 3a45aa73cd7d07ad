/* Unit tests for core/uscc: GB 32100-2015 credit codes with their GB 11714 organisation
 * codes, checked against real published codes and codes built to carry one fault each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/uscc.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static jz_uscc_fault
parse(const char *s)
{
	return jz_uscc_parse(s, NULL);
}

/* Real codes as printed in public sources. */
static void
test_real_codes(void **state)
{
	(void)state;
	static const char *const codes[] = {
	    /* The example most validators cite (e.g. the util-helpers and go-gb tests). */
	    "91350100M000100Y43",
	    /* 华为技术有限公司, shown on its zh.wikipedia infobox. */
	    "914403001922038216",
	    /* Further well-known enterprises' codes as widely published (阿里巴巴(中国)有限
	     * 公司, 深圳市腾讯计算机系统有限公司, 小米通讯技术有限公司); each passes both
	     * independent check characters, which chance would allow once in 341. */
	    "91330100799655058B",
	    "91440300708461136T",
	    "91110108558521630L",
	    /* From wenerme/go-gb's tests (Shanghai, MA-prefixed organisation code). */
	    "91310230MA1K314J7C",
	};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		char out[19] = "";

		if (jz_uscc_parse(codes[i], out) != JZ_USCC_OK)
			fail_msg("%s: %s", codes[i], jz_uscc_reason(jz_uscc_parse(codes[i], NULL)));
		assert_string_equal(out, codes[i]);
	}
}

/* A code printed in a blog post as an illustration is not a valid code: its
 * organisation code check character is wrong. */
static void
test_illustrative_code_rejected(void **state)
{
	(void)state;
	assert_int_equal(parse("91310115MA1H8R7C6D"), JZ_USCC_ORG_CODE);
	assert_int_equal(parse("91350100M000100Y4A"), JZ_USCC_CHECK);
}

static void
test_normalisation(void **state)
{
	(void)state;
	static const char *const forms[] = {
	    "91350100m000100y43",
	    "  91350100M000100Y43\t\r\n",
	    "\xE3\x80\x80"
	    "91350100M000100Y43"
	    "\xE3\x80\x80",
	    /* full-width digits, Ｍ (U+FF2D) and ｙ (U+FF59) */
	    "\xEF\xBC\x99\xEF\xBC\x91"
	    "350100"
	    "\xEF\xBC\xAD"
	    "000100"
	    "\xEF\xBD\x99"
	    "43",
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		char out[19] = "";

		assert_int_equal(jz_uscc_parse(forms[i], out), JZ_USCC_OK);
		assert_string_equal(out, "91350100M000100Y43");
	}
}

static void
test_length(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), JZ_USCC_LENGTH);
	assert_int_equal(parse(""), JZ_USCC_LENGTH);
	assert_int_equal(parse(" \t "), JZ_USCC_LENGTH);
	assert_int_equal(parse("91350100M000100Y4"), JZ_USCC_LENGTH);
	assert_int_equal(parse("91350100M000100Y433"), JZ_USCC_LENGTH);
	/* The 9-character organisation code alone is not a credit code. */
	assert_int_equal(parse("M000100Y4"), JZ_USCC_LENGTH);
	/* Characters, not bytes: 17 and 汉 make 18. */
	assert_int_equal(parse("91350100M000100Y4\xE6\xB1\x89"), JZ_USCC_CHARS);
}

static void
test_characters(void **state)
{
	(void)state;
	/* I, O, Z, S and V are never used; lowercase forms are upper-cased first. */
	assert_int_equal(parse("91350100M000100I43"), JZ_USCC_CHARS);
	assert_int_equal(parse("91350100M000100O43"), JZ_USCC_CHARS);
	assert_int_equal(parse("91350100M000100Z43"), JZ_USCC_CHARS);
	assert_int_equal(parse("91350100M000100S43"), JZ_USCC_CHARS);
	assert_int_equal(parse("91350100M000100v43"), JZ_USCC_CHARS);
	assert_int_equal(parse("91350100M000-00Y43"), JZ_USCC_CHARS);
	assert_int_equal(parse("91350100M000 00Y43"), JZ_USCC_CHARS);
	/* Checked before the authority: 'I' would also be no authority. */
	assert_int_equal(parse("I1350100M000100Y43"), JZ_USCC_CHARS);
}

static void
test_authority(void **state)
{
	(void)state;
	char code[19];

	static const char *const bad = "0BCDEFGHJKLMPQRTUWX";
	for (const char *a = bad; *a; a++) {
		jz_uscc_make(*a, '1', "430102", "12345678", code);
		if (parse(code) != JZ_USCC_AUTHORITY)
			fail_msg("%s accepted", code);
	}
}

/* Every pair of the standard's table is accepted and every other second character is
 * an organisation type fault. */
static void
test_organisation_types(void **state)
{
	(void)state;
	static const struct {
		char authority;
		const char *types;
	} table[] = {
	    {'1', "1239"}, {'2', "19"}, {'3', "123459"}, {'4', "19"}, {'5', "1239"}, {'6', "129"},
	    {'7', "1239"}, {'8', "19"}, {'9', "123"},    {'A', "19"}, {'N', "1239"}, {'Y', "1"},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		for (const char *t = alphabet; *t; t++) {
			char code[19];
			jz_uscc_fault want =
			    strchr(table[i].types, *t) ? JZ_USCC_OK : JZ_USCC_ORG_TYPE;

			jz_uscc_make(table[i].authority, *t, "430102", "MA4L0000", code);
			if (parse(code) != want)
				fail_msg("%s: got %d, want %d", code, parse(code), want);
		}
	}
}

static void
test_region(void **state)
{
	(void)state;
	char code[19];

	/* Current counties, prefectures and provinces. */
	jz_uscc_make('9', '1', "430102", "MA4L0000", code);
	assert_int_equal(parse(code), JZ_USCC_OK);
	jz_uscc_make('9', '1', "430000", "MA4L0000", code);
	assert_int_equal(parse(code), JZ_USCC_OK);
	/* 100000: registered at national level. */
	jz_uscc_make('1', '1', "100000", "00001234", code);
	assert_int_equal(parse(code), JZ_USCC_OK);
	/* Lenient: a known province is enough (offices are renumbered; codes are for life). */
	jz_uscc_make('9', '1', "430199", "MA4L0000", code);
	assert_int_equal(parse(code), JZ_USCC_OK);
	jz_uscc_make('9', '1', "110103", "MA4L0000", code);
	assert_int_equal(parse(code), JZ_USCC_OK);

	static const char *const bad[] = {"990000", "000000", "100001", "190000",
	                                  "4301A2", "A30102", "100A00"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		jz_uscc_make('9', '1', bad[i], "MA4L0000", code);
		if (parse(code) != JZ_USCC_REGION)
			fail_msg("%s: got %d", code, parse(code));
	}
}

static void
test_organisation_code(void **state)
{
	(void)state;
	char code[19];
	int wrong = 0;

	/* Every wrong 17th character is caught, whatever the 18th says. */
	strcpy(code, "91350100M000100Y43");
	for (const char *c = alphabet; *c; c++) {
		if (*c == '4')
			continue;
		code[16] = *c;
		assert_int_equal(parse(code), JZ_USCC_ORG_CODE);
		wrong++;
	}
	assert_int_equal(wrong, 30);
	/* GB 11714 check values 10 and 11 are written X and 0. */
	int seen_x = 0, seen_0 = 0;
	for (int i = 0; i < 2000; i++) {
		char org[9];

		for (int k = 0; k < 8; k++)
			org[k] = alphabet[(i * (k + 3) + k * 7) % 31];
		jz_uscc_make('9', '1', "430102", org, code);
		assert_int_equal(parse(code), JZ_USCC_OK);
		seen_x += code[16] == 'X';
		seen_0 += code[16] == '0';
		assert_true((code[16] >= '0' && code[16] <= '9') || code[16] == 'X');
	}
	assert_true(seen_x > 0);
	assert_true(seen_0 > 0);
}

static void
test_check_character(void **state)
{
	(void)state;
	char code[19];
	int wrong = 0;

	strcpy(code, "914403001922038216");
	for (const char *c = alphabet; *c; c++) {
		if (*c == '6')
			continue;
		code[17] = *c;
		assert_int_equal(parse(code), JZ_USCC_CHECK);
		wrong++;
	}
	assert_int_equal(wrong, 30);
	/* A transposition in the region is caught by the check character. */
	assert_int_equal(parse("91340100M000100Y43"), JZ_USCC_CHECK);
}

static void
test_make(void **state)
{
	(void)state;
	char code[19];

	jz_uscc_make('9', '1', "350100", "M000100Y", code);
	assert_string_equal(code, "91350100M000100Y43");
	jz_uscc_make('9', '1', "440300", "19220382", code);
	assert_string_equal(code, "914403001922038216");
	/* Each authority's types, many organisation codes: always valid. */
	static const char *const pairs[] = {"11", "12", "13", "19", "21", "29", "31", "35", "41",
	                                    "51", "52", "53", "59", "61", "62", "71", "72", "81",
	                                    "91", "92", "93", "A1", "A9", "N1", "N3", "Y1"};
	for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
		for (int i = 0; i < 500; i++) {
			char org[8];

			for (int k = 0; k < 8; k++)
				org[k] =
				    alphabet[(i * 31 + k * 17 + (int)p * 5 + i / (k + 1)) % 31];
			jz_uscc_make(pairs[p][0], pairs[p][1], "430102", org, code);
			if (parse(code) != JZ_USCC_OK)
				fail_msg("generated %s invalid: %s", code,
				         jz_uscc_reason(parse(code)));
		}
	}
}

static void
test_reasons(void **state)
{
	(void)state;
	static const struct {
		jz_uscc_fault f;
		const char *prefix;
	} cases[] = {
	    {JZ_USCC_LENGTH, "length: "},
	    {JZ_USCC_CHARS, "characters: "},
	    {JZ_USCC_AUTHORITY, "registration authority: "},
	    {JZ_USCC_ORG_TYPE, "organisation type: "},
	    {JZ_USCC_REGION, "region: "},
	    {JZ_USCC_ORG_CODE, "organisation code: "},
	    {JZ_USCC_CHECK, "check character: "},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *r = jz_uscc_reason(cases[i].f);
		const char *zh = jz_uscc_reason_zh(cases[i].f);

		if (strncmp(r, cases[i].prefix, strlen(cases[i].prefix)))
			fail_msg("reason %d is \"%s\"", cases[i].f, r);
		assert_true(strlen(r) > strlen(cases[i].prefix));
		assert_null(strchr(r, '\n'));
		/* Chinese: non-empty, and not the English text. */
		assert_true(strlen(zh) > 0);
		assert_true((unsigned char)zh[0] >= 0x80);
	}
	assert_string_equal(jz_uscc_reason_zh(JZ_USCC_LENGTH), "长度应为18位");
	assert_string_equal(jz_uscc_reason_zh(JZ_USCC_CHECK), "校验码错误");
	assert_non_null(jz_uscc_reason(JZ_USCC_OK));
	assert_non_null(jz_uscc_reason((jz_uscc_fault)99));
	assert_non_null(jz_uscc_reason_zh((jz_uscc_fault)99));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_real_codes),
	    cmocka_unit_test(test_illustrative_code_rejected),
	    cmocka_unit_test(test_normalisation),
	    cmocka_unit_test(test_length),
	    cmocka_unit_test(test_characters),
	    cmocka_unit_test(test_authority),
	    cmocka_unit_test(test_organisation_types),
	    cmocka_unit_test(test_region),
	    cmocka_unit_test(test_organisation_code),
	    cmocka_unit_test(test_check_character),
	    cmocka_unit_test(test_make),
	    cmocka_unit_test(test_reasons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
