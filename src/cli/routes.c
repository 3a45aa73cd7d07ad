/* `jiazheng routes`: prints the route table (src/handlers/routes.c) with each route's
 * declared parameters, one route a line, for tools that must cover every route — the
 * SQL injection scan (scripts/security-scan.sh) builds its targets from it. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "http/routes.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: jiazheng routes\n\n"
	        "Prints every route the server answers, one a line, fields separated by tabs:\n"
	        "method, kind (page or api), path ('*' stands for one path segment), body\n"
	        "(form, upload for multipart/form-data, or json; '-' for GET), and the declared\n"
	        "parameters as NAME:MAX separated by commas (MAX is the longest value in bytes,\n"
	        "0 for a JSON member that is not a string; '-' when there are none).\n");
}

static const char *
body_kind(const jz_route *r)
{
	if (!strcmp(r->method, "GET"))
		return "-";
	if (r->kind == JZ_ROUTE_API)
		return "json";
	return r->upload ? "upload" : "form";
}

static void
print_route(const jz_route *r)
{
	printf("%s\t%s\t%s\t%s\t", r->method, r->kind == JZ_ROUTE_API ? "api" : "page", r->pattern,
	       body_kind(r));
	if (!r->params || !r->params[0].name) {
		fputs("-\n", stdout);
		return;
	}
	for (const jz_param *p = r->params; p->name; p++)
		printf("%s%s:%zu", p == r->params ? "" : ",", p->name, p->max_len);
	putchar('\n');
}

int
jz_cmd_routes(int argc, char **argv)
{
	if (jz_cli_wants_help(argc, argv)) {
		usage(stdout);
		return JZ_EXIT_OK;
	}
	if (argc != 1) {
		fprintf(stderr, "jiazheng routes: takes no arguments\n");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	for (size_t i = 0; i < jz_routes_count; i++)
		print_route(&jz_routes[i]);
	return fflush(stdout) == 0 ? JZ_EXIT_OK : JZ_EXIT_INVALID;
}
