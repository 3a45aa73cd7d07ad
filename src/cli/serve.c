/* jiazheng serve: the web pages and the JSON API. */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "http/server.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/keys.h"
#include "util/privileges.h"
#include "util/xmalloc.h"

static void
usage(FILE *out)
{
	fprintf(out, "usage: jiazheng serve --db DB [--db-read URL] [--keys FILE] [--listen HOST:PORT]\n"
	             "                      [--threads N] [--base-url URL] [--trust-proxy ADDRS]\n"
	             "                      [--user NAME [--group NAME]]\n\n"
	             "Serves the pages and the JSON API (/api/v1) until SIGTERM or SIGINT.\n"
	             "  --db DB            SQLite file or postgres:// URL (run 'jiazheng init' first);\n"
	             "                     with PostgreSQL the primary: every write goes there\n"
	             "  --db-read URL      a postgres:// URL of a streaming replica for reads that may\n"
	             "                     lag: card checks (/v/TOKEN, its JSON, the card key), public\n"
	             "                     company pages and search, the dishonesty list, dashboards\n"
	             "                     and open data; a browser that wrote in the last 30 s, and\n"
	             "                     every request while the replica is down, reads the primary\n"
	             "  --keys FILE        the key file (default $JZ_KEYS, or DB.keys beside SQLite)\n"
	             "  --listen HOST:PORT address to listen on (default 127.0.0.1:8080;\n"
	             "                     IPv6 as [::1]:8080)\n"
	             "  --threads N        worker threads, each with its own database connection\n"
	             "                     (default 8)\n"
	             "  --base-url URL     the site's public address, put in card QR codes\n"
	             "                     (default http://HOST:PORT of --listen)\n"
	             "  --user NAME        started as root: the account to serve as. The key file is\n"
	             "                     read and the port bound as root, then the server becomes\n"
	             "                     NAME (its groups, its group, its user) before it opens the\n"
	             "                     database, which NAME must be able to read and write. As\n"
	             "                     root, serve refuses to start without --user; '--user root'\n"
	             "                     keeps root on purpose (with a warning)\n"
	             "  --group NAME       the group to serve as (default: the group of --user)\n"
	             "  --trust-proxy ADDRS comma-separated IP addresses of reverse proxies (nginx) whose\n"
	             "                     X-Forwarded-For names the client, for sign-in rate limits\n"
	             "                     (default: none; the connection's address counts)\n");
}

static void
free_proxies(char **list)
{
	for (char **p = list; p && *p; p++)
		free(*p);
	free(list);
}

/* The addresses of --trust-proxy as a NULL-terminated list; NULL when one is not an IP
 * address. */
static char **
parse_proxies(const char *list)
{
	size_t n = 1;
	for (const char *p = list; *p; p++)
		n += *p == ',';
	char **out = jz_xcalloc(n + 1, sizeof *out);
	char *copy = jz_xstrdup(list), *save = NULL;
	size_t i = 0;
	for (char *a = strtok_r(copy, ",", &save); a; a = strtok_r(NULL, ",", &save)) {
		unsigned char bin[sizeof(struct in6_addr)];
		a += strspn(a, " ");
		a[strcspn(a, " ")] = '\0';
		if (inet_pton(AF_INET, a, bin) != 1 && inet_pton(AF_INET6, a, bin) != 1) {
			fprintf(stderr, "jiazheng serve: --trust-proxy: '%s' is not an IP address\n", a);
			i = 0;
			break;
		}
		out[i++] = jz_xstrdup(a);
	}
	free(copy);
	if (i == 0) {
		free_proxies(out);
		return NULL;
	}
	return out;
}

/* Splits HOST:PORT (or [V6]:PORT); false when malformed. host gets a fresh string. */
static bool
parse_listen(const char *s, char **host, unsigned *port)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s)
		return false;
	const char *h = s, *h_end = colon;
	if (*s == '[') {
		if (colon[-1] != ']')
			return false;
		h = s + 1;
		h_end = colon - 1;
	}
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (*end || p < 1 || p > 65535 || end == colon + 1)
		return false;
	*host = jz_xstrndup(h, (size_t)(h_end - h));
	*port = (unsigned)p;
	return true;
}

