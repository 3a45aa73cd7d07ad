/* Resident identity card numbers (GB 11643-1999): normalisation, validation, the fields
 * encoded in a number, and generation of valid numbers for demo data. Pure, no I/O. */
#ifndef JZ_CORE_IDCARD_H
#define JZ_CORE_IDCARD_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
	JZ_ID_OK = 0,
	JZ_ID_LENGTH,     /* not 18 characters */
	JZ_ID_FIRST_GEN,  /* 15 digits: a first-generation number, no longer valid */
	JZ_ID_CHARS,      /* a character other than a digit (or X last) */
	JZ_ID_REGION,     /* first six digits never a region code since 1981 */
	JZ_ID_BIRTH_DATE, /* not a calendar date, or in the future */
	JZ_ID_CHECK,      /* ISO 7064 MOD 11-2 check character wrong */
} jz_id_fault;

typedef struct jz_id {
	char number[19]; /* normalised: 17 digits + digit or 'X' */
	char region[7];
	int year, month, day;
	bool female; /* 17th digit even */
} jz_id;

/* Normalises `input` (surrounding white space incl. U+3000, full-width digits and X,
 * lowercase x) and validates it. `today` is YYYYMMDD; births after it are rejected.
 * On JZ_ID_OK fills *out (which may be NULL). */
jz_id_fault jz_idcard_parse(const char *input, int today, jz_id *out);
/* A short English reason naming the fault, starting with its name ("length", "characters",
 * "region", "birth date", "check character"), for `validate id`. */
const char *jz_idcard_reason(jz_id_fault f);
/* The same in Chinese, for pages. */
const char *jz_idcard_reason_zh(jz_id_fault f);
/* The check character for 17 digits. */
char jz_idcard_check_char(const char first17[17]);
/* Writes a valid 18-character number into out[19]: region (6 digits), birth date and a
 * 3-digit sequence (odd for men, even for women). */
void jz_idcard_make(const char *region, int year, int month, int day, int seq, char out[19]);
/* Today's date as YYYYMMDD in local time. */
int jz_today(void);

#endif
