/* Credit records on the web: the report form (with an evidence file), the record page
 * with its evidence, appeals and the decisions the viewer may take, evidence downloads,
 * the offices' queue, background-flag reviews, and the API for each. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mask.h"
#include "core/readiness.h"
#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/credit.h"
#include "services/workers.h"
#include "util/xmalloc.h"

static const char *
category_label(jz_req *req, const char *code)
{
	const jz_credit_category *c = jz_credit_category_find(code);
	return c ? L(req, c->zh, c->en) : code;
}

static const char *
severity_label(jz_req *req, const char *severity)
{
	int s = jz_severity_parse(severity);
	return s < 0 ? "" : jz_severity_label((jz_severity)s, req->english);
}

/* The status a viewer reads: expired published records say so. */
static const char *
shown_status(const jz_credit_record *r, int64_t now)
{
	if (!strcmp(r->status, "published") && r->expires_at && r->expires_at <= now)
		return "expired";
	return r->status;
}

/* ---- shared pieces: a line per record, the report form ---- */

typedef struct list_ctx {
	jz_req *req;
	jz_buf *b;
	bool links; /* link to the record page */
	int n;
} list_ctx;

static bool
record_item(const jz_credit_record *r, void *arg)
{
	list_ctx *x = arg;
	jz_req *req = x->req;
	char date[11], until[11];
	jz_page_date(r->decided_at ? r->decided_at : r->created_at, date);
	jz_html(x->b, "<li class=\"record record-%r\">", r->polarity);
	if (x->links)
		jz_html(x->b, "<a href=\"/records/%L\">", r->id);
	jz_html(x->b, "%s", category_label(req, r->category));
	if (*r->severity)
		jz_html(x->b, "（%s）", severity_label(req, r->severity));
	if (x->links)
		jz_html(x->b, "</a>");
	jz_html(x->b, " · %s · %s · %s", r->occurred, r->summary, jz_credit_status_label(shown_status(r, req->ctx.now), req->english));
	if (r->expires_at) {
		jz_page_date(r->expires_at, until);
		jz_html(x->b, " · %r%s", L(req, "修复期至 ", "counts until "), until);
	}
	if (r->disputed)
		jz_html(x->b, " <strong class=\"disputed\">%r</strong>", L(req, "有异议，复核中", "disputed"));
	jz_html(x->b, " <span class=\"hint\">%s %s</span></li>", r->reporter_label, date);
	x->n++;
	return true;
}

/* The records section of a worker's record page. */
void
jz_h_render_worker_records(jz_buf *b, jz_req *req, const jz_worker_view *v)
{
	bool all = v->tier == JZ_TIER_SELF || v->tier == JZ_TIER_OFFICIAL;
	jz_buf list = JZ_BUF_INIT;
	list_ctx x = {req, &list, v->tier != JZ_TIER_COMPANY, 0};
	jz_err err;
	jz_html(b, "<h2>%r</h2>", L(req, "信用记录", "Credit records"));
	if (jz_svc_worker_records(&req->ctx, v->worker.id, all, record_item, &x, &err) && x.n)
		jz_html(b, "<ul id=\"credit-records\">%r</ul>", jz_buf_str(&list));
	else
		jz_html(b, "<p class=\"hint\" id=\"credit-records\">%r</p>", L(req, "暂无信用记录", "No credit records"));
	jz_buf_free(&list);
	if (v->tier == JZ_TIER_EMPLOYER || v->tier == JZ_TIER_OFFICIAL)
		jz_h_render_report_form(b, req, v->worker.id, 0);
}

