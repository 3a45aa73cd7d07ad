/* `jiazheng import workers`: bulk-imports a company's workers from a CSV file through the
 * import engine (services/import.h), reporting every rejected row on stderr and a summary
 * on stdout, with a progress line when stderr is a terminal. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/uscc.h"
#include "services/import.h"
#include "util/crypto.h"
#include "util/keys.h"
#include "util/xmalloc.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: jiazheng import workers --db DB --company USCC [--keys FILE] [--dry-run]\n"
	        "                               [--batch-rows N] FILE\n\n"
	        "Imports workers for the active company USCC from a CSV file (FILE, or '-' for\n"
	        "standard input) in UTF-8 (with or without BOM) or GB18030. The header row needs\n"
	        "name and id_number; optional columns are phone, service_types (a|b), consent_date\n"
	        "(YYYY-MM-DD) and, for KIND in health, work_permit, skill, insurance, training:\n"
	        "KIND_no, KIND_issuer, KIND_issued, KIND_expires. README.md, \"Bulk import\", has\n"
	        "the details.\n\n"
	        "  --keys FILE      the key file (default: $JZ_KEYS, else DB.keys for SQLite)\n"
	        "  --dry-run        validate every row, write nothing\n"
	        "  --batch-rows N   rows per transaction (default %d)\n\n"
	        "Rejected rows are listed on stderr as 'row N, column C: reason' (the header is\n"
	        "row 1). Exit status: 0 every row imported or already there, 1 some row rejected\n"
	        "or the file refused, 2 usage.\n",
	        JZ_IMPORT_BATCH_ROWS);
}

/* The whole of `path` ('-' = standard input) in memory; NULL with errno set on failure. */
static char *
read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = jz_xmalloc(cap);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = jz_xrealloc(buf, cap);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	bool failed = ferror(f);
	if (f != stdin)
		fclose(f);
	if (failed) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

typedef struct progress {
	bool tty;
	bool shown; /* a progress line is on the terminal */
	struct timespec start, last;
} progress;

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
clear_line(progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		p->shown = false;
	}
}

static void
on_progress(int64_t rows, int64_t bytes, int64_t total, void *arg)
{
	progress *p = arg;
	if (!p->tty)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->shown && seconds_between(&p->last, &now) < 0.2)
		return;
	p->last = now;
	double elapsed = seconds_between(&p->start, &now);
	double rate = elapsed > 0 ? (double)rows / elapsed : 0;
	fprintf(stderr, "\r\033[K%" PRId64 " rows, %.0f rows/s", rows, rate);
	if (bytes > 0 && total > bytes && elapsed > 0.5) {
		double left = elapsed * (double)(total - bytes) / (double)bytes;
		fprintf(stderr, ", about %.0f s left", left);
	}
	fflush(stderr);
	p->shown = true;
}

static void
on_reject(int64_t row, const char *column, const char *reason_zh, const char *reason_en,
          void *arg)
{
	(void)reason_zh;
	clear_line(arg);
	if (column)
		fprintf(stderr, "row %" PRId64 ", column %s: %s\n", row, column, reason_en);
	else
		fprintf(stderr, "row %" PRId64 ": %s\n", row, reason_en);
}

