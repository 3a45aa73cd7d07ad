/* The worker's own pages, for any phone browser: confirming the record with the company's
 * one-time code (which sets up sign-in), signing in with phone and password, the whole
 * record with who read it, and a download of all of it as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/accounts.h"
#include "services/workers.h"

static void
input(jz_buf *b, const char *name, const char *label, const char *type, const char *extra)
{
	jz_html(b, "<label for=\"%r\">%s</label><input type=\"%r\" id=\"%r\" name=\"%r\"%r>", name, label, type, name,
	        name, extra);
}

static enum MHD_Result
consent_page(jz_req *req, unsigned status, const jz_err *err)
{
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "本人确认", "Confirm your record"));
	if (err)
		jz_page_err_box(&b, req, err);
	jz_html(&b, "<p>%r</p><form method=\"post\" action=\"/consent\">",
	        L(req, "输入公司给您的8位授权码。确认后，您的记录才会对其他企业和主管部门可见；您可以随时查看谁看过您的记录。",
	          "Enter the 8-digit code your company gave you. Once you confirm, other companies and the authorities "
	          "can see your record; you can always see who looked at it."));
	jz_page_csrf(&b, req);
	input(&b, "code", L(req, "授权码", "Code"), "text", " inputmode=\"numeric\" autocomplete=\"one-time-code\"");
	input(&b, "phone", L(req, "手机号", "Phone"), "tel", " autocomplete=\"tel\"");
	input(&b, "password", L(req, "设置登录密码（至少6位）", "Choose a password (6 or more)"), "password",
	      " autocomplete=\"new-password\"");
	jz_html(&b, "<p><input type=\"submit\" value=\"%r\"></p></form>", L(req, "确认并授权", "Confirm"));
	jz_page_close(&b, req);
	return jz_reply_html(req, status, &b);
}

enum MHD_Result
jz_h_consent_form(jz_req *req)
{
	return consent_page(req, MHD_HTTP_OK, NULL);
}

/* After confirming, the worker is signed in: a session in its own cookie. */
static bool
sign_in(jz_req *req, const char *phone, const char *password)
{
	char token[48];
	int64_t id;
	if (!jz_svc_worker_login(&req->ctx, phone, password, req->address, token, &id, &req->err))
		return false;
	jz_req_set_cookie(req, "jz_worker", token, JZ_SESSION_TTL);
	return true;
}

enum MHD_Result
jz_h_consent_submit(jz_req *req)
{
	int64_t id;
	const char *phone = jz_req_param(req, "phone"), *password = jz_req_param(req, "password");
	if (!jz_svc_worker_confirm(&req->ctx, jz_req_param(req, "code"), phone, password, req->address, &id, &req->err) ||
	    !sign_in(req, phone, password))
		return consent_page(req, (unsigned)jz_err_http_status(req->err.code), &req->err);
	return jz_reply_redirect(req, "/worker");
}

static enum MHD_Result
login_page(jz_req *req, unsigned status, const jz_err *err)
{
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "家政服务员登录", "Worker sign-in"));
	if (err)
		jz_page_err_box(&b, req, err);
	jz_html(&b, "<form method=\"post\" action=\"/worker/login\">");
	jz_page_csrf(&b, req);
	input(&b, "phone", L(req, "手机号", "Phone"), "tel", " autocomplete=\"tel\"");
	input(&b, "password", L(req, "密码", "Password"), "password", " autocomplete=\"current-password\"");
	jz_html(&b, "<p><input type=\"submit\" value=\"%r\"></p></form><p class=\"hint\"><a href=\"/consent\">%r</a></p>",
	        L(req, "登录", "Sign in"), L(req, "第一次使用？用公司给的授权码确认记录", "First time? Confirm with your company's code"));
	jz_page_close(&b, req);
	return jz_reply_html(req, status, &b);
}

enum MHD_Result
jz_h_worker_login_form(jz_req *req)
{
	if (req->ctx.worker_id)
		return jz_reply_redirect(req, "/worker");
	return login_page(req, MHD_HTTP_OK, NULL);
}

enum MHD_Result
jz_h_worker_login_submit(jz_req *req)
{
	if (!sign_in(req, jz_req_param(req, "phone"), jz_req_param(req, "password")))
		return login_page(req, (unsigned)jz_err_http_status(req->err.code), &req->err);
	return jz_reply_redirect(req, "/worker");
}

enum MHD_Result
jz_h_worker_logout(jz_req *req)
{
	if (req->ctx.worker_id && !jz_svc_worker_logout(&req->ctx, req->session_token, &req->err))
		return jz_reply_error(req, &req->err);
	jz_req_set_cookie(req, "jz_worker", "", 0);
	return jz_reply_redirect(req, "/");
}

typedef struct rows {
	jz_req *req;
	jz_buf *b;
} rows;

