/* A growable byte buffer, always NUL-terminated, for building replies, SQL results and
 * pages. Memory is owned by the buffer; jz_buf_steal hands it to the caller. */
#ifndef JZ_UTIL_BUF_H
#define JZ_UTIL_BUF_H

#include <stddef.h>

typedef struct jz_buf {
	char *data; /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
} jz_buf;

#define JZ_BUF_INIT {NULL, 0, 0}

void jz_buf_append(jz_buf *b, const void *data, size_t n);
void jz_buf_puts(jz_buf *b, const char *s);
void jz_buf_putc(jz_buf *b, char c);
void jz_buf_printf(jz_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Makes room for n more bytes at once (a page of known size grows without copies). */
void jz_buf_reserve(jz_buf *b, size_t n);
/* Text of the buffer; "" when empty. Borrowed until the next append or free. */
const char *jz_buf_str(const jz_buf *b);
void jz_buf_reset(jz_buf *b);
/* Returns the contents (caller frees) and leaves the buffer empty. */
char *jz_buf_steal(jz_buf *b);
void jz_buf_free(jz_buf *b);

#endif
