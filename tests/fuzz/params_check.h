/* Checks shared by the form and query targets: what jz_params_admit promises about the
 * parameters it kept, and that an error renders as the API's JSON object (error_check.h). */
#ifndef JZ_TESTS_FUZZ_PARAMS_CHECK_H
#define JZ_TESTS_FUZZ_PARAMS_CHECK_H

#include "error_check.h"
#include "fuzz.h"
#include "http/params.h"

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
