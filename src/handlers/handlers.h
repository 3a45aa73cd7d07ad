/* Every route handler, one file per resource. Each decodes the request, calls one use
 * case in src/services/, and replies with a page or JSON. */
#ifndef JZ_HANDLERS_HANDLERS_H
#define JZ_HANDLERS_HANDLERS_H

#include "http/reply.h"

/* site.c */
enum MHD_Result jz_h_healthz(jz_req *req);
enum MHD_Result jz_h_css(jz_req *req);
enum MHD_Result jz_h_home(jz_req *req);
/* applications.c */
enum MHD_Result jz_h_apply_form(jz_req *req);
enum MHD_Result jz_h_apply_submit(jz_req *req);
enum MHD_Result jz_h_status_form(jz_req *req);
enum MHD_Result jz_h_status_submit(jz_req *req);
enum MHD_Result jz_h_api_apply(jz_req *req);
enum MHD_Result jz_h_api_status(jz_req *req);
/* decisions.c: regulators */
enum MHD_Result jz_h_pending_list(jz_req *req);
enum MHD_Result jz_h_pending_show(jz_req *req);
enum MHD_Result jz_h_approve(jz_req *req);
enum MHD_Result jz_h_reject(jz_req *req);
enum MHD_Result jz_h_api_pending_list(jz_req *req);
enum MHD_Result jz_h_api_pending_show(jz_req *req);
enum MHD_Result jz_h_api_approve(jz_req *req);
enum MHD_Result jz_h_api_reject(jz_req *req);
/* companies.c: the public register */
enum MHD_Result jz_h_company_search(jz_req *req);
enum MHD_Result jz_h_company_show(jz_req *req);
enum MHD_Result jz_h_api_company_search(jz_req *req);
enum MHD_Result jz_h_api_company_show(jz_req *req);
/* session.c */
enum MHD_Result jz_h_login_form(jz_req *req);
enum MHD_Result jz_h_login_submit(jz_req *req);
enum MHD_Result jz_h_logout(jz_req *req);
enum MHD_Result jz_h_api_login(jz_req *req);
enum MHD_Result jz_h_api_logout(jz_req *req);
enum MHD_Result jz_h_api_me(jz_req *req);
/* account.c: signed-in home pages */
enum MHD_Result jz_h_me(jz_req *req);
enum MHD_Result jz_h_company_home(jz_req *req);

/* workers.c: the API; worker_pages.c: pages */
enum MHD_Result jz_h_api_worker_enroll(jz_req *req);
enum MHD_Result jz_h_api_worker_lookup(jz_req *req);
enum MHD_Result jz_h_api_worker_show(jz_req *req);
enum MHD_Result jz_h_api_worker_action(jz_req *req);
enum MHD_Result jz_h_api_company_workers(jz_req *req);
enum MHD_Result jz_h_api_company_readiness(jz_req *req);
enum MHD_Result jz_h_company_workers(jz_req *req);
enum MHD_Result jz_h_company_readiness(jz_req *req);
enum MHD_Result jz_h_worker_new(jz_req *req);
enum MHD_Result jz_h_worker_create(jz_req *req);
enum MHD_Result jz_h_worker_lookup(jz_req *req);
enum MHD_Result jz_h_worker_show(jz_req *req);
enum MHD_Result jz_h_worker_action(jz_req *req);
/* imports.c: the upload page */
enum MHD_Result jz_h_import_form(jz_req *req);
enum MHD_Result jz_h_import_template(jz_req *req);
enum MHD_Result jz_h_import_upload(jz_req *req);
enum MHD_Result jz_h_import_job(jz_req *req);
enum MHD_Result jz_h_import_report(jz_req *req);
struct jz_worker_view;
/* reviews.c: service records and reviews */
enum MHD_Result jz_h_service_start(jz_req *req);
enum MHD_Result jz_h_service_end(jz_req *req);
enum MHD_Result jz_h_review_form(jz_req *req);
enum MHD_Result jz_h_review_submit(jz_req *req);
enum MHD_Result jz_h_review_reply(jz_req *req);
enum MHD_Result jz_h_review_report(jz_req *req);
enum MHD_Result jz_h_moderation(jz_req *req);
enum MHD_Result jz_h_review_moderate(jz_req *req);
enum MHD_Result jz_h_api_service_start(jz_req *req);
enum MHD_Result jz_h_api_service_end(jz_req *req);
enum MHD_Result jz_h_api_review_open(jz_req *req);
enum MHD_Result jz_h_api_review_submit(jz_req *req);
enum MHD_Result jz_h_api_review_action(jz_req *req);
enum MHD_Result jz_h_api_moderation(jz_req *req);
/* The stars with their breakdown, the services and the reviews of an opened record; the
 * employer also gets the service form, the employer and the worker reply/report forms. */
