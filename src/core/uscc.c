/* Unified social credit codes (GB 32100-2015): registration authority, organisation
 * type, region of the registering office, the organisation code of GB 11714 with its own
 * check character, and a MOD 31 check character over the whole. */
#include "core/uscc.h"

#include <stdbool.h>
#include <string.h>

#include "core/codetext.h"
#include "core/regions.h"

/* The 31 characters a code may use: no I, O, Z, S or V, which are easily misread. */
static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* Registration authorities (1st character) and the organisation types (2nd character)
 * each registers, from the table of GB 32100-2015 as amended by XG1-2016 (which added
 * A and N). Cross-checked against two public renderings of that table: the npm package
 * uscc-utils 0.7.0 (dist/index.mjs, USCC_CATEGORY_MAP) and wenerme/go-gb
 * (gb32100/code.go). They differ only in whether 工商 has a type 9 (其他); we follow the
 * standard's 1 企业, 2 个体工商户, 3 农民专业合作社. */
static const struct authority {
	char code;
	const char *types;
} authorities[] = {
    {'1', "1239"}, /* 机构编制: 机关, 事业单位, 编办管理的群众团体, 其他 */
    {'2', "19"},   /* 外交: 外国常驻新闻机构, 其他 */
    {'3', "123459"}, /* 司法行政: 律所, 公证处, 基层法律服务所, 司法鉴定, 仲裁委, 其他 */
    {'4', "19"},   /* 文化: 外国在华文化中心, 其他 */
    {'5', "1239"}, /* 民政: 社会团体, 民办非企业单位, 基金会, 其他 */
    {'6', "129"},  /* 旅游: 外国和港澳台旅游部门代表机构, 其他 */
    {'7', "1239"}, /* 宗教: 宗教活动场所, 宗教院校, 其他 */
    {'8', "19"},   /* 工会: 基层工会, 其他 */
    {'9', "123"},  /* 工商: 企业, 个体工商户, 农民专业合作社 */
    {'A', "19"},   /* 中央军委改革和编制办公室: 军队事业单位, 其他 */
    {'N', "1239"}, /* 农业: 组级, 村级, 乡镇级集体经济组织, 其他 */
    {'Y', "1"},    /* 其他 */
};

/* Value of c in the MOD 31 alphabet, or -1. */
static int
uscc_value(char c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;

	return p ? (int)(p - alphabet) : -1;
}

/* Value of c in GB 11714: digits as themselves, letters A-Z as 10-35. */
static int
org_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 0;
}

static char
org_check_char(const char org8[8])
{
	static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;

	for (int i = 0; i < 8; i++)
		sum += org_value(org8[i]) * w[i];
	int c = 11 - sum % 11;
	return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

static char
uscc_check_char(const char first17[17])
{
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		int v = uscc_value(first17[i]);
		sum += (v < 0 ? 0 : v) * weights[i];
	}
	return alphabet[(31 - sum % 31) % 31];
}

static const struct authority *
find_authority(char c)
{
	for (size_t i = 0; i < sizeof authorities / sizeof authorities[0]; i++)
		if (authorities[i].code == c)
			return &authorities[i];
	return NULL;
}

/* Lenient on purpose: the code keeps, for life, the region of the office that registered
 * the organisation, and offices are merged and renumbered, so a code may carry a region
 * code that no longer exists. We only require six digits whose first two name a current
 * province, or 100000, which GB 32100 uses for registrations at national level. */
static bool
region_ok(const char *r)
{
	char province[7];

	for (int i = 0; i < 6; i++)
		if (r[i] < '0' || r[i] > '9')
			return false;
	if (!memcmp(r, "100000", 6))
		return true;
	memcpy(province, r, 2);
	memcpy(province + 2, "0000", 5);
	const jz_region *p = jz_region_find(province);
	return p && p->level == JZ_REGION_PROVINCE;
}

jz_uscc_fault
jz_uscc_parse(const char *input, char out[19])
{
	/* Longer input is still counted by the normaliser, just not stored. */
	char c[19];
	size_t len = jz_codetext_normalize(input ? input : "", c, 18);

	if (len != 18)
		return JZ_USCC_LENGTH;
	for (int i = 0; i < 18; i++)
		if (uscc_value(c[i]) < 0)
			return JZ_USCC_CHARS;
	const struct authority *a = find_authority(c[0]);
	if (!a)
		return JZ_USCC_AUTHORITY;
	if (!strchr(a->types, c[1]))
		return JZ_USCC_ORG_TYPE;
	if (!region_ok(c + 2))
		return JZ_USCC_REGION;
	if (org_check_char(c + 8) != c[16])
		return JZ_USCC_ORG_CODE;
	if (uscc_check_char(c) != c[17])
		return JZ_USCC_CHECK;
	if (out)
		memcpy(out, c, 19);
	return JZ_USCC_OK;
}

const char *
jz_uscc_reason(jz_uscc_fault f)
{
	switch (f) {
	case JZ_USCC_OK:
		return "valid";
	case JZ_USCC_LENGTH:
		return "length: a credit code has 18 characters";
	case JZ_USCC_CHARS:
		return "characters: only digits and uppercase letters except I, O, S, V, Z";
	case JZ_USCC_AUTHORITY:
		return "registration authority: the first character names no authority";
	case JZ_USCC_ORG_TYPE:
		return "organisation type: the second character is not a type that authority "
		       "registers";
	case JZ_USCC_REGION:
		return "region: characters 3-8 are not an administrative region code";
	case JZ_USCC_ORG_CODE:
		return "organisation code: the check character of characters 9-17 is wrong";
	case JZ_USCC_CHECK:
		return "check character: does not match the first 17 characters";
	}
	return "unknown fault";
}

const char *
jz_uscc_reason_zh(jz_uscc_fault f)
{
	switch (f) {
	case JZ_USCC_OK:
		return "有效";
	case JZ_USCC_LENGTH:
		return "长度应为18位";
	case JZ_USCC_CHARS:
		return "含有无效字符";
	case JZ_USCC_AUTHORITY:
		return "登记管理部门代码无效";
	case JZ_USCC_ORG_TYPE:
		return "机构类别代码无效";
	case JZ_USCC_REGION:
		return "登记管理机关行政区划码无效";
	case JZ_USCC_ORG_CODE:
		return "组织机构代码无效";
	case JZ_USCC_CHECK:
		return "校验码错误";
	}
	return "未知错误";
}

void
jz_uscc_make(char authority, char type, const char *region, const char org8[8], char out[19])
{
	out[0] = authority;
	out[1] = type;
	memcpy(out + 2, region, 6);
	memcpy(out + 8, org8, 8);
	out[16] = org_check_char(org8);
	out[17] = uscc_check_char(out);
	out[18] = '\0';
}
