/* Subcommands of `jiazheng`. Each takes the arguments after its own name (argv[0] is the
 * subcommand) and returns the process exit status: 0 success, 1 invalid input, 2 usage. */
#ifndef JZ_CLI_CLI_H
#define JZ_CLI_CLI_H

enum { JZ_EXIT_OK = 0, JZ_EXIT_INVALID = 1, JZ_EXIT_USAGE = 2 };

int jz_cmd_init(int argc, char **argv);
int jz_cmd_serve(int argc, char **argv);
int jz_cmd_demo(int argc, char **argv);
int jz_cmd_validate(int argc, char **argv);
int jz_cmd_company(int argc, char **argv);
int jz_cmd_user(int argc, char **argv);
int jz_cmd_audit(int argc, char **argv);
int jz_cmd_backup(int argc, char **argv);
int jz_cmd_keys(int argc, char **argv);
int jz_cmd_import(int argc, char **argv);
int jz_cmd_card(int argc, char **argv);
/* dashboards (issue #6) */
int jz_cmd_stats(int argc, char **argv);
/* the route table, for the security scan (issue #7) */
int jz_cmd_routes(int argc, char **argv);
/* serve: starts `jiazheng stats refresh --db url` (the recount when none ran today) in a
 * process of its own, now and every hour, from a thread of its own. */
void jz_cli_stats_serve(const char *url);

/* True when argv holds -h or --help before any "--". */
int jz_cli_wants_help(int argc, char **argv);

#include <stdbool.h>
#include <stdio.h>

/* Reports the getopt_long result `c` ('?' unknown option, ':' missing value) of
 * subcommand `cmd` on stderr followed by its usage; returns JZ_EXIT_USAGE. Needs an
 * optstring starting with ':'. */
int jz_cli_bad_option(const char *cmd, char **argv, int c, void (*usage)(FILE *out));

struct jz_db;
struct jz_err;

/* Opens the database `url` for subcommand `cmd` and checks that its schema is the one this
 * binary carries. On failure prints why on stderr (naming `jiazheng init --db URL` when
 * the schema is missing or old) and returns NULL. Close with jz_db_close. */
struct jz_db *jz_cli_open_db(const char *cmd, const char *url);
/* Prints a service error as "jiazheng: <field>: <detail>" on stderr; `value`, when not
 * NULL and not already quoted in the detail, is appended so the user sees what was wrong. */
void jz_cli_print_err(const struct jz_err *err, const char *value);

struct jz_keys;
/* The key file for database `url` (--keys, JZ_KEYS, or "<db>.keys" beside a SQLite file):
 * loaded, or created when `create` and it does not exist yet. On failure prints why and
 * returns NULL. Free with jz_keys_free. */
struct jz_keys *jz_cli_keys(const char *cmd, const char *url, const char *keys_opt, bool create);

#endif
