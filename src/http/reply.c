/* Building and queueing responses with the headers every reply needs. */
#include "http/reply.h"

#include <stdlib.h>
#include <string.h>

#include "pages/html.h"
#include "util/log.h"

static const char fresh_cookie[] = "jz_fresh=1; Path=/; Max-Age=30; HttpOnly; SameSite=Lax";
_Static_assert(JZ_FRESH_SECONDS == 30, "fresh_cookie says Max-Age=30");

static const char csp[] = "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/* API replies: the matched route says so, or, when none matched, the /api/ prefix. */
static bool
is_api(const jz_req *req)
{
	if (req->route)
		return req->route->kind == JZ_ROUTE_API;
	return !strncmp(req->path, "/api/", 5);
}

static enum MHD_Result
queue(jz_req *req, unsigned status, struct MHD_Response *resp, const char *content_type)
{
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	if (is_api(req))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "30");
	for (size_t i = 0; i < req->n_set_cookies; i++)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, req->set_cookies[i]);
	/* After a write this browser reads the primary for a while (src/http/server.c); last,
	 * so the cookies a handler sets come first. */
	if (req->wrote)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, fresh_cookie);
	if (req->defer) {
		/* On the slow pool: the connection is suspended; jz_reply_deferred sends it. */
		if (req->deferred)
			MHD_destroy_response(req->deferred);
		req->deferred = resp;
		req->deferred_status = status;
		return MHD_YES;
	}
	enum MHD_Result r = MHD_queue_response(req->conn, status, resp);
	MHD_destroy_response(resp);
	return r;
}

enum MHD_Result
jz_reply_deferred(jz_req *req)
{
	if (!req->deferred)
		return MHD_NO; /* the handler made no reply: close the connection */
	enum MHD_Result r = MHD_queue_response(req->conn, req->deferred_status, req->deferred);
	MHD_destroy_response(req->deferred);
	req->deferred = NULL;
	return r;
}

enum MHD_Result
jz_reply_response(jz_req *req, unsigned status, struct MHD_Response *resp, const char *content_type)
{
	if (resp && !is_api(req))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "private, no-store");
	return queue(req, status, resp, content_type);
}

enum MHD_Result
jz_reply_html(jz_req *req, unsigned status, jz_buf *page)
{
	size_t len = page->len;
	char *body = jz_buf_steal(page);
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (resp && (req->signed_in || req->ctx.worker_id))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "private, no-store");
	return queue(req, status, resp, "text/html; charset=utf-8");
}

enum MHD_Result
jz_reply_json(jz_req *req, unsigned status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!text)
		return MHD_NO;
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	return queue(req, status, resp, "application/json; charset=utf-8");
}

enum MHD_Result
jz_reply_error(jz_req *req, const jz_err *given)
{
	/* An internal error met while the database had an outage (a statement that could not
	 * even be prepared on a lost connection) is the outage: 503, not 500. */
	jz_err outage;
	const jz_err *err = given;
	if (given->code == JZ_E_INTERNAL && req->ctx.db && jz_db_outage(req->ctx.db)) {
		jz_err_set(&outage, JZ_E_UNAVAILABLE, NULL, NULL, NULL);
		err = &outage;
	}
	unsigned status = (unsigned)jz_err_http_status(err->code);
	if (status >= 500)
		jz_log_error("%s %s: %s", req->method, req->path, jz_err_code_name(err->code));
	if (is_api(req)) {
		json_t *o = jz_err_json(err, req->english);
		return jz_reply_json(req, status, o);
	}
	jz_buf page = JZ_BUF_INIT;
	jz_page_error(&page, req, err);
	return jz_reply_html(req, status, &page);
}

enum MHD_Result
jz_reply_code(jz_req *req, jz_err_code code)
{
	jz_err e;
	jz_err_set(&e, code, NULL, NULL, NULL);
	return jz_reply_error(req, &e);
}

enum MHD_Result
jz_reply_redirect(jz_req *req, const char *location)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
	if (resp)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, location);
	return queue(req, MHD_HTTP_SEE_OTHER, resp, "text/plain; charset=utf-8");
}

enum MHD_Result
jz_reply_static(jz_req *req, const char *content_type, const void *data, size_t len)
{
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
	if (resp)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "public, max-age=86400");
	return queue(req, MHD_HTTP_OK, resp, content_type);
}
