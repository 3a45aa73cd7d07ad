/* The route table (defined in src/handlers/routes.c) and its matching. */
#ifndef JZ_HTTP_ROUTES_H
#define JZ_HTTP_ROUTES_H

#include "http/request.h"

extern const jz_route jz_routes[];
extern const size_t jz_routes_count;

typedef enum { JZ_MATCH_NONE, JZ_MATCH_METHOD, JZ_MATCH_OK } jz_match;

/* Finds the route for method and path; on JZ_MATCH_OK sets *route and fills args with
 * the '*' segments (caller frees them). JZ_MATCH_METHOD: the path exists, not the method;
 * *route is then a route of that path, for the kind of reply (never call its handler). */
jz_match jz_routes_find(const char *method, const char *path, const jz_route **route,
                        char *args[JZ_MAX_PATH_ARGS]);

#endif
