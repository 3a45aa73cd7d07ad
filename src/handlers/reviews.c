/* Service records and reviews on the web: the employer records and ends a service (which
 * gives the consumer a review link), the consumer's review page (no account), replies and
 * reports from the company and the worker, moderation by associations and regulators,
 * and the stars with their breakdown on the worker's record. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "handlers/handlers.h"
#include "http/server.h"
#include "pages/html.h"
#include "services/reviews.h"
#include "services/workers.h"
#include "util/qr.h"
#include "util/xmalloc.h"

static const char *
code_arg(jz_req *req)
{
	return req->args[0] ? req->args[0] : "";
}

/* ---- the record: stars, services, reviews ---- */

typedef struct rows {
	jz_req *req;
	jz_buf *b;
	bool employer, self;
} rows;

static bool
service_row(const jz_service *sv, void *arg)
{
	rows *x = arg;
	const jz_service_type *t = jz_service_type_find(sv->service_type);
	jz_html(x->b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", t ? L(x->req, t->zh, t->en) : sv->service_type,
	        sv->started, sv->ended ? sv->ended : L(x->req, "进行中", "running"));
	if (!sv->ended && x->employer) {
		jz_html(x->b, "<form method=\"post\" action=\"/services/%L/end\" class=\"inline\">", sv->id);
		jz_page_csrf(x->b, x->req);
		jz_html(x->b, "<input type=\"submit\" value=\"%r\"></form>", L(x->req, "结束并生成评价码", "End, make a review code"));
	} else if (sv->ended) {
		jz_html(x->b, "%r", sv->reviewed ? L(x->req, "已评价", "reviewed") : L(x->req, "待评价", "awaiting review"));
	}
	jz_html(x->b, "</td></tr>");
	return true;
}

void
jz_h_stars_text(jz_buf *b, double stars)
{
	for (int i = 1; i <= 5; i++)
		jz_html(b, "%r", stars >= i ? "★" : "☆");
}

static bool
review_row(const jz_review *r, void *arg)
{
	rows *x = arg;
	char date[11];
	jz_page_date(r->created_at, date);
	jz_html(x->b, "<li class=\"review\"><p>%r %d · %r %d · %r %d · %r %d · %s</p><p>%s</p>",
	        L(x->req, "技能", "Skill"), r->skill, L(x->req, "态度", "Attitude"), r->attitude,
	        L(x->req, "守时", "Punctuality"), r->punctuality, L(x->req, "诚信", "Honesty"), r->honesty, date,
	        r->comment);
	if (*r->company_reply)
		jz_html(x->b, "<p class=\"hint\">%r%s</p>", L(x->req, "企业回复：", "Company: "), r->company_reply);
	if (*r->worker_reply)
		jz_html(x->b, "<p class=\"hint\">%r%s</p>", L(x->req, "服务员回复：", "Worker: "), r->worker_reply);
	if (!strcmp(r->status, "reported"))
		jz_html(x->b, "<p class=\"hint\">%r</p>", L(x->req, "已被举报，待协会或主管部门处理", "Reported; awaiting moderation"));
	if (x->employer || x->self) {
		jz_html(x->b, "<form method=\"post\" action=\"/reviews/%L/reply\">", r->id);
		jz_page_csrf(x->b, x->req);
		jz_html(x->b, "<input type=\"text\" name=\"text\" aria-label=\"%r\"><input type=\"submit\" value=\"%r\"></form>",
		        L(x->req, "回复", "Reply"), L(x->req, "回复", "Reply"));
		if (!strcmp(r->status, "visible")) {
			jz_html(x->b, "<form method=\"post\" action=\"/reviews/%L/report\">", r->id);
			jz_page_csrf(x->b, x->req);
			jz_html(x->b, "<input type=\"text\" name=\"reason\" aria-label=\"%r\"><input type=\"submit\" value=\"%r\"></form>",
			        L(x->req, "举报理由", "Reason"), L(x->req, "举报不实或辱骂评价", "Report as abusive"));
		}
	}
	jz_html(x->b, "</li>");
	return true;
}

