/* `jiazheng keys`: rotating the data key (a new key encrypts from then on) and
 * re-encrypting stored values under the newest key (docs/keys.md). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"
#include "util/keys.h"
#include "util/seal.h"

enum { BATCH = 1000 };

static void
usage(FILE *out)
{
	fprintf(out, "usage: jiazheng keys rotate --db DB [--keys FILE] [--no-reseal]\n"
	             "       jiazheng keys reseal --db DB [--keys FILE]\n\n"
	             "rotate  adds a new data key to the key file (the newest key encrypts), then\n"
	             "        re-encrypts every stored ID number and phone under it, in batches.\n"
	             "        With several server nodes, rotate with --no-reseal, copy the key file\n"
	             "        to every node, restart them, then run `keys reseal`.\n"
	             "reseal  re-encrypts values sealed under older data keys.\n"
	             "The key file is --keys FILE, or $JZ_KEYS, or DB.keys beside a SQLite file.\n");
}

typedef struct batch {
	const jz_keys *keys;
	int current;
	int64_t last_id, resealed, failed;
	jz_db *db;
	jz_db_status status;
} batch;

/* Re-seals one worker's values when they are not under the current key. */
static bool
reseal_one(int64_t id, const char *id_sealed, const char *phone_sealed, void *arg)
{
	batch *b = arg;
	b->last_id = id;
	bool id_old = jz_sealed_version(id_sealed) != b->current;
	bool phone_old = phone_sealed && jz_sealed_version(phone_sealed) != b->current;
	if (!id_old && !phone_old)
		return true;
	char *id_clear = jz_unseal(b->keys, id_sealed, "worker.id_number");
	char *phone_clear = phone_sealed ? jz_unseal(b->keys, phone_sealed, "worker.phone") : NULL;
	if (!id_clear || (phone_sealed && !phone_clear)) {
		fprintf(stderr, "jiazheng keys: worker %" PRId64 ": a value does not open with this key file\n", id);
		b->failed++;
	} else {
		char *id_new = jz_seal(b->keys, id_clear, "worker.id_number");
		char *phone_new = phone_clear ? jz_seal(b->keys, phone_clear, "worker.phone") : NULL;
		b->status = jz_store_worker_reseal(b->db, id, id_new, phone_new);
		free(id_new);
		free(phone_new);
		b->resealed += b->status == JZ_DB_OK;
	}
	free(id_clear);
	free(phone_clear);
	return b->status == JZ_DB_OK;
}

static int
reseal(const char *url, const jz_keys *keys)
{
	jz_db *db = jz_cli_open_db("keys", url);
	if (!db)
		return JZ_EXIT_INVALID;
	batch b = {keys, jz_keys_current_version(keys), 0, 0, 0, db, JZ_DB_OK};
	for (;;) {
		int64_t before = b.last_id;
		if (jz_db_begin(db) != JZ_DB_OK)
			break;
		jz_db_status s = jz_store_worker_sealed_after(db, before, BATCH, reseal_one, &b);
		if (s != JZ_DB_OK || b.status != JZ_DB_OK || jz_db_commit(db) != JZ_DB_OK) {
			jz_db_rollback(db);
			b.status = JZ_DB_ERROR;
			break;
		}
		if (b.last_id == before)
			break;
	}
	jz_db_close(db);
	if (b.status != JZ_DB_OK) {
		fprintf(stderr, "jiazheng keys: re-encryption stopped by a database error after %" PRId64
		                " workers; run `jiazheng keys reseal` again\n", b.resealed);
		return JZ_EXIT_INVALID;
	}
	printf("re-encrypted %" PRId64 " workers under data key %d", b.resealed, b.current);
	if (b.failed)
		printf("; %" PRId64 " could not be opened (see above)", b.failed);
	printf("\n");
	return b.failed ? JZ_EXIT_INVALID : JZ_EXIT_OK;
}

int
jz_cmd_keys(int argc, char **argv)
{
	static const struct option options[] = {
	    {"db", required_argument, NULL, 'd'},     {"keys", required_argument, NULL, 'k'},
	    {"no-reseal", no_argument, NULL, 'n'},    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	if (jz_cli_wants_help(argc, argv)) {
		usage(stdout);
		return JZ_EXIT_OK;
	}
	const char *url = NULL, *keys_opt = NULL;
	bool no_reseal = false;
	int c;
	opterr = 0;
	optind = 2; /* after "keys ACTION" */
	if (argc < 2 || (strcmp(argv[1], "rotate") != 0 && strcmp(argv[1], "reseal") != 0)) {
		fprintf(stderr, "jiazheng keys: expected 'rotate' or 'reseal'\n");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'd': url = optarg; break;
		case 'k': keys_opt = optarg; break;
		case 'n': no_reseal = true; break;
		default: return jz_cli_bad_option("keys", argv, c, usage);
		}
	}
	if (!url || optind != argc) {
		fprintf(stderr, "jiazheng keys: %s\n", url ? "unexpected argument" : "--db DB is required");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "rotate")) {
		char *path = jz_keys_path_for(url, keys_opt), *err = NULL;
		int version;
		if (!path) {
			fprintf(stderr, "jiazheng keys: give --keys FILE or set JZ_KEYS\n");
			return JZ_EXIT_USAGE;
		}
		bool ok = jz_keys_rotate(path, &version, &err);
		if (!ok)
			fprintf(stderr, "jiazheng keys: %s\n", err ? err : "rotation failed");
		else
			printf("data key %d added to %s; back the file up again (docs/keys.md)\n", version, path);
		free(err);
		free(path);
		if (!ok)
			return JZ_EXIT_INVALID;
		if (no_reseal)
			return JZ_EXIT_OK;
	}
	jz_keys *keys = jz_cli_keys("keys", url, keys_opt, false);
	if (!keys)
		return JZ_EXIT_INVALID;
	int rc = reseal(url, keys);
	jz_keys_free(keys);
	return rc;
}
