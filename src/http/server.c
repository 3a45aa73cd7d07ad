/* The HTTP server: accepts requests, reads bodies within limits, matches the route,
 * admits only declared parameters, finds the session, checks CSRF on forms, and calls the
 * handler on this thread's database connection. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "http/slow_pool.h"
#include "services/accounts.h"
#include "services/workers.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/xmalloc.h"

static const char *db_url;
static const char *db_read_url; /* NULL: every request reads the primary */
static const jz_keys *keys;
static const char *base_url = "";
static char *const *trusted_proxies; /* serve --trust-proxy, NULL-terminated */
static pthread_key_t db_key, read_key;

enum {
	REPLICA_RETRY = 5, /* seconds before a replica that failed is tried again */
};

const char *
jz_server_base_url(void)
{
	return base_url;
}

const char *
jz_server_db_url(void)
{
	return db_url;
}

/* Opens url, logging why not; NULL when the database is down. */
static jz_db *
open_db(const char *url)
{
	char *err = NULL;
	jz_db *db = jz_db_open(url, &err);
	if (!db) {
		jz_log_error("%s", err);
		free(err);
	}
	return db;
}

static void
close_thread_db(void *db)
{
	jz_db_close(db);
}

/* This thread's primary connection, opened on first use and again once it is lost: after
 * a fail-over, a multi-host URL with target_session_attrs=read-write finds the new
 * primary. NULL while the database is down. */
static jz_db *
thread_db(void)
{
	jz_db *db = pthread_getspecific(db_key);
	if (db && jz_db_alive(db)) {
		jz_db_outage_clear(db);
		return db;
	}
	if (db) {
		jz_log_error("database connection lost; connecting again");
		pthread_setspecific(db_key, NULL);
		jz_db_close(db);
	}
	db = open_db(db_url);
	if (db)
		pthread_setspecific(db_key, db);
	return db;
}

typedef struct read_conn {
	jz_db *db;
	time_t retry_at; /* after a failed connect: not before then */
} read_conn;

static void
close_thread_read(void *p)
{
	read_conn *r = p;
	jz_db_close(r->db);
	free(r);
}

/* This thread's connection to the replica (serve --db-read); NULL without one, or while
 * it is down, and the request reads the primary instead. A replica that could not be
 * reached is tried again after REPLICA_RETRY seconds, not on every request. */
static jz_db *
thread_read_db(time_t now)
{
	if (!db_read_url)
		return NULL;
	read_conn *r = pthread_getspecific(read_key);
	if (!r) {
		r = jz_xcalloc(1, sizeof *r);
		pthread_setspecific(read_key, r);
	}
	if (r->db && jz_db_alive(r->db)) {
		jz_db_outage_clear(r->db);
		return r->db;
	}
	if (r->db) {
		jz_log_info("replica connection lost; reading the primary until it is back");
		jz_db_close(r->db);
		r->db = NULL;
	}
	if (now < r->retry_at)
		return NULL;
	r->db = open_db(db_read_url);
	if (!r->db)
		r->retry_at = now + REPLICA_RETRY;
	return r->db;
}

/* The primary for this request, connected on first need (a public card check on the
 * replica never needs it). */
static jz_db *
request_primary(jz_req *req)
{
	if (!req->primary_tried) {
		req->primary_tried = true;
		req->primary = thread_db();
	}
	return req->primary;
}

static void
free_request(jz_req *req)
{
	for (int i = 0; i < JZ_MAX_PATH_ARGS; i++)
		free(req->args[i]);
	for (size_t i = 0; i < req->n_params; i++) {
		free(req->params[i].name);
		free(req->params[i].value);
	}
	for (size_t i = 0; i < req->n_set_cookies; i++)
		free(req->set_cookies[i]);
	json_decref(req->json);
	jz_buf_free(&req->body);
	jz_buf_free(&req->upload);
	free(req->upload_name);
	for (size_t i = 0; i < req->n_parts; i++) {
		free(req->parts[i].name);
		free(req->parts[i].value);
	}
	if (req->pp)
		MHD_destroy_post_processor(req->pp);
	if (req->deferred)
		MHD_destroy_response(req->deferred);
	jz_user_clear(&req->user);
	free(req);
}

static void
request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                  enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)conn, (void)toe;
	if (*con_cls)
		free_request(*con_cls);
	*con_cls = NULL;
}

typedef struct query_walk {
	jz_req *req;
	bool ok;
} query_walk;