void jz_h_render_service_and_reviews(jz_buf *b, jz_req *req, const struct jz_worker_view *v);
/* Stars as ★ (whole stars) and ☆; the number beside them shows halves. */
void jz_h_stars_text(jz_buf *b, double stars);
/* checkins.c: monthly check-in */
enum MHD_Result jz_h_worker_checkin(jz_req *req);
enum MHD_Result jz_h_company_checkin(jz_req *req);
enum MHD_Result jz_h_api_worker_checkin(jz_req *req);
enum MHD_Result jz_h_api_company_checkin(jz_req *req);
/* The check-in history and activity of a worker whose record is open. */
void jz_h_render_checkins(jz_buf *b, jz_req *req, int64_t worker_id);
/* worker_self.c: the worker's own pages */
enum MHD_Result jz_h_consent_form(jz_req *req);
enum MHD_Result jz_h_consent_submit(jz_req *req);
enum MHD_Result jz_h_worker_login_form(jz_req *req);
enum MHD_Result jz_h_worker_login_submit(jz_req *req);
enum MHD_Result jz_h_worker_logout(jz_req *req);
enum MHD_Result jz_h_worker_home(jz_req *req);
enum MHD_Result jz_h_worker_export(jz_req *req);
enum MHD_Result jz_h_api_consent(jz_req *req);
enum MHD_Result jz_h_api_worker_login(jz_req *req);
enum MHD_Result jz_h_api_worker_self(jz_req *req);
/* cards.c: worker cards (诚信一卡通) */
enum MHD_Result jz_h_card_verify(jz_req *req);
enum MHD_Result jz_h_api_card_verify(jz_req *req);
enum MHD_Result jz_h_card_key(jz_req *req);
enum MHD_Result jz_h_card_page(jz_req *req);
enum MHD_Result jz_h_card_action(jz_req *req);
enum MHD_Result jz_h_api_card_show(jz_req *req);
enum MHD_Result jz_h_api_card_action(jz_req *req);

/* credit.c: credit records, appeals, evidence, the offices' queue */
enum MHD_Result jz_h_record_show(jz_req *req);
enum MHD_Result jz_h_record_report(jz_req *req);
enum MHD_Result jz_h_record_decide(jz_req *req);
enum MHD_Result jz_h_record_appeal(jz_req *req);
enum MHD_Result jz_h_appeal_decide(jz_req *req);
enum MHD_Result jz_h_background_review(jz_req *req);
enum MHD_Result jz_h_credit_queue(jz_req *req);
enum MHD_Result jz_h_evidence(jz_req *req);
enum MHD_Result jz_h_api_record_show(jz_req *req);
enum MHD_Result jz_h_api_record_report(jz_req *req);
enum MHD_Result jz_h_api_record_decide(jz_req *req);
enum MHD_Result jz_h_api_record_appeal(jz_req *req);
enum MHD_Result jz_h_api_appeal_decide(jz_req *req);
enum MHD_Result jz_h_api_background_review(jz_req *req);
enum MHD_Result jz_h_api_credit_queue(jz_req *req);
/* The credit records of an opened worker record (and the report form for its employer
 * or an official); as JSON, NULL with req->err set. */
void jz_h_render_worker_records(jz_buf *b, jz_req *req, const struct jz_worker_view *v);
json_t *jz_h_worker_records_json(jz_req *req, const struct jz_worker_view *v);
/* The report form about a worker (worker_id) or a company (company_id). */
void jz_h_render_report_form(jz_buf *b, jz_req *req, int64_t worker_id, int64_t company_id);
/* sharing.c: share codes, credit checks, the inbox */
enum MHD_Result jz_h_share_code_new(jz_req *req);
enum MHD_Result jz_h_share_code_revoke(jz_req *req);
enum MHD_Result jz_h_api_share_code_new(jz_req *req);
enum MHD_Result jz_h_api_share_code_revoke(jz_req *req);
enum MHD_Result jz_h_credit_check_form(jz_req *req);
enum MHD_Result jz_h_credit_check(jz_req *req);
enum MHD_Result jz_h_api_credit_check(jz_req *req);
enum MHD_Result jz_h_inbox(jz_req *req);
enum MHD_Result jz_h_inbox_read(jz_req *req);
enum MHD_Result jz_h_api_inbox(jz_req *req);
enum MHD_Result jz_h_api_inbox_read(jz_req *req);
/* The share-code box of the worker's page or the employer's view of the worker. */
void jz_h_render_share_code(jz_buf *b, jz_req *req, int64_t worker_id);

