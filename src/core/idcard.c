/* Resident identity card numbers (GB 11643-1999): 6-digit region of first issue,
 * 8-digit birth date, 3-digit sequence (odd for men) and an ISO 7064 MOD 11-2 check
 * character. Validation, field extraction and generation of valid demo numbers. */
#include "core/idcard.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/codetext.h"
#include "core/regions.h"

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

char
jz_idcard_check_char(const char first17[17])
{
	static const char check[] = "10X98765432";
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * weights[i];
	/* Keeps the index in range even for non-digit input. */
	return check[((sum % 11) + 11) % 11];
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

jz_id_fault
jz_idcard_parse(const char *input, int today, jz_id *out)
{
	/* Longer input is still counted by the normaliser, just not stored. */
	char n[19];
	size_t len = jz_codetext_normalize(input ? input : "", n, 18);

	if (len == 15 && all_digits(n, 15))
		return JZ_ID_FIRST_GEN;
	if (len != 18)
		return JZ_ID_LENGTH;
	if (!all_digits(n, 17) || !((n[17] >= '0' && n[17] <= '9') || n[17] == 'X'))
		return JZ_ID_CHARS;

	char region[7];
	memcpy(region, n, 6);
	region[6] = '\0';
	/* A number keeps the code of the office that first issued it, so an abolished
	 * code (110103 崇文区, until 2010) still counts. */
	if (!jz_region_code_ever_existed(region))
		return JZ_ID_REGION;

	int y = digits(n + 6, 4), m = digits(n + 10, 2), d = digits(n + 12, 2);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m) ||
	    y * 10000 + m * 100 + d > today)
		return JZ_ID_BIRTH_DATE;

	if (jz_idcard_check_char(n) != n[17])
		return JZ_ID_CHECK;

	if (out) {
		memcpy(out->number, n, 19);
		memcpy(out->region, region, 7);
		out->year = y;
		out->month = m;
		out->day = d;
		out->female = (n[16] - '0') % 2 == 0;
	}
	return JZ_ID_OK;
}

const char *
jz_idcard_reason(jz_id_fault f)
{
	switch (f) {
	case JZ_ID_OK:
		return "valid";
	case JZ_ID_LENGTH:
		return "length: an ID number has 18 characters";
	case JZ_ID_FIRST_GEN:
		return "length: 15-digit first-generation number is no longer valid; 18 characters "
		       "are required";
	case JZ_ID_CHARS:
		return "characters: only digits are allowed, and X as the last character";
	case JZ_ID_REGION:
		return "region: the first six digits are not a region code used since 1981";
	case JZ_ID_BIRTH_DATE:
		return "birth date: not a calendar date between 1900-01-01 and today";
	case JZ_ID_CHECK:
		return "check character: does not match the first 17 digits";
	}
	return "unknown fault";
}

const char *
jz_idcard_reason_zh(jz_id_fault f)
{
	switch (f) {
	case JZ_ID_OK:
		return "有效";
	case JZ_ID_LENGTH:
		return "长度应为18位";
	case JZ_ID_FIRST_GEN:
		return "15位一代身份证号已停用，请使用18位号码";
	case JZ_ID_CHARS:
		return "含有无效字符";
	case JZ_ID_REGION:
		return "地区码不存在";
	case JZ_ID_BIRTH_DATE:
		return "出生日期无效";
	case JZ_ID_CHECK:
		return "校验码错误";
	}
	return "未知错误";
}

void
jz_idcard_make(const char *region, int year, int month, int day, int seq, char out[19])
{
	/* Wide enough for any int fields, so odd arguments cannot overflow it. */
	char tmp[64] = {0};

	seq = ((seq % 1000) + 1000) % 1000;
	snprintf(tmp, sizeof tmp, "%.6s%04d%02d%02d%03d", region, year, month, day, seq);
	memcpy(out, tmp, 17);
	out[17] = jz_idcard_check_char(out);
	out[18] = '\0';
}

int
jz_today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm))
		return 0;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}
