/* Company governance on the web: the rating, designations and confirmed records on the
 * public company page and in its JSON; the regulator's suspend / reinstate / revoke and
 * the designation forms; the officials' list of their region's companies by status. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/credit.h"
#include "core/regions.h"
#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/companies.h"
#include "services/governance.h"

enum { PAGE_SIZE = 50, COMPANY_RECORDS = 50 };

/* ---- the rating's reasons ---- */

static const char *
kind_label(jz_req *req, const char *kind)
{
	return !strcmp(kind, "model") ? L(req, "诚信示范企业", "Model company (诚信示范企业)")
	                              : L(req, "标杆企业", "Benchmark company (标杆企业)");
}

/* What a criterion was computed from, in words. */
static void
criterion_text(jz_req *req, jz_rating_criterion c, const jz_rating_input *in, const jz_rating *r, char *out,
               size_t size)
{
	int64_t part = c == JZ_CRIT_CARDS ? in->carded : c == JZ_CRIT_READY ? in->ready : in->checked_in;
	switch (c) {
	case JZ_CRIT_CARDS:
	case JZ_CRIT_READY:
	case JZ_CRIT_CHECKINS:
		snprintf(out, size, "%" PRId64 " / %" PRId64 "%s（%.0f%%）", part, in->employed, L(req, " 人", ""),
		         r->item[c].value * 100.0);
		break;
	case JZ_CRIT_REVIEWS:
		if (in->reviews)
			snprintf(out, size, L(req, "%" PRId64 " 条评价，平均 %.2f 星，计分按 %.2f", "%" PRId64 " reviews, average %.2f, counted as %.2f"),
			         in->reviews, in->review_sum / (double)in->reviews, r->item[c].value);
		else
			snprintf(out, size, "%s", L(req, "暂无评价，按 3.00 计", "no reviews yet, counted as 3.00"));
		break;
	case JZ_CRIT_DESIGNATIONS:
		snprintf(out, size, "%s%s%s", in->model ? L(req, "诚信示范企业", "model company") : "",
		         in->model && in->benchmark ? L(req, "、", ", ") : "",
		         in->benchmark ? L(req, "标杆企业", "benchmark company") : "");
		if (!in->model && !in->benchmark)
			snprintf(out, size, "%s", L(req, "无（本年度或上年度）", "none (this year or last)"));
		break;
	case JZ_CRIT_COMPANY_RECORDS:
		snprintf(out, size, L(req, "轻微 %" PRId64 "、较重 %" PRId64 "、严重 %" PRId64, "minor %" PRId64 ", serious %" PRId64 ", grave %" PRId64),
		         in->company_negative[0], in->company_negative[1], in->company_negative[2]);
		break;
	case JZ_CRIT_WORKER_RECORDS:
		snprintf(out, size, L(req, "%" PRId64 " 条", "%" PRId64), in->worker_negative);
		break;
	case JZ_CRIT_COUNT:
		out[0] = '\0';
		break;
	}
}

/* Points as text: "18.0", "+10.0", "−25.0", or 不计 when the criterion is left out. */
static void
points_text(jz_req *req, jz_rating_criterion c, const jz_rating *r, char *out, size_t size)
{
	const jz_rating_item *it = &r->item[c];
	if (!it->applies)
		snprintf(out, size, "%s", L(req, "不计", "left out"));
	else if (it->max > 0)
		snprintf(out, size, "%.1f / %.0f", it->points, it->max);
	else
		snprintf(out, size, "%s%.1f", it->points > 0 ? "+" : it->points < 0 ? "−" : "",
		         it->points < 0 ? -it->points : it->points);
}