static enum MHD_Result
query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	query_walk *w = cls;
	if (!jz_params_admit_query(w->req, key, value)) {
		w->ok = false;
		return MHD_NO;
	}
	return MHD_YES;
}

static bool
content_type_is(jz_req *req, const char *want)
{
	const char *ct = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
	                                             MHD_HTTP_HEADER_CONTENT_TYPE);
	size_t n = strlen(want);
	return ct && !strncasecmp(ct, want, n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* multipart/form-data parts (the upload page): the file goes to req->upload, the other
 * fields are admitted like form fields once the body is complete. */
static enum MHD_Result
upload_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
            const char *content_type, const char *transfer_encoding, const char *data, uint64_t off,
            size_t size)
{
	(void)kind, (void)content_type, (void)transfer_encoding;
	jz_req *req = cls;
	if (!strcmp(key, "file")) {
		if (filename && !req->upload_name)
			req->upload_name = jz_xstrndup(filename, strnlen(filename, 200));
		jz_buf_append(&req->upload, data, size);
		return MHD_YES;
	}
	if (off == 0) {
		if (req->n_parts >= JZ_MAX_PARAMS) {
			req->upload_bad = true;
			return MHD_NO;
		}
		req->parts[req->n_parts].name = jz_xstrdup(key);
		req->parts[req->n_parts].value = jz_xstrndup(data, size);
		req->n_parts++;
	} else if (req->n_parts && !strcmp(req->parts[req->n_parts - 1].name, key) && off < 4096) {
		jz_kv *kv = &req->parts[req->n_parts - 1];
		size_t have = strlen(kv->value);
		kv->value = jz_xrealloc(kv->value, have + size + 1);
		memcpy(kv->value + have, data, size);
		kv->value[have + size] = '\0';
	}
	return MHD_YES;
}

static bool
read_parts(jz_req *req)
{
	for (size_t i = 0; i < req->n_parts; i++) {
		const char *name = req->parts[i].name, *value = req->parts[i].value;
		if (strcmp(name, "csrf") != 0) {
			if (!jz_params_admit(req, name, value))
				return false;
		} else if (!*req->csrf || !jz_crypto_equal(req->csrf, value)) {
			return jz_err_set(&req->err, JZ_E_CSRF_FAILED, NULL, NULL, NULL);
		} else {
			req->csrf_checked = true;
		}
	}
	if (!req->csrf_checked)
		return jz_err_set(&req->err, JZ_E_CSRF_FAILED, NULL, NULL, NULL);
	return true;
}

static bool
read_body(jz_req *req)
{
	if (req->pp) {
		MHD_destroy_post_processor(req->pp);
		req->pp = NULL;
		if (req->upload_bad)
			return jz_err_set(&req->err, JZ_E_INVALID_FIELD, NULL, "上传内容无效", "malformed upload");
		return read_parts(req);
	}
	bool writes = strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0;
	if (!writes)
		return true;
	if (req->route->kind == JZ_ROUTE_API) {
		if (!content_type_is(req, "application/json"))
			return jz_err_set(&req->err, JZ_E_UNSUPPORTED_MEDIA_TYPE, NULL, NULL,
			                  "send Content-Type: application/json");
		return jz_params_parse_json(req, req->body.data, req->body.len);
	}
	if (!content_type_is(req, "application/x-www-form-urlencoded"))
		return jz_err_set(&req->err, JZ_E_UNSUPPORTED_MEDIA_TYPE, NULL, NULL, NULL);
	if (!jz_params_parse_form(req, req->body.data, req->body.len))
		return false;
	if (!req->csrf_checked)
		return jz_err_set(&req->err, JZ_E_CSRF_FAILED, NULL, NULL, NULL);
	return true;
}

static void
choose_language(jz_req *req)
{
	const char *q = MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, "lang");
	if (req->route && req->route->kind == JZ_ROUTE_PAGE && q && (!strcmp(q, "en") || !strcmp(q, "zh"))) {
		req->english = !strcmp(q, "en");
		jz_req_set_cookie(req, "jz_lang", q, 365 * 24 * 3600);
		return;
	}
	const char *c = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "jz_lang");
	if (c) {
		req->english = !strcmp(c, "en");
		return;
	}
	if (req->route && req->route->kind == JZ_ROUTE_API) {
		const char *al = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
		                                             MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
		req->english = al && !strncasecmp(al, "en", 2);
	}
}

/* The session token from the cookie, or from "Authorization: Bearer" for API clients.
 * Sessions are looked up on the primary, also for routes whose reads may lag: a visitor
 * who has just signed in on another node must be signed in here at once. */
