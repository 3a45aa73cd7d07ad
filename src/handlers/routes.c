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

static const jz_param worker_params[] = {
	{"name", 200}, {"id_number", 64}, {"phone", 40}, {"service_types", 64}, {"consent_date", 32},
	{"health_no", 200}, {"health_issuer", 300}, {"health_issued", 32}, {"health_expires", 32},
	{"work_permit_no", 200}, {"work_permit_issuer", 300}, {"work_permit_issued", 32}, {"work_permit_expires", 32},
	{"skill_no", 200}, {"skill_issuer", 300}, {"skill_issued", 32}, {"skill_expires", 32},
	{"insurance_no", 200}, {"insurance_issuer", 300}, {"insurance_issued", 32}, {"insurance_expires", 32},
	{"training_no", 200}, {"training_issuer", 300}, {"training_issued", 32}, {"training_expires", 32},
	{NULL, 0},
};
static const jz_param api_worker_params[] = {
	{"name", 200}, {"id_number", 64}, {"phone", 40}, {"service_types", 0}, {"consent_date", 32},
	{"credentials", 0}, {NULL, 0},
};
static const jz_param lookup_params[] = {{"id_number", 64}, {NULL, 0}};
static const jz_param credential_params[] = {
	{"kind", 32}, {"number", 200}, {"issuer", 300}, {"issued", 32}, {"expires", 32}, {NULL, 0},
};
static const jz_param equipment_params[] = {{"kind", 32}, {"issued", 32}, {NULL, 0}};
static const jz_param identity_params[] = {{"method", 32}, {"confirm", 8}, {NULL, 0}};
static const jz_param background_params[] = {{"status", 32}, {"source", 300}, {NULL, 0}};
static const jz_param consent_date_params[] = {{"consent_date", 32}, {NULL, 0}};
static const jz_param end_params[] = {{"ended", 32}, {NULL, 0}};
static const jz_param confirm_params[] = {{"code", 32}, {"phone", 40}, {"password", 300}, {NULL, 0}};
static const jz_param worker_login_params[] = {{"phone", 40}, {"password", 300}, {NULL, 0}};

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

	{"GET", "/company/workers", JZ_ROUTE_PAGE, jz_h_company_workers, page_params},
	{"GET", "/company/workers/new", JZ_ROUTE_PAGE, jz_h_worker_new, NULL},
	{"POST", "/company/workers", JZ_ROUTE_PAGE, jz_h_worker_create, worker_params},
	{"GET", "/company/readiness", JZ_ROUTE_PAGE, jz_h_company_readiness, NULL},
	{"POST", "/workers/lookup", JZ_ROUTE_PAGE, jz_h_worker_lookup, lookup_params},
	{"GET", "/workers/*", JZ_ROUTE_PAGE, jz_h_worker_show, NULL},
	{"POST", "/workers/*/credentials", JZ_ROUTE_PAGE, jz_h_worker_action, credential_params},
	{"POST", "/workers/*/equipment", JZ_ROUTE_PAGE, jz_h_worker_action, equipment_params},
	{"POST", "/workers/*/identity", JZ_ROUTE_PAGE, jz_h_worker_action, identity_params},
	{"POST", "/workers/*/background", JZ_ROUTE_PAGE, jz_h_worker_action, background_params},
	{"POST", "/workers/*/consent", JZ_ROUTE_PAGE, jz_h_worker_action, consent_date_params},
	{"POST", "/workers/*/consent-code", JZ_ROUTE_PAGE, jz_h_worker_action, NULL},
	{"POST", "/workers/*/end", JZ_ROUTE_PAGE, jz_h_worker_action, end_params},

	{"GET", "/consent", JZ_ROUTE_PAGE, jz_h_consent_form, NULL},
	{"POST", "/consent", JZ_ROUTE_PAGE, jz_h_consent_submit, confirm_params},
	{"GET", "/worker/login", JZ_ROUTE_PAGE, jz_h_worker_login_form, NULL},
	{"POST", "/worker/login", JZ_ROUTE_PAGE, jz_h_worker_login_submit, worker_login_params},
	{"POST", "/worker/logout", JZ_ROUTE_PAGE, jz_h_worker_logout, NULL},
	{"GET", "/worker", JZ_ROUTE_PAGE, jz_h_worker_home, NULL},
	{"GET", "/worker/export", JZ_ROUTE_PAGE, jz_h_worker_export, NULL},

	{"POST", "/api/v1/workers", JZ_ROUTE_API, jz_h_api_worker_enroll, api_worker_params},
	{"POST", "/api/v1/workers/lookup", JZ_ROUTE_API, jz_h_api_worker_lookup, lookup_params},
	{"GET", "/api/v1/workers/*", JZ_ROUTE_API, jz_h_api_worker_show, NULL},
	{"POST", "/api/v1/workers/*/credentials", JZ_ROUTE_API, jz_h_api_worker_action, credential_params},
	{"POST", "/api/v1/workers/*/equipment", JZ_ROUTE_API, jz_h_api_worker_action, equipment_params},
	{"POST", "/api/v1/workers/*/identity", JZ_ROUTE_API, jz_h_api_worker_action, identity_params},
	{"POST", "/api/v1/workers/*/background", JZ_ROUTE_API, jz_h_api_worker_action, background_params},
	{"POST", "/api/v1/workers/*/consent", JZ_ROUTE_API, jz_h_api_worker_action, consent_date_params},
	{"POST", "/api/v1/workers/*/consent-code", JZ_ROUTE_API, jz_h_api_worker_action, NULL},
	{"POST", "/api/v1/workers/*/end", JZ_ROUTE_API, jz_h_api_worker_action, end_params},
	{"GET", "/api/v1/company/workers", JZ_ROUTE_API, jz_h_api_company_workers, api_list_params},
	{"GET", "/api/v1/company/readiness", JZ_ROUTE_API, jz_h_api_company_readiness, NULL},
	{"POST", "/api/v1/consent", JZ_ROUTE_API, jz_h_api_consent, confirm_params},
	{"POST", "/api/v1/worker/session", JZ_ROUTE_API, jz_h_api_worker_login, worker_login_params},
	{"GET", "/api/v1/worker", JZ_ROUTE_API, jz_h_api_worker_self, NULL},

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
