/* `jiazheng card url`: prints the card URL of workers named by their ID numbers, for
 * operators who print cards in bulk. A worker with consent but no active card gets one
 * issued in the name of a current employer (audited, actor "cli"). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "services/cards.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/keys.h"
#include "util/xmalloc.h"

static void
usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: jiazheng card url --db DB [--keys FILE] [--base-url URL] [ID_NUMBER ...]\n\n"
	    "Prints the card URL (BASE/v/TOKEN) of each worker, one line each, in order. The\n"
	    "ID numbers come from the arguments, or one per line of standard input when none\n"
	    "are given. A worker with consent but no active card gets one, issued in the\n"
	    "name of a current employer (audited). Errors go to standard error as\n"
	    "'line N: reason' (the ID number is never echoed); exit 1 if any line failed.\n"
	    "  --db DB         SQLite file or postgres:// URL\n"
	    "  --keys FILE     the key file (default $JZ_KEYS, or DB.keys beside SQLite)\n"
	    "  --base-url URL  the site's public address (default http://127.0.0.1:8080)\n");
}

/* One ID number: prints its URL, or "line N: reason" on stderr. */
static bool
one(const jz_ctx *ctx, const char *base, const char *number, long line)
{
	jz_card c;
	jz_err err = {0};
	bool created;
	char token[JZ_CARD_TOKEN_MAX];
	if (!jz_svc_card_for_id_number(ctx, number, &c, &created, &err) ||
	    !jz_svc_card_token(ctx, &c, token, &err)) {
		const char *detail =
		    err.detail_en[0] ? err.detail_en : jz_err_message(err.code, true);
		fprintf(stderr, "jiazheng card: line %ld: %s\n", line, detail);
		jz_card_clear(&c);
		return false;
	}
	char *url = jz_svc_card_url(base, token);
	printf("%s\n", url);
	free(url);
	jz_card_clear(&c);
	return true;
}

static int
card_url(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"keys", required_argument, NULL, 'k'},
	    {"base-url", required_argument, NULL, 'b'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *db_url = NULL, *keys_opt = NULL, *base = "http://127.0.0.1:8080";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_url = optarg;
			break;
		case 'k':
			keys_opt = optarg;
			break;
		case 'b':
			base = optarg;
			break;
		case 'h':
			usage(stdout);
			return JZ_EXIT_OK;
		default:
			return jz_cli_bad_option("card url", argv, c, usage);
		}
	}
	if (!db_url) {
		fprintf(stderr, "jiazheng card url: --db is required\n");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	if (strncmp(base, "http://", 7) && strncmp(base, "https://", 8)) {
		fprintf(
		    stderr,
		    "jiazheng card url: --base-url: '%s' does not start with http:// or https://\n",
		    base);
		return JZ_EXIT_USAGE;
	}
	if (!jz_crypto_init()) {
		fprintf(stderr, "jiazheng card: libsodium failed to start\n");
		return JZ_EXIT_INVALID;
	}
	jz_db *db = jz_cli_open_db("card", db_url);
	if (!db)
		return JZ_EXIT_INVALID;
	jz_keys *keys = jz_cli_keys("card", db_url, keys_opt, false);
	if (!keys) {
		jz_db_close(db);
		return JZ_EXIT_INVALID;
	}
	jz_ctx ctx = {.db = db, .actor = "cli", .keys = keys};
	bool all = true;
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			ctx.now = (int64_t)time(NULL);
			all = one(&ctx, base, argv[i], (long)(i - optind + 1)) && all;
		}
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		long no = 0;
		while ((n = getline(&line, &cap, stdin)) >= 0) {
			no++;
			while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				line[--n] = '\0';
			ctx.now = (int64_t)time(NULL);
			all = one(&ctx, base, line, no) && all;
		}
		free(line);
	}
	jz_keys_free(keys);
	jz_db_close(db);
	if (fflush(stdout) == EOF) {
		perror("jiazheng card: writing standard output");
		return JZ_EXIT_INVALID;
	}
	return all ? JZ_EXIT_OK : JZ_EXIT_INVALID;
}

int
jz_cmd_card(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "url"))
		return card_url(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return JZ_EXIT_OK;
	}
	fprintf(stderr, "jiazheng card: expected 'url'\n");
	usage(stderr);
	return JZ_EXIT_USAGE;
}
