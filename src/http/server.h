/* The HTTP server: GNU libmicrohttpd with a thread pool, one database connection per
 * thread, graceful shutdown on SIGTERM and SIGINT. */
#ifndef JZ_HTTP_SERVER_H
#define JZ_HTTP_SERVER_H

#include <stdbool.h>

typedef struct jz_server_config {
	const char *db_url;      /* the primary: every write, and reads right after one */
	const char *db_read_url; /* a streaming replica for routes whose reads may lag; NULL = none */
	char *const *trusted_proxies; /* addresses whose X-Forwarded-For is believed; NULL-terminated */
	const char *host; /* IPv4 or IPv6 address to listen on */
	unsigned port;
	unsigned threads;
	const struct jz_keys *keys; /* seals and opens worker data; borrowed */
	const char *base_url;       /* where the public reaches us (card QR codes), no trailing '/' */
	int listen_fd;              /* from jz_server_listen; the server closes it */
} jz_server_config;

/* Binds and listens on host (an IPv4 or IPv6 address) and port, so that a server started
 * as root can give up root before it starts (jz_privileges_drop). Returns the socket, or
 * prints why on stderr and returns -2 for a host that is not an address (a usage error)
 * or -1 when the address cannot be bound. */
int jz_server_listen(const char *host, unsigned port);

/* The database URL the server was started with (for background jobs' own connections). */
const char *jz_server_db_url(void);

/* The public base URL of the site (serve --base-url), e.g. "https://jz.example.cn". */
const char *jz_server_base_url(void);

/* Serves on cfg->listen_fd until SIGTERM or SIGINT; returns the process exit status. */
int jz_server_run(const jz_server_config *cfg);

/* Limits, also documented in docs/security.md. */
enum {
	JZ_BODY_LIMIT = 64 * 1024,        /* bytes of request body */
	JZ_HEADER_MEMORY = 32 * 1024,     /* per-connection memory for headers */
	JZ_PARAM_DEFAULT_MAX = 1024,      /* bytes per undeclared-length parameter */
};

#endif