void
jz_h_render_service_and_reviews(jz_buf *b, jz_req *req, const jz_worker_view *v)
{
	int64_t worker_id = v->worker.id;
	bool employer = v->tier == JZ_TIER_EMPLOYER, self = v->tier == JZ_TIER_SELF;
	jz_stars st;
	int64_t n;
	jz_err err;
	if (jz_svc_worker_stars_of(&req->ctx, &v->worker, &v->facts, &st, &n, &err)) {
		jz_html(b, "<h2>%r <span id=\"stars\">", L(req, "星级", "Stars"));
		jz_h_stars_text(b, st.stars);
		jz_buf_printf(b, " %.1f</span></h2>", st.stars);
		jz_buf_printf(b, "<p class=\"hint\" id=\"stars-breakdown\">%s %" PRId64 "%s %.2f · %s +%.2f · %s +%.2f · %s −%.2f</p>",
		              L(req, "评价", "Reviews"), n, L(req, " 条，贝叶斯平均", ", Bayesian average"), st.review_part,
		              L(req, "核验", "verification"), st.verification, L(req, "从业年限", "tenure"), st.tenure,
		              L(req, "不良记录", "negative records"), st.penalty);
	}
	jz_buf list = JZ_BUF_INIT;
	rows x = {req, &list, employer, self};
	if (jz_svc_service_list(&req->ctx, worker_id, service_row, &x, &err) && list.len)
		jz_html(b, "<h2>%r</h2><table id=\"services\"><tr><th>%r</th><th>%r</th><th>%r</th><th></th></tr>%r</table>",
		        L(req, "上户服务", "Services"), L(req, "类型", "Type"), L(req, "开始", "From"), L(req, "结束", "To"),
		        jz_buf_str(&list));
	jz_buf_reset(&list);
	if (jz_svc_review_list(&req->ctx, worker_id, review_row, &x, &err) && list.len)
		jz_html(b, "<h2>%r</h2><ul id=\"reviews\">%r</ul>", L(req, "消费者评价", "Reviews"), jz_buf_str(&list));
	jz_buf_free(&list);
	if (employer) {
		jz_html(b, "<form method=\"post\" action=\"/workers/%L/services\"><h2>%r</h2>", worker_id,
		        L(req, "登记上户服务", "Record a service"));
		jz_page_csrf(b, req);
		jz_html(b, "<label for=\"service_type\">%r</label><select id=\"service_type\" name=\"service_type\">",
		        L(req, "服务类型", "Service type"));
		for (size_t i = 0; i < jz_service_type_count(); i++)
			jz_html(b, "<option value=\"%s\">%s</option>", jz_service_type_at(i)->code,
			        L(req, jz_service_type_at(i)->zh, jz_service_type_at(i)->en));
		jz_html(b, "</select><label for=\"service_county\">%r</label><input type=\"text\" id=\"service_county\" "
		           "name=\"county\" inputmode=\"numeric\"><label for=\"started\">%r</label><input type=\"text\" "
		           "id=\"started\" name=\"started\"><p><input type=\"submit\" value=\"%r\"></p></form>",
		        L(req, "服务所在区县代码（如 430922）", "County code (e.g. 430922)"),
		        L(req, "开始日期（空则为今天）", "Start date (empty: today)"), L(req, "登记", "Record"));
	}
}

/* ---- pages ---- */

enum MHD_Result
jz_h_service_start(jz_req *req)
{
	int64_t worker = jz_h_path_id(req), id;
	if (!worker)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_service_start(&req->ctx, worker, jz_req_param(req, "service_type"), jz_req_param(req, "started"),
	                          jz_req_param(req, "county"), &id, &req->err))
		return jz_h_page_error(req);
	char location[64];
	snprintf(location, sizeof location, "/workers/%" PRId64, worker);
	return jz_reply_redirect(req, location);
}

enum MHD_Result
jz_h_service_end(jz_req *req)
{
	char code[32];
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_service_end(&req->ctx, id, jz_req_param(req, "ended"), code, &req->err))
		return jz_h_page_error(req);
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "服务已结束", "Service ended"));
	char *url = jz_xasprintf("%s/review/%s", jz_server_base_url(), code);
	jz_html(&b, "<p>%r</p><p class=\"secret\"><a id=\"review-link\" href=\"/review/%s\">%s</a></p>",
	        L(req, "请把评价链接或二维码交给消费者（30天内有效，只能使用一次）：",
	          "Give the consumer this review link or QR code (valid 30 days, once):"),
	        code, url);
	/* The consumer scans it from the staff member's phone or a printout. */
	jz_buf svg = JZ_BUF_INIT;
	if (jz_qr_svg(&svg, url, NULL))
		jz_html(&b, "<div class=\"review-qr\" id=\"review-qr\">%r</div>", jz_buf_str(&svg));
	jz_buf_free(&svg);
	free(url);
	jz_html(&b, "<p class=\"hint\">%r</p>", L(req, "消费者用手机打开即可评价，无需注册。", "The consumer opens it on a phone; no account needed."));
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

static void
stars_choice(jz_buf *b, jz_req *req, const char *name, const char *label)
{
	jz_html(b, "<fieldset><legend>%s</legend>", label);
	for (int i = 5; i >= 1; i--)
		jz_html(b, "<label><input type=\"radio\" name=\"%r\" value=\"%d\"%r> %d</label>", name, i, i == 5 ? " checked" : "", i);
	jz_html(b, "</fieldset>");
	(void)req;
}