static bool
access_row(const jz_access *a, void *arg)
{
	rows *x = arg;
	char date[11];
	jz_page_date(a->at, date);
	const char *what = !strcmp(a->what, "credit_check") ? L(x->req, "信用查询", "credit check")
	                   : !strcmp(a->what, "employer")   ? L(x->req, "所在企业查看", "employer")
	                                                    : L(x->req, "主管部门/协会查看", "authority");
	jz_html(x->b, "<tr><td>%s</td><td>%s</td><td>%r</td></tr>", date, a->viewer, what);
	return true;
}

enum MHD_Result
jz_h_worker_home(jz_req *req)
{
	jz_worker_view v;
	if (!req->ctx.worker_id)
		return jz_reply_redirect(req, "/worker/login");
	if (!jz_svc_worker_open(&req->ctx, req->ctx.worker_id, &v, &req->err))
		return jz_reply_error(req, &req->err);
	jz_buf b = JZ_BUF_INIT, log = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "我的记录", "My record"));
	jz_html(&b, "<p><a href=\"/worker/export\" download>%r</a></p>", L(req, "下载我的全部数据（JSON）", "Download all my data (JSON)"));
	jz_html(&b, "<form method=\"post\" action=\"/worker/checkin\">");
	jz_page_csrf(&b, req);
	jz_html(&b, "<p><input type=\"submit\" id=\"checkin\" value=\"%r\"></p></form>", L(req, "本月打卡", "Check in for this month"));
	jz_h_render_worker(&b, req, &v);
	jz_h_render_checkins(&b, req, v.worker.id);
	jz_h_render_service_and_reviews(&b, req, &v);
	jz_h_render_share_code(&b, req, v.worker.id);
	rows x = {req, &log};
	if (!jz_svc_worker_each_access(&req->ctx, &v, access_row, &x, &req->err)) {
		jz_buf_free(&b);
		jz_buf_free(&log);
		jz_worker_view_free(&v);
		return jz_reply_error(req, &req->err);
	}
	jz_html(&b, "<h2>%r</h2>", L(req, "谁查看过我的记录", "Who looked at my record"));
	if (log.len)
		jz_html(&b, "<table id=\"access-log\"><tr><th>%r</th><th>%r</th><th>%r</th></tr>%r</table>",
		        L(req, "日期", "Date"), L(req, "查看者", "Who"), L(req, "方式", "How"), jz_buf_str(&log));
	else
		jz_html(&b, "<p id=\"access-log\">%r</p>", L(req, "还没有人查看过。", "Nobody yet."));
	jz_html(&b, "<form method=\"post\" action=\"/worker/logout\">");
	jz_page_csrf(&b, req);
	jz_html(&b, "<p><input type=\"submit\" value=\"%r\"></p></form>", L(req, "退出", "Sign out"));
	jz_buf_free(&log);
	jz_worker_view_free(&v);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

static enum MHD_Result
export_reply(jz_req *req, bool attachment)
{
	char *text = jz_svc_worker_export(&req->ctx, &req->err);
	if (!text)
		return jz_reply_error(req, &req->err);
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (attachment)
		MHD_add_response_header(resp, "Content-Disposition", "attachment; filename=\"my-record.json\"");
	return jz_reply_response(req, MHD_HTTP_OK, resp, "application/json; charset=utf-8");
}

enum MHD_Result
jz_h_worker_export(jz_req *req)
{
	if (!req->ctx.worker_id)
		return jz_reply_redirect(req, "/worker/login");
	return export_reply(req, true);
}

enum MHD_Result
jz_h_api_worker_self(jz_req *req)
{
	return export_reply(req, false);
}

enum MHD_Result
jz_h_api_consent(jz_req *req)
{
	const char *code, *phone, *password;
	int64_t id;
	if (!jz_req_json_string(req, "code", &code) || !jz_req_json_string(req, "phone", &phone) ||
	    !jz_req_json_string(req, "password", &password) ||
	    !jz_svc_worker_confirm(&req->ctx, code, phone, password, req->address, &id, &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:I, s:s}", "id", (json_int_t)id, "consent", "code"));
}

enum MHD_Result
jz_h_api_worker_login(jz_req *req)
{
	const char *phone, *password;
	char token[48];
	int64_t id;
	if (!jz_req_json_string(req, "phone", &phone) || !jz_req_json_string(req, "password", &password) ||
	    !jz_svc_worker_login(&req->ctx, phone, password, req->address, token, &id, &req->err))
		return jz_reply_error(req, &req->err);
	jz_req_set_cookie(req, "jz_worker", token, JZ_SESSION_TTL);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:s, s:I, s:i}", "token", token, "id", (json_int_t)id,
	                                                 "expires_in", JZ_SESSION_TTL));
}