/* Whom to serve as. Root must name an account (--user): serving the internet as root by
 * accident is what this refuses; '--user root' keeps root on purpose. Anyone else serves
 * as themself, and may name only themself. Sets *drop when the process must switch. */
static bool
choose_identity(const char *user, const char *group, jz_identity *as, bool *drop)
{
	char why[200];
	*drop = false;
	if (!user && group) {
		fprintf(stderr, "jiazheng serve: --group needs --user\n");
		return false;
	}
	if (!user) {
		if (geteuid() != 0)
			return true;
		fprintf(stderr, "jiazheng serve: refusing to serve as root; name the account to serve as"
		                " with --user NAME (e.g. --user jiazheng): the port is bound and the key"
		                " file read as root, then the server becomes NAME (or --user root to keep"
		                " root on purpose)\n");
		return false;
	}
	if (!jz_privileges_lookup(user, group, as, why, sizeof why)) {
		fprintf(stderr, "jiazheng serve: %s\n", why);
		return false;
	}
	if (geteuid() != 0) {
		if (as->uid == geteuid() && as->gid == getegid())
			return true;
		fprintf(stderr, "jiazheng serve: --user: only root can serve as another account\n");
		return false;
	}
	if (as->uid == 0) {
		fprintf(stderr, "jiazheng serve: warning: serving as root (--user %s)\n", user);
		return true;
	}
	*drop = true;
	return true;
}

/* Refuses a database that is missing, unreadable or behind this binary's schema; true
 * when the server may use it. Runs as the account the server serves as. */
static bool
database_ready(const char *db)
{
	char *err = NULL;
	jz_db *conn = jz_db_open(db, &err);
	int version = 0, missing = 1;
	bool ok = conn && jz_store_schema_version(conn, &version) == JZ_DB_OK &&
	          jz_store_migrations_missing(conn, &missing) == JZ_DB_OK && !missing &&
	          version == jz_store_latest_version(conn);
	if (!ok)
		fprintf(stderr, "jiazheng serve: %s\n",
		        err ? err : "the database is not initialised or not up to date; run 'jiazheng init --db DB'");
	free(err);
	jz_db_close(conn);
	return ok;
}