static void
render_rating(jz_buf *b, jz_req *req, const jz_company *c)
{
	jz_rating_input in;
	jz_rating r;
	jz_err err = {0};
	if (!jz_svc_company_rating(&req->ctx, c, &in, &r, &err)) {
		jz_page_err_box(b, req, &err);
		return;
	}
	char score[16];
	snprintf(score, sizeof score, "%.1f", r.score);
	jz_html(b, "<h2>%r</h2><p class=\"grade\">%r<strong id=\"grade\" class=\"grade-%s\">%s</strong>"
	           "（%r<span id=\"score\">%s</span>%r）</p>",
	        L(req, "企业信用等级", "Credit rating"), L(req, "等级：", "Grade: "), (char[]){r.grade, 0},
	        (char[]){r.grade, 0}, L(req, "得分 ", "score "), score, L(req, " 分", " of 100"));
	if (r.inactive)
		jz_html(b, "<p class=\"warn\">%r</p>", L(req, "企业已被暂停或撤销，评为 D 级。", "The company is suspended or revoked: grade D."));
	if (r.grave)
		jz_html(b, "<p class=\"warn\">%r</p>", L(req, "企业有正在计算的严重失信记录，评为 D 级。",
		                                         "A grave negative record about the company counts: grade D."));
	if (r.few_workers)
		jz_html(b, "<p class=\"hint\">%r</p>",
		        L(req, "在职服务员不足 5 人，持卡、六无不上岗、打卡三项不计，评价一项按满分 100 折算。",
		          "Fewer than 5 current workers: cards, readiness and check-ins are left out and the reviews are scaled to 100."));
	jz_html(b, "<table id=\"rating\"><tr><th>%r</th><th>%r</th><th>%r</th></tr>", L(req, "评分项", "Criterion"),
	        L(req, "情况", "Value"), L(req, "得分", "Points"));
	for (int i = 0; i < JZ_CRIT_COUNT; i++) {
		char text[200], pts[32];
		criterion_text(req, (jz_rating_criterion)i, &in, &r, text, sizeof text);
		points_text(req, (jz_rating_criterion)i, &r, pts, sizeof pts);
		jz_html(b, "<tr id=\"crit-%r\"><td>%s</td><td>%s</td><td>%s</td></tr>", jz_rating_criterion_code(i),
		        jz_rating_criterion_name(i, req->english), text, pts);
	}
	jz_html(b, "</table><p class=\"hint\">%r</p>",
	        L(req, "A ≥ 85 分，B ≥ 70 分，C ≥ 50 分，其余为 D；规则见平台信用模型说明。",
	          "A from 85, B from 70, C from 50, else D; the rules are in the platform's credit model."));
}

static json_t *
rating_json(jz_req *req, const jz_company *c)
{
	jz_rating_input in;
	jz_rating r;
	if (!jz_svc_company_rating(&req->ctx, c, &in, &r, &req->err))
		return NULL;
	json_t *criteria = json_array();
	for (int i = 0; i < JZ_CRIT_COUNT; i++) {
		char text[200];
		criterion_text(req, (jz_rating_criterion)i, &in, &r, text, sizeof text);
		const jz_rating_item *it = &r.item[i];
		json_array_append_new(criteria, json_pack("{s:s, s:s, s:b, s:f, s:f, s:f, s:s}", "code",
		                                          jz_rating_criterion_code(i), "name",
		                                          jz_rating_criterion_name(i, req->english), "applies",
		                                          it->applies, "value", it->value, "points", it->points,
		                                          "max", it->max, "text", text));
	}
	json_t *inputs = json_pack(
	    "{s:I, s:I, s:I, s:I, s:I, s:f, s:{s:I, s:I, s:I}, s:I, s:I, s:I}", "employed", (json_int_t)in.employed,
	    "carded", (json_int_t)in.carded, "ready", (json_int_t)in.ready, "checked_in", (json_int_t)in.checked_in,
	    "reviews", (json_int_t)in.reviews, "review_sum", in.review_sum, "company_negative", "minor",
	    (json_int_t)in.company_negative[0], "serious", (json_int_t)in.company_negative[1], "grave",
	    (json_int_t)in.company_negative[2], "worker_negative", (json_int_t)in.worker_negative, "model",
	    (json_int_t)in.model, "benchmark", (json_int_t)in.benchmark);
	return json_pack("{s:s#, s:f, s:f, s:b, s:b, s:b, s:o, s:o}", "grade", &r.grade, (size_t)1, "score",
	                 r.score, "base", r.base, "few_workers", r.few_workers, "grave", r.grave, "inactive",
	                 r.inactive, "criteria", criteria, "inputs", inputs);
}

/* ---- designations ---- */

