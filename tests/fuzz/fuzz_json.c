/* Fuzz target: JSON request bodies of the API, as the server parses them
 * (src/http/params.c, jz_params_parse_json: an object, no duplicate keys, declared
 * members, string lengths) and as the handlers type-check them (jz_req_json_string,
 * jz_h_json_strings, and the nested bodies of POST /api/v1/workers and
 * /api/v1/applications), then the worker service's validation of an enrolment
 * (jz_svc_worker_clean) and the error reply (jz_err_json).
 *
 * Input: one byte choosing a POST route of the API that declares members (from the real
 * route table), then the body. Invariants: an accepted body is an object whose members
 * are all declared and whose strings fit their declared length; a body refused only for a
 * duplicate key is refused as malformed JSON; every error renders as a JSON object that
 * carries its field and detail. */
#include "handlers/handlers.h"
#include "http/params.h"
#include "http/routes.h"
#include "services/companies.h"
#include "services/workers.h"
#include "error_check.h"
#include "fuzz.h"

static const jz_route *routes[256];
static size_t n_routes;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	for (size_t i = 0; i < jz_routes_count && n_routes < 256; i++)
		if (jz_routes[i].kind == JZ_ROUTE_API && jz_routes[i].params &&
		    !strcmp(jz_routes[i].method, "POST"))
			routes[n_routes++] = &jz_routes[i];
	return 0;
}

static void
check_accepted(const jz_req *req)
{
	FUZZ_CHECK(json_is_object(req->json), "accepted body is not an object");
	const char *key;
	json_t *value;
	json_object_foreach(req->json, key, value)
	{
		const jz_param *p = req->route->params;
		while (p->name && strcmp(p->name, key) != 0)
			p++;
		FUZZ_CHECK(p->name != NULL, "undeclared member %s accepted", key);
		FUZZ_CHECK(!json_is_string(value) || json_string_length(value) <= p->max_len,
		           "member %s longer than %zu", key, p->max_len);
	}
}

/* What the handlers do with an accepted body. */
static void
type_check(jz_req *req)
{
	for (const jz_param *p = req->route->params; p->name; p++) {
		const char *s;
		jz_err_set(&req->err, JZ_E_INTERNAL, NULL, NULL, NULL);
		if (jz_req_json_string(req, p->name, &s)) {
			FUZZ_CHECK(!s || (fuzz_utf8(s) && strlen(s) <= p->max_len), "member %s", p->name);
		} else {
			FUZZ_CHECK(req->err.code == JZ_E_INVALID_FIELD, "code %d", req->err.code);
			check_error(&req->err);
		}
	}
	const char *types[16];
	size_t n;
	if (!jz_h_json_strings(req, "service_types", types, 16, &n))
		check_error(&req->err);
	else
		FUZZ_CHECK(n <= 16, "%zu service types", n);

	if (!strcmp(req->route->pattern, "/api/v1/workers")) {
		jz_worker_input in;
		if (!jz_h_worker_input_json(req, &in)) {
			check_error(&req->err);
			return;
		}
		FUZZ_CHECK(in.n_credentials <= JZ_MAX_CREDENTIALS && in.n_service_types <= JZ_WORKER_TYPES,
		           "counts");
		jz_worker_clean clean;
		jz_err e = {0};
		if (jz_svc_worker_clean(&in, "2026-11-27", &clean, &e))
			FUZZ_CHECK(fuzz_utf8(clean.name) && strlen(clean.id.number) == 18, "clean worker");
		else
			check_error(&e);
		jz_worker_clean_free(&clean);
	} else if (!strcmp(req->route->pattern, "/api/v1/applications")) {
		jz_application app;
		if (!jz_h_application_json(req, &app))
			check_error(&req->err);
		else
			FUZZ_CHECK(app.n_service_types <= JZ_MAX_SERVICE_TYPES, "counts");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size || !n_routes)
		return 0;
	jz_req *req = calloc(1, sizeof *req);
	req->route = routes[data[0] % n_routes];
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	bool ok = jz_params_parse_json(req, body, len);
	if (ok) {
		check_accepted(req);
		type_check(req);
	} else {
		FUZZ_CHECK(req->err.code == JZ_E_MALFORMED_JSON || req->err.code == JZ_E_UNKNOWN_FIELD ||
		               req->err.code == JZ_E_INVALID_FIELD,
		           "code %d", req->err.code);
		check_error(&req->err);
		/* A body that parses when duplicates are allowed was refused for one (or is not
		 * an object), and must say so as malformed JSON. */
		json_t *lax = len ? json_loadb(body, len, 0, NULL) : NULL;
		if (lax && req->err.code != JZ_E_MALFORMED_JSON) {
			json_t *strict = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
			FUZZ_CHECK(strict != NULL, "a duplicate key refused as %d", req->err.code);
			json_decref(strict);
		}
		json_decref(lax);
	}
	json_decref(req->json);
	free(req);
	return 0;
}
