/* Open-addressing hash map keyed by pointer, for prepared statements. */
#include "store/stmt_cache.h"

#include <stdint.h>
#include <stdlib.h>

#include "util/xmalloc.h"

static size_t
slot_of(const char *key, size_t cap)
{
	uintptr_t h = (uintptr_t)key;
	h ^= h >> 17;
	h *= (uintptr_t)0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 7) & (cap - 1);
}

void *
jz_stmt_cache_get(const jz_stmt_cache *c, const char *sql)
{
	if (!c->cap)
		return NULL;
	for (size_t i = slot_of(sql, c->cap);; i = (i + 1) & (c->cap - 1)) {
		if (!c->keys[i])
			return NULL;
		if (c->keys[i] == sql)
			return c->values[i];
	}
}

static void
grow(jz_stmt_cache *c)
{
	jz_stmt_cache bigger = {NULL, NULL, c->cap ? c->cap * 2 : 64, 0};
	bigger.keys = jz_xcalloc(bigger.cap, sizeof *bigger.keys);
	bigger.values = jz_xcalloc(bigger.cap, sizeof *bigger.values);
	for (size_t i = 0; i < c->cap; i++)
		if (c->keys[i])
			jz_stmt_cache_put(&bigger, c->keys[i], c->values[i]);
	free(c->keys);
	free(c->values);
	*c = bigger;
}

void
jz_stmt_cache_put(jz_stmt_cache *c, const char *sql, void *stmt)
{
	if ((c->count + 1) * 2 > c->cap)
		grow(c);
	size_t i = slot_of(sql, c->cap);
	while (c->keys[i] && c->keys[i] != sql)
		i = (i + 1) & (c->cap - 1);
	if (!c->keys[i])
		c->count++;
	c->keys[i] = sql;
	c->values[i] = stmt;
}

void
jz_stmt_cache_clear(jz_stmt_cache *c, void (*free_fn)(void *))
{
	for (size_t i = 0; i < c->cap; i++)
		if (c->keys[i])
			free_fn(c->values[i]);
	free(c->keys);
	free(c->values);
	c->keys = NULL;
	c->values = NULL;
	c->cap = c->count = 0;
}