typedef struct designation_rows {
	jz_buf *b;
	jz_req *req;
	const char *may_withdraw; /* the kind the viewer may withdraw, or NULL */
	json_t *json;
	int n;
} designation_rows;

static bool
designation_row(const jz_designation *d, void *arg)
{
	designation_rows *dr = arg;
	jz_req *req = dr->req;
	dr->n++;
	if (dr->json) {
		json_array_append_new(dr->json, json_pack("{s:I, s:s, s:I, s:s, s:I}", "id", (json_int_t)d->id, "kind",
		                                          d->kind, "year", (json_int_t)d->year, "issuer", d->issuer,
		                                          "designated", (json_int_t)d->created_at));
		return true;
	}
	jz_html(dr->b, "<li class=\"designation\">%L %r%s · %s", d->year, L(req, "年度", ""),
	        kind_label(req, d->kind), d->issuer);
	if (dr->may_withdraw && !strcmp(dr->may_withdraw, d->kind)) {
		jz_html(dr->b, " <form method=\"post\" action=\"/designations/%L/withdraw\" class=\"inline\">", d->id);
		jz_page_csrf(dr->b, req);
		jz_html(dr->b, "<button id=\"withdraw-%L\">%r</button></form>", d->id, L(req, "撤回", "Withdraw"));
	}
	jz_html(dr->b, "</li>");
	return true;
}

static void
render_designations(jz_buf *b, jz_req *req, const jz_company *c)
{
	const char *kind = NULL;
	bool may = jz_svc_may_designate(&req->ctx, c, &kind);
	jz_buf rows = JZ_BUF_INIT;
	designation_rows dr = {&rows, req, may ? kind : NULL, NULL, 0};
	jz_err err = {0};
	jz_html(b, "<h2>%r</h2>", L(req, "荣誉评定", "Designations"));
	if (!jz_svc_designation_list(&req->ctx, c->id, designation_row, &dr, &err))
		jz_page_err_box(b, req, &err);
	else if (dr.n)
		jz_html(b, "<ul id=\"designations\">%r</ul>", jz_buf_str(&rows));
	else
		jz_html(b, "<p id=\"designations\">%r</p>", L(req, "暂无。", "None."));
	jz_buf_free(&rows);
	if (!may || strcmp(c->status, "active") != 0)
		return;
	jz_html(b, "<form method=\"post\" action=\"/companies/%s/designations\">", c->uscc);
	jz_page_csrf(b, req);
	jz_html(b, "<fieldset><legend>%r%r</legend><label for=\"year\">%r</label>"
	           "<input type=\"text\" id=\"year\" name=\"year\" inputmode=\"numeric\" maxlength=\"4\">"
	           "<label for=\"issuer\">%r</label><input type=\"text\" id=\"issuer\" name=\"issuer\" maxlength=\"100\">"
	           "<p><input type=\"submit\" id=\"designate\" value=\"%r\"></p></fieldset></form>",
	        L(req, "评定为", "Designate as "), kind_label(req, kind), L(req, "年度（如 2025）", "Year (e.g. 2025)"),
	        L(req, "评定单位", "Issuing office"), L(req, "评定", "Designate"));
}

/* ---- confirmed records about the company ---- */

typedef struct record_rows {
	jz_buf *b;
	jz_req *req;
	json_t *json;
} record_rows;

static void
record_dates(const jz_dishonesty_entry *e, char published[11], char expires[11])
{
	jz_page_date(e->published_at, published);
	if (e->expires_at)
		jz_page_date(e->expires_at, expires);
	else
		expires[0] = '\0';
}

static const char *
category_name(jz_req *req, const char *code)
{
	const jz_credit_category *cat = jz_credit_category_find(code);
	return cat ? L(req, cat->zh, cat->en) : code;
}

static const char *
severity_name(jz_req *req, const char *code)
{
	int s = jz_severity_parse(code);
	return s < 0 ? code : jz_severity_label((jz_severity)s, req->english);
}

