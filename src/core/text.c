/* Text, phone and service-type rules. */
#include "core/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

/* Length of the UTF-8 sequence at s and its code point, or 0 when malformed. */
static size_t
utf8_next(const unsigned char *s, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n;
	unsigned min;
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2, *cp = s[0] & 0x1F, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3, *cp = s[0] & 0x0F, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4, *cp = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return n;
}

size_t
jz_text_length(const char *s)
{
	size_t count = 0;
	unsigned cp;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_next(p, &cp);
		p += n ? n : 1;
		count++;
	}
	return count;
}

size_t
jz_text_copy(char *out, size_t size, const char *s)
{
	static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
	size_t n = 0;
	unsigned cp;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t k = utf8_next(p, &cp);
		const char *from = k ? (const char *)p : replacement;
		size_t len = k ? k : sizeof replacement - 1;
		if (n + len >= size)
			break;
		memcpy(out + n, from, len);
		n += len;
		p += k ? k : 1;
	}
	out[n] = '\0';
	return n;
}

static bool
is_space_at(const char *p, size_t *len)
{
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
		*len = 1;
		return true;
	}
	if (!strncmp(p, "\xE3\x80\x80", 3)) { /* U+3000 ideographic space */
		*len = 3;
		return true;
	}
	return false;
}

const char *
jz_text_trim_span(const char *s, size_t *len)
{
	size_t n;
	while (is_space_at(s, &n))
		s += n;
	size_t end = strlen(s);
	for (;;) {
		if (end && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r' ||
		            s[end - 1] == '\n'))
			end--;
		else if (end >= 3 && !strncmp(s + end - 3, "\xE3\x80\x80", 3))
			end -= 3;
		else
			break;
	}
	*len = end;
	return s;
}

char *
jz_text_trim(const char *s)
{
	size_t n;
	const char *t = jz_text_trim_span(s, &n);
	return jz_xstrndup(t, n);
}

jz_text_fault
jz_text_check(const char *s, size_t min, size_t max, bool multiline)
{
	size_t count = 0;
	unsigned cp;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_next(p, &cp);
		if (!n)
			return JZ_TEXT_BAD_UTF8;
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			if (!(multiline && (cp == '\n' || cp == '\t' || cp == '\r')))
				return JZ_TEXT_CONTROL;
		}
		p += n;
		count++;
	}
	size_t trimmed;
	jz_text_trim_span(s, &trimmed);
	if (!trimmed)
		return min ? JZ_TEXT_EMPTY : JZ_TEXT_OK;
	if (count < min)
		return JZ_TEXT_TOO_SHORT;
	if (count > max)
		return JZ_TEXT_TOO_LONG;
	return JZ_TEXT_OK;
}

bool
jz_phone_normalise(const char *in, char *out, size_t out_size)
{
	char digits[24];
	size_t n = 0, dash_at = 0;
	for (const char *p = in; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof digits)
				return false;
			digits[n++] = *p;
		} else if (*p == '-') {
			if (dash_at || !n)
				return false;
			dash_at = n;
		} else if (*p != ' ') {
			return false;
		}
	}
	digits[n] = '\0';
	if (n == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9' && !dash_at) {
		if (out_size < 12)
			return false;
		memcpy(out, digits, 12);
		return true;
	}
	if (digits[0] != '0' || digits[1] == '0')
		return false;
	/* Area codes are 3 digits (010, 020–029) or 4 (0731 …); without a dash, 010/02x
	 * are the 3-digit ones. */
	size_t area = dash_at ? dash_at : ((digits[1] == '1' || digits[1] == '2') ? 3 : 4);
	if (area < 3 || area > 4)
		return false;
	size_t local = n - area;
	if (local < 7 || local > 8 || out_size < n + 2)
		return false;
	memcpy(out, digits, area);
	out[area] = '-';
	memcpy(out + area + 1, digits + area, local + 1);
	return true;
}

static const jz_service_type service_types[] = {
	{"cleaning", "保洁", "Cleaning"},
	{"hourly", "钟点工", "Hourly help"},
	{"nanny", "保姆", "Nanny / live-in help"},
	{"infant_care", "育婴员", "Infant care"},
	{"maternity", "月嫂", "Maternity nurse"},
	{"elder_care", "养老护理", "Elderly care"},
	{"patient_care", "病患陪护", "Patient care"},
	{"home_cook", "家庭厨师", "Home cook"},
	{"appliance_cleaning", "家电清洗", "Appliance cleaning"},
	{"housekeeper", "管家", "Housekeeper"},
};

size_t
jz_service_type_count(void)
{
	return sizeof service_types / sizeof service_types[0];
}

const jz_service_type *
jz_service_type_at(size_t i)
{
	return i < jz_service_type_count() ? &service_types[i] : NULL;
}

const jz_service_type *
jz_service_type_find(const char *code_or_name)
{
	for (size_t i = 0; i < jz_service_type_count(); i++)
		if (!strcmp(code_or_name, service_types[i].code) ||
		    !strcmp(code_or_name, service_types[i].zh))
			return &service_types[i];
	return NULL;
}
