/* Fuzz target: application/x-www-form-urlencoded bodies of the pages' forms
 * (src/http/params.c, jz_params_parse_form): percent-decoding, the double-submit CSRF
 * field and the admission of declared fields only.
 *
 * Input: one byte choosing a POST page of the real route table, one byte saying whether
 * the visitor has a form token (cookie "jz_csrf"), then the body. Invariants: kept fields
 * are declared and within length (params_check.h); "csrf" is never kept as a field; the
 * form counts as checked only when the visitor has a token and the body echoed it; a
 * refused body says why with an error that renders. */
#include "http/routes.h"
#include "params_check.h"

static const jz_route *routes[256];
static size_t n_routes;
static const char token[] = "Zm9ybS10b2tlbi1mb3ItZnV6";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	for (size_t i = 0; i < jz_routes_count && n_routes < 256; i++)
		if (jz_routes[i].kind == JZ_ROUTE_PAGE && !strcmp(jz_routes[i].method, "POST"))
			routes[n_routes++] = &jz_routes[i];
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || !n_routes)
		return 0;
	jz_req *req = calloc(1, sizeof *req);
	req->route = routes[data[0] % n_routes];
	bool has_token = data[1] & 1;
	if (has_token)
		snprintf(req->csrf, sizeof req->csrf, "%s", token);
	/* An exact-size copy, so reading past the body is seen. */
	size_t len = size - 2;
	char *body = malloc(len ? len : 1);
	memcpy(body, data + 2, len);

	bool ok = jz_params_parse_form(req, body, len);
	check_params(req);
	for (size_t i = 0; i < req->n_params; i++)
		FUZZ_CHECK(strcmp(req->params[i].name, "csrf") != 0, "csrf kept as a field");
	if (req->csrf_checked) {
		char *text = fuzz_cstr(data + 2, len);
		FUZZ_CHECK(has_token && strstr(text, "csrf="), "checked without the token");
		free(text);
	}
	if (!ok) {
		FUZZ_CHECK(req->err.code == JZ_E_INVALID_FIELD || req->err.code == JZ_E_CSRF_FAILED,
		           "code %d", req->err.code);
		check_error(&req->err);
	} else {
		FUZZ_CHECK(!memchr(body, '\0', len), "a NUL byte accepted");
	}
	free_params(req);
	free(body);
	free(req);
	return 0;
}
