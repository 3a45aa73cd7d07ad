/* Input clean-up shared by the ID number and credit code parsers (core-internal): people
 * paste these codes from documents and phones that use full-width forms and padding. */
#ifndef JZ_CORE_CODETEXT_H
#define JZ_CORE_CODETEXT_H

#include <stddef.h>

/* Stands in the output for a character that has no ASCII form. */
#define JZ_CODETEXT_OTHER '\x01'

/* Trims surrounding ASCII white space and U+3000, maps the full-width forms U+FF01-U+FF5E
 * to ASCII and lowercase letters to uppercase. Writes at most `cap` characters and a NUL
 * into out (cap + 1 bytes); any other non-ASCII character, and each byte of malformed
 * UTF-8, becomes one JZ_CODETEXT_OTHER. Returns the number of characters, which may
 * exceed cap. */
size_t jz_codetext_normalize(const char *in, char *out, size_t cap);

#endif
