/* Helpers shared by the subcommands: help detection, opening a database that is ready
 * for use, and printing service errors. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "services/errors.h"
#include "store/store.h"
#include "util/keys.h"

int
jz_cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return 0;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	}
	return 0;
}

int
jz_cli_bad_option(const char *cmd, char **argv, int c, void (*usage)(FILE *out))
{
	const char *arg = argv[optind - 1];
	if (c == ':')
		fprintf(stderr, "jiazheng %s: option '%s' needs a value\n", cmd, arg);
	else if (optopt)
		fprintf(stderr, "jiazheng %s: unknown option '-%c'\n", cmd, optopt);
	else
		fprintf(stderr, "jiazheng %s: unknown option '%s'\n", cmd, arg);
	usage(stderr);
	return JZ_EXIT_USAGE;
}

jz_db *
jz_cli_open_db(const char *cmd, const char *url)
{
	/* Opening a SQLite path creates the file; a mistyped path should not leave one. */
	if (!jz_db_url_is_postgres(url) && access(url, F_OK) != 0) {
		fprintf(stderr,
		        "jiazheng %s: database '%s' does not exist; run `jiazheng init --db %s`"
		        " first\n",
		        cmd, url, url);
		return NULL;
	}
	char *err = NULL;
	jz_db *db = jz_db_open(url, &err);
	if (!db) {
		fprintf(stderr, "jiazheng %s: cannot open database '%s': %s\n", cmd, url,
		        err ? err : "unknown error");
		free(err);
		return NULL;
	}
	int version, missing = 0;
	if (jz_store_schema_version(db, &version) != JZ_DB_OK ||
	    jz_store_migrations_missing(db, &missing) != JZ_DB_OK) {
		fprintf(stderr, "jiazheng %s: cannot read the schema version of '%s'\n", cmd, url);
		jz_db_close(db);
		return NULL;
	}
	int latest = jz_store_latest_version(db);
	if (version != latest || missing) {
		if (version <= latest)
			fprintf(stderr,
			        "jiazheng %s: database '%s' has schema version %d and lacks %d of this"
			        " program's migrations (up to %d); run `jiazheng init --db %s` first\n",
			        cmd, url, version, missing, latest, url);
		else
			fprintf(stderr,
			        "jiazheng %s: database '%s' has schema version %d, newer than this"
			        " program's %d; use a newer jiazheng\n",
			        cmd, url, version, latest);
		jz_db_close(db);
		return NULL;
	}
	return db;
}

void
jz_cli_print_err(const jz_err *err, const char *value)
{
	const char *detail = err->detail_en[0] ? err->detail_en : jz_err_message(err->code, true);
	size_t flen = strlen(err->field);
	fputs("jiazheng: ", stderr);
	if (flen) {
		fprintf(stderr, "%s: ", err->field);
		/* Some details already start with the field's name. */
		if (!strncmp(detail, err->field, flen) && !strncmp(detail + flen, ": ", 2))
			detail += flen + 2;
	}
	fputs(detail, stderr);
	if (value && !strstr(detail, value))
		fprintf(stderr, " (given: '%s')", value);
	fputc('\n', stderr);
}

jz_keys *
jz_cli_keys(const char *cmd, const char *url, const char *keys_opt, bool create)
{
	char *path = jz_keys_path_for(url, keys_opt);
	if (!path) {
		fprintf(stderr, "jiazheng %s: a PostgreSQL database needs the key file: give --keys FILE"
		                " or set JZ_KEYS (docs/keys.md)\n", cmd);
		return NULL;
	}
	char *err = NULL;
	jz_keys *k = NULL;
	if (create && access(path, F_OK) != 0) {
		k = jz_keys_create(path, &err);
		if (k)
			fprintf(stderr, "jiazheng %s: key file %s created (mode 0600); back it up apart from"
			                " the database (docs/keys.md)\n", cmd, path);
	} else {
		k = jz_keys_load(path, &err);
	}
	if (!k) {
		fprintf(stderr, "jiazheng %s: %s\n", cmd, err ? err : "cannot read the key file");
		if (!create && access(path, F_OK) != 0)
			fprintf(stderr, "jiazheng %s: run `jiazheng init --db %s%s%s` to create it\n", cmd, url,
			        keys_opt ? " --keys " : "", keys_opt ? keys_opt : "");
	}
	free(err);
	free(path);
	return k;
}