static bool
company_record_row(const jz_dishonesty_entry *e, void *arg)
{
	record_rows *rr = arg;
	jz_req *req = rr->req;
	char published[11], expires[11];
	record_dates(e, published, expires);
	if (rr->json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b}", "category", e->category, "severity", e->severity,
		                      "county", e->county, "published", published, "disputed", e->disputed);
		json_object_set_new(o, "expires", *expires ? json_string(expires) : json_null());
		json_array_append_new(rr->json, o);
		return true;
	}
	jz_html(rr->b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%r</td></tr>", category_name(req, e->category),
	        severity_name(req, e->severity), published, *expires ? expires : "—",
	        e->disputed ? L(req, "<span class=\"disputed\">有异议</span>", "<span class=\"disputed\">disputed</span>") : "");
	return true;
}

static void
render_company_records(jz_buf *b, jz_req *req, const jz_company *c)
{
	jz_buf rows = JZ_BUF_INIT;
	record_rows rr = {&rows, req, NULL};
	int64_t total = 0;
	jz_err err = {0};
	jz_html(b, "<h2>%r</h2>", L(req, "失信记录（已认定公示）", "Negative records (confirmed and published)"));
	if (!jz_svc_dishonesty_list(&req->ctx, NULL, c->id, COMPANY_RECORDS, 0, company_record_row, &rr, &total, &err))
		jz_page_err_box(b, req, &err);
	else if (!total)
		jz_html(b, "<p id=\"company-records\">%r</p>", L(req, "无。", "None."));
	else
		jz_html(b, "<table id=\"company-records\"><tr><th>%r</th><th>%r</th><th>%r</th><th>%r</th><th></th></tr>%r</table>",
		        L(req, "类别", "Category"), L(req, "程度", "Severity"), L(req, "公示日期", "Published"),
		        L(req, "信用修复期满", "Counts until"), jz_buf_str(&rows));
	jz_buf_free(&rows);
}

/* ---- the regulator's status forms ---- */

static void
status_form(jz_buf *b, jz_req *req, const jz_company *c, const char *action, const char *label)
{
	jz_html(b, "<form method=\"post\" action=\"/companies/%s/%r\">", c->uscc, action);
	jz_page_csrf(b, req);
	jz_html(b, "<label for=\"reason-%r\">%r</label><textarea id=\"reason-%r\" name=\"reason\" rows=\"2\" maxlength=\"500\">"
	           "</textarea><p><input type=\"submit\" id=\"%r\" value=\"%r\"></p></form>",
	        action, L(req, "理由（公众可见，2至500字）", "Reason (public, 2 to 500 characters)"), action, action, label);
}

static void
render_status_forms(jz_buf *b, jz_req *req, const jz_company *c)
{
	if (!jz_svc_may_govern(&req->ctx, c) || !strcmp(c->status, "revoked"))
		return;
	jz_html(b, "<h2>%r</h2>", L(req, "监管处置", "Regulatory action"));
	if (!strcmp(c->status, "active"))
		status_form(b, req, c, "suspend", L(req, "暂停经营资格", "Suspend"));
	if (!strcmp(c->status, "suspended"))
		status_form(b, req, c, "reinstate", L(req, "恢复经营资格", "Reinstate"));
	status_form(b, req, c, "revoke", L(req, "撤销（不可恢复）", "Revoke (final)"));
}

void
jz_h_render_company_governance(jz_buf *b, jz_req *req, const jz_company *c)
{
	render_rating(b, req, c);
	render_designations(b, req, c);
	render_company_records(b, req, c);
	render_status_forms(b, req, c);
	const char *kind;
	/* The offices that may designate it (in scope) may also record about it. */
	if (jz_svc_may_designate(&req->ctx, c, &kind))
		jz_h_render_report_form(b, req, 0, c->id);
}

bool
jz_h_company_governance_json(jz_req *req, const jz_company *c, json_t *o)
{
	json_t *rating = rating_json(req, c);
	if (!rating)
		return false;
	json_t *designations = json_array(), *records = json_array();
	designation_rows dr = {NULL, req, NULL, designations, 0};
	record_rows rr = {NULL, req, records};
	int64_t total = 0;
	if (!jz_svc_designation_list(&req->ctx, c->id, designation_row, &dr, &req->err) ||
	    !jz_svc_dishonesty_list(&req->ctx, NULL, c->id, COMPANY_RECORDS, 0, company_record_row, &rr, &total,
	                            &req->err)) {
		json_decref(rating);
		json_decref(designations);
		json_decref(records);
		return false;
	}
	if (strcmp(c->status, "active") != 0)
		json_object_set_new(o, "status_reason", json_string(c->status_reason));
	json_object_set_new(o, "rating", rating);
	json_object_set_new(o, "designations", designations);
	json_object_set_new(o, "negative_records", records);
	json_object_set_new(o, "negative_records_total", json_integer(total));
	return true;
}

