/* Masking of names for public views. */
#include "core/mask.h"

#include <stdbool.h>
#include <string.h>

/* Byte length of the UTF-8 character at s (1 for a stray byte). */
static size_t
char_len(const unsigned char *s)
{
	if (s[0] >= 0xF0 && s[1] && s[2] && s[3])
		return 4;
	if (s[0] >= 0xE0 && s[1] && s[2])
		return 3;
	if (s[0] >= 0xC0 && s[1])
		return 2;
	return 1;
}

void
jz_mask_name(const char *name, char *out, size_t size)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t count = 0, last_start = 0, n = strlen(name), o = 0;
	for (size_t i = 0; i < n; i += char_len(s + i)) {
		last_start = i;
		count++;
	}
	if (!size)
		return;
	size_t i = 0, k = 0;
	while (i < n) {
		size_t len = char_len(s + i);
		bool keep = k == 0 || (count >= 3 && i == last_start);
		const char *piece = keep ? name + i : "*";
		size_t plen = keep ? len : 1;
		if (o + plen + 1 > size)
			break;
		memcpy(out + o, piece, plen);
		o += plen;
		i += len;
		k++;
	}
	out[o] = '\0';
}
