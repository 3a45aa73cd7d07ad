/* What a request carries besides its path, as the server admits it: query arguments and
 * form fields, kept only when the route declares them and within each one's length; the
 * JSON body, an object without duplicate keys whose members the route declares; and the
 * tokens in its cookies. Pure (no libmicrohttpd, no database), so that the fuzz targets in
 * tests/fuzz/ call exactly what the server runs. */
#ifndef JZ_HTTP_PARAMS_H
#define JZ_HTTP_PARAMS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"

/* Admits one parameter into req->params: a declared one is copied (refused when longer
 * than its maximum, or when there are JZ_MAX_PARAMS already); an undeclared one is
 * refused on API routes (JZ_E_UNKNOWN_FIELD) and ignored on pages (shared links pick up
 * tracking parameters). False with req->err set when refused. */
bool jz_params_admit(jz_req *req, const char *name, const char *value);

/* Admits one query argument as libmicrohttpd hands it over (decoded; value NULL for a
 * name without '='): as jz_params_admit, except that "lang" on pages is the language
 * switch, not a parameter. */
bool jz_params_admit_query(jz_req *req, const char *name, const char *value);

/* Parses an application/x-www-form-urlencoded body of len bytes (not necessarily
 * NUL-terminated) into req->params through jz_params_admit. The field "csrf" is not
 * admitted: it must equal req->csrf (the visitor's cookie), and then sets
 * req->csrf_checked. A malformed escape, an escaped NUL or a NUL byte refuses the body
 * (JZ_E_INVALID_FIELD); a wrong csrf refuses it with JZ_E_CSRF_FAILED. */
bool jz_params_parse_form(jz_req *req, const char *body, size_t len);

/* Parses an API body of len bytes (empty means {}): a JSON object without duplicate keys
 * (JZ_E_MALFORMED_JSON otherwise), every member declared by req->route
 * (JZ_E_UNKNOWN_FIELD), strings within the declared length (JZ_E_INVALID_FIELD). On
 * success req->json owns the object; the handlers type-check each member. */
bool jz_params_parse_json(jz_req *req, const char *body, size_t len);

enum { JZ_SESSION_TOKEN_MAX = 64, JZ_CSRF_MAX = 48, JZ_CSRF_MIN = 20 };

/* The token a request presents for a session: on API routes "Authorization: Bearer T"
 * wins over the cookie. NULL when there is none, or when it is too long to be one of ours
 * (JZ_SESSION_TOKEN_MAX - 1 bytes at most); otherwise a pointer into cookie or
 * authorization. */
const char *jz_params_session_token(bool api, const char *cookie, const char *authorization);

/* The form token from the jz_csrf cookie when it can be one the server made (JZ_CSRF_MIN
 * to JZ_CSRF_MAX - 1 characters of the base64url alphabet), else NULL. */
const char *jz_params_csrf_cookie(const char *cookie);

#endif