/* ---- actions: pages ---- */

/* The action is the last segment of the path: /companies/X/suspend. */
static const char *
last_segment(const jz_req *req)
{
	const char *slash = strrchr(req->path, '/');
	return slash ? slash + 1 : "";
}

static enum MHD_Result
back_to_company(jz_req *req, const jz_company *c)
{
	char location[64];
	snprintf(location, sizeof location, "/companies/%s", c->uscc);
	return jz_reply_redirect(req, location);
}

enum MHD_Result
jz_h_company_govern(jz_req *req)
{
	jz_gov_action action;
	jz_company c = {0};
	if (!jz_gov_action_parse(last_segment(req), &action))
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_company_govern(&req->ctx, req->args[0], action, jz_req_param(req, "reason"), &c, &req->err))
		return jz_h_page_error(req);
	enum MHD_Result r = back_to_company(req, &c);
	jz_company_clear(&c);
	return r;
}

enum MHD_Result
jz_h_designate(jz_req *req)
{
	jz_designation d = {0};
	if (!jz_svc_designation_add(&req->ctx, req->args[0], NULL, jz_req_param(req, "year"),
	                            jz_req_param(req, "issuer"), &d, &req->err))
		return jz_h_page_error(req);
	char location[40];
	snprintf(location, sizeof location, "/companies/%" PRId64, d.company_id);
	jz_designation_clear(&d);
	return jz_reply_redirect(req, location);
}

enum MHD_Result
jz_h_designation_withdraw(jz_req *req)
{
	jz_designation d = {0};
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_designation_withdraw(&req->ctx, id, &d, &req->err))
		return jz_h_page_error(req);
	char location[40];
	snprintf(location, sizeof location, "/companies/%" PRId64, d.company_id);
	jz_designation_clear(&d);
	return jz_reply_redirect(req, location);
}

/* ---- actions: API ---- */

enum MHD_Result
jz_h_api_company_govern(jz_req *req)
{
	jz_gov_action action;
	jz_company c = {0};
	const char *reason;
	if (!jz_gov_action_parse(last_segment(req), &action))
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_req_json_string(req, "reason", &reason) ||
	    !jz_svc_company_govern(&req->ctx, req->args[0], action, reason, &c, &req->err))
		return jz_reply_error(req, &req->err);
	json_t *o = jz_company_json(&c, true);
	jz_company_clear(&c);
	return jz_reply_json(req, MHD_HTTP_OK, o);
}

static json_t *
designation_json(const jz_designation *d)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:s, s:I}", "id", (json_int_t)d->id, "company_id",
	                      (json_int_t)d->company_id, "kind", d->kind, "year", (json_int_t)d->year, "issuer",
	                      d->issuer, "designated", (json_int_t)d->created_at);
	json_object_set_new(o, "withdrawn", d->withdrawn_at ? json_integer(d->withdrawn_at) : json_null());
	return o;
}

/* "year" may come as a number or as digits. */
static bool
json_year(jz_req *req, char out[16])
{
	json_t *y = json_object_get(req->json, "year");
	out[0] = '\0';
	if (!y || json_is_null(y))
		return true;
	if (json_is_integer(y) && json_integer_value(y) >= 0 && json_integer_value(y) < 100000)
		snprintf(out, 16, "%" JSON_INTEGER_FORMAT, json_integer_value(y));
	else if (json_is_string(y) && strlen(json_string_value(y)) < 16)
		snprintf(out, 16, "%s", json_string_value(y));
	else
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, "year", "评定年度应为如 2025 的年份", "a year such as 2025");
	return true;
}

