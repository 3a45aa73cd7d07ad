/* Fuzz target: unified social credit codes (src/core/uscc.c, jz_uscc_parse). The input is
 * the text a company typed or pasted. Invariants: a valid code is 18 characters of the
 * code alphabet (no I, O, S, V, Z), parses again to itself, and jz_uscc_make rebuilds it
 * (both check characters) from its parts. */
#include "core/uscc.h"
#include "fuzz.h"

static void
check_valid(const char code[19])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	FUZZ_CHECK(strlen(code) == 18, "length %zu", strlen(code));
	FUZZ_CHECK(strspn(code, alphabet) == 18, "character outside the alphabet in %s", code);
	for (int i = 2; i < 8; i++)
		FUZZ_CHECK(code[i] >= '0' && code[i] <= '9', "region character %d", i);

	char again[19];
	FUZZ_CHECK(jz_uscc_parse(code, again) == JZ_USCC_OK, "normalised form invalid");
	FUZZ_CHECK(!strcmp(again, code), "normalised form changes");

	char region[7], made[19];
	memcpy(region, code + 2, 6);
	region[6] = '\0';
	jz_uscc_make(code[0], code[1], region, code + 8, made);
	FUZZ_CHECK(!strcmp(made, code), "make gives %s for %s", made, code);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char out[19];
	memset(out, 0, sizeof out);
	jz_uscc_fault f = jz_uscc_parse(s, out);
	FUZZ_CHECK(f >= JZ_USCC_OK && f <= JZ_USCC_CHECK, "fault %d", (int)f);
	FUZZ_CHECK(fuzz_utf8(jz_uscc_reason(f)) && fuzz_utf8(jz_uscc_reason_zh(f)), "reason text");
	if (f == JZ_USCC_OK)
		check_valid(out);
	else
		FUZZ_CHECK(out[0] == '\0', "output written for an invalid code");
	FUZZ_CHECK(jz_uscc_parse(s, NULL) == f, "answer depends on out");
	free(s);
	return 0;
}
