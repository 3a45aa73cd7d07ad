/* Matching a request against the route table: exact segments, '*' for one segment. */
#include <stdlib.h>
#include <string.h>

#include "http/routes.h"
#include "util/xmalloc.h"

static bool
match_pattern(const char *pattern, const char *path, char *args[JZ_MAX_PATH_ARGS])
{
	int n = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '*') {
			const char *end = strchr(s, '/');
			size_t len = end ? (size_t)(end - s) : strlen(s);
			if (!len || n >= JZ_MAX_PATH_ARGS)
				goto fail;
			args[n++] = jz_xstrndup(s, len);
			s += len;
			p++;
		} else if (*p == *s) {
			p++, s++;
		} else {
			goto fail;
		}
	}
	if (!*p && !*s)
		return true;
fail:
	for (int i = 0; i < n; i++) {
		free(args[i]);
		args[i] = NULL;
	}
	return false;
}

jz_match
jz_routes_find(const char *method, const char *path, const jz_route **route,
               char *args[JZ_MAX_PATH_ARGS])
{
	jz_match best = JZ_MATCH_NONE;
	const char *m = !strcmp(method, "HEAD") ? "GET" : method;
	for (size_t i = 0; i < jz_routes_count; i++) {
		char *tmp[JZ_MAX_PATH_ARGS] = {NULL};
		if (!match_pattern(jz_routes[i].pattern, path, tmp))
			continue;
		if (!strcmp(jz_routes[i].method, m)) {
			memcpy(args, tmp, sizeof tmp);
			*route = &jz_routes[i];
			return JZ_MATCH_OK;
		}
		for (int k = 0; k < JZ_MAX_PATH_ARGS; k++)
			free(tmp[k]);
		if (best == JZ_MATCH_NONE)
			*route = &jz_routes[i]; /* its kind decides how the 405 is written */
		best = JZ_MATCH_METHOD;
	}
	return best;
}
