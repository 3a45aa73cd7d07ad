/* `jiazheng company add`: records an already-approved company (status active), for
 * operators who admit companies outside the web application. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "services/companies.h"
#include "util/crypto.h"

static void
usage(FILE *out)
{
	fprintf(out, "usage: jiazheng company add --db DB --uscc USCC --name NAME --county CODE\n"
	             "                            [--legal-rep NAME] [--address ADDRESS]\n"
	             "                            [--phone PHONE] [--service-types a|b|...]\n\n"
	             "Adds an approved (active) company. USCC is its unified social credit code,\n"
	             "CODE its county's 6-digit GB/T 2260 code. Service types are codes such as\n"
	             "cleaning, nanny, maternity, elder_care, separated by '|'.\n");
}

/* The value the user gave for the field an error names, to repeat it back. */
static const char *
field_value(const jz_application *app, const char *types, const char *field)
{
	if (!strcmp(field, "uscc"))
		return app->uscc;
	if (!strcmp(field, "name"))
		return app->name;
	if (!strcmp(field, "county"))
		return app->county;
	if (!strcmp(field, "legal_rep"))
		return app->legal_rep;
	if (!strcmp(field, "address"))
		return app->address;
	if (!strcmp(field, "phone"))
		return app->phone;
	if (!strcmp(field, "service_types"))
		return types;
	return NULL;
}

int
jz_cmd_company(int argc, char **argv)
{
	static const struct option options[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"uscc", required_argument, NULL, 'u'},
	    {"name", required_argument, NULL, 'n'},
	    {"county", required_argument, NULL, 'c'},
	    {"legal-rep", required_argument, NULL, 'l'},
	    {"address", required_argument, NULL, 'a'},
	    {"phone", required_argument, NULL, 'p'},
	    {"service-types", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	if (jz_cli_wants_help(argc, argv)) {
		usage(stdout);
		return JZ_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		fprintf(stderr, "jiazheng company: expected 'add'\n");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	argc--, argv++;
	jz_application app = {0};
	const char *url = NULL;
	char types_buf[512] = "";
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			url = optarg;
			break;
		case 'u':
			app.uscc = optarg;
			break;
		case 'n':
			app.name = optarg;
			break;
		case 'c':
			app.county = optarg;
			break;
		case 'l':
			app.legal_rep = optarg;
			break;
		case 'a':
			app.address = optarg;
			break;
		case 'p':
			app.phone = optarg;
			break;
		case 's':
			snprintf(types_buf, sizeof types_buf, "%s", optarg);
			break;
		default:
			return jz_cli_bad_option("company add", argv, c, usage);
		}
	}
	const char *missing = !url          ? "--db"
	                      : !app.uscc   ? "--uscc"
	                      : !app.name   ? "--name"
	                      : !app.county ? "--county"
	                                    : NULL;
	if (missing || optind != argc) {
		if (missing)
			fprintf(stderr, "jiazheng company add: %s is required\n", missing);
		else
			fprintf(stderr, "jiazheng company add: unexpected argument '%s'\n",
			        argv[optind]);
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	char types_copy[512];
	memcpy(types_copy, types_buf, sizeof types_copy);
	for (char *save = NULL, *t = strtok_r(types_buf, "|,", &save); t;
	     t = strtok_r(NULL, "|,", &save)) {
		if (app.n_service_types == JZ_MAX_SERVICE_TYPES) {
			fprintf(stderr, "jiazheng: service_types: at most %d types\n",
			        JZ_MAX_SERVICE_TYPES);
			return JZ_EXIT_INVALID;
		}
		app.service_types[app.n_service_types++] = t;
	}
	if (!jz_crypto_init()) {
		fprintf(stderr, "jiazheng company add: libsodium failed to start\n");
		return JZ_EXIT_INVALID;
	}
	jz_db *db = jz_cli_open_db("company add", url);
	if (!db)
		return JZ_EXIT_INVALID;
	jz_ctx ctx = {.db = db, .actor = "cli", .now = (int64_t)time(NULL)};
	jz_company company = {0};
	jz_err err = {0};
	int rc = JZ_EXIT_OK;
	if (jz_svc_company_add(&ctx, &app, &company, &err)) {
		printf("company %s added (%s)\n", company.uscc, company.status);
		jz_company_clear(&company);
	} else {
		jz_cli_print_err(&err,
		                 err.field[0] ? field_value(&app, types_copy, err.field) : NULL);
		rc = JZ_EXIT_INVALID;
	}
	jz_db_close(db);
	return rc;
}
