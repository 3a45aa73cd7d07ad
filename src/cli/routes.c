/* `jiazheng routes`: prints the route table the server answers (method, path pattern,
 * kind), one route a line, for operators writing proxy rules and for the authorization
 * test, which refuses to pass while a route is missing from its matrix. */
#include <stdio.h>

#include "cli/cli.h"
#include "http/routes.h"

static void
usage(FILE *out)
{
	fprintf(out, "usage: jiazheng routes\n\n"
	             "Prints every route of the server, one a line: METHOD PATTERN KIND, where\n"
	             "'*' in PATTERN stands for one path segment and KIND is 'page' (HTML, forms\n"
	             "with a CSRF token) or 'api' (JSON), followed by 'upload' for pages that\n"
	             "also take multipart/form-data with a file. Needs no database.\n");
}

int
jz_cmd_routes(int argc, char **argv)
{
	if (jz_cli_wants_help(argc, argv)) {
		usage(stdout);
		return JZ_EXIT_OK;
	}
	if (argc > 1) {
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	for (size_t i = 0; i < jz_routes_count; i++)
		printf("%s %s %s%s\n", jz_routes[i].method, jz_routes[i].pattern,
		       jz_routes[i].kind == JZ_ROUTE_API ? "api" : "page",
		       jz_routes[i].upload ? " upload" : "");
	return JZ_EXIT_OK;
}
