/* `jiazheng stats rebuild`: recounts the dashboards' region figures from the data (the
 * triggers of migration 009 keep them current between recounts; readiness and expiries
 * change with the calendar and are recounted here, and by `serve` once a day). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "services/dashboard.h"
#include "util/xmalloc.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: jiazheng stats rebuild --db DB [--months]\n\n"
	        "Recounts every region figure of the dashboards from scratch: companies by status,\n"
	        "the worker funnel (duty readiness as of today), reviews, records, appeals, and the\n"
	        "month rows of the last 12 months (with --months 2: this month and the last only).\n");
}

int
jz_cmd_stats(int argc, char **argv)
{
	static const struct option options[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"months", required_argument, NULL, 'm'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	if (jz_cli_wants_help(argc, argv)) {
		usage(stdout);
		return JZ_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "rebuild") != 0) {
		fprintf(stderr, "jiazheng stats: expected 'rebuild'\n");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	argc--, argv++;
	const char *url = NULL, *months = "12";
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		if (c == 'd')
			url = optarg;
		else if (c == 'm')
			months = optarg;
		else
			return jz_cli_bad_option("stats rebuild", argv, c, usage);
	}
	if (!url || optind != argc || (strcmp(months, "12") && strcmp(months, "2"))) {
		fprintf(stderr, "jiazheng stats rebuild: %s\n",
		        !url ? "--db DB is required" : optind != argc ? "unexpected argument" : "--months is 12 or 2");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	jz_db *db = jz_cli_open_db("stats rebuild", url);
	if (!db)
		return JZ_EXIT_INVALID;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	jz_ctx ctx = {.db = db, .actor = "cli", .now = (int64_t)time(NULL)};
	jz_err err = {0};
	int rc = JZ_EXIT_OK;
	if (!jz_svc_stats_rebuild(&ctx, !strcmp(months, "12"), &err)) {
		jz_cli_print_err(&err, NULL);
		rc = JZ_EXIT_INVALID;
	} else {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("region figures recounted in %.2f s\n",
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	jz_db_close(db);
	return rc;
}

/* ---- the daily recount while serving ---- */

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/db.h"
#include "util/log.h"

/* Runs the short recount when none ran today; logs, never fails the caller. */
static void
refresh(jz_db *db)
{
	jz_ctx ctx = {.db = db, .actor = "serve", .now = (int64_t)time(NULL)};
	jz_err err = {0};
	bool ran = false;
	if (!jz_svc_stats_refresh(&ctx, &ran, &err))
		jz_log_error("stats: the daily recount of the region figures failed");
}

static void *
refresher(void *arg)
{
	char *url = arg;
	for (;;) {
		sleep(3600);
		char *err = NULL;
		jz_db *db = jz_db_open(url, &err);
		if (db)
			refresh(db);
		free(err);
		jz_db_close(db);
	}
	return NULL;
}

void
jz_cli_stats_serve(const char *url, void *conn)
{
	refresh(conn);
	/* The thread never takes the stop signals: the main thread waits for them. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pthread_t t;
	if (pthread_create(&t, NULL, refresher, jz_xstrdup(url)) == 0)
		pthread_detach(t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}