void
jz_h_render_report_form(jz_buf *b, jz_req *req, int64_t worker_id, int64_t company_id)
{
	char today[11];
	jz_date_of(req->ctx.now, today);
	jz_html(b, "<form method=\"post\" action=\"/records\" enctype=\"multipart/form-data\" id=\"report-form\"><h2>%r</h2>",
	        L(req, "报告信用记录", "Report a credit record"));
	jz_page_csrf(b, req);
	if (worker_id)
		jz_html(b, "<input type=\"hidden\" name=\"worker_id\" value=\"%L\">", worker_id);
	else
		jz_html(b, "<input type=\"hidden\" name=\"company_id\" value=\"%L\">", company_id);
	jz_html(b, "<label for=\"category\">%r</label><select id=\"category\" name=\"category\">", L(req, "类别", "Category"));
	for (size_t i = 0; i < jz_credit_category_count(); i++) {
		const jz_credit_category *c = jz_credit_category_at(i);
		jz_html(b, "<option value=\"%s\">%s%s</option>", c->code, c->negative ? L(req, "不良：", "Negative: ") : L(req, "良好：", "Positive: "),
		        L(req, c->zh, c->en));
	}
	jz_html(b, "</select><label for=\"severity\">%r</label><select id=\"severity\" name=\"severity\"><option value=\"\">%r</option>",
	        L(req, "严重程度（不良记录）", "Severity (negative records)"), L(req, "—（良好记录）", "— (positive)"));
	for (int s = 0; s < 3; s++)
		jz_html(b, "<option value=\"%r\">%r</option>", jz_severity_name((jz_severity)s), jz_severity_label((jz_severity)s, req->english));
	jz_html(b, "</select><label for=\"occurred\">%r</label><input type=\"text\" id=\"occurred\" name=\"occurred\" value=\"%s\">"
	           "<label for=\"summary\">%r</label><input type=\"text\" id=\"summary\" name=\"summary\" maxlength=\"200\">"
	           "<label for=\"evidence\">%r</label><textarea id=\"evidence\" name=\"evidence\" rows=\"3\"></textarea>"
	           "<label for=\"file\">%r</label><input type=\"file\" id=\"file\" name=\"file\" accept=\"image/jpeg,image/png,application/pdf,text/plain\">"
	           "<p><input type=\"submit\" value=\"%r\"></p></form>",
	        L(req, "发生日期", "Date"), today, L(req, "摘要（2至200字）", "Summary (2–200 characters)"),
	        L(req, "证据说明（可选）", "Evidence (optional)"), L(req, "证据文件（可选，JPG/PNG/PDF/文本，不超过2MB）", "Evidence file (optional; JPG, PNG, PDF or text, up to 2 MB)"),
	        L(req, "提交报告", "Report"));
}

/* ---- input ---- */

static int64_t
param_id(jz_req *req, const char *name)
{
	const char *s = jz_req_param(req, name);
	char *end;
	long long v = s && *s ? strtoll(s, &end, 10) : 0;
	return s && *s && !*end && v > 0 ? v : 0;
}

/* The optional base64 file of an API body; *data is freed by the caller. */
static bool
api_file(jz_req *req, jz_upload_file *f, unsigned char **data)
{
	const char *b64, *name;
	*data = NULL;
	if (!jz_req_json_string(req, "file_base64", &b64) || !jz_req_json_string(req, "file_name", &name))
		return false;
	if (!b64)
		return true;
	/* libsodium 1.0.18 (Debian 12) decodes any byte from 0x80 up as '/': only the
	 * alphabet, padding and line breaks go to it. */
	if (strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \n\r") != strlen(b64))
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, "file_base64", "不是有效的 Base64", "not valid base64");
	size_t cap = strlen(b64) / 4 * 3 + 3, len;
	*data = jz_xmalloc(cap);
	if (sodium_base642bin(*data, cap, b64, strlen(b64), " \n\r", &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, "file_base64", "不是有效的 Base64", "not valid base64");
	f->data = *data;
	f->len = len;
	f->name = name;
	return true;
}

static bool
api_int(jz_req *req, const char *name, int64_t *out)
{
	json_t *v = req->json ? json_object_get(req->json, name) : NULL;
	*out = 0;
	if (!v)
		return true;
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, name, "应为正整数", "a positive integer");
	*out = json_integer_value(v);
	return true;
}

/* ---- JSON ---- */

