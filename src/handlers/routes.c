/* The route table: every path the server answers, its handler and the parameters it
 * accepts (anything else never reaches the handler). */
#include "handlers/handlers.h"
#include "http/routes.h"
#include "services/import_jobs.h"

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
static const jz_param upload_params[] = {{"dry_run", 8}, {NULL, 0}};
static const jz_param lookup_params[] = {{"id_number", 64}, {NULL, 0}};
static const jz_param credential_params[] = {
	{"kind", 32}, {"number", 200}, {"issuer", 300}, {"issued", 32}, {"expires", 32}, {NULL, 0},
};
static const jz_param equipment_params[] = {{"kind", 32}, {"issued", 32}, {NULL, 0}};
static const jz_param identity_params[] = {{"method", 32}, {"confirm", 8}, {NULL, 0}};
static const jz_param background_params[] = {{"status", 32}, {"source", 300}, {NULL, 0}};
static const jz_param consent_date_params[] = {{"consent_date", 32}, {NULL, 0}};
static const jz_param end_params[] = {{"ended", 32}, {NULL, 0}};
static const jz_param notes_params[] = {{"notes", 4000}, {NULL, 0}};
static const jz_param confirm_params[] = {{"code", 32}, {"phone", 40}, {"password", 300}, {NULL, 0}};
static const jz_param worker_login_params[] = {{"phone", 40}, {"password", 300}, {NULL, 0}};
static const jz_param card_reason_params[] = {{"reason", 16}, {NULL, 0}};

/* Dashboards and open data (issue #6). */
static const jz_param dashboard_params[] = {{"sort", 32}, {"table", 16}, {NULL, 0}};
static const jz_param api_dashboard_params[] = {{"sort", 32}, {NULL, 0}};
static const jz_param dashboard_workers_params[] = {{"stage", 16}, {"page", 8}, {NULL, 0}};
static const jz_param api_dashboard_workers_params[] = {{"stage", 16}, {"limit", 8}, {"offset", 12}, {NULL, 0}};
static const jz_param dashboard_companies_params[] = {{"status", 16}, {"page", 8}, {NULL, 0}};

/* Every route: method, path, handler, declared parameters (body limit and multipart
 * uploads only where a route says so). LAG_PAGE and LAG_API are reads that may lag: with
 * serve --db-read their handlers read the streaming replica, so they must never write
 * (no audit entry, no check-in, nothing a visitor expects to see at once after a write
 * of theirs: the server sends those visitors to the primary). */
#define PAGE(method, path, handler, params) {method, path, JZ_ROUTE_PAGE, handler, params, 0, false, false, false}
#define API(method, path, handler, params) {method, path, JZ_ROUTE_API, handler, params, 0, false, false, false}
#define UPLOAD(method, path, handler, params, limit) {method, path, JZ_ROUTE_PAGE, handler, params, limit, true, false, false}
#define LAG_PAGE(method, path, handler, params) {method, path, JZ_ROUTE_PAGE, handler, params, 0, false, true, false}
#define LAG_API(method, path, handler, params) {method, path, JZ_ROUTE_API, handler, params, 0, false, true, false}
/* Routes that hash or check a password (Argon2id, a tenth of a second and 64 MiB): run on
 * the slow pool so that the connection thread goes on serving its other connections. */
#define SLOW_PAGE(method, path, handler, params) {method, path, JZ_ROUTE_PAGE, handler, params, 0, false, false, true}
#define SLOW_API(method, path, handler, params) {method, path, JZ_ROUTE_API, handler, params, 0, false, false, true}

static const jz_param service_params[] = {{"service_type", 64}, {"started", 32}, {"county", 16}, {NULL, 0}};
static const jz_param service_end_params[] = {{"ended", 32}, {NULL, 0}};
static const jz_param review_params[] = {
	{"skill", 4}, {"attitude", 4}, {"punctuality", 4}, {"honesty", 4}, {"comment", 3000}, {NULL, 0},
};
static const jz_param api_review_params[] = {
	{"code", 64}, {"skill", 4}, {"attitude", 4}, {"punctuality", 4}, {"honesty", 4}, {"comment", 3000}, {NULL, 0},
};
static const jz_param reply_params[] = {{"text", 3000}, {NULL, 0}};
static const jz_param report_params[] = {{"reason", 3000}, {NULL, 0}};
static const jz_param moderate_params[] = {{"decision", 8}, {NULL, 0}};