static enum MHD_Result
review_form(jz_req *req, unsigned status, const jz_err *err)
{
	jz_service sv = {0};
	char masked[64], company[256];
	jz_err e;
	if (!jz_svc_review_open(&req->ctx, code_arg(req), &sv, masked, company, &e))
		return jz_reply_error(req, &e);
	const jz_service_type *t = jz_service_type_find(sv.service_type);
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "服务评价", "Review the service"));
	if (err)
		jz_page_err_box(&b, req, err);
	jz_html(&b, "<p id=\"review-subject\">%s · %s · %s（%s — %s）</p><form method=\"post\" action=\"/review/%s\">", masked,
	        company, t ? L(req, t->zh, t->en) : sv.service_type, sv.started, sv.ended ? sv.ended : "", code_arg(req));
	jz_page_csrf(&b, req);
	stars_choice(&b, req, "skill", L(req, "技能", "Skill"));
	stars_choice(&b, req, "attitude", L(req, "态度", "Attitude"));
	stars_choice(&b, req, "punctuality", L(req, "守时", "Punctuality"));
	stars_choice(&b, req, "honesty", L(req, "诚信", "Honesty"));
	jz_html(&b, "<label for=\"comment\">%r</label><textarea id=\"comment\" name=\"comment\" rows=\"3\"></textarea>"
	            "<p><input type=\"submit\" value=\"%r\"></p></form>",
	        L(req, "评价（可选，最多500字）", "Comment (optional, up to 500 characters)"), L(req, "提交评价", "Submit"));
	jz_page_close(&b, req);
	jz_service_clear(&sv);
	return jz_reply_html(req, status, &b);
}

enum MHD_Result
jz_h_review_form(jz_req *req)
{
	return review_form(req, MHD_HTTP_OK, NULL);
}

enum MHD_Result
jz_h_review_submit(jz_req *req)
{
	int64_t id;
	jz_review_input in = {jz_req_param(req, "skill"), jz_req_param(req, "attitude"), jz_req_param(req, "punctuality"),
	                      jz_req_param(req, "honesty"), jz_req_param(req, "comment")};
	if (!jz_svc_review_submit(&req->ctx, code_arg(req), &in, &id, &req->err)) {
		if (req->err.code == JZ_E_NOT_FOUND)
			return jz_reply_error(req, &req->err);
		return review_form(req, (unsigned)jz_err_http_status(req->err.code), &req->err);
	}
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "谢谢您的评价", "Thank you"));
	jz_html(&b, "<div class=\"ok\" id=\"review-done\">%r</div>", L(req, "评价已提交。", "Your review has been recorded."));
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_CREATED, &b);
}

/* Back to where the reply or report came from. */
static enum MHD_Result
back(jz_req *req)
{
	return jz_reply_redirect(req, req->ctx.worker_id ? "/worker" : "/company/workers");
}

enum MHD_Result
jz_h_review_reply(jz_req *req)
{
	if (!jz_svc_review_reply(&req->ctx, jz_h_path_id(req), jz_req_param(req, "text"), &req->err))
		return jz_h_page_error(req);
	return back(req);
}

enum MHD_Result
jz_h_review_report(jz_req *req)
{
	if (!jz_svc_review_report(&req->ctx, jz_h_path_id(req), jz_req_param(req, "reason"), &req->err))
		return jz_h_page_error(req);
	return back(req);
}

static bool
moderation_row(const jz_review *r, void *arg)
{
	rows *x = arg;
	jz_html(x->b, "<li><p>%s · %r %d/%d/%d/%d</p><p>%s</p><p class=\"hint\">%r%s</p>", r->company_name,
	        L(x->req, "评分", "Scores"), r->skill, r->attitude, r->punctuality, r->honesty, r->comment,
	        L(x->req, "举报理由：", "Reported because: "), r->report_reason);
	for (int k = 0; k < 2; k++) {
		jz_html(x->b, "<form method=\"post\" action=\"/reviews/%L/moderate\" class=\"inline\">", r->id);
		jz_page_csrf(x->b, x->req);
		jz_html(x->b, "<input type=\"hidden\" name=\"decision\" value=\"%r\"><input type=\"submit\" value=\"%r\"></form> ",
		        k ? "hide" : "keep", k ? L(x->req, "隐藏", "Hide") : L(x->req, "保留", "Keep"));
	}
	jz_html(x->b, "</li>");
	return true;
}