static json_t *
record_json(const jz_credit_record *r, int64_t now)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:s, s:s}", "id",
	                      (json_int_t)r->id, "polarity", r->polarity, "category", r->category, "severity", r->severity,
	                      "summary", r->summary, "occurred", r->occurred, "status", shown_status(r, now), "reporter",
	                      r->reporter_label, "county", r->county, "disputed", r->disputed, "decided_at",
	                      (json_int_t)r->decided_at, "expires_at", (json_int_t)r->expires_at, "decision_reason",
	                      r->decision_reason, "subject_name", r->subject_name);
	json_object_set_new(o, "worker_id", r->worker_id ? json_integer(r->worker_id) : json_null());
	json_object_set_new(o, "company_id", r->company_id ? json_integer(r->company_id) : json_null());
	return o;
}

static bool
record_array_item(const jz_credit_record *r, void *arg)
{
	json_t **a = arg;
	json_array_append_new(a[0], record_json(r, (int64_t)json_integer_value(a[1])));
	return true;
}

json_t *
jz_h_worker_records_json(jz_req *req, const jz_worker_view *v)
{
	bool all = v->tier == JZ_TIER_SELF || v->tier == JZ_TIER_OFFICIAL;
	json_t *arr = json_array(), *now = json_integer(req->ctx.now);
	json_t *ctx[2] = {arr, now};
	bool ok = jz_svc_worker_records(&req->ctx, v->worker.id, all, record_array_item, ctx, &req->err);
	json_decref(now);
	if (!ok) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static bool
evidence_json(const jz_evidence *e, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:I, s:b}", "id", (json_int_t)e->id, "filename",
	                                     e->filename, "content_type", e->content_type, "size", (json_int_t)e->size,
	                                     "appeal", e->appeal_id != 0));
	return true;
}

static bool
appeal_json(const jz_credit_appeal *a, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)a->id,
	                                     "record_id", (json_int_t)a->record_id, "by", a->by_worker ? "worker" : "company",
	                                     "reasons", a->reasons, "status", a->status, "decision_reason", a->decision_reason,
	                                     "due_at", (json_int_t)a->due_at, "decided_at", (json_int_t)a->decided_at,
	                                     "created_at", (json_int_t)a->created_at));
	return true;
}

typedef struct opened {
	json_t *json;
	jz_record_rights rights;
	jz_credit_record *copy; /* not kept: pages render inside the callback */
	jz_req *req;
	jz_buf *b;
} opened;

static void
record_to_json(const jz_credit_record *r, const jz_record_rights *rights, void *arg)
{
	opened *o = arg;
	o->json = record_json(r, o->req->ctx.now);
	o->rights = *rights;
	json_object_set_new(o->json, "evidence_text", rights->evidence ? json_string(r->evidence) : json_null());
	json_object_set_new(o->json, "may", json_pack("{s:b, s:b, s:b}", "decide", rights->decide, "appeal", rights->appeal,
	                                              "decide_appeal", rights->decide_appeal));
}

enum MHD_Result
jz_h_api_record_show(jz_req *req)
{
	int64_t id = jz_h_path_id(req);
	opened o = {.req = req};
	if (!id || !jz_svc_record_open(&req->ctx, id, record_to_json, &o, &req->err))
		return id ? jz_reply_error(req, &req->err) : jz_reply_code(req, JZ_E_NOT_FOUND);
	json_t *files = json_array(), *appeals = json_array();
	json_object_set_new(o.json, "evidence_files", files);
	json_object_set_new(o.json, "appeals", appeals);
	if (!jz_svc_record_evidence(&req->ctx, id, evidence_json, files, &req->err) ||
	    !jz_svc_record_appeals(&req->ctx, id, appeal_json, appeals, &req->err)) {
		json_decref(o.json);
		return jz_reply_error(req, &req->err);
	}
	return jz_reply_json(req, MHD_HTTP_OK, o.json);
}