static const jz_param record_params[] = {
	{"worker_id", 20}, {"company_id", 20}, {"category", 32}, {"severity", 16}, {"summary", 1000},
	{"evidence", 16000}, {"occurred", 32}, {NULL, 0},
};
static const jz_param api_record_params[] = {
	{"worker_id", 0}, {"company_id", 0}, {"category", 32}, {"severity", 16}, {"summary", 1000},
	{"evidence", 16000}, {"occurred", 32}, {"file_name", 300}, {"file_base64", 3000000}, {NULL, 0},
};
static const jz_param decide_params[] = {{"decision", 16}, {"severity", 16}, {"reason", 3000}, {NULL, 0}};
static const jz_param appeal_params[] = {{"reasons", 12000}, {NULL, 0}};
static const jz_param api_appeal_params[] = {
	{"reasons", 12000}, {"file_name", 300}, {"file_base64", 3000000}, {NULL, 0},
};
static const jz_param decision_params[] = {{"decision", 16}, {"reason", 3000}, {NULL, 0}};
static const jz_param credit_check_params[] = {{"id_number", 64}, {"share_code", 32}, {NULL, 0}};
/* Evidence files up to JZ_EVIDENCE_MAX, base64 in JSON. */
enum { JZ_EVIDENCE_BODY = 3 * 1024 * 1024 };

/* Governance: company status, designations, the dishonesty list. */
static const jz_param govern_params[] = {{"reason", 2000}, {NULL, 0}};
static const jz_param designate_params[] = {{"year", 16}, {"issuer", 400}, {NULL, 0}};
static const jz_param api_designate_params[] = {{"kind", 16}, {"year", 16}, {"issuer", 400}, {NULL, 0}};
static const jz_param region_companies_params[] = {{"status", 16}, {"page", 8}, {NULL, 0}};
static const jz_param api_region_companies_params[] = {{"status", 16}, {"limit", 8}, {"offset", 12}, {NULL, 0}};
static const jz_param dishonesty_params[] = {{"region", 16}, {"page", 8}, {NULL, 0}};
static const jz_param api_dishonesty_params[] = {{"region", 16}, {"limit", 8}, {"offset", 12}, {NULL, 0}};

