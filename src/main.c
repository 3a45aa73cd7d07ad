/* jiazheng: the command-line entry point. Dispatches to the subcommands in src/cli/. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command;

static const command commands[] = {
	{"init", jz_cmd_init, "create or upgrade a database (schema, regions)"},
	{"serve", jz_cmd_serve, "serve the web pages and the JSON API"},
	{"demo", jz_cmd_demo, "create a database filled with demo data"},
	{"validate", jz_cmd_validate, "check ID numbers or credit codes read from standard input"},
	{"company", jz_cmd_company, "add an approved company (operators)"},
	{"user", jz_cmd_user, "add an account of any role"},
	{"audit", jz_cmd_audit, "verify the hash chain of the audit log"},
	{"backup", jz_cmd_backup, "copy a database to a backup file"},
	{"keys", jz_cmd_keys, "rotate the data key and re-encrypt stored values"},
	{"import", jz_cmd_import, "bulk-import workers from a CSV file"},
	{"card", jz_cmd_card, "print the card URLs of workers (issuing missing cards)"},
	/* dashboards (issue #6) */
	{"stats", jz_cmd_stats, "recount the dashboards' region figures"},
	{"routes", jz_cmd_routes, "print the route table with each route's parameters"},
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: jiazheng COMMAND [OPTIONS]\n\n"
	             "Jiazheng 家政信用: household-service credit information platform.\n\n"
	             "commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'jiazheng COMMAND --help' for a command's options.\n"
	             "DB is a file path (SQLite) or a postgres:// URL (PostgreSQL).\n");
}

int
main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	/* Past a file size limit (RLIMIT_FSIZE) a write then fails with EFBIG, which the
	 * database reports like a full disk (the import stops cleanly, serve answers 503),
	 * instead of the process being killed. */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return JZ_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "jiazheng: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return JZ_EXIT_USAGE;
}
