/* Growable NUL-terminated byte buffer. */
#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

static void
reserve(jz_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = jz_xrealloc(b->data, cap);
	b->cap = cap;
}

void
jz_buf_append(jz_buf *b, const void *data, size_t n)
{
	reserve(b, n);
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
jz_buf_puts(jz_buf *b, const char *s)
{
	jz_buf_append(b, s, strlen(s));
}

void
jz_buf_putc(jz_buf *b, char c)
{
	jz_buf_append(b, &c, 1);
}

void
jz_buf_printf(jz_buf *b, const char *fmt, ...)
{
	/* Formats once into the room there is (most values are short), twice only when it
	 * does not fit. */
	va_list ap, ap2;
	reserve(b, 63);
	va_start(ap, fmt);
	va_copy(ap2, ap);
	size_t room = b->cap - b->len;
	int n = vsnprintf(b->data + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	if ((size_t)n >= room) {
		reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
	}
	va_end(ap2);
	b->len += (size_t)n;
}

void
jz_buf_reserve(jz_buf *b, size_t n)
{
	reserve(b, n);
}

const char *
jz_buf_str(const jz_buf *b)
{
	return b->data ? b->data : "";
}

void
jz_buf_reset(jz_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *
jz_buf_steal(jz_buf *b)
{
	char *s = b->data ? b->data : jz_xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void
jz_buf_free(jz_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
