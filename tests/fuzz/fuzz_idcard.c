/* Fuzz target: resident ID numbers (src/core/idcard.c, jz_idcard_parse) and the
 * normaliser they share with credit codes (src/core/codetext.c). The input is the text a
 * person typed or pasted. Invariants: a valid number is 18 characters of digits and a
 * last digit or X, its check character is right, its birth date is a real calendar date
 * between 1900-01-01 and "today", its fields agree with its digits, it parses again to
 * itself, and jz_idcard_make rebuilds it from its fields. */
#include <time.h>

#include "core/codetext.h"
#include "core/idcard.h"
#include "core/regions.h"
#include "fuzz.h"

enum { TODAY = 20261127 };

/* A real date, judged by the C library rather than by idcard.c's own table. */
static bool
real_date(int y, int m, int d)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
	time_t t = timegm(&tm);
	struct tm back;
	gmtime_r(&t, &back);
	return back.tm_year == y - 1900 && back.tm_mon == m - 1 && back.tm_mday == d;
}

static void
check_normalize(const char *s)
{
	char out[19];
	memset(out, 'Z', sizeof out);
	size_t n = jz_codetext_normalize(s, out, 18);
	size_t stored = n < 18 ? n : 18;
	FUZZ_CHECK(out[stored] == '\0', "normalised text not terminated at %zu", stored);
	FUZZ_CHECK(strlen(out) <= stored, "normalised text longer than its count");
	FUZZ_CHECK(n <= strlen(s), "%zu characters from %zu bytes", n, strlen(s));
}

static void
check_valid(const jz_id *id)
{
	FUZZ_CHECK(strlen(id->number) == 18, "length %zu", strlen(id->number));
	for (int i = 0; i < 17; i++)
		FUZZ_CHECK(id->number[i] >= '0' && id->number[i] <= '9', "character %d", i);
	FUZZ_CHECK((id->number[17] >= '0' && id->number[17] <= '9') || id->number[17] == 'X',
	           "last character %02x", (unsigned char)id->number[17]);
	FUZZ_CHECK(jz_idcard_check_char(id->number) == id->number[17], "check character");
	FUZZ_CHECK(!memcmp(id->region, id->number, 6) && id->region[6] == '\0', "region field");
	FUZZ_CHECK(jz_region_code_ever_existed(id->region), "region %s", id->region);
	FUZZ_CHECK(real_date(id->year, id->month, id->day), "birth date %04d-%02d-%02d", id->year,
	           id->month, id->day);
	int ymd = id->year * 10000 + id->month * 100 + id->day;
	FUZZ_CHECK(ymd >= 19000101 && ymd <= TODAY, "birth date %d out of range", ymd);
	FUZZ_CHECK(id->female == ((id->number[16] - '0') % 2 == 0), "sex digit");

	jz_id again;
	FUZZ_CHECK(jz_idcard_parse(id->number, TODAY, &again) == JZ_ID_OK, "normalised form invalid");
	FUZZ_CHECK(!strcmp(again.number, id->number) && !strcmp(again.region, id->region) &&
	               again.year == id->year && again.month == id->month && again.day == id->day &&
	               again.female == id->female,
	           "normalised form parses differently");

	char made[19];
	int seq = (id->number[14] - '0') * 100 + (id->number[15] - '0') * 10 + (id->number[16] - '0');
	jz_idcard_make(id->region, id->year, id->month, id->day, seq, made);
	FUZZ_CHECK(!strcmp(made, id->number), "make gives %s", made);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	check_normalize(s);
	jz_id id;
	memset(&id, 0, sizeof id);
	jz_id_fault f = jz_idcard_parse(s, TODAY, &id);
	FUZZ_CHECK(f >= JZ_ID_OK && f <= JZ_ID_CHECK, "fault %d", (int)f);
	FUZZ_CHECK(fuzz_utf8(jz_idcard_reason(f)) && fuzz_utf8(jz_idcard_reason_zh(f)), "reason text");
	if (f == JZ_ID_OK)
		check_valid(&id);
	/* The same input must give the same answer without an output struct. */
	FUZZ_CHECK(jz_idcard_parse(s, TODAY, NULL) == f, "answer depends on out");
	free(s);
	return 0;
}