static void
find_session(jz_req *req)
{
	bool api = req->route->kind == JZ_ROUTE_API;
	const char *auth = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
	                                               MHD_HTTP_HEADER_AUTHORIZATION);
	const char *token = jz_params_session_token(
	    api, MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "jz_session"), auth);
	if (token && request_primary(req) && jz_svc_session_user(req->primary, token, req->ctx.now, &req->user)) {
		req->signed_in = true;
		req->ctx.user = &req->user;
		snprintf(req->session_token, sizeof req->session_token, "%s", token);
		return;
	}
	/* Workers have their own sessions (phone and password), in their own cookie. */
	token = jz_params_session_token(
	    api, MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "jz_worker"), auth);
	if (token && request_primary(req) &&
	    jz_svc_worker_session(req->primary, token, req->ctx.now, &req->ctx.worker_id))
		snprintf(req->session_token, sizeof req->session_token, "%s", token);
}

/* Which connection the handler gets: the replica when the route's reads may lag, unless
 * this browser wrote within JZ_FRESH_SECONDS (on any node: the jz_fresh cookie), so that
 * it reads its own writes; otherwise, and whenever the replica is down, the primary. */
static jz_db *
handler_db(jz_req *req)
{
	jz_db *db = NULL;
	if (req->route->reads_may_lag &&
	    !MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "jz_fresh"))
		db = thread_read_db((time_t)req->ctx.now);
	return db ? db : request_primary(req);
}

/* Each visitor carries a random form token in a cookie; forms echo it (double submit).
 * A visitor without one gets it with the first page that has a form (jz_req_csrf). */
static void
find_csrf(jz_req *req)
{
	const char *c = jz_params_csrf_cookie(
	    MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "jz_csrf"));
	if (c)
		snprintf(req->csrf, sizeof req->csrf, "%s", c);
}

static bool
trusted_proxy(const char *address)
{
	for (char *const *p = trusted_proxies; p && *p; p++)
		if (!strcmp(*p, address))
			return true;
	return false;
}

/* Behind trusted proxies (serve --trust-proxy), the client is the right-most address of
 * X-Forwarded-For that is not one of them: each proxy appends the address it was reached
 * from, and only what the trusted ones appended can be believed. */
static void
forwarded_address(jz_req *req)
{
	const char *xff = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return;
	char *copy = jz_xstrdup(xff);
	for (;;) {
		char *comma = strrchr(copy, ',');
		char *item = comma ? comma + 1 : copy;
		item += strspn(item, " \t");
		item[strcspn(item, " \t")] = '\0';
		unsigned char bin[sizeof(struct in6_addr)];
		if (inet_pton(AF_INET, item, bin) != 1 && inet_pton(AF_INET6, item, bin) != 1)
			break; /* not an address: keep the last trusted hop's */
		snprintf(req->address, sizeof req->address, "%s", item);
		if (!comma || !trusted_proxy(req->address))
			break;
		*comma = '\0';
	}
	free(copy);
}

/* The client's address, for sign-in rate limits: the socket's peer, or behind a trusted
 * proxy the address it forwarded. */
static void
client_address(jz_req *req)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	req->address[0] = '\0';
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, req->address,
		          sizeof req->address);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, req->address,
		          sizeof req->address);
	if (trusted_proxy(req->address))
		forwarded_address(req);
}

static enum MHD_Result
dispatch(jz_req *req)
{
	jz_match m = req->match;
	choose_language(req);
	if (m != JZ_MATCH_OK) {
		if (m == JZ_MATCH_NONE)
			req->route = NULL;
		return jz_reply_code(req, m == JZ_MATCH_METHOD ? JZ_E_METHOD_NOT_ALLOWED : JZ_E_NOT_FOUND);
	}
	if (req->body_too_large)
		return jz_reply_code(req, JZ_E_BODY_TOO_LARGE);
	req->ctx.actor = "public";
	req->ctx.now = (int64_t)time(NULL);
	req->ctx.keys = keys;
	req->ctx.db = handler_db(req);
	if (!req->ctx.db)
		return jz_reply_code(req, JZ_E_UNAVAILABLE);
	client_address(req);
	if (req->route->kind == JZ_ROUTE_PAGE)
		find_csrf(req);
	query_walk w = {req, true};
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, query_arg, &w);
	if (!w.ok || !read_body(req))
		return jz_reply_error(req, &req->err);
	find_session(req);
	/* Whatever this browser reads next, on any node, comes from the primary for a while. */
	req->wrote = strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0;
	/* A session that could not be read is not a signed-out visitor. */
	if (jz_db_outage(req->ctx.db) || (req->primary && jz_db_outage(req->primary)))
		return jz_reply_code(req, JZ_E_UNAVAILABLE);
	if (req->route->slow) {
		jz_slow_status st = jz_slow_pool_submit(req);
		if (st == JZ_SLOW_QUEUED)
			return MHD_YES; /* suspended; called again when the reply is ready */
		if (st == JZ_SLOW_FULL)
			return jz_reply_code(req, JZ_E_UNAVAILABLE);
	}
	return req->route->handler(req);
}