enum MHD_Result
jz_h_moderation(jz_req *req)
{
	jz_buf b = JZ_BUF_INIT, list = JZ_BUF_INIT;
	rows x = {req, &list, false, false};
	if (!jz_svc_reviews_reported(&req->ctx, moderation_row, &x, &req->err)) {
		jz_buf_free(&list);
		return jz_h_page_error(req);
	}
	jz_page_open(&b, req, L(req, "被举报的评价", "Reported reviews"));
	if (list.len)
		jz_html(&b, "<ul id=\"reported\">%r</ul>", jz_buf_str(&list));
	else
		jz_html(&b, "<p id=\"reported\">%r</p>", L(req, "没有待处理的举报。", "Nothing to decide."));
	jz_buf_free(&list);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_review_moderate(jz_req *req)
{
	if (!jz_svc_review_moderate(&req->ctx, jz_h_path_id(req), jz_req_param(req, "decision"), &req->err))
		return jz_h_page_error(req);
	return jz_reply_redirect(req, "/moderation");
}

/* ---- API ---- */

enum MHD_Result
jz_h_api_service_start(jz_req *req)
{
	const char *type, *started, *county;
	int64_t id;
	if (!jz_req_json_string(req, "service_type", &type) || !jz_req_json_string(req, "started", &started) ||
	    !jz_req_json_string(req, "county", &county) ||
	    !jz_svc_service_start(&req->ctx, jz_h_path_id(req), type, started, county, &id, &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_CREATED, json_pack("{s:I}", "id", (json_int_t)id));
}

enum MHD_Result
jz_h_api_service_end(jz_req *req)
{
	const char *ended;
	char code[32];
	if (!jz_req_json_string(req, "ended", &ended) ||
	    !jz_svc_service_end(&req->ctx, jz_h_path_id(req), ended, code, &req->err))
		return jz_reply_error(req, &req->err);
	char path[64];
	snprintf(path, sizeof path, "/review/%s", code);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:s, s:s, s:i}", "code", code, "review_path", path,
	                                                 "valid_days", JZ_REVIEW_CODE_DAYS));
}

enum MHD_Result
jz_h_api_review_open(jz_req *req)
{
	jz_service sv = {0};
	char masked[64], company[256];
	if (!jz_svc_review_open(&req->ctx, code_arg(req), &sv, masked, company, &req->err))
		return jz_reply_error(req, &req->err);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "worker", masked, "company", company, "service_type",
	                      sv.service_type, "started", sv.started);
	json_object_set_new(o, "ended", sv.ended ? json_string(sv.ended) : json_null());
	jz_service_clear(&sv);
	return jz_reply_json(req, MHD_HTTP_OK, o);
}

enum MHD_Result
jz_h_api_review_submit(jz_req *req)
{
	const char *code;
	jz_review_input in;
	int64_t id;
	if (!jz_req_json_string(req, "code", &code) || !jz_req_json_string(req, "skill", &in.skill) ||
	    !jz_req_json_string(req, "attitude", &in.attitude) ||
	    !jz_req_json_string(req, "punctuality", &in.punctuality) ||
	    !jz_req_json_string(req, "honesty", &in.honesty) || !jz_req_json_string(req, "comment", &in.comment) ||
	    !jz_svc_review_submit(&req->ctx, code, &in, &id, &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_CREATED, json_pack("{s:I}", "id", (json_int_t)id));
}

enum MHD_Result
jz_h_api_review_action(jz_req *req)
{
	const char *action = strrchr(req->path, '/') + 1, *value;
	int64_t id = jz_h_path_id(req);
	bool ok;
	if (!strcmp(action, "reply"))
		ok = jz_req_json_string(req, "text", &value) && jz_svc_review_reply(&req->ctx, id, value, &req->err);
	else if (!strcmp(action, "report"))
		ok = jz_req_json_string(req, "reason", &value) && jz_svc_review_report(&req->ctx, id, value, &req->err);
	else
		ok = jz_req_json_string(req, "decision", &value) && jz_svc_review_moderate(&req->ctx, id, value, &req->err);
	if (!ok)
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:I, s:b}", "id", (json_int_t)id, "ok", 1));
}

static bool
reported_json(const jz_review *r, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:s, s:s}", "id", (json_int_t)r->id,
	                                     "company", r->company_name, "skill", r->skill, "attitude", r->attitude,
	                                     "punctuality", r->punctuality, "honesty", r->honesty, "comment", r->comment,
	                                     "report_reason", r->report_reason));
	return true;
}

enum MHD_Result
jz_h_api_moderation(jz_req *req)
{
	json_t *items = json_array();
	if (!jz_svc_reviews_reported(&req->ctx, reported_json, items, &req->err)) {
		json_decref(items);
		return jz_reply_error(req, &req->err);
	}
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:o}", "items", items));
}
