/* Rules for free text and simple formats entered by people: UTF-8 text fields, phone
 * numbers, the list of service types. Pure, no I/O. */
#ifndef JZ_CORE_TEXT_H
#define JZ_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
	JZ_TEXT_OK = 0,
	JZ_TEXT_EMPTY,
	JZ_TEXT_TOO_SHORT,
	JZ_TEXT_TOO_LONG,
	JZ_TEXT_BAD_UTF8,
	JZ_TEXT_CONTROL, /* control characters (line breaks only where allowed) */
} jz_text_fault;

/* Checks a text field: valid UTF-8, between min and max characters (code points) after
 * surrounding white space, no control characters unless multiline (then \n and \t pass). */
jz_text_fault jz_text_check(const char *s, size_t min, size_t max, bool multiline);
/* Number of code points in valid UTF-8. */
size_t jz_text_length(const char *s);
/* Copies s into out (size bytes, at least 1) as valid UTF-8 text: whole characters only,
 * so text cut short never ends inside one, and each byte of malformed UTF-8 becomes
 * U+FFFD. Returns the bytes written (without the NUL). */
size_t jz_text_copy(char *out, size_t size, const char *s);
/* A copy without surrounding ASCII white space and U+3000; caller frees. */
char *jz_text_trim(const char *s);
/* The same without a copy: where the trimmed text starts in s, and its length in *len. */
const char *jz_text_trim_span(const char *s, size_t *len);

/* A mainland mobile number (11 digits, 1[3-9]...) or a landline with its area code
 * (0 + 2-3 digits, an optional '-', 7-8 digits). Spaces and '-' are tolerated; the
 * normalised form (digits, with '-' after a landline's area code) goes to out. */
bool jz_phone_normalise(const char *in, char *out, size_t out_size);

typedef struct jz_service_type {
	const char *code; /* stable ASCII code used in the API and in CSV files */
	const char *zh;
	const char *en;
} jz_service_type;

/* The one list of service types. */
size_t jz_service_type_count(void);
const jz_service_type *jz_service_type_at(size_t i);
/* By code or by Chinese name; NULL when unknown. */
const jz_service_type *jz_service_type_find(const char *code_or_name);

#endif
