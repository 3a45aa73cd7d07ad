/* Helpers shared by the libFuzzer targets in tests/fuzz/: inputs as C strings, inputs
 * cut into fields, and invariant checks that stop the run with a message (libFuzzer then
 * saves the input as a crash). Each target includes this once. */
#ifndef JZ_TESTS_FUZZ_H
#define JZ_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test: a failure aborts, and libFuzzer keeps the input. */
#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* The input as a NUL-terminated string in a buffer of exactly size + 1 bytes, so that
 * ASan sees any read past its end. Caller frees. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Cuts the input at NUL bytes into at most n fields, each an exact-size heap copy
 * (missing fields are ""). Returns how many fields the input had. Free with
 * fuzz_fields_free. */
static inline size_t
fuzz_fields(const uint8_t *data, size_t size, char **out, size_t n)
{
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= size && k < n; i++)
		if (i == size || data[i] == '\0') {
			out[k++] = fuzz_cstr(data + start, i - start);
			start = i + 1;
		}
	size_t had = k;
	for (; k < n; k++)
		out[k] = fuzz_cstr(NULL, 0);
	return had;
}

static inline void
fuzz_fields_free(char **f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i]);
}

/* True when s[0..n) is valid UTF-8 (no overlong forms, surrogates or code points above
 * U+10FFFF). Written here independently of the code under test. */
static inline bool
fuzz_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < n;) {
		unsigned c = s[i], cp, need;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			need = 1, cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2, cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3, cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i <= need)
			return false;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += need + 1;
	}
	return true;
}

static inline bool
fuzz_utf8(const char *s)
{
	return fuzz_utf8_valid(s, strlen(s));
}

#endif