int
jz_cmd_import(int argc, char **argv)
{
	static const struct option options[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"company", required_argument, NULL, 'c'},
	    {"keys", required_argument, NULL, 'k'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {"batch-rows", required_argument, NULL, 'b'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	if (jz_cli_wants_help(argc, argv)) {
		usage(stdout);
		return JZ_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "workers") != 0) {
		fprintf(stderr, "jiazheng import: expected 'workers'\n");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	argc--, argv++;
	const char *url = NULL, *company_arg = NULL, *keys_arg = NULL;
	jz_import_options opt = {0};
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			url = optarg;
			break;
		case 'c':
			company_arg = optarg;
			break;
		case 'k':
			keys_arg = optarg;
			break;
		case 'n':
			opt.dry_run = true;
			break;
		case 'b': {
			char *end;
			long long n = strtoll(optarg, &end, 10);
			if (*end || n < 1 || n > 1000000) {
				fprintf(stderr, "jiazheng import workers: --batch-rows takes 1 to 1000000\n");
				return JZ_EXIT_USAGE;
			}
			opt.batch_rows = (size_t)n;
			break;
		}
		default:
			return jz_cli_bad_option("import workers", argv, c, usage);
		}
	}
	const char *missing = !url ? "--db" : !company_arg ? "--company" : NULL;
	if (missing || optind != argc - 1) {
		if (missing)
			fprintf(stderr, "jiazheng import workers: %s is required\n", missing);
		else if (optind == argc)
			fprintf(stderr, "jiazheng import workers: the CSV file is missing ('-' reads"
			                " standard input)\n");
		else
			fprintf(stderr, "jiazheng import workers: unexpected argument '%s'\n",
			        argv[optind + 1]);
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	const char *path = argv[optind];

	char uscc[19];
	jz_uscc_fault uf = jz_uscc_parse(company_arg, uscc);
	if (uf != JZ_USCC_OK) {
		fprintf(stderr, "jiazheng import workers: --company: %s\n", jz_uscc_reason(uf));
		return JZ_EXIT_INVALID;
	}
	if (!jz_crypto_init()) {
		fprintf(stderr, "jiazheng import workers: libsodium failed to start\n");
		return JZ_EXIT_INVALID;
	}

	int rc = JZ_EXIT_INVALID;
	char *data = NULL, *keys_path = NULL, *kerr = NULL;
	jz_keys *keys = NULL;
	jz_db *db = NULL;
	jz_company company = {0};
	size_t len = 0;

	keys_path = jz_keys_path_for(url, keys_arg);
	if (!keys_path) {
		fprintf(stderr, "jiazheng import workers: no key file for this database; give"
		                " --keys FILE or set JZ_KEYS\n");
		goto out;
	}
	keys = jz_keys_load(keys_path, &kerr);
	if (!keys) {
		fprintf(stderr, "jiazheng import workers: %s\n", kerr ? kerr : "cannot load the keys");
		goto out;
	}
	db = jz_cli_open_db("import workers", url);
	if (!db)
		goto out;
	jz_db_status s = jz_store_company_get_by_uscc(db, uscc, &company);
	if (s == JZ_DB_NOT_FOUND) {
		fprintf(stderr, "jiazheng import workers: no company has the credit code %s\n", uscc);
		goto out;
	}
	if (s != JZ_DB_OK) {
		fprintf(stderr, "jiazheng import workers: cannot read the company\n");
		goto out;
	}
	if (strcmp(company.status, "active") != 0) {
		fprintf(stderr, "jiazheng import workers: company %s is %s, not active\n", uscc,
		        company.status);
		goto out;
	}
	data = read_all(path, &len);
	if (!data) {
		perror(strcmp(path, "-") ? path : "standard input");
		goto out;
	}

	progress p = {.tty = isatty(STDERR_FILENO) == 1};
	clock_gettime(CLOCK_MONOTONIC, &p.start);
	opt.progress = on_progress;
	opt.progress_arg = &p;
	jz_ctx ctx = {.db = db, .actor = "cli", .now = (int64_t)time(NULL), .keys = keys};
	jz_import_result res;
	jz_err err;
	bool ok = jz_svc_import_workers(&ctx, company.id, data, len, &opt, on_reject, &p, &res, &err);
	clear_line(&p);
	if (!ok) {
		jz_cli_print_err(&err, NULL);
		if (res.rows > 0)
			fprintf(stderr, "jiazheng import workers: stopped after %" PRId64
			                " rows; the batches before were committed\n",
			        res.rows);
		goto out;
	}
	if (opt.dry_run)
		printf("dry run, nothing written: valid %" PRId64 ", rejected %" PRId64
		       " (of %" PRId64 " rows)\n",
		       res.imported, res.rejected, res.rows);
	else
		printf("imported %" PRId64 ", already there %" PRId64 ", rejected %" PRId64
		       " (of %" PRId64 " rows)\n",
		       res.imported, res.already_there, res.rejected, res.rows);
	rc = res.rejected ? JZ_EXIT_INVALID : JZ_EXIT_OK;
out:
	free(data);
	jz_company_clear(&company);
	if (db)
		jz_db_close(db);
	jz_keys_free(keys);
	free(kerr);
	free(keys_path);
	return rc;
}
