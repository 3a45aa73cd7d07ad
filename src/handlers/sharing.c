/* Sharing on the web: the worker's share code, a company's credit check with it, and the
 * company's inbox of confirmed records. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/credit.h"
#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/credit.h"
#include "services/workers.h"

/* ---- share codes ---- */

/* The worker's own (path /worker/share-code) or, for an employer, the path's worker. */
static int64_t
code_worker(jz_req *req)
{
	return req->args[0] ? jz_h_path_id(req) : req->ctx.worker_id;
}

/* The worker's own routes (/worker/share-code...) need a worker's session: anyone else is
 * sent to the worker's sign-in (pages) or told to sign in (API), like /worker itself. */
static bool
needs_worker(const jz_req *req)
{
	return !req->args[0] && !req->ctx.worker_id;
}

static enum MHD_Result
code_page(jz_req *req, const char *code, int64_t expires_at)
{
	char until[11];
	jz_page_date(expires_at, until);
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "信用查询分享码", "Share code for credit checks"));
	jz_html(&b, "<p>%r</p><p class=\"secret\" id=\"share-code\">%s</p><p>%r%s%r</p>",
	        L(req, "把分享码和身份证号告诉要查询您信用的家政企业：", "Give this code and your ID number to the company that wants to check your credit:"),
	        code, L(req, "有效期至 ", "Valid until "), until,
	        L(req, "。企业能看到您的核验状态、证书、评价和已认定的信用记录，看不到您的电话和住址；每次查询您都能在“谁查看过我的记录”里看到。",
	          ". The company sees your checks, certificates, reviews and confirmed records, never your phone or address; each check shows in “Who looked at my record”."));
	jz_html(&b, "<p><a href=\"%r\">%r</a></p>", req->ctx.worker_id ? "/worker" : "/company/workers", L(req, "返回", "Back"));
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_share_code_new(jz_req *req)
{
	char code[12];
	int64_t expires;
	if (needs_worker(req))
		return jz_reply_redirect(req, "/worker/login");
	if (!jz_svc_share_code_new(&req->ctx, code_worker(req), code, &expires, &req->err))
		return jz_h_page_error(req);
	return code_page(req, code, expires);
}

enum MHD_Result
jz_h_share_code_revoke(jz_req *req)
{
	if (needs_worker(req))
		return jz_reply_redirect(req, "/worker/login");
	if (!jz_svc_share_code_revoke(&req->ctx, code_worker(req), &req->err))
		return jz_h_page_error(req);
	return jz_reply_redirect(req, "/worker");
}

enum MHD_Result
jz_h_api_share_code_new(jz_req *req)
{
	char code[12];
	int64_t expires;
	if (needs_worker(req))
		return jz_reply_code(req, JZ_E_UNAUTHENTICATED);
	if (!jz_svc_share_code_new(&req->ctx, code_worker(req), code, &expires, &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_CREATED, json_pack("{s:s, s:I}", "share_code", code, "expires_at", (json_int_t)expires));
}

enum MHD_Result
jz_h_api_share_code_revoke(jz_req *req)
{
	if (needs_worker(req))
		return jz_reply_code(req, JZ_E_UNAUTHENTICATED);
	if (!jz_svc_share_code_revoke(&req->ctx, code_worker(req), &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:b}", "revoked", 1));
}

void
jz_h_render_share_code(jz_buf *b, jz_req *req, int64_t worker_id)
{
	int64_t expires = 0;
	jz_err err;
	char until[11];
	const char *action = req->ctx.worker_id ? "/worker/share-code" : NULL;
	char path[64];
	if (!action) {
		snprintf(path, sizeof path, "/workers/%" PRId64 "/share-code", worker_id);
		action = path;
	}
	jz_html(b, "<h2>%r</h2>", L(req, "信用查询分享码", "Share code for credit checks"));
	if (jz_svc_share_code_expiry(&req->ctx, worker_id, &expires, &err) && expires) {
		jz_page_date(expires, until);
		jz_html(b, "<p id=\"share-code-state\">%r%s</p>", L(req, "当前分享码有效期至 ", "A share code is valid until "), until);
	}
	jz_html(b, "<form method=\"post\" action=\"%s\">", action);
	jz_page_csrf(b, req);
	jz_html(b, "<p class=\"hint\">%r</p><p><input type=\"submit\" id=\"share-code-new\" value=\"%r\"></p></form>",
	        L(req, "其他家政企业凭身份证号和分享码查询信用（30天内有效，新码作废旧码）。",
	          "Other companies check credit with the ID number and this code (valid 30 days; a new code replaces the old)."),
	        L(req, "生成分享码", "Make a share code"));
	if (expires && req->ctx.worker_id) {
		jz_html(b, "<form method=\"post\" action=\"/worker/share-code/revoke\">");
		jz_page_csrf(b, req);
		jz_html(b, "<p><input type=\"submit\" value=\"%r\"></p></form>", L(req, "作废分享码", "Revoke the code"));
	}
}

/* ---- credit checks ---- */

static void
check_form(jz_buf *b, jz_req *req)
{
	jz_html(b, "<form method=\"post\" action=\"/credit-check\" id=\"credit-check-form\">");
	jz_page_csrf(b, req);
	jz_html(b, "<label for=\"check-id\">%r</label><input type=\"text\" id=\"check-id\" name=\"id_number\" autocomplete=\"off\">"
	           "<label for=\"check-code\">%r</label><input type=\"text\" id=\"check-code\" name=\"share_code\" autocomplete=\"off\">"
	           "<p><input type=\"submit\" value=\"%r\"></p></form>",
	        L(req, "身份证号", "ID number"), L(req, "分享码（服务员提供）", "Share code (from the worker)"), L(req, "查询", "Check"));
}

enum MHD_Result
jz_h_credit_check_form(jz_req *req)
{
	enum MHD_Result refused;
	if (!jz_h_company_form(req, &refused))
		return refused;
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "信用查询", "Credit check"));
	jz_html(&b, "<p class=\"hint\">%r</p>", L(req, "凭家政服务员本人给您的分享码查询其信用；查询会被记录，本人可见。",
	                                         "Check a worker's credit with the share code they gave you; each check is logged and shown to them."));
	check_form(&b, req);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_credit_check(jz_req *req)
{
	jz_worker_view v;
	if (!jz_svc_worker_credit_check(&req->ctx, jz_req_param(req, "id_number"), jz_req_param(req, "share_code"), &v,
	                                &req->err)) {
		if (req->err.code != JZ_E_INVALID_FIELD && req->err.code != JZ_E_MISSING_FIELD && req->err.code != JZ_E_NOT_FOUND &&
		    req->err.code != JZ_E_RATE_LIMITED)
			return jz_h_page_error(req);
		jz_buf b = JZ_BUF_INIT;
		jz_page_open(&b, req, L(req, "信用查询", "Credit check"));
		jz_page_err_box(&b, req, &req->err);
		check_form(&b, req);
		jz_page_close(&b, req);
		return jz_reply_html(req, (unsigned)jz_err_http_status(req->err.code), &b);
	}
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "信用查询结果", "Credit check"));
	jz_html(&b, "<p class=\"hint\">%r</p>", L(req, "信用查询：不显示联系方式；本次查询已记录，服务员本人可见。",
	                                         "Credit check: no contact data; this check is logged and shown to the worker."));
	jz_h_render_worker(&b, req, &v);
	jz_h_render_checkins(&b, req, v.worker.id);
	jz_h_render_service_and_reviews(&b, req, &v);
	jz_worker_view_free(&v);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

