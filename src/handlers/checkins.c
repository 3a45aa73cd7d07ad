/* Monthly check-in on the web: the worker's one button on any phone browser, and the
 * company's attestation of all its current workers for the month. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/checkins.h"

/* The result page of a check-in, with a link back. */
static enum MHD_Result
done_page(jz_req *req, const char *message, const char *back)
{
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "按月打卡", "Monthly check-in"));
	jz_html(&b, "<div class=\"ok\" id=\"checkin-result\">%s</div><p><a href=\"%r\">%r</a></p>", message, back,
	        L(req, "返回", "Back"));
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_worker_checkin(jz_req *req)
{
	char month[8], text[128];
	if (!req->ctx.worker_id)
		return jz_reply_redirect(req, "/worker/login");
	if (!jz_svc_checkin_self(&req->ctx, month, &req->err))
		return jz_reply_error(req, &req->err);
	snprintf(text, sizeof text, "%s %s", month, L(req, "打卡成功", "checked in"));
	return done_page(req, text, "/worker");
}

enum MHD_Result
jz_h_company_checkin(jz_req *req)
{
	char month[8], text[160];
	int64_t added;
	if (!jz_svc_checkin_company(&req->ctx, month, &added, &req->err))
		return jz_h_page_error(req);
	snprintf(text, sizeof text, L(req, "%s：已为 %" PRId64 " 名在岗服务员打卡", "%s: %" PRId64 " current workers checked in"),
	         month, added);
	return done_page(req, text, "/company/workers");
}

enum MHD_Result
jz_h_api_worker_checkin(jz_req *req)
{
	char month[8];
	if (!jz_svc_checkin_self(&req->ctx, month, &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_CREATED, json_pack("{s:s, s:s, s:s}", "month", month, "method", "self",
	                                                      "assurance", "low"));
}

enum MHD_Result
jz_h_api_company_checkin(jz_req *req)
{
	char month[8];
	int64_t added;
	if (!jz_svc_checkin_company(&req->ctx, month, &added, &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:s, s:I, s:s, s:s}", "month", month, "added",
	                                                 (json_int_t)added, "method", "company", "assurance", "medium"));
}

typedef struct rows {
	jz_req *req;
	jz_buf *b;
} rows;

static bool
checkin_row(const jz_checkin *c, void *arg)
{
	rows *x = arg;
	const char *how = !strcmp(c->method, "self")      ? L(x->req, "本人手机打卡", "self, by phone")
	                  : !strcmp(c->method, "company") ? L(x->req, "企业证明", "company attestation")
	                                                  : L(x->req, "消费者扫码评价", "consumer scan and review");
	jz_html(x->b, "<tr><td>%s</td><td>%r</td><td>%s</td></tr>", c->month, how, c->assurance);
	return true;
}

void
jz_h_render_checkins(jz_buf *b, jz_req *req, int64_t worker_id)
{
	bool active;
	char last[8];
	jz_err err;
	if (!jz_svc_worker_active(&req->ctx, worker_id, &active, last, &err))
		return;
	jz_html(b, "<h2>%r <span id=\"activity\" class=\"%r\">%r</span></h2>", L(req, "按月打卡", "Monthly check-in"),
	        active ? "status-active" : "status-rejected",
	        active ? L(req, "活跃", "active") : L(req, "两个月未打卡", "no check-in for two months"));
	jz_buf list = JZ_BUF_INIT;
	rows x = {req, &list};
	if (jz_svc_worker_each_checkin(&req->ctx, worker_id, checkin_row, &x, &err) && list.len)
		jz_html(b, "<table id=\"checkins\"><tr><th>%r</th><th>%r</th><th>%r</th></tr>%r</table>",
		        L(req, "月份", "Month"), L(req, "方式", "How"), L(req, "可信度", "Assurance"), jz_buf_str(&list));
	jz_buf_free(&list);
}
