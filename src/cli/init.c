/* `jiazheng init --db DB`: creates the database if needed and applies the migrations it
 * lacks. Running it again is harmless. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli/cli.h"
#include "services/cards.h"
#include "store/store.h"
#include "util/keys.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: jiazheng init --db DB [--keys FILE]\n\n"
	        "Creates the database DB (a SQLite file path or a postgres:// URL) if it does\n"
	        "not exist and brings its schema up to date. Safe to run again.\n"
	        "Creates the key file that seals ID numbers and phones and signs cards, mode 0600,\n"
	        "if it does not exist: FILE, or $JZ_KEYS, or DB.keys beside a SQLite file\n"
	        "(PostgreSQL needs --keys or JZ_KEYS). Back it up apart from the database.\n");
}

int
jz_cmd_init(int argc, char **argv)
{
	static const struct option options[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"keys", required_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *url = NULL, *keys_opt = NULL;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			url = optarg;
			break;
		case 'k':
			keys_opt = optarg;
			break;
		case 'h':
			usage(stdout);
			return JZ_EXIT_OK;
		default:
			return jz_cli_bad_option("init", argv, c, usage);
		}
	}
	if (!url || optind != argc) {
		fprintf(stderr, "jiazheng init: %s\n",
		        url ? "unexpected argument" : "--db DB is required");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	jz_keys *keys = jz_cli_keys("init", url, keys_opt, true);
	if (!keys)
		return JZ_EXIT_INVALID;
	char *err = NULL;
	jz_db *db = jz_db_open(url, &err);
	if (!db) {
		fprintf(stderr, "jiazheng init: cannot open database '%s': %s\n", url,
		        err ? err : "unknown error");
		free(err);
		jz_keys_free(keys);
		return JZ_EXIT_INVALID;
	}
	int applied = 0, version = 0;
	jz_db_status s = jz_store_migrate(db, &applied);
	if (s == JZ_DB_OK)
		s = jz_store_schema_version(db, &version);
	if (s != JZ_DB_OK) {
		jz_db_close(db);
		jz_keys_free(keys);
		fprintf(stderr, "jiazheng init: migrating '%s' failed (%d migration%s applied)\n",
		        url, applied, applied == 1 ? "" : "s");
		return JZ_EXIT_INVALID;
	}
	/* Cards issued before migration 007 get their check value (services/cards.h). */
	jz_ctx ctx = {.db = db, .actor = "cli", .now = (int64_t)time(NULL), .keys = keys};
	jz_err e;
	int64_t filled = 0;
	bool ok = jz_svc_card_fill_macs(&ctx, &filled, &e);
	jz_db_close(db);
	jz_keys_free(keys);
	if (!ok) {
		fprintf(stderr, "jiazheng init: storing the cards' check values failed: %s\n",
		        e.detail_en);
		return JZ_EXIT_INVALID;
	}
	printf("database ready: schema version %d (%d migration%s applied)\n", version, applied,
	       applied == 1 ? "" : "s");
	if (filled)
		printf("check values stored for %" PRId64 " card%s\n", filled, filled == 1 ? "" : "s");
	return JZ_EXIT_OK;
}
