/* `jiazheng user add`: creates an account of any role, printing a generated password
 * once or taking one from standard input. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli/cli.h"
#include "services/accounts.h"
#include "util/crypto.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: jiazheng user add --db DB --username NAME --role ROLE [--region CODE]\n"
	        "                         [--company USCC] [--name DISPLAY] [--password-stdin]\n\n"
	        "Adds an account. ROLE is admin, regulator, association, company_admin or\n"
	        "company_staff; regulators and associations need --region (a GB/T 2260 code\n"
	        "whose subtree they cover), company roles --company (an active company's\n"
	        "credit code). Without --password-stdin a password is generated and printed\n"
	        "once; with it, the first line of standard input is the password.\n");
}

static const char *
field_value(const jz_new_user *nu, const char *field)
{
	if (!strcmp(field, "username"))
		return nu->username;
	if (!strcmp(field, "role"))
		return nu->role;
	if (!strcmp(field, "region"))
		return nu->region;
	if (!strcmp(field, "company"))
		return nu->company_uscc;
	return NULL;
}

/* Reads the first line of stdin without its line end; NULL when there is none. */
static char *
read_password(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	size_t len = (size_t)n;
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	return line;
}

int
jz_cmd_user(int argc, char **argv)
{
	static const struct option options[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"username", required_argument, NULL, 'u'},
	    {"role", required_argument, NULL, 'r'},
	    {"region", required_argument, NULL, 'g'},
	    {"company", required_argument, NULL, 'c'},
	    {"name", required_argument, NULL, 'n'},
	    {"password-stdin", no_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	if (jz_cli_wants_help(argc, argv)) {
		usage(stdout);
		return JZ_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		fprintf(stderr, "jiazheng user: expected 'add'\n");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	argc--, argv++;
	jz_new_user nu = {0};
	const char *url = NULL;
	bool from_stdin = false;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			url = optarg;
			break;
		case 'u':
			nu.username = optarg;
			break;
		case 'r':
			nu.role = optarg;
			break;
		case 'g':
			nu.region = optarg;
			break;
		case 'c':
			nu.company_uscc = optarg;
			break;
		case 'n':
			nu.display_name = optarg;
			break;
		case 'P':
			from_stdin = true;
			break;
		default:
			return jz_cli_bad_option("user add", argv, c, usage);
		}
	}
	const char *missing = !url           ? "--db"
	                      : !nu.username ? "--username"
	                      : !nu.role     ? "--role"
	                                     : NULL;
	if (missing || optind != argc) {
		if (missing)
			fprintf(stderr, "jiazheng user add: %s is required\n", missing);
		else
			fprintf(stderr, "jiazheng user add: unexpected argument '%s'\n",
			        argv[optind]);
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	if (!jz_crypto_init()) {
		fprintf(stderr, "jiazheng user add: libsodium failed to start\n");
		return JZ_EXIT_INVALID;
	}
	char *password = NULL;
	if (from_stdin) {
		password = read_password();
		if (!password) {
			fprintf(stderr, "jiazheng: password: no line on standard input\n");
			return JZ_EXIT_INVALID;
		}
		nu.password = password;
	}
	int rc = JZ_EXIT_INVALID;
	jz_db *db = jz_cli_open_db("user add", url);
	if (!db)
		goto out;
	jz_ctx ctx = {.db = db, .actor = "cli", .now = (int64_t)time(NULL)};
	jz_user user = {0};
	jz_err err = {0};
	char generated[32];
	if (jz_svc_user_add(&ctx, &nu, &user, generated, &err)) {
		if (from_stdin)
			printf("user %s added (role %s)\n", user.username, user.role);
		else
			printf("user %s added (role %s); password: %s\n", user.username, user.role,
			       generated);
		sodium_memzero(generated, sizeof generated);
		jz_user_clear(&user);
		rc = JZ_EXIT_OK;
	} else {
		/* Never echo a password back. */
		jz_cli_print_err(&err, err.field[0] ? field_value(&nu, err.field) : NULL);
	}
	jz_db_close(db);
out:
	if (password) {
		sodium_memzero(password, strlen(password));
		free(password);
	}
	return rc;
}
