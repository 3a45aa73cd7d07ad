/* Admitting query and form parameters, parsing urlencoded and JSON bodies, and picking
 * the tokens out of cookies (see params.h). */
#include "http/params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/crypto.h"
#include "util/xmalloc.h"

static const jz_param *
declared(const jz_req *req, const char *name)
{
	for (const jz_param *p = req->route->params; p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

bool
jz_params_admit(jz_req *req, const char *name, const char *value)
{
	const jz_param *p = declared(req, name);
	if (!p) {
		if (req->route->kind == JZ_ROUTE_API)
			return jz_err_set(&req->err, JZ_E_UNKNOWN_FIELD, name, NULL, NULL);
		return true;
	}
	if (strlen(value) > p->max_len)
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, name, "内容过长", "too long");
	if (req->n_params >= JZ_MAX_PARAMS)
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, name, "参数过多", "too many parameters");
	req->params[req->n_params].name = jz_xstrdup(name);
	req->params[req->n_params].value = jz_xstrdup(value);
	req->n_params++;
	return true;
}

bool
jz_params_admit_query(jz_req *req, const char *name, const char *value)
{
	if (!strcmp(name, "lang") && req->route->kind == JZ_ROUTE_PAGE)
		return true; /* the server's choose_language reads it */
	return jz_params_admit(req, name, value ? value : "");
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes urlencoded text in place; false on a bad escape or an escaped NUL. */
static bool
url_decode(char *s)
{
	char *out = s;
	for (; *s; s++) {
		if (*s == '+') {
			*out++ = ' ';
		} else if (*s == '%') {
			int hi = hex_value(s[1]), lo = hi < 0 ? -1 : hex_value(s[2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return false;
			*out++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
	return true;
}

/* One name=value pair of a form (modified in place). */
static bool
form_pair(jz_req *req, char *pair)
{
	char empty[1] = "";
	char *eq = strchr(pair, '=');
	char *value = eq ? eq + 1 : empty;
	if (eq)
		*eq = '\0';
	if (!url_decode(pair))
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, NULL, "表单编码无效", "malformed form encoding");
	if (!url_decode(value))
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, pair, "表单编码无效", "malformed form encoding");
	if (strcmp(pair, "csrf") != 0)
		return jz_params_admit(req, pair, value);
	if (!*req->csrf || !jz_crypto_equal(req->csrf, value))
		return jz_err_set(&req->err, JZ_E_CSRF_FAILED, NULL, NULL, NULL);
	req->csrf_checked = true;
	return true;
}

bool
jz_params_parse_form(jz_req *req, const char *body, size_t len)
{
	if (len && memchr(body, '\0', len))
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, NULL, "表单编码无效", "malformed form encoding");
	char *copy = jz_xmalloc(len + 1);
	if (len)
		memcpy(copy, body, len);
	copy[len] = '\0';
	bool ok = true;
	char *save = NULL;
	for (char *pair = strtok_r(copy, "&", &save); pair && ok; pair = strtok_r(NULL, "&", &save))
		ok = form_pair(req, pair);
	free(copy);
	return ok;
}

bool
jz_params_parse_json(jz_req *req, const char *body, size_t len)
{
	json_error_t jerr;
	json_t *j = json_loadb(len ? body : "{}", len ? len : 2, JSON_REJECT_DUPLICATES, &jerr);
	if (!j || !json_is_object(j)) {
		char en[200];
		if (j)
			snprintf(en, sizeof en, "the body must be a JSON object");
		else
			snprintf(en, sizeof en, "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
		json_decref(j);
		return jz_err_set(&req->err, JZ_E_MALFORMED_JSON, NULL, NULL, en);
	}
	req->json = j;
	const char *key;
	json_t *value;
	json_object_foreach(j, key, value)
	{
		const jz_param *p = declared(req, key);
		if (!p)
			return jz_err_set(&req->err, JZ_E_UNKNOWN_FIELD, key, NULL, NULL);
		if (json_is_string(value) && json_string_length(value) > p->max_len)
			return jz_err_set(&req->err, JZ_E_INVALID_FIELD, key, "内容过长", "too long");
	}
	return true;
}

const char *
jz_params_session_token(bool api, const char *cookie, const char *authorization)
{
	const char *token = cookie;
	if (api && authorization && !strncmp(authorization, "Bearer ", 7))
		token = authorization + 7;
	if (!token || strlen(token) >= JZ_SESSION_TOKEN_MAX)
		return NULL;
	return token;
}

const char *
jz_params_csrf_cookie(const char *cookie)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	if (!cookie)
		return NULL;
	size_t n = strlen(cookie);
	if (n < JZ_CSRF_MIN || n >= JZ_CSRF_MAX || strspn(cookie, alphabet) != n)
		return NULL;
	return cookie;
}
