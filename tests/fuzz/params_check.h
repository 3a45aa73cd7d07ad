/* Checks shared by the form and query targets: what jz_params_admit promises about the
 * parameters it kept, and that an error renders as the API's JSON object. */
#ifndef JZ_TESTS_FUZZ_PARAMS_CHECK_H
#define JZ_TESTS_FUZZ_PARAMS_CHECK_H

#include "fuzz.h"
#include "http/params.h"

static void
check_error(const jz_err *e)
{
	FUZZ_CHECK(fuzz_utf8(e->field) && fuzz_utf8(e->detail_zh) && fuzz_utf8(e->detail_en),
	           "error text is not UTF-8");
	json_t *o = jz_err_json(e, true);
	FUZZ_CHECK(o != NULL, "no error object");
	FUZZ_CHECK(!*e->field || json_object_get(o, "field"), "field lost");
	char *text = json_dumps(o, JSON_COMPACT);
	FUZZ_CHECK(text != NULL, "error object does not serialise");
	free(text);
	json_decref(o);
}

/* Every kept parameter is declared by the route, within its length, and readable. */
static void
check_params(const jz_req *req)
{
	FUZZ_CHECK(req->n_params <= JZ_MAX_PARAMS, "%zu parameters", req->n_params);
	for (size_t i = 0; i < req->n_params; i++) {
		const jz_param *p = req->route->params;
		while (p && p->name && strcmp(p->name, req->params[i].name) != 0)
			p++;
		FUZZ_CHECK(p && p->name, "undeclared parameter %s kept", req->params[i].name);
		FUZZ_CHECK(strlen(req->params[i].value) <= p->max_len, "%s longer than %zu", p->name,
		           p->max_len);
		FUZZ_CHECK(jz_req_param(req, p->name) != NULL, "%s not found again", p->name);
	}
}

static void
free_params(jz_req *req)
{
	for (size_t i = 0; i < req->n_params; i++) {
		free(req->params[i].name);
		free(req->params[i].value);
	}
	req->n_params = 0;
}

#endif
