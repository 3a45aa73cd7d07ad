/* Unified social credit codes (GB 32100-2015) with their embedded organisation code
 * (GB 11714): normalisation, validation and generation for demo data. Pure, no I/O. */
#ifndef JZ_CORE_USCC_H
#define JZ_CORE_USCC_H

typedef enum {
	JZ_USCC_OK = 0,
	JZ_USCC_LENGTH,    /* not 18 characters */
	JZ_USCC_CHARS,     /* outside 0-9 A-Z less I O Z S V */
	JZ_USCC_AUTHORITY, /* 1st: unknown registration authority */
	JZ_USCC_ORG_TYPE,  /* 2nd: not a type that authority registers */
	JZ_USCC_REGION,    /* 3rd-8th: not an administrative region code */
	JZ_USCC_ORG_CODE,  /* 9th-17th: organisation code malformed or its check wrong */
	JZ_USCC_CHECK,     /* 18th: MOD 31 check character wrong */
} jz_uscc_fault;

/* Normalises (surrounding white space, full-width characters, lowercase) and validates.
 * On JZ_USCC_OK writes the normalised code to out[19] (out may be NULL). */
jz_uscc_fault jz_uscc_parse(const char *input, char out[19]);
/* Short English reason starting with the fault's name, for `validate uscc`. */
const char *jz_uscc_reason(jz_uscc_fault f);
const char *jz_uscc_reason_zh(jz_uscc_fault f);
/* Builds a valid code from authority, type, 6-digit region and 8 organisation-code
 * characters, computing both check characters. */
void jz_uscc_make(char authority, char type, const char *region, const char org8[8], char out[19]);

#endif
