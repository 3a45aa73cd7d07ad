/* `jiazheng backup --db DB FILE`: a consistent copy of the database while it is in use.
 * SQLite goes through the online backup API; PostgreSQL through pg_dump (custom format,
 * restore with pg_restore). The copy is written to FILE.tmp and renamed, so FILE is
 * either complete or absent; an existing FILE is never overwritten. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"
#include "util/xmalloc.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: jiazheng backup --db DB FILE\n\n"
	        "Writes a consistent copy of DB to FILE while it is in use. For SQLite FILE is\n"
	        "a SQLite database; for PostgreSQL it is a pg_dump archive in custom format\n"
	        "(restore with pg_restore; pg_dump must be on PATH). FILE must not exist.\n");
}

/* Runs pg_dump without a shell; returns the exit status to report. */
static int
run_pg_dump(const char *url, const char *file)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("jiazheng backup: fork");
		return JZ_EXIT_INVALID;
	}
	if (pid == 0) {
		char *args[] = {"pg_dump",    "--format=custom", "--file",
		                (char *)file, (char *)url,       NULL};
		execvp("pg_dump", args);
		fprintf(stderr, "jiazheng backup: cannot run pg_dump: %s\n", strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("jiazheng backup: waitpid");
			return JZ_EXIT_INVALID;
		}
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) != 0)
			fprintf(stderr, "jiazheng backup: pg_dump exited with status %d\n",
			        WEXITSTATUS(status));
		return WEXITSTATUS(status);
	}
	fprintf(stderr, "jiazheng backup: pg_dump killed by signal %d\n", WTERMSIG(status));
	return 128 + WTERMSIG(status);
}

int
jz_cmd_backup(int argc, char **argv)
{
	static const struct option options[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	if (jz_cli_wants_help(argc, argv)) {
		usage(stdout);
		return JZ_EXIT_OK;
	}
	const char *url = NULL;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		if (c != 'd')
			return jz_cli_bad_option("backup", argv, c, usage);
		url = optarg;
	}
	if (!url || argc - optind != 1) {
		fprintf(stderr, "jiazheng backup: %s\n",
		        !url ? "--db DB is required" : "expected exactly one FILE");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	const char *file = argv[optind];
	struct stat st;
	if (lstat(file, &st) == 0) {
		fprintf(stderr, "jiazheng backup: '%s' already exists; choose a new file name\n",
		        file);
		return JZ_EXIT_INVALID;
	}
	bool postgres = jz_db_url_is_postgres(url);
	if (!postgres && access(url, F_OK) != 0) {
		fprintf(stderr, "jiazheng backup: database '%s' does not exist\n", url);
		return JZ_EXIT_INVALID;
	}
	char *tmp = jz_xasprintf("%s.tmp", file);
	unlink(tmp); /* left over by an interrupted backup */
	int rc = JZ_EXIT_OK;
	if (postgres) {
		rc = run_pg_dump(url, tmp);
	} else {
		char *err = NULL;
		if (jz_store_backup_sqlite(url, tmp, &err) != JZ_DB_OK) {
			fprintf(stderr, "jiazheng backup: %s\n", err ? err : "backup failed");
			rc = JZ_EXIT_INVALID;
		}
		free(err);
	}
	if (rc == JZ_EXIT_OK && rename(tmp, file) != 0) {
		fprintf(stderr, "jiazheng backup: cannot rename '%s' to '%s': %s\n", tmp, file,
		        strerror(errno));
		rc = JZ_EXIT_INVALID;
	}
	if (rc != JZ_EXIT_OK)
		unlink(tmp);
	else
		printf("backup written to %s\n", file);
	free(tmp);
	return rc;
}
