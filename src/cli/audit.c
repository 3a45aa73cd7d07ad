/* `jiazheng audit verify`: recomputes the audit log's hash chain and names the first
 * entry that was altered, removed or inserted. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "services/audit.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: jiazheng audit verify --db DB\n\n"
	        "Recomputes the hash chain of the audit log from its first entry to its head.\n"
	        "Exits 0 when the chain is intact, 1 when an entry was altered or removed.\n");
}

int
jz_cmd_audit(int argc, char **argv)
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
	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		fprintf(stderr, "jiazheng audit: expected 'verify'\n");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	argc--, argv++;
	const char *url = NULL;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		if (c != 'd')
			return jz_cli_bad_option("audit verify", argv, c, usage);
		url = optarg;
	}
	if (!url || optind != argc) {
		fprintf(stderr, "jiazheng audit verify: %s\n",
		        url ? "unexpected argument" : "--db DB is required");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	jz_db *db = jz_cli_open_db("audit verify", url);
	if (!db)
		return JZ_EXIT_INVALID;
	jz_audit_check check;
	int rc = JZ_EXIT_INVALID;
	if (!jz_svc_audit_verify(db, &check)) {
		fprintf(stderr, "jiazheng audit verify: cannot read the audit log\n");
	} else if (check.broken_id) {
		printf("audit log broken at entry %" PRId64 ": %s\n", check.broken_id,
		       check.problem);
	} else {
		printf("audit log intact: %" PRId64 " entr%s\n", check.entries,
		       check.entries == 1 ? "y" : "ies");
		rc = JZ_EXIT_OK;
	}
	jz_db_close(db);
	return rc;
}
