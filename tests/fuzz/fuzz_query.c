/* Fuzz target: request lines: the path matched against the real route table
 * (src/http/router.c, jz_routes_find, '*' segments become arguments) and the query
 * arguments admitted (src/http/params.c, jz_params_admit_query).
 *
 * Input: "METHOD PATH?QUERY". libmicrohttpd splits the query at '&' and '=' and decodes
 * each part with MHD_http_unescape before our code sees it; the target does the same
 * with libmicrohttpd's own MHD_http_unescape, so the pairs are what the server gets.
 * Invariants: a matched route's pattern with its '*' replaced by the arguments is the
 * path itself, each argument a non-empty segment without '/'; a path id is a number only
 * when the argument is all digits; kept arguments are declared and within length; "lang"
 * on pages is never kept; an API route refuses an undeclared argument. */
#include <microhttpd.h>

#include "handlers/handlers.h"
#include "http/routes.h"
#include "params_check.h"

static void
check_route(const char *method, const char *path, jz_match m, const jz_route *route,
            char *args[JZ_MAX_PATH_ARGS])
{
	if (m == JZ_MATCH_NONE)
		return;
	FUZZ_CHECK(route != NULL, "match without a route");
	if (m != JZ_MATCH_OK)
		return;
	const char *m2 = strcmp(method, "HEAD") ? method : "GET";
	FUZZ_CHECK(!strcmp(route->method, m2), "method %s for %s", route->method, method);
	char rebuilt[4096];
	size_t n = 0;
	int k = 0;
	for (const char *p = route->pattern; *p; p++) {
		const char *piece = p[0] == '*' ? args[k++] : NULL;
		FUZZ_CHECK(!(*p == '*') || (piece && *piece && !strchr(piece, '/')), "argument %d", k);
		size_t len = piece ? strlen(piece) : 1;
		FUZZ_CHECK(n + len < sizeof rebuilt, "path too long to rebuild");
		memcpy(rebuilt + n, piece ? piece : p, len);
		n += len;
	}
	rebuilt[n] = '\0';
	FUZZ_CHECK(!strcmp(rebuilt, path), "pattern %s rebuilt as %s for %s", route->pattern, rebuilt, path);
	for (; k < JZ_MAX_PATH_ARGS; k++)
		FUZZ_CHECK(args[k] == NULL, "extra argument");
}

/* The query as libmicrohttpd hands it to the server's query_arg, pair by pair. */
static bool
admit_query(jz_req *req, char *query)
{
	char *save = NULL;
	for (char *pair = strtok_r(query, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');
		if (eq)
			*eq = '\0';
		MHD_http_unescape(pair);
		if (eq)
			MHD_http_unescape(eq + 1);
		if (!jz_params_admit_query(req, pair, eq ? eq + 1 : NULL)) {
			FUZZ_CHECK(req->err.code == JZ_E_INVALID_FIELD || req->err.code == JZ_E_UNKNOWN_FIELD,
			           "code %d", req->err.code);
			FUZZ_CHECK(req->err.code != JZ_E_UNKNOWN_FIELD || req->route->kind == JZ_ROUTE_API,
			           "a page refused an undeclared argument");
			check_error(&req->err);
			return false;
		}
		FUZZ_CHECK(!(req->route->kind == JZ_ROUTE_PAGE && !strcmp(pair, "lang")) ||
		               req->n_params == 0 || strcmp(req->params[req->n_params - 1].name, "lang"),
		           "lang kept on a page");
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_cstr(data, size);
	char *sp = strchr(line, ' ');
	if (!sp) {
		free(line);
		return 0;
	}
	*sp = '\0';
	char *path = sp + 1, *query = strchr(path, '?');
	if (query)
		*query++ = '\0';
	jz_req *req = calloc(1, sizeof *req);
	const jz_route *route = NULL;
	jz_match m = jz_routes_find(line, path, &route, req->args);
	check_route(line, path, m, route, req->args);
	if (m == JZ_MATCH_OK) {
		req->route = route;
		int64_t id = jz_h_path_id(req);
		FUZZ_CHECK(id >= 0, "negative path id");
		if (id > 0)
			FUZZ_CHECK(strspn(req->args[0], "0123456789") == strlen(req->args[0]), "id from %s",
			           req->args[0]);
		if (query)
			admit_query(req, query);
		check_params(req);
	}
	free_params(req);
	for (int i = 0; i < JZ_MAX_PATH_ARGS; i++)
		free(req->args[i]);
	free(req);
	free(line);
	return 0;
}
