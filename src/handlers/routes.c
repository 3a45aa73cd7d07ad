/* The route table: every path the server answers, its handler and the parameters it
 * accepts (anything else never reaches the handler). */
#include "handlers/handlers.h"
#include "http/routes.h"

static const jz_param apply_params[] = {
	{"uscc", 64},          {"name", 400},        {"legal_rep", 200},
	{"address", 800},      {"county", 16},       {"phone", 40},
	{"service_types", 64}, {"commitment_by", 200}, {"commitment_accepted", 8},
	{"province", 16},      {NULL, 0},
};
static const jz_param api_apply_params[] = {
	{"uscc", 64},          {"name", 400},          {"legal_rep", 200},
	{"address", 800},      {"county", 16},         {"phone", 40},
	{"service_types", 0},  {"commitment_by", 200}, {"commitment_accepted", 0},
	{NULL, 0},
};
static const jz_param status_params[] = {{"uscc", 64}, {"query_code", 64}, {NULL, 0}};
static const jz_param login_params[] = {{"username", 200}, {"password", 300}, {NULL, 0}};
static const jz_param reject_params[] = {{"reason", 2000}, {NULL, 0}};
static const jz_param page_params[] = {{"page", 8}, {NULL, 0}};
static const jz_param search_params[] = {{"q", 200}, {"county", 16}, {"page", 8}, {NULL, 0}};
static const jz_param api_list_params[] = {{"limit", 8}, {"offset", 12}, {NULL, 0}};
static const jz_param api_search_params[] = {
	{"q", 200}, {"county", 16}, {"limit", 8}, {"offset", 12}, {NULL, 0},
};

const jz_route jz_routes[] = {
	{"GET", "/healthz", JZ_ROUTE_API, jz_h_healthz, NULL},
	{"GET", "/static/site.css", JZ_ROUTE_PAGE, jz_h_css, NULL},
	{"GET", "/", JZ_ROUTE_PAGE, jz_h_home, NULL},

	{"GET", "/apply", JZ_ROUTE_PAGE, jz_h_apply_form, apply_params},
	{"POST", "/apply", JZ_ROUTE_PAGE, jz_h_apply_submit, apply_params},
	{"GET", "/apply/status", JZ_ROUTE_PAGE, jz_h_status_form, NULL},
	{"POST", "/apply/status", JZ_ROUTE_PAGE, jz_h_status_submit, status_params},

	{"GET", "/login", JZ_ROUTE_PAGE, jz_h_login_form, NULL},
	{"POST", "/login", JZ_ROUTE_PAGE, jz_h_login_submit, login_params},
	{"POST", "/logout", JZ_ROUTE_PAGE, jz_h_logout, NULL},
	{"GET", "/me", JZ_ROUTE_PAGE, jz_h_me, NULL},
	{"GET", "/company", JZ_ROUTE_PAGE, jz_h_company_home, NULL},

	{"GET", "/regulator/applications", JZ_ROUTE_PAGE, jz_h_pending_list, page_params},
	{"GET", "/regulator/applications/*", JZ_ROUTE_PAGE, jz_h_pending_show, NULL},
	{"POST", "/regulator/applications/*/approve", JZ_ROUTE_PAGE, jz_h_approve, NULL},
	{"POST", "/regulator/applications/*/reject", JZ_ROUTE_PAGE, jz_h_reject, reject_params},

	{"GET", "/companies", JZ_ROUTE_PAGE, jz_h_company_search, search_params},
	{"GET", "/companies/*", JZ_ROUTE_PAGE, jz_h_company_show, NULL},

	{"POST", "/api/v1/applications", JZ_ROUTE_API, jz_h_api_apply, api_apply_params},
	{"POST", "/api/v1/applications/status", JZ_ROUTE_API, jz_h_api_status, status_params},
	{"GET", "/api/v1/applications", JZ_ROUTE_API, jz_h_api_pending_list, api_list_params},
	{"GET", "/api/v1/applications/*", JZ_ROUTE_API, jz_h_api_pending_show, NULL},
	{"POST", "/api/v1/applications/*/approve", JZ_ROUTE_API, jz_h_api_approve, NULL},
	{"POST", "/api/v1/applications/*/reject", JZ_ROUTE_API, jz_h_api_reject, reject_params},
	{"GET", "/api/v1/companies", JZ_ROUTE_API, jz_h_api_company_search, api_search_params},
	{"GET", "/api/v1/companies/*", JZ_ROUTE_API, jz_h_api_company_show, NULL},
	{"POST", "/api/v1/session", JZ_ROUTE_API, jz_h_api_login, login_params},
	{"GET", "/api/v1/session", JZ_ROUTE_API, jz_h_api_me, NULL},
	{"DELETE", "/api/v1/session", JZ_ROUTE_API, jz_h_api_logout, NULL},
};
const size_t jz_routes_count = sizeof jz_routes / sizeof jz_routes[0];
