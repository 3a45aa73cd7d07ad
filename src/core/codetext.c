/* Normalisation of typed or pasted codes (ID numbers, credit codes) to plain ASCII. */
#include "core/codetext.h"

#include <stdbool.h>
#include <string.h>

static bool
is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* U+3000 IDEOGRAPHIC SPACE, what Chinese input methods type for a space. */
static bool
is_ideographic_space(const unsigned char *p, const unsigned char *end)
{
	return end - p >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80;
}

/* Length of the UTF-8 sequence at p, or 1 when it is malformed (the stray byte then
 * counts as one character of its own). */
static size_t
seq_len(const unsigned char *p, const unsigned char *end)
{
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4;
	else
		return 1;
	if ((size_t)(end - p) < n)
		return 1;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

size_t
jz_codetext_normalize(const char *in, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)in;
	const unsigned char *end = p + strlen(in);
	size_t count = 0;

	for (;;) {
		if (p < end && is_ascii_space(*p))
			p++;
		else if (is_ideographic_space(p, end))
			p += 3;
		else
			break;
	}
	/* E3 never occurs as a continuation byte, so a trailing E3 80 80 is always U+3000. */
	for (;;) {
		if (end > p && is_ascii_space(end[-1]))
			end--;
		else if (end - p >= 3 && is_ideographic_space(end - 3, end))
			end -= 3;
		else
			break;
	}
	while (p < end) {
		size_t n = seq_len(p, end);
		char c = JZ_CODETEXT_OTHER;

		if (n == 1 && *p < 0x80)
			c = (char)*p;
		else if (n == 3 && p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x81)
			c = (char)(0x21 + (p[2] - 0x81)); /* U+FF01..U+FF3F */
		else if (n == 3 && p[0] == 0xEF && p[1] == 0xBD && p[2] <= 0x9E)
			c = (char)(0x60 + (p[2] - 0x80)); /* U+FF40..U+FF5E */
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (count < cap)
			out[count] = c;
		count++;
		p += n;
	}
	out[count < cap ? count : cap] = '\0';
	return count;
}