static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
               const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)cls, (void)version;
	jz_req *req = *con_cls;
	if (!req) {
		/* First call: headers only. Replying on a later call keeps the connection alive. */
		req = jz_xcalloc(1, sizeof *req);
		req->conn = conn;
		req->method = method;
		req->path = url;
		*con_cls = req;
		req->match = jz_routes_find(method, url, &req->route, req->args);
		if (req->match == JZ_MATCH_OK && req->route->upload &&
		    content_type_is(req, "multipart/form-data"))
			req->pp = MHD_create_post_processor(conn, 64 * 1024, upload_part, req);
		return MHD_YES;
	}
	if (req->slow) /* resumed by the slow pool */
		return jz_reply_deferred(req);
	if (*upload_size) {
		size_t limit = req->match == JZ_MATCH_OK && req->route->body_limit ? req->route->body_limit
		                                                                   : JZ_BODY_LIMIT;
		req->body_seen += *upload_size;
		if (req->body_seen > limit)
			req->body_too_large = true;
		else if (req->pp)
			req->body_too_large = MHD_post_process(req->pp, upload_data, *upload_size) != MHD_YES &&
			                      !req->upload_bad;
		else
			jz_buf_append(&req->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return dispatch(req);
}

int
jz_server_listen(const char *host, unsigned port)
{
	struct sockaddr_storage addr = {0};
	socklen_t addr_len;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&addr;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		addr_len = sizeof *v4;
	} else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		addr_len = sizeof *v6;
	} else {
		fprintf(stderr, "jiazheng serve: --listen: '%s' is not an IP address\n", host);
		return -2;
	}
	int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int on = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
	    (addr.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) != 0) ||
	    bind(fd, (struct sockaddr *)&addr, addr_len) != 0 || listen(fd, 512) != 0) {
		fprintf(stderr, "jiazheng serve: cannot listen on %s:%u: %s\n", host, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int
jz_server_run(const jz_server_config *cfg)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME;
	if (strchr(cfg->host, ':'))
		flags |= MHD_USE_IPv6;
	db_url = cfg->db_url;
	db_read_url = cfg->db_read_url;
	trusted_proxies = cfg->trusted_proxies;
	keys = cfg->keys;
	if (cfg->base_url)
		base_url = cfg->base_url;
	pthread_key_create(&db_key, close_thread_db);
	pthread_key_create(&read_key, close_thread_read);

	/* Block the stop signals in every thread; the main thread waits for them below. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = MHD_start_daemon(
	    flags, (uint16_t)cfg->port, NULL, NULL, access_handler, NULL,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)cfg->listen_fd,
	    MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)JZ_HEADER_MEMORY,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_CONNECTION_LIMIT, 1000u,
	    MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
	    MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "jiazheng serve: cannot start the server on %s:%u\n", cfg->host, cfg->port);
		close(cfg->listen_fd);
		return 1;
	}
	/* One slow-pool thread per CPU: Argon2 hashes take turns by CPU anyway (crypto.c). */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (!jz_slow_pool_start(cpus < 1 ? 1u : cpus > 16 ? 16u : (unsigned)cpus, thread_db))
		jz_log_error("no slow-pool thread started; sign-ins run on the connection threads");
	jz_log_info("serving http://%s%s%s:%u/ with %u threads%s", strchr(cfg->host, ':') ? "[" : "",
	            cfg->host, strchr(cfg->host, ':') ? "]" : "", cfg->port, cfg->threads,
	            db_read_url ? "; reads that may lag from the replica" : "");
	int sig = 0;
	sigwait(&stop, &sig);
	jz_log_info("stopping on %s", sig == SIGINT ? "SIGINT" : "SIGTERM");
	/* Stops accepting, finishes the requests in flight, joins the threads (which close
	 * their database connections). */
	jz_slow_pool_drain();
	MHD_stop_daemon(d);
	jz_slow_pool_stop();
	jz_log_info("stopped");
	return 0;
}