enum MHD_Result
jz_h_api_record_report(jz_req *req)
{
	jz_record_input in = {0};
	unsigned char *data = NULL;
	int64_t id;
	bool published;
	bool ok = api_int(req, "worker_id", &in.worker_id) && api_int(req, "company_id", &in.company_id) &&
	          jz_req_json_string(req, "category", &in.category) && jz_req_json_string(req, "severity", &in.severity) &&
	          jz_req_json_string(req, "summary", &in.summary) && jz_req_json_string(req, "evidence", &in.evidence) &&
	          jz_req_json_string(req, "occurred", &in.occurred) && api_file(req, &in.file, &data) &&
	          jz_svc_record_report(&req->ctx, &in, &id, &published, &req->err);
	free(data);
	if (!ok)
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_CREATED,
	                     json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", published ? "published" : "reported"));
}

enum MHD_Result
jz_h_api_record_decide(jz_req *req)
{
	const char *decision, *severity, *reason;
	if (!jz_req_json_string(req, "decision", &decision) || !jz_req_json_string(req, "severity", &severity) ||
	    !jz_req_json_string(req, "reason", &reason) ||
	    !jz_svc_record_decide(&req->ctx, jz_h_path_id(req), decision, severity, reason, &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:s}", "status", !strcmp(decision, "confirm") ? "published" : "dismissed"));
}

enum MHD_Result
jz_h_api_record_appeal(jz_req *req)
{
	const char *reasons;
	jz_upload_file f = {0};
	unsigned char *data = NULL;
	int64_t id;
	bool ok = jz_req_json_string(req, "reasons", &reasons) && api_file(req, &f, &data) &&
	          jz_svc_appeal_file(&req->ctx, jz_h_path_id(req), reasons, &f, &id, &req->err);
	free(data);
	if (!ok)
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_CREATED, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "pending"));
}

