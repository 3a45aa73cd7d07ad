/* One HTTP request as handlers see it: the matched route, its declared parameters only,
 * the signed-in user, the language, and the thread's database connection. Replies go
 * through reply.h. */
#ifndef JZ_HTTP_REQUEST_H
#define JZ_HTTP_REQUEST_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>

#include "services/service.h"
#include "util/buf.h"

typedef struct jz_req jz_req;

/* A parameter a route accepts: query, form field or JSON member. */
typedef struct jz_param {
	const char *name;
	size_t max_len; /* bytes; longer values are refused */
} jz_param;

typedef enum { JZ_ROUTE_PAGE, JZ_ROUTE_API } jz_route_kind;

typedef struct jz_route {
	const char *method;
	const char *pattern; /* path; '*' stands for one segment, passed as an argument */
	jz_route_kind kind;
	enum MHD_Result (*handler)(jz_req *req);
	const jz_param *params; /* ends with {NULL, 0}; NULL = none */
	size_t body_limit;      /* bytes; 0 = JZ_BODY_LIMIT */
	bool upload;            /* takes multipart/form-data with a "file" part */
	/* Reads only, and a reply a little behind the primary is fine (public card checks,
	 * dashboards, open data, public lists): the handler's ctx.db is the streaming replica
	 * of serve --db-read when there is one (src/http/server.c says when not). Such a
	 * handler must never write: a replica refuses it. */
	bool reads_may_lag;
	bool slow;              /* hashes a password (Argon2): runs on the slow pool (slow_pool.h) */
} jz_route;

typedef struct jz_kv {
	char *name, *value;
} jz_kv;

enum { JZ_MAX_PATH_ARGS = 2, JZ_MAX_PARAMS = 48, JZ_MAX_COOKIES = 4 };
/* Seconds a browser that wrote reads the primary only, on every node (the jz_fresh cookie). */
enum { JZ_FRESH_SECONDS = 30 };

struct jz_req {
	struct MHD_Connection *conn;
	const char *method, *path;
	const jz_route *route;
	int match;                        /* jz_match of the route lookup */
	struct MHD_PostProcessor *pp;     /* multipart uploads */
	jz_buf upload;                    /* the uploaded file */
	char *upload_name;                /* its name as the browser sent it */
	jz_kv parts[JZ_MAX_PARAMS];       /* the other multipart fields, until admitted */
	size_t n_parts;
	bool upload_bad;
	size_t body_seen;
	char *args[JZ_MAX_PATH_ARGS];     /* the segments matched by '*' */
	jz_kv params[JZ_MAX_PARAMS];      /* declared query and form parameters */
	size_t n_params;
	json_t *json;                     /* API: the body object, members checked */
	jz_buf body;
	bool body_too_large;
	bool english;
	bool signed_in;
	jz_user user;
	char session_token[64];           /* JZ_SESSION_TOKEN_MAX (http/params.h) */
	char csrf[48];                    /* this visitor's form token; JZ_CSRF_MAX */
	bool csrf_checked;                /* the form echoed it */
	char address[64];                 /* client IP address */
	char *set_cookies[JZ_MAX_COOKIES]; /* Set-Cookie values for the reply */
	size_t n_set_cookies;
	bool wrote;                       /* a POST or DELETE reached its handler: jz_fresh */
	jz_db *primary;                   /* this thread's primary connection, once opened */
	bool primary_tried;
	jz_ctx ctx;                       /* for the services; ctx.db: the primary, or the
	                                     replica on a route whose reads may lag */
	jz_err err;                       /* scratch for handlers */
	/* A slow route's handler runs on a pool thread while the connection is suspended; its
	 * reply waits here until the connection is resumed (owned; queued, then destroyed). */
	bool slow;                        /* suspended, handed to the slow pool */
	bool defer;                       /* replies are kept, not queued */
	struct MHD_Response *deferred;
	unsigned deferred_status;
	enum MHD_Result slow_result;
};

/* The first value of a declared parameter, or NULL. */
const char *jz_req_param(const jz_req *req, const char *name);
/* Every value of a repeated parameter (checkboxes); returns how many, at most max. */
size_t jz_req_params(const jz_req *req, const char *name, const char **out, size_t max);
/* A string member of the API body, or NULL when absent; sets err when it is not a string. */
bool jz_req_json_string(jz_req *req, const char *name, const char **out);
/* This visitor's form token, made (and sent as a cookie) on first use, so that pages
 * without forms, like the public card check, cost no random numbers or cookies. */
const char *jz_req_csrf(jz_req *req);
/* Adds a Set-Cookie header to the reply. */
void jz_req_set_cookie(jz_req *req, const char *name, const char *value, int max_age);
/* Picks L(zh, en) for the request's language. */
#define L(req, zh, en) ((req)->english ? (en) : (zh))

#endif
