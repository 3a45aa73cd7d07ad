/* Access to a request's declared parameters, and cookies for the reply. */
#include "http/request.h"

#include <stdio.h>
#include <string.h>

#include "util/crypto.h"
#include "util/xmalloc.h"

const char *
jz_req_param(const jz_req *req, const char *name)
{
	for (size_t i = 0; i < req->n_params; i++)
		if (!strcmp(req->params[i].name, name))
			return req->params[i].value;
	return NULL;
}

size_t
jz_req_params(const jz_req *req, const char *name, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < req->n_params && n < max; i++)
		if (!strcmp(req->params[i].name, name))
			out[n++] = req->params[i].value;
	return n;
}

bool
jz_req_json_string(jz_req *req, const char *name, const char **out)
{
	json_t *v = req->json ? json_object_get(req->json, name) : NULL;
	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v)) {
		char en[96];
		snprintf(en, sizeof en, "'%s' must be a string", name);
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, name, "应为字符串", en);
	}
	*out = json_string_value(v);
	return true;
}

const char *
jz_req_csrf(jz_req *req)
{
	if (!*req->csrf) {
		jz_crypto_token(req->csrf, sizeof req->csrf, 18);
		jz_req_set_cookie(req, "jz_csrf", req->csrf, 7 * 24 * 3600);
	}
	return req->csrf;
}

void
jz_req_set_cookie(jz_req *req, const char *name, const char *value, int max_age)
{
	if (req->n_set_cookies >= JZ_MAX_COOKIES)
		return;
	/* HttpOnly: scripts never need these. SameSite=Lax: not sent on cross-site POSTs. */
	req->set_cookies[req->n_set_cookies++] =
	    jz_xasprintf("%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax", name, value, max_age);
}