enum MHD_Result
jz_h_api_appeal_decide(jz_req *req)
{
	const char *decision, *reason;
	if (!jz_req_json_string(req, "decision", &decision) || !jz_req_json_string(req, "reason", &reason) ||
	    !jz_svc_appeal_decide(&req->ctx, jz_h_path_id(req), decision, reason, &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:s}", "status", !strcmp(decision, "uphold") ? "upheld" : "rejected"));
}

enum MHD_Result
jz_h_api_background_review(jz_req *req)
{
	const char *decision, *reason;
	if (!jz_req_json_string(req, "decision", &decision) || !jz_req_json_string(req, "reason", &reason) ||
	    !jz_svc_background_review(&req->ctx, jz_h_path_id(req), decision, reason, &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:s}", "decision", decision));
}

/* ---- the queue ---- */

typedef struct queue_json {
	json_t *records, *appeals, *flags;
	int64_t now;
} queue_json;

static bool
queue_record_json(const jz_credit_record *r, void *arg)
{
	queue_json *q = arg;
	json_array_append_new(q->records, record_json(r, q->now));
	return true;
}

static bool
queue_appeal_json(const jz_credit_appeal *a, void *arg)
{
	queue_json *q = arg;
	appeal_json(a, q->appeals);
	json_object_set_new(json_array_get(q->appeals, json_array_size(q->appeals) - 1), "overdue",
	                    json_boolean(a->due_at < q->now));
	return true;
}

static bool
queue_flag_json(int64_t worker_id, const char *name, const char *source, int64_t at, void *arg)
{
	queue_json *q = arg;
	json_array_append_new(q->flags, json_pack("{s:I, s:s, s:s, s:I}", "worker_id", (json_int_t)worker_id, "name", name,
	                                          "source", source, "at", (json_int_t)at));
	return true;
}

enum MHD_Result
jz_h_api_credit_queue(jz_req *req)
{
	queue_json q = {json_array(), json_array(), json_array(), req->ctx.now};
	jz_credit_queue cb = {queue_record_json, queue_appeal_json, queue_flag_json, &q};
	json_t *o = json_pack("{s:o, s:o, s:o}", "records", q.records, "appeals", q.appeals, "background_flags", q.flags);
	if (!jz_svc_credit_queue(&req->ctx, &cb, &req->err)) {
		json_decref(o);
		return jz_reply_error(req, &req->err);
	}
	return jz_reply_json(req, MHD_HTTP_OK, o);
}

/* ---- evidence download (pages and API) ---- */

enum MHD_Result
jz_h_evidence(jz_req *req)
{
	unsigned char *data;
	size_t len;
	char name[128], type[64];
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_evidence_read(&req->ctx, id, &data, &len, name, type, &req->err))
		return req->route->kind == JZ_ROUTE_API ? jz_reply_error(req, &req->err) : jz_h_page_error(req);
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	/* Always a download: evidence is never rendered in the platform's origin. */
	char disposition[200];
	snprintf(disposition, sizeof disposition, "attachment; filename=\"evidence-%" PRId64 "%s\"", id,
	         !strncmp(type, "image/png", 9) ? ".png" : !strncmp(type, "image/jpeg", 10) ? ".jpg"
	         : !strncmp(type, "application/pdf", 15) ? ".pdf" : ".txt");
	MHD_add_response_header(resp, "Content-Disposition", disposition);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	return jz_reply_response(req, MHD_HTTP_OK, resp, type);
}

/* ---- pages ---- */

static bool
evidence_row(const jz_evidence *e, void *arg)
{
	list_ctx *x = arg;
	jz_html(x->b, "<li><a href=\"/evidence/%L\">%s</a> <span class=\"hint\">%L B%r</span></li>", e->id, e->filename,
	        e->size, e->appeal_id ? L(x->req, " · 异议材料", " · appeal") : "");
	x->n++;
	return true;
}

static bool
appeal_row(const jz_credit_appeal *a, void *arg)
{
	list_ctx *x = arg;
	jz_req *req = x->req;
	char filed[11], due[11];
	jz_page_date(a->created_at, filed);
	jz_page_date(a->due_at, due);
	jz_html(x->b, "<li class=\"appeal\" id=\"appeal-%L\"><p>%r%s · %s · %s</p><p>%s</p>", a->id,
	        a->by_worker ? L(req, "家政服务员异议 ", "Appeal by the worker ") : L(req, "企业异议 ", "Appeal by the company "), filed,
	        jz_credit_status_label(a->status, req->english), due, a->reasons);
	if (*a->decision_reason)
		jz_html(x->b, "<p class=\"hint\">%r%s</p>", L(req, "决定理由：", "Reasons: "), a->decision_reason);
	if (!strcmp(a->status, "pending") && x->links) {
		jz_html(x->b, "<form method=\"post\" action=\"/appeals/%L/decide\">", a->id);
		jz_page_csrf(x->b, req);
		jz_html(x->b, "<label for=\"appeal-reason\">%r</label><input type=\"text\" id=\"appeal-reason\" name=\"reason\">"
		              "<button name=\"decision\" value=\"uphold\">%r</button> <button name=\"decision\" value=\"reject\">%r</button></form>",
		        L(req, "决定理由", "Reasons"), L(req, "异议成立（撤销记录）", "Uphold (revoke the record)"),
		        L(req, "异议不成立", "Reject"));
	}
	jz_html(x->b, "</li>");
	return true;
}

static void
record_page_body(const jz_credit_record *r, const jz_record_rights *rights, void *arg)
{
	opened *o = arg;
	jz_req *req = o->req;
	jz_buf *b = o->b;
	char date[11];
	o->rights = *rights;
	jz_html(b, "<table id=\"record\"><tr><th>%r</th><td>%s</td></tr><tr><th>%r</th><td>%s%s%s</td></tr>"
	           "<tr><th>%r</th><td id=\"record-status\">%s%r</td></tr><tr><th>%r</th><td>%s</td></tr>"
	           "<tr><th>%r</th><td>%s</td></tr><tr><th>%r</th><td>%s</td></tr>",
	        L(req, "对象", "Subject"), r->subject_name, L(req, "类别", "Category"), category_label(req, r->category),
	        *r->severity ? " · " : "", severity_label(req, r->severity), L(req, "状态", "Status"),
	        jz_credit_status_label(shown_status(r, req->ctx.now), req->english),
	        r->disputed ? L(req, "（有异议，复核中）", " (disputed)") : "", L(req, "发生日期", "Date"), r->occurred,
	        L(req, "摘要", "Summary"), r->summary, L(req, "报告方", "Reported by"), r->reporter_label);
	if (rights->evidence && *r->evidence)
		jz_html(b, "<tr><th>%r</th><td>%s</td></tr>", L(req, "证据说明", "Evidence"), r->evidence);
	if (r->decided_at) {
		jz_page_date(r->decided_at, date);
		jz_html(b, "<tr><th>%r</th><td>%s · %s</td></tr>", L(req, "认定", "Decision"), date, r->decision_reason);
	}
	if (r->expires_at) {
		jz_page_date(r->expires_at, date);
		jz_html(b, "<tr><th>%r</th><td>%s</td></tr>", L(req, "信用修复（期满不再计入）", "Counts until (credit repair)"), date);
	}
	jz_html(b, "</table>");
	if (r->worker_id && rights->evidence && (req->signed_in))
		jz_html(b, "<p><a href=\"/workers/%L\">%r</a></p>", r->worker_id, L(req, "查看家政服务员记录", "Open the worker's record"));
}

static enum MHD_Result
record_page(jz_req *req, int64_t id, unsigned status, const jz_err *err)
{
	jz_buf b = JZ_BUF_INIT;
	opened o = {.req = req, .b = &b};
	jz_page_open(&b, req, L(req, "信用记录", "Credit record"));
	if (err)
		jz_page_err_box(&b, req, err);
	if (!jz_svc_record_open(&req->ctx, id, record_page_body, &o, &req->err)) {
		jz_buf_free(&b);
		return jz_h_page_error(req);
	}
	jz_buf list = JZ_BUF_INIT;
	list_ctx x = {req, &list, false, 0};
	if (jz_svc_record_evidence(&req->ctx, id, evidence_row, &x, &req->err) && x.n)
		jz_html(&b, "<h2>%r</h2><ul id=\"evidence-files\">%r</ul>", L(req, "证据文件", "Evidence files"), jz_buf_str(&list));
	jz_buf_reset(&list);
	x = (list_ctx){req, &list, o.rights.decide_appeal, 0};
	if (jz_svc_record_appeals(&req->ctx, id, appeal_row, &x, &req->err) && list.len)
		jz_html(&b, "<h2>%r</h2><ul id=\"appeals\">%r</ul>", L(req, "异议", "Appeals"), jz_buf_str(&list));
	jz_buf_free(&list);
	if (o.rights.decide) {
		jz_html(&b, "<form method=\"post\" action=\"/records/%L/decide\" id=\"decide-form\"><h2>%r</h2>", id,
		        L(req, "核实认定", "Decide"));
		jz_page_csrf(&b, req);
		jz_html(&b, "<label for=\"decide-severity\">%r</label><select id=\"decide-severity\" name=\"severity\"><option value=\"\">%r</option>",
		        L(req, "严重程度（可更正）", "Severity (may be corrected)"), L(req, "不变", "unchanged"));
		for (int s = 0; s < 3; s++)
			jz_html(&b, "<option value=\"%r\">%r</option>", jz_severity_name((jz_severity)s), jz_severity_label((jz_severity)s, req->english));
		jz_html(&b, "</select><label for=\"decide-reason\">%r</label><input type=\"text\" id=\"decide-reason\" name=\"reason\">"
		            "<p><button name=\"decision\" value=\"confirm\">%r</button> <button name=\"decision\" value=\"dismiss\">%r</button></p></form>",
		        L(req, "理由", "Reasons"), L(req, "认定并公示", "Confirm and publish"), L(req, "不予认定", "Dismiss"));
	}
	if (o.rights.appeal) {
		jz_html(&b, "<form method=\"post\" action=\"/records/%L/appeal\" enctype=\"multipart/form-data\" id=\"appeal-form\"><h2>%r</h2>",
		        id, L(req, "提出异议", "Appeal"));
		jz_page_csrf(&b, req);
		jz_html(&b, "<label for=\"reasons\">%r</label><textarea id=\"reasons\" name=\"reasons\" rows=\"4\"></textarea>"
		            "<label for=\"appeal-file\">%r</label><input type=\"file\" id=\"appeal-file\" name=\"file\">"
		            "<p><input type=\"submit\" value=\"%r\"></p></form>",
		        L(req, "异议理由", "Reasons"), L(req, "证据文件（可选）", "Evidence file (optional)"), L(req, "提交异议", "Submit the appeal"));
	}
	jz_page_close(&b, req);
	return jz_reply_html(req, status, &b);
}

enum MHD_Result
jz_h_record_show(jz_req *req)
{
	int64_t id = jz_h_path_id(req);
	return id ? record_page(req, id, MHD_HTTP_OK, NULL) : jz_reply_code(req, JZ_E_NOT_FOUND);
}

static jz_upload_file
page_file(jz_req *req)
{
	jz_upload_file f = {0};
	if (req->upload.len) {
		f.data = req->upload.data;
		f.len = req->upload.len;
		f.name = req->upload_name;
	}
	return f;
}

enum MHD_Result
jz_h_record_report(jz_req *req)
{
	jz_record_input in = {
	    .worker_id = param_id(req, "worker_id"),
	    .company_id = param_id(req, "company_id"),
	    .category = jz_req_param(req, "category"),
	    .severity = jz_req_param(req, "severity"),
	    .summary = jz_req_param(req, "summary"),
	    .evidence = jz_req_param(req, "evidence"),
	    .occurred = jz_req_param(req, "occurred"),
	    .file = page_file(req),
	};
	int64_t id;
	bool published;
	if (!jz_svc_record_report(&req->ctx, &in, &id, &published, &req->err))
		return jz_h_page_error(req);
	char location[48];
	snprintf(location, sizeof location, "/records/%" PRId64, id);
	return jz_reply_redirect(req, location);
}

enum MHD_Result
jz_h_record_decide(jz_req *req)
{
	int64_t id = jz_h_path_id(req);
	if (!jz_svc_record_decide(&req->ctx, id, jz_req_param(req, "decision"), jz_req_param(req, "severity"),
	                          jz_req_param(req, "reason"), &req->err)) {
		if (req->err.code == JZ_E_INVALID_FIELD || req->err.code == JZ_E_MISSING_FIELD)
			return record_page(req, id, MHD_HTTP_BAD_REQUEST, &req->err);
		return jz_h_page_error(req);
	}
	return jz_reply_redirect(req, "/regulator/credit");
}

enum MHD_Result
jz_h_record_appeal(jz_req *req)
{
	int64_t id = jz_h_path_id(req), appeal;
	jz_upload_file f = page_file(req);
	if (!jz_svc_appeal_file(&req->ctx, id, jz_req_param(req, "reasons"), &f, &appeal, &req->err)) {
		if (req->err.code == JZ_E_INVALID_FIELD || req->err.code == JZ_E_MISSING_FIELD)
			return record_page(req, id, MHD_HTTP_BAD_REQUEST, &req->err);
		return jz_h_page_error(req);
	}
	char location[48];
	snprintf(location, sizeof location, "/records/%" PRId64, id);
	return jz_reply_redirect(req, location);
}

enum MHD_Result
jz_h_appeal_decide(jz_req *req)
{
	if (!jz_svc_appeal_decide(&req->ctx, jz_h_path_id(req), jz_req_param(req, "decision"), jz_req_param(req, "reason"),
	                          &req->err))
		return jz_h_page_error(req);
	return jz_reply_redirect(req, "/regulator/credit");
}

enum MHD_Result
jz_h_background_review(jz_req *req)
{
	if (!jz_svc_background_review(&req->ctx, jz_h_path_id(req), jz_req_param(req, "decision"), jz_req_param(req, "reason"),
	                              &req->err))
		return jz_h_page_error(req);
	return jz_reply_redirect(req, "/regulator/credit");
}

typedef struct queue_page {
	jz_req *req;
	jz_buf records, appeals, flags;
} queue_page;

static bool
queue_record_row(const jz_credit_record *r, void *arg)
{
	queue_page *q = arg;
	list_ctx x = {q->req, &q->records, true, 0};
	return record_item(r, &x);
}

static bool
queue_appeal_row(const jz_credit_appeal *a, void *arg)
{
	queue_page *q = arg;
	jz_req *req = q->req;
	char due[11];
	jz_page_date(a->due_at, due);
	jz_html(&q->appeals, "<li%r><a href=\"/records/%L\">%s · %s</a> · %r%s%r</li>", a->due_at < req->ctx.now ? " class=\"overdue\"" : "",
	        a->record_id, a->subject_name, a->summary, L(req, "期限 ", "due "), due,
	        a->due_at < req->ctx.now ? L(req, " <strong>已超期</strong>", " <strong>overdue</strong>") : "");
	return true;
}

static bool
queue_flag_row(int64_t worker_id, const char *name, const char *source, int64_t at, void *arg)
{
	queue_page *q = arg;
	jz_req *req = q->req;
	char date[11];
	jz_page_date(at, date);
	jz_html(&q->flags, "<li><a href=\"/workers/%L\">%s</a> · %s · %s<form method=\"post\" action=\"/workers/%L/background/review\">",
	        worker_id, name, source, date, worker_id);
	jz_page_csrf(&q->flags, req);
	jz_html(&q->flags, "<input type=\"text\" name=\"reason\" aria-label=\"%r\"><button name=\"decision\" value=\"confirm\">%r</button> "
	                   "<button name=\"decision\" value=\"overturn\">%r</button></form></li>",
	        L(req, "理由", "Reasons"), L(req, "确认（公开显示）", "Confirm (shown publicly)"), L(req, "不予确认", "Overturn"));
	return true;
}

enum MHD_Result
jz_h_credit_queue(jz_req *req)
{
	queue_page q = {req, JZ_BUF_INIT, JZ_BUF_INIT, JZ_BUF_INIT};
	jz_credit_queue cb = {queue_record_row, queue_appeal_row, queue_flag_row, &q};
	if (!jz_svc_credit_queue(&req->ctx, &cb, &req->err)) {
		jz_buf_free(&q.records);
		jz_buf_free(&q.appeals);
		jz_buf_free(&q.flags);
		return jz_h_page_error(req);
	}
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "信用记录审核", "Credit records to decide"));
	const char *none = L(req, "<p class=\"hint\">暂无</p>", "<p class=\"hint\">None</p>");
	jz_html(&b, "<h2>%r</h2>", L(req, "待核实的记录", "Reported records"));
	jz_html(&b, q.records.len ? "<ul id=\"queue-records\">%r</ul>" : "%r", q.records.len ? jz_buf_str(&q.records) : none);
	jz_html(&b, "<h2>%r</h2>", L(req, "待处理的异议（最早到期在前）", "Pending appeals (earliest deadline first)"));
	jz_html(&b, q.appeals.len ? "<ul id=\"queue-appeals\">%r</ul>" : "%r", q.appeals.len ? jz_buf_str(&q.appeals) : none);
	if (!strcmp(req->user.role, "regulator")) {
		jz_html(&b, "<h2>%r</h2>", L(req, "待确认的背景审查异常", "Background flags to confirm"));
		jz_html(&b, q.flags.len ? "<ul id=\"queue-flags\">%r</ul>" : "%r", q.flags.len ? jz_buf_str(&q.flags) : none);
	}
	jz_page_close(&b, req);
	jz_buf_free(&q.records);
	jz_buf_free(&q.appeals);
	jz_buf_free(&q.flags);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}
