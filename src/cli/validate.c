/* `jiazheng validate id|uscc`: checks one ID number or credit code per line of standard
 * input and prints VALID or INVALID <reason> for each, for scripts and bulk checks. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/idcard.h"
#include "core/uscc.h"

static void
usage(FILE *out)
{
	fprintf(out, "usage: jiazheng validate id|uscc\n\n"
	             "Reads one resident ID number (id) or unified social credit code (uscc) per\n"
	             "line of standard input and prints one line for each: VALID, or INVALID and\n"
	             "the reason. Exits 0 when every line is valid, 1 otherwise.\n");
}

/* True when the line holds nothing but ASCII white space and U+3000, which the parsers
 * trim away; such a line is reported as empty rather than as a wrong length. */
static bool
blank(const char *s)
{
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\v' || *s == '\f' || *s == '\r')
			s++;
		else if (!strncmp(s, "\xE3\x80\x80", 3))
			s += 3;
		else
			return false;
	}
	return true;
}

static const char *
check(bool uscc, const char *line, int today)
{
	if (uscc) {
		jz_uscc_fault f = jz_uscc_parse(line, NULL);
		return f == JZ_USCC_OK ? NULL : jz_uscc_reason(f);
	}
	jz_id_fault f = jz_idcard_parse(line, today, NULL);
	return f == JZ_ID_OK ? NULL : jz_idcard_reason(f);
}

int
jz_cmd_validate(int argc, char **argv)
{
	if (jz_cli_wants_help(argc, argv)) {
		usage(stdout);
		return JZ_EXIT_OK;
	}
	if (argc != 2 || (strcmp(argv[1], "id") && strcmp(argv[1], "uscc"))) {
		fprintf(stderr, "jiazheng validate: expected exactly one of 'id' or 'uscc'\n");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	bool uscc = !strcmp(argv[1], "uscc");
	int today = jz_today();
	bool all_valid = true;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	/* Output goes to files and pipes in bulk; a big buffer keeps a million lines fast. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		size_t len = (size_t)n;
		const char *reason;

		if (len > 0 && line[len - 1] == '\n') {
			line[--len] = '\0';
			if (len > 0 && line[len - 1] == '\r')
				line[--len] = '\0';
		}
		/* The parsers see a C string; a NUL inside the line would hide what follows. */
		if (memchr(line, '\0', len))
			reason = "characters: NUL byte in the line";
		else if (blank(line))
			reason = "length: empty";
		else
			reason = check(uscc, line, today);
		if (reason) {
			all_valid = false;
			fputs("INVALID ", stdout);
			fputs(reason, stdout);
			fputc('\n', stdout);
		} else {
			fputs("VALID\n", stdout);
		}
	}
	free(line);
	if (ferror(stdin)) {
		perror("jiazheng validate: reading standard input");
		return JZ_EXIT_INVALID;
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("jiazheng validate: writing standard output");
		return JZ_EXIT_INVALID;
	}
	return all_valid ? JZ_EXIT_OK : JZ_EXIT_INVALID;
}