/* Shared by handlers (json.c): a company as JSON; `full` adds what only its regulator and
 * its own accounts see. */
json_t *jz_company_json(const jz_company *c, bool full);
/* The name of a region code ("" when unknown), with its prefecture for counties. */
const char *jz_region_label(const char *code, char *out, size_t size);

/* The service types of a company, by name, separated by 、. */
void jz_h_service_names(jz_buf *b, jz_req *req, const char *joined);
/* The number in the path's first '*' segment (an id), 0 when it is not a number. */
int64_t jz_h_path_id(const jz_req *req);
/* A JSON member that must be an array of at most max strings (absent: none); the strings
 * are borrowed from the request. False with req->err set. */
bool jz_h_json_strings(jz_req *req, const char *name, const char **out, size_t max, size_t *n);
struct jz_worker_input;
struct jz_application;
/* The type checks of two API bodies with nested members (tests/fuzz/fuzz_json.c calls
 * them on arbitrary bodies): POST /api/v1/workers into *in, POST /api/v1/applications
 * into *app; strings are borrowed from req->json. False with req->err set on a member of
 * the wrong type or an unknown credential member. */
bool jz_h_worker_input_json(jz_req *req, struct jz_worker_input *in);
bool jz_h_application_json(jz_req *req, struct jz_application *app);
/* The limit and offset query parameters of API lists; false with req->err set. */
bool jz_h_list_bounds(jz_req *req, int *limit, int *offset);
/* A company status in words ("待审核" …). */
const char *jz_h_status_label(jz_req *req, const char *status);
struct jz_worker_view;
/* Runs the employer action named `action` (credentials, equipment, identity, background,
 * consent, consent-code, end) with its fields from the form or the JSON body; code gets
 * a new consent code. False with req->err set. */
bool jz_h_employer_action(jz_req *req, int64_t id, const char *action, bool api, char code[16]);
/* The body of a worker record page at the view's tier. */
void jz_h_render_worker(jz_buf *b, jz_req *req, const struct jz_worker_view *v);
/* Pages for signed-in users send the anonymous to the sign-in page. */
enum MHD_Result jz_h_page_error(jz_req *req);
/* For the forms only company accounts can use (enrolment, import, credit check): true when
 * the visitor is one; otherwise false, and *reply is the sign-in redirect (no session) or
 * the 403 page, so that nobody is shown a form whose submission they may not make. */
bool jz_h_company_form(jz_req *req, enum MHD_Result *reply);

/* governance.c: company status decisions, designations, the rating on the company page,
 * the officials' list of their region's companies; dishonesty.c: the 失信名单 */
enum MHD_Result jz_h_company_govern(jz_req *req);
enum MHD_Result jz_h_designate(jz_req *req);
enum MHD_Result jz_h_designation_withdraw(jz_req *req);
enum MHD_Result jz_h_region_companies(jz_req *req);
enum MHD_Result jz_h_api_company_govern(jz_req *req);
enum MHD_Result jz_h_api_designate(jz_req *req);
enum MHD_Result jz_h_api_designation_withdraw(jz_req *req);
enum MHD_Result jz_h_api_region_companies(jz_req *req);
enum MHD_Result jz_h_dishonesty(jz_req *req);
enum MHD_Result jz_h_api_dishonesty(jz_req *req);
/* The company page's rating with its reasons, designations, confirmed records and, for
 * officials in scope, their forms. */
void jz_h_render_company_governance(jz_buf *b, jz_req *req, const jz_company *c);
/* Adds status_reason (when not active), rating, designations and negative_records to
 * a company's public JSON; false with req->err set. */
bool jz_h_company_governance_json(jz_req *req, const jz_company *c, json_t *o);

/* dashboard.c: dashboards for associations and regulators, the open data (issue #6) */
enum MHD_Result jz_h_dashboard_home(jz_req *req);
enum MHD_Result jz_h_dashboard(jz_req *req);
enum MHD_Result jz_h_dashboard_workers(jz_req *req);
enum MHD_Result jz_h_dashboard_companies(jz_req *req);
enum MHD_Result jz_h_api_dashboard(jz_req *req);
enum MHD_Result jz_h_api_dashboard_workers(jz_req *req);
enum MHD_Result jz_h_open_data_home(jz_req *req);
enum MHD_Result jz_h_open_data(jz_req *req);
enum MHD_Result jz_h_api_open_data(jz_req *req);

#endif
