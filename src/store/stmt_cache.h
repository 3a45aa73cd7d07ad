/* A per-connection map from SQL text address to prepared statement. Private to src/store/. */
#ifndef JZ_STORE_STMT_CACHE_H
#define JZ_STORE_STMT_CACHE_H

#include <stddef.h>

typedef struct jz_stmt_cache {
	const char **keys;
	void **values;
	size_t cap, count;
} jz_stmt_cache;

/* The statement cached for `sql`, or NULL. */
void *jz_stmt_cache_get(const jz_stmt_cache *c, const char *sql);
void jz_stmt_cache_put(jz_stmt_cache *c, const char *sql, void *stmt);
/* Calls free_fn on every cached statement and empties the cache. */
void jz_stmt_cache_clear(jz_stmt_cache *c, void (*free_fn)(void *));

#endif
