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
	        "usage: jiazheng stats rebuild --db DB [--months 12|2]\n"
	        "       jiazheng stats refresh --db DB\n\n"
	        "rebuild  recounts every region figure of the dashboards from scratch: companies by\n"
	        "         status, the worker funnel (duty readiness as of today), reviews, records,\n"
	        "         appeals, and the month rows of the last 12 months (with --months 2: this\n"
	        "         month and the last only).\n"
	        "refresh  the daily recount, only when none ran today (what `serve` starts, in a\n"
	        "         process of its own, at start and every hour).\n");
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
	if (argc < 2 || (strcmp(argv[1], "rebuild") != 0 && strcmp(argv[1], "refresh") != 0)) {
		fprintf(stderr, "jiazheng stats: expected 'rebuild' or 'refresh'\n");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	bool refresh_only = !strcmp(argv[1], "refresh");
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
	bool ran = true;
	bool ok = refresh_only ? jz_svc_stats_refresh(&ctx, &ran, &err)
	                       : jz_svc_stats_rebuild(&ctx, !strcmp(months, "12"), &err);
	if (!ok) {
		jz_cli_print_err(&err, NULL);
		rc = JZ_EXIT_INVALID;
	} else if (!ran) {
		printf("region figures already recounted today\n");
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
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/log.h"

extern char **environ;

/* Runs `jiazheng stats refresh` in a process of its own and waits for it: the recount reads
 * every worker with a large page cache, which must not count against the server's memory. */
static void
refresh(const char *url)
{
	char *argv[] = {(char *)"jiazheng", (char *)"stats", (char *)"refresh", (char *)"--db", (char *)url, NULL};
	pid_t pid;
	int status = 0;
	if (posix_spawn(&pid, "/proc/self/exe", NULL, NULL, argv, environ) != 0) {
		jz_log_error("stats: cannot start the daily recount");
		return;
	}
	while (waitpid(pid, &status, 0) < 0)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		jz_log_error("stats: the daily recount of the region figures failed");
}

static void *
refresher(void *arg)
{
	char *url = arg;
	for (bool first = true;; first = false) {
		if (!first)
			sleep(3600);
		refresh(url);
	}
	return NULL;
}

void
jz_cli_stats_serve(const char *url)
{
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