/* ---- the inbox ---- */

static const char *
kind_label(jz_req *req, const char *kind)
{
	return !strcmp(kind, "record_revoked") ? L(req, "信用记录已撤销", "Record revoked")
	                                       : L(req, "信用记录已认定", "Record confirmed");
}

static bool
inbox_row(const jz_notification *n, void *arg)
{
	jz_buf *b = ((void **)arg)[0];
	jz_req *req = ((void **)arg)[1];
	char date[11];
	jz_page_date(n->created_at, date);
	const jz_credit_category *c = jz_credit_category_find(n->category);
	jz_html(b, "<li class=\"%r\"><a href=\"/records/%L\">%r · %s · %s</a> · %s · %s</li>", n->read_at ? "read" : "unread",
	        n->record_id, kind_label(req, n->kind), n->worker_name, c ? L(req, c->zh, c->en) : n->category, n->summary, date);
	return true;
}

enum MHD_Result
jz_h_inbox(jz_req *req)
{
	jz_buf list = JZ_BUF_INIT;
	void *arg[2] = {&list, req};
	int64_t unread;
	if (!jz_svc_inbox(&req->ctx, inbox_row, arg, &unread, &req->err)) {
		jz_buf_free(&list);
		return jz_h_page_error(req);
	}
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "消息", "Inbox"));
	jz_html(&b, "<p id=\"unread\">%r%L</p>", L(req, "未读：", "Unread: "), unread);
	if (list.len) {
		jz_html(&b, "<ul id=\"inbox\">%r</ul><form method=\"post\" action=\"/company/inbox/read\">", jz_buf_str(&list));
		jz_page_csrf(&b, req);
		jz_html(&b, "<p><input type=\"submit\" value=\"%r\"></p></form>", L(req, "全部标为已读", "Mark all read"));
	} else {
		jz_html(&b, "<p class=\"hint\" id=\"inbox\">%r</p>", L(req, "暂无消息", "No messages"));
	}
	jz_buf_free(&list);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_inbox_read(jz_req *req)
{
	if (!jz_svc_inbox_read(&req->ctx, &req->err))
		return jz_h_page_error(req);
	return jz_reply_redirect(req, "/company/inbox");
}

static bool
inbox_json(const jz_notification *n, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:b}", "id", (json_int_t)n->id,
	                                     "kind", n->kind, "record_id", (json_int_t)n->record_id, "worker_id",
	                                     (json_int_t)n->worker_id, "worker_name", n->worker_name, "category", n->category,
	                                     "severity", n->severity, "summary", n->summary, "at", (json_int_t)n->created_at,
	                                     "read", n->read_at != 0));
	return true;
}

enum MHD_Result
jz_h_api_inbox(jz_req *req)
{
	json_t *items = json_array();
	int64_t unread;
	if (!jz_svc_inbox(&req->ctx, inbox_json, items, &unread, &req->err)) {
		json_decref(items);
		return jz_reply_error(req, &req->err);
	}
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:I, s:o}", "unread", (json_int_t)unread, "notifications", items));
}

enum MHD_Result
jz_h_api_inbox_read(jz_req *req)
{
	if (!jz_svc_inbox_read(&req->ctx, &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:I}", "unread", (json_int_t)0));
}
