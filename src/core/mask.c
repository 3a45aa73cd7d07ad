/* Masking of names for public views. */
#include "core/mask.h"

#include <string.h>

/* Bytes of the UTF-8 character starting at p (1 for stray bytes). */
static size_t
char_len(const unsigned char *p)
{
	size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

void
jz_mask_name(const char *name, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t used = 0, count = 0, first_len = 0;
	const unsigned char *last = NULL;
	size_t last_len = 0;
	if (!size)
		return;
	out[0] = '\0';
	for (const unsigned char *q = p; *q; q += char_len(q)) {
		if (!count)
			first_len = char_len(q);
		last = q;
		last_len = char_len(q);
		count++;
	}
	if (!count || first_len + 1 >= size)
		return;
	memcpy(out, p, first_len);
	used = first_len;
	size_t stars = count >= 3 ? count - 2 : 1;
	for (size_t i = 0; i < stars && used + 1 < size; i++)
		out[used++] = '*';
	if (count >= 3 && used + last_len < size) {
		memcpy(out + used, last, last_len);
		used += last_len;
	}
	out[used] = '\0';
}