int
jz_cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},      {"listen", required_argument, NULL, 'l'},
	    {"keys", required_argument, NULL, 'k'},
	    {"threads", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
	    {"base-url", required_argument, NULL, 'b'},
	    {"user", required_argument, NULL, 'u'},    {"group", required_argument, NULL, 'g'},
	    {"db-read", required_argument, NULL, 'r'}, {"trust-proxy", required_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0},
	};
	const char *db = NULL, *listen = "127.0.0.1:8080", *keys_opt = NULL, *base_opt = NULL;
	const char *user = NULL, *group = NULL, *db_read = NULL, *proxies = NULL;
	long threads = 8;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'l': listen = optarg; break;
		case 'k': keys_opt = optarg; break;
		case 'b': base_opt = optarg; break;
		case 'u': user = optarg; break;
		case 'g': group = optarg; break;
		case 'r': db_read = optarg; break;
		case 'p': proxies = optarg; break;
		case 't': {
			char *end;
			threads = strtol(optarg, &end, 10);
			if (*end || threads < 1 || threads > 256) {
				fprintf(stderr, "jiazheng serve: --threads: '%s' is not a number from 1 to 256\n", optarg);
				return JZ_EXIT_USAGE;
			}
			break;
		}
		case 'h': usage(stdout); return JZ_EXIT_OK;
		default: usage(stderr); return JZ_EXIT_USAGE;
		}
	}
	if (!db || optind != argc) {
		fprintf(stderr, "jiazheng serve: %s\n", db ? "unexpected argument" : "--db is required");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	/* A replica only makes sense beside a PostgreSQL primary. */
	if (db_read && (!jz_db_url_is_postgres(db_read) || !jz_db_url_is_postgres(db))) {
		fprintf(stderr, "jiazheng serve: --db-read needs postgres:// URLs for it and for --db\n");
		return JZ_EXIT_USAGE;
	}
	jz_server_config cfg = {.db_url = db, .db_read_url = db_read, .threads = (unsigned)threads};
	char **trusted = NULL;
	if (proxies && !(trusted = parse_proxies(proxies)))
		return JZ_EXIT_USAGE;
	cfg.trusted_proxies = trusted;
	char *host = NULL;
	if (!parse_listen(listen, &host, &cfg.port)) {
		fprintf(stderr, "jiazheng serve: --listen: '%s' is not HOST:PORT\n", listen);
		free_proxies(trusted);
		return JZ_EXIT_USAGE;
	}
	cfg.host = host;
	if (base_opt && strncmp(base_opt, "http://", 7) && strncmp(base_opt, "https://", 8)) {
		fprintf(stderr, "jiazheng serve: --base-url: '%s' does not start with http:// or https://\n", base_opt);
		free(host);
		free_proxies(trusted);
		return JZ_EXIT_USAGE;
	}
	jz_identity as;
	bool drop = false;
	if (!choose_identity(user, group, &as, &drop)) {
		free(host);
		free_proxies(trusted);
		return JZ_EXIT_USAGE;
	}
	char *base = base_opt ? jz_xstrdup(base_opt)
	                      : jz_xasprintf(strchr(host, ':') ? "http://[%s]:%u" : "http://%s:%u", host, cfg.port);
	for (size_t n = strlen(base); n > 0 && base[n - 1] == '/'; n--)
		base[n - 1] = '\0';
	cfg.base_url = base;
	if (!jz_crypto_init()) {
		fprintf(stderr, "jiazheng serve: libsodium failed to start\n");
		free(base);
		free(host);
		free_proxies(trusted);
		return JZ_EXIT_INVALID;
	}
	jz_keys *keys = jz_cli_keys("serve", db, keys_opt, false);
	if (!keys) {
		free(base);
		free(host);
		free_proxies(trusted);
		return JZ_EXIT_INVALID;
	}
	if (!jz_keys_card_secret(keys)) {
		fprintf(stderr, "jiazheng serve: the key file has no card-sign-key line, so cards cannot be"
		                " signed; create a new key file with `jiazheng init` (docs/keys.md)\n");
		jz_keys_free(keys);
		free(base);
		free(host);
		free_proxies(trusted);
		return JZ_EXIT_INVALID;
	}
	cfg.keys = keys;
	/* The port is bound and the key file read while still root; everything after runs as
	 * the --user account: the database, the recount's processes, the server's threads. */
	cfg.listen_fd = jz_server_listen(host, cfg.port);
	int rc = cfg.listen_fd == -2 ? JZ_EXIT_USAGE : JZ_EXIT_INVALID;
	if (cfg.listen_fd < 0)
		goto out;
	char why[200];
	if (drop && !jz_privileges_drop(&as, why, sizeof why)) {
		fprintf(stderr, "jiazheng serve: cannot become %s: %s\n", as.name, why);
		close(cfg.listen_fd);
		goto out;
	}
	if (!database_ready(db)) {
		close(cfg.listen_fd);
		goto out;
	}
	/* A replica that is down now is no reason not to serve: reads go to the primary until
	 * it answers. */
	if (db_read) {
		char *err = NULL;
		jz_db *conn = jz_db_open(db_read, &err);
		if (!conn) {
			fprintf(stderr, "jiazheng serve: --db-read: %s; reading the primary until it answers\n", err);
			free(err);
		}
		jz_db_close(conn);
	}
	/* dashboards (issue #6): the day's recount of readiness and expiries, in a process of
	 * its own now and every hour */
	jz_cli_stats_serve(db);
	rc = jz_server_run(&cfg);
out:
	jz_keys_free(keys);
	free(base);
	free(host);
	free_proxies(trusted);
	return rc;
}