enum MHD_Result
jz_h_api_designate(jz_req *req)
{
	jz_designation d = {0};
	const char *kind, *issuer;
	char year[16];
	if (!jz_req_json_string(req, "kind", &kind) || !jz_req_json_string(req, "issuer", &issuer) ||
	    !json_year(req, year) ||
	    !jz_svc_designation_add(&req->ctx, req->args[0], kind, year, issuer, &d, &req->err))
		return jz_reply_error(req, &req->err);
	json_t *o = designation_json(&d);
	jz_designation_clear(&d);
	return jz_reply_json(req, MHD_HTTP_CREATED, o);
}

enum MHD_Result
jz_h_api_designation_withdraw(jz_req *req)
{
	jz_designation d = {0};
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_designation_withdraw(&req->ctx, id, &d, &req->err))
		return jz_reply_error(req, &req->err);
	json_t *o = designation_json(&d);
	jz_designation_clear(&d);
	return jz_reply_json(req, MHD_HTTP_OK, o);
}

/* ---- the officials' list of their region's companies ---- */

typedef struct region_rows {
	jz_buf *b;
	json_t *json;
} region_rows;

static bool
region_row(const jz_company *c, void *arg)
{
	region_rows *rr = arg;
	if (rr->json) {
		json_array_append_new(rr->json, jz_company_json(c, true));
		return true;
	}
	char label[160];
	jz_html(rr->b, "<tr><td><a href=\"/companies/%s\">%s</a><br><small>%s</small></td><td>%s</td><td>%s</td></tr>",
	        c->uscc, c->name, c->uscc, jz_region_label(c->county, label, sizeof label), c->status_reason);
	return true;
}

static const char *
status_param(jz_req *req)
{
	const char *s = jz_req_param(req, "status");
	return s && *s ? s : "active";
}

enum MHD_Result
jz_h_region_companies(jz_req *req)
{
	static const char *const statuses[] = {"active", "suspended", "revoked"};
	const char *status = status_param(req);
	const char *page_s = jz_req_param(req, "page");
	int page = page_s ? atoi(page_s) : 1;
	if (page < 1 || page > 100000)
		page = 1;
	jz_buf b = JZ_BUF_INIT, rows = JZ_BUF_INIT;
	region_rows rr = {&rows, NULL};
	int64_t total = 0;
	if (!jz_svc_companies_in_region(&req->ctx, status, PAGE_SIZE, (page - 1) * PAGE_SIZE, region_row, &rr, &total,
	                                &req->err)) {
		jz_buf_free(&rows);
		return jz_h_page_error(req);
	}
	char label[160];
	jz_page_open(&b, req, L(req, "辖区企业", "Companies in your region"));
	jz_html(&b, "<p>%r<strong>%s</strong></p><p>", L(req, "管辖区域：", "Region: "),
	        jz_region_label(req->user.region, label, sizeof label));
	for (int i = 0; i < 3; i++)
		jz_html(&b, "%r<a href=\"/regulator/companies?status=%r\"%r>%s</a>", i ? " · " : "", statuses[i],
		        !strcmp(status, statuses[i]) ? " aria-current=\"page\"" : "", jz_h_status_label(req, statuses[i]));
	jz_html(&b, "</p><p id=\"region-total\">%r%L</p>", L(req, "共 ", "Total: "), total);
	if (total)
		jz_html(&b, "<table><tr><th>%r</th><th>%r</th><th>%r</th></tr>%r</table>", L(req, "企业", "Company"),
		        L(req, "区县", "County"), L(req, "理由", "Reason"), jz_buf_str(&rows));
	if ((int64_t)page * PAGE_SIZE < total)
		jz_html(&b, "<p><a href=\"/regulator/companies?status=%s&amp;page=%d\">%r</a></p>", status, page + 1,
		        L(req, "下一页", "Next page"));
	jz_buf_free(&rows);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_api_region_companies(jz_req *req)
{
	int limit, offset;
	int64_t total = 0;
	if (!jz_h_list_bounds(req, &limit, &offset))
		return jz_reply_error(req, &req->err);
	json_t *items = json_array();
	region_rows rr = {NULL, items};
	if (!jz_svc_companies_in_region(&req->ctx, status_param(req), limit, offset, region_row, &rr, &total,
	                                &req->err)) {
		json_decref(items);
		return jz_reply_error(req, &req->err);
	}
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:I, s:o}", "total", (json_int_t)total, "items", items));
}
