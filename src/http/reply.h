/* Replies. Every reply carries the security headers (CSP, nosniff, frame-ancestors
 * 'none', no referrer) and the cookies the request collected. Each function queues the
 * response and returns what the MHD access handler returns. */
#ifndef JZ_HTTP_REPLY_H
#define JZ_HTTP_REPLY_H

#include "http/request.h"

/* Any prepared response (takes it) with the common headers and a content type. */
enum MHD_Result jz_reply_response(jz_req *req, unsigned status, struct MHD_Response *resp,
                                  const char *content_type);
/* An HTML page; takes the buffer's contents. */
enum MHD_Result jz_reply_html(jz_req *req, unsigned status, jz_buf *page);
/* A JSON document; steals the reference. */
enum MHD_Result jz_reply_json(jz_req *req, unsigned status, json_t *body);
/* An error: {"code","message","field","detail"} for the API, an error page otherwise. */
enum MHD_Result jz_reply_error(jz_req *req, const jz_err *err);
/* Shorthand for an error without field or detail. */
enum MHD_Result jz_reply_code(jz_req *req, jz_err_code code);
/* 303 See Other to a local path. */
enum MHD_Result jz_reply_redirect(jz_req *req, const char *location);
/* Queues the reply a slow route's handler left while its connection was suspended
 * (slow_pool.h); MHD_NO when it left none. */
enum MHD_Result jz_reply_deferred(jz_req *req);
/* Static bytes with a content type, cacheable for a day. */
enum MHD_Result jz_reply_static(jz_req *req, const char *content_type, const void *data, size_t len);

#endif