const jz_route jz_routes[] = {
	API("GET", "/healthz", jz_h_healthz, NULL),
	PAGE("GET", "/static/site.css", jz_h_css, NULL),
	PAGE("GET", "/", jz_h_home, NULL),

	PAGE("GET", "/apply", jz_h_apply_form, apply_params),
	PAGE("POST", "/apply", jz_h_apply_submit, apply_params),
	PAGE("GET", "/apply/status", jz_h_status_form, NULL),
	PAGE("POST", "/apply/status", jz_h_status_submit, status_params),

	PAGE("GET", "/login", jz_h_login_form, NULL),
	SLOW_PAGE("POST", "/login", jz_h_login_submit, login_params),
	PAGE("POST", "/logout", jz_h_logout, NULL),
	PAGE("GET", "/me", jz_h_me, NULL),
	PAGE("GET", "/company", jz_h_company_home, NULL),

	PAGE("GET", "/regulator/applications", jz_h_pending_list, page_params),
	PAGE("GET", "/regulator/applications/*", jz_h_pending_show, NULL),
	PAGE("POST", "/regulator/applications/*/approve", jz_h_approve, NULL),
	PAGE("POST", "/regulator/applications/*/reject", jz_h_reject, reject_params),

	LAG_PAGE("GET", "/companies", jz_h_company_search, search_params),
	LAG_PAGE("GET", "/companies/*", jz_h_company_show, NULL),

	PAGE("GET", "/company/workers", jz_h_company_workers, page_params),
	PAGE("GET", "/company/workers/new", jz_h_worker_new, NULL),
	PAGE("POST", "/company/workers", jz_h_worker_create, worker_params),
	PAGE("GET", "/company/readiness", jz_h_company_readiness, NULL),
	PAGE("GET", "/company/import", jz_h_import_form, NULL),
	PAGE("GET", "/company/import/template.csv", jz_h_import_template, NULL),
	UPLOAD("POST", "/company/import", jz_h_import_upload, upload_params, JZ_UPLOAD_LIMIT + 64 * 1024),
	PAGE("GET", "/company/import/*", jz_h_import_job, NULL),
	PAGE("GET", "/company/import/*/report", jz_h_import_report, NULL),
	PAGE("POST", "/workers/lookup", jz_h_worker_lookup, lookup_params),
	PAGE("GET", "/workers/*", jz_h_worker_show, NULL),
	PAGE("POST", "/workers/*/credentials", jz_h_worker_action, credential_params),
	PAGE("POST", "/workers/*/equipment", jz_h_worker_action, equipment_params),
	PAGE("POST", "/workers/*/identity", jz_h_worker_action, identity_params),
	PAGE("POST", "/workers/*/background", jz_h_worker_action, background_params),
	PAGE("POST", "/workers/*/consent", jz_h_worker_action, consent_date_params),
	PAGE("POST", "/workers/*/consent-code", jz_h_worker_action, NULL),
	PAGE("POST", "/workers/*/end", jz_h_worker_action, end_params),
	PAGE("POST", "/workers/*/notes", jz_h_worker_action, notes_params),
	PAGE("GET", "/workers/*/card", jz_h_card_page, NULL),
	PAGE("POST", "/workers/*/card", jz_h_card_action, NULL),
	PAGE("POST", "/workers/*/card/revoke", jz_h_card_action, card_reason_params),
	PAGE("POST", "/workers/*/card/reissue", jz_h_card_action, card_reason_params),
	LAG_PAGE("GET", "/v/*", jz_h_card_verify, NULL),
	LAG_API("GET", "/.well-known/jiazheng-card-key", jz_h_card_key, NULL),
	LAG_API("GET", "/api/v1/cards/*", jz_h_api_card_verify, NULL),

	PAGE("POST", "/workers/*/services", jz_h_service_start, service_params),
	PAGE("POST", "/services/*/end", jz_h_service_end, service_end_params),
	PAGE("GET", "/review/*", jz_h_review_form, NULL),
	PAGE("POST", "/review/*", jz_h_review_submit, review_params),
	PAGE("POST", "/reviews/*/reply", jz_h_review_reply, reply_params),
	PAGE("POST", "/reviews/*/report", jz_h_review_report, report_params),
	PAGE("POST", "/reviews/*/moderate", jz_h_review_moderate, moderate_params),
	PAGE("GET", "/moderation", jz_h_moderation, NULL),

	UPLOAD("POST", "/records", jz_h_record_report, record_params, JZ_EVIDENCE_BODY),
	PAGE("GET", "/records/*", jz_h_record_show, NULL),
	PAGE("POST", "/records/*/decide", jz_h_record_decide, decide_params),
	UPLOAD("POST", "/records/*/appeal", jz_h_record_appeal, appeal_params, JZ_EVIDENCE_BODY),
	PAGE("POST", "/appeals/*/decide", jz_h_appeal_decide, decision_params),
	PAGE("GET", "/evidence/*", jz_h_evidence, NULL),
	PAGE("GET", "/regulator/credit", jz_h_credit_queue, NULL),
	PAGE("POST", "/workers/*/background/review", jz_h_background_review, decision_params),
	PAGE("GET", "/credit-check", jz_h_credit_check_form, NULL),
	PAGE("POST", "/credit-check", jz_h_credit_check, credit_check_params),
	PAGE("POST", "/worker/share-code", jz_h_share_code_new, NULL),
	PAGE("POST", "/worker/share-code/revoke", jz_h_share_code_revoke, NULL),
	PAGE("POST", "/workers/*/share-code", jz_h_share_code_new, NULL),
	PAGE("GET", "/company/inbox", jz_h_inbox, NULL),
	PAGE("POST", "/company/inbox/read", jz_h_inbox_read, NULL),
	{"POST", "/api/v1/records", JZ_ROUTE_API, jz_h_api_record_report, api_record_params, JZ_EVIDENCE_BODY, false, false, false},
	API("GET", "/api/v1/records/*", jz_h_api_record_show, NULL),
	API("POST", "/api/v1/records/*/decide", jz_h_api_record_decide, decide_params),
	{"POST", "/api/v1/records/*/appeal", JZ_ROUTE_API, jz_h_api_record_appeal, api_appeal_params, JZ_EVIDENCE_BODY, false, false, false},
	API("POST", "/api/v1/appeals/*/decide", jz_h_api_appeal_decide, decision_params),
	API("GET", "/api/v1/evidence/*", jz_h_evidence, NULL),
	API("GET", "/api/v1/regulator/credit", jz_h_api_credit_queue, NULL),
	API("POST", "/api/v1/workers/*/background/review", jz_h_api_background_review, decision_params),
	API("POST", "/api/v1/credit-checks", jz_h_api_credit_check, credit_check_params),
	API("POST", "/api/v1/worker/share-code", jz_h_api_share_code_new, NULL),
	API("POST", "/api/v1/worker/share-code/revoke", jz_h_api_share_code_revoke, NULL),
	API("POST", "/api/v1/workers/*/share-code", jz_h_api_share_code_new, NULL),
	API("GET", "/api/v1/company/notifications", jz_h_api_inbox, NULL),
	API("POST", "/api/v1/company/notifications/read", jz_h_api_inbox_read, NULL),

	PAGE("GET", "/consent", jz_h_consent_form, NULL),
	SLOW_PAGE("POST", "/consent", jz_h_consent_submit, confirm_params),
	PAGE("GET", "/worker/login", jz_h_worker_login_form, NULL),
	SLOW_PAGE("POST", "/worker/login", jz_h_worker_login_submit, worker_login_params),
	PAGE("POST", "/worker/logout", jz_h_worker_logout, NULL),
	PAGE("GET", "/worker", jz_h_worker_home, NULL),
	PAGE("POST", "/worker/checkin", jz_h_worker_checkin, NULL),
	PAGE("POST", "/company/checkin", jz_h_company_checkin, NULL),
	PAGE("GET", "/worker/export", jz_h_worker_export, NULL),

	API("POST", "/api/v1/workers", jz_h_api_worker_enroll, api_worker_params),
	API("POST", "/api/v1/workers/lookup", jz_h_api_worker_lookup, lookup_params),
	API("GET", "/api/v1/workers/*", jz_h_api_worker_show, NULL),
	API("POST", "/api/v1/workers/*/credentials", jz_h_api_worker_action, credential_params),
	API("POST", "/api/v1/workers/*/equipment", jz_h_api_worker_action, equipment_params),
	API("POST", "/api/v1/workers/*/identity", jz_h_api_worker_action, identity_params),
	API("POST", "/api/v1/workers/*/background", jz_h_api_worker_action, background_params),
	API("POST", "/api/v1/workers/*/consent", jz_h_api_worker_action, consent_date_params),
	API("POST", "/api/v1/workers/*/consent-code", jz_h_api_worker_action, NULL),
	API("POST", "/api/v1/workers/*/end", jz_h_api_worker_action, end_params),
	API("POST", "/api/v1/workers/*/notes", jz_h_api_worker_action, notes_params),
	API("GET", "/api/v1/workers/*/card", jz_h_api_card_show, NULL),
	API("POST", "/api/v1/workers/*/card", jz_h_api_card_action, NULL),
	API("POST", "/api/v1/workers/*/card/revoke", jz_h_api_card_action, card_reason_params),
	API("POST", "/api/v1/workers/*/card/reissue", jz_h_api_card_action, card_reason_params),
	API("GET", "/api/v1/company/workers", jz_h_api_company_workers, api_list_params),
	API("GET", "/api/v1/company/readiness", jz_h_api_company_readiness, api_list_params),
	SLOW_API("POST", "/api/v1/consent", jz_h_api_consent, confirm_params),
	API("POST", "/api/v1/workers/*/services", jz_h_api_service_start, service_params),
	API("POST", "/api/v1/services/*/end", jz_h_api_service_end, service_end_params),
	API("GET", "/api/v1/reviews/*", jz_h_api_review_open, NULL),
	API("POST", "/api/v1/reviews", jz_h_api_review_submit, api_review_params),
	API("POST", "/api/v1/reviews/*/reply", jz_h_api_review_action, reply_params),
	API("POST", "/api/v1/reviews/*/report", jz_h_api_review_action, report_params),
	API("POST", "/api/v1/reviews/*/moderate", jz_h_api_review_action, moderate_params),
	API("GET", "/api/v1/moderation", jz_h_api_moderation, NULL),
	SLOW_API("POST", "/api/v1/worker/session", jz_h_api_worker_login, worker_login_params),
	API("GET", "/api/v1/worker", jz_h_api_worker_self, NULL),
	API("POST", "/api/v1/worker/checkin", jz_h_api_worker_checkin, NULL),
	API("POST", "/api/v1/company/checkin", jz_h_api_company_checkin, NULL),

	API("POST", "/api/v1/applications", jz_h_api_apply, api_apply_params),
	API("POST", "/api/v1/applications/status", jz_h_api_status, status_params),
	API("GET", "/api/v1/applications", jz_h_api_pending_list, api_list_params),
	API("GET", "/api/v1/applications/*", jz_h_api_pending_show, NULL),
	API("POST", "/api/v1/applications/*/approve", jz_h_api_approve, NULL),
	API("POST", "/api/v1/applications/*/reject", jz_h_api_reject, reject_params),
	LAG_API("GET", "/api/v1/companies", jz_h_api_company_search, api_search_params),
	LAG_API("GET", "/api/v1/companies/*", jz_h_api_company_show, NULL),
	SLOW_API("POST", "/api/v1/session", jz_h_api_login, login_params),
	API("GET", "/api/v1/session", jz_h_api_me, NULL),
	API("DELETE", "/api/v1/session", jz_h_api_logout, NULL),

	/* Governance */
	PAGE("POST", "/companies/*/suspend", jz_h_company_govern, govern_params),
	PAGE("POST", "/companies/*/reinstate", jz_h_company_govern, govern_params),
	PAGE("POST", "/companies/*/revoke", jz_h_company_govern, govern_params),
	PAGE("POST", "/companies/*/designations", jz_h_designate, designate_params),
	PAGE("POST", "/designations/*/withdraw", jz_h_designation_withdraw, NULL),
	PAGE("GET", "/regulator/companies", jz_h_region_companies, region_companies_params),
	LAG_PAGE("GET", "/dishonesty", jz_h_dishonesty, dishonesty_params),
	API("POST", "/api/v1/companies/*/suspend", jz_h_api_company_govern, govern_params),
	API("POST", "/api/v1/companies/*/reinstate", jz_h_api_company_govern, govern_params),
	API("POST", "/api/v1/companies/*/revoke", jz_h_api_company_govern, govern_params),
	API("POST", "/api/v1/companies/*/designations", jz_h_api_designate, api_designate_params),
	API("POST", "/api/v1/designations/*/withdraw", jz_h_api_designation_withdraw, NULL),
	API("GET", "/api/v1/regulator/companies", jz_h_api_region_companies, api_region_companies_params),
	LAG_API("GET", "/api/v1/dishonesty", jz_h_api_dishonesty, api_dishonesty_params),

	/* Dashboards and open data (issue #6) */
	PAGE("GET", "/dashboard", jz_h_dashboard_home, NULL),
	LAG_PAGE("GET", "/dashboard/*", jz_h_dashboard, dashboard_params),
	PAGE("GET", "/dashboard/*/workers", jz_h_dashboard_workers, dashboard_workers_params),
	PAGE("GET", "/dashboard/*/companies", jz_h_dashboard_companies, dashboard_companies_params),
	LAG_PAGE("GET", "/open-data", jz_h_open_data_home, NULL),
	LAG_PAGE("GET", "/open-data/*", jz_h_open_data, dashboard_params),
	LAG_API("GET", "/api/v1/dashboard/*", jz_h_api_dashboard, api_dashboard_params),
	API("GET", "/api/v1/dashboard/*/workers", jz_h_api_dashboard_workers, api_dashboard_workers_params),
	LAG_API("GET", "/api/v1/open-data/*", jz_h_api_open_data, api_dashboard_params),
};
const size_t jz_routes_count = sizeof jz_routes / sizeof jz_routes[0];
