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

/* True when argv holds -h or --help before any "--". */
int jz_cli_wants_help(int argc, char **argv);

#endif
