/* Allocation that never returns NULL: out of memory aborts in one place, so callers
 * never test for it. */
#ifndef JZ_UTIL_XMALLOC_H
#define JZ_UTIL_XMALLOC_H

#include <stddef.h>

void *jz_xmalloc(size_t n);
void *jz_xcalloc(size_t count, size_t size);
void *jz_xrealloc(void *p, size_t n);
char *jz_xstrdup(const char *s);
char *jz_xstrndup(const char *s, size_t n);
/* printf into a fresh string the caller frees. */
char *jz_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
