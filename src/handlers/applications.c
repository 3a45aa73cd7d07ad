/* Company applications (入驻申请): the form and its JSON twin, and the applicant's look-up
 * of the decision with the query code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "core/text.h"
#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/companies.h"

#define DEFAULT_PROVINCE "430000" /* the first deployment: Hunan */

/* Fills an application from form fields (borrowed from req). */
static void
application_from_form(jz_req *req, jz_application *app)
{
	memset(app, 0, sizeof *app);
	app->uscc = jz_req_param(req, "uscc");
	app->name = jz_req_param(req, "name");
	app->legal_rep = jz_req_param(req, "legal_rep");
	app->address = jz_req_param(req, "address");
	app->county = jz_req_param(req, "county");
	app->phone = jz_req_param(req, "phone");
	app->commitment_by = jz_req_param(req, "commitment_by");
	const char *accepted = jz_req_param(req, "commitment_accepted");
	app->commitment_accepted = accepted && !strcmp(accepted, "yes");
	app->n_service_types =
	    jz_req_params(req, "service_types", app->service_types, JZ_MAX_SERVICE_TYPES);
}

static void
text_input(jz_buf *b, const char *name, const char *label, const char *value, const char *type,
           const jz_err *err)
{
	jz_html(b, "<label for=\"%r\">%s</label><input type=\"%r\" id=\"%r\" name=\"%r\" value=\"%s\"",
	        name, label, type, name, name, value ? value : "");
	if (err && !strcmp(err->field, name))
		jz_html(b, " aria-invalid=\"true\" autofocus");
	jz_html(b, ">");
}

/* The county list of one province, grouped by prefecture. */
static void
county_select(jz_buf *b, jz_req *req, const char *province, const char *selected)
{
	jz_html(b, "<label for=\"county\">%r</label><select id=\"county\" name=\"county\">"
	           "<option value=\"\">%r</option>",
	        L(req, "所在区县", "County"), L(req, "请选择", "Choose"));
	const char *group = NULL;
	for (size_t i = 0; i < jz_region_count(); i++) {
		const jz_region *r = jz_region_at(i);
		if (r->level != JZ_REGION_COUNTY || strcmp(r->province, province) != 0)
			continue;
		const char *parent = *r->prefecture ? r->prefecture : r->province;
		if (!group || strcmp(group, parent) != 0) {
			const jz_region *p = jz_region_find(parent);
			jz_html(b, "%r<optgroup label=\"%s\">", group ? "</optgroup>" : "", p ? p->name : parent);
			group = parent;
		}
		jz_html(b, "<option value=\"%s\"%r>%s</option>", r->code,
		        selected && !strcmp(selected, r->code) ? " selected" : "", r->name);
	}
	jz_html(b, "%r</select>", group ? "</optgroup>" : "");
}

static void
province_links(jz_buf *b, jz_req *req, const char *current)
{
	jz_html(b, "<details><summary>%r</summary><p class=\"hint\">",
	        L(req, "不在本省？选择省份", "Another province?"));
	for (size_t i = 0; i < jz_region_count(); i++) {
		const jz_region *r = jz_region_at(i);
		if (r->level == JZ_REGION_PROVINCE && strcmp(r->code, current) != 0)
			jz_html(b, "<a href=\"/apply?province=%s\">%s</a> ", r->code, r->name);
	}
	jz_html(b, "</p></details>");
}

static enum MHD_Result
render_form(jz_req *req, unsigned status, const jz_err *err)
{
	const char *county = jz_req_param(req, "county");
	const jz_region *c = county ? jz_region_find(county) : NULL;
	const char *province = jz_req_param(req, "province");
	const jz_region *p = province ? jz_region_find(province) : NULL;
	province = c ? c->province : p && p->level == JZ_REGION_PROVINCE ? p->code : DEFAULT_PROVINCE;

	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "家政企业入驻申请", "Company application"));
	if (err)
		jz_page_err_box(&b, req, err);
	jz_html(&b, "<p class=\"hint\">%r</p><form method=\"post\" action=\"/apply\">",
	        L(req, "提交后由所在地商务主管部门审核。审核通过后，企业管理员账号和初始密码将显示给审核人员转交。",
	          "The regulator of your county reviews the application. On approval an admin "
	          "account is created for your company."));
	jz_page_csrf(&b, req);
	text_input(&b, "uscc", L(req, "统一社会信用代码（18位）", "Unified social credit code (18 characters)"),
	           jz_req_param(req, "uscc"), "text", err);
	text_input(&b, "name", L(req, "企业名称", "Company name"), jz_req_param(req, "name"), "text", err);
	text_input(&b, "legal_rep", L(req, "法定代表人", "Legal representative"),
	           jz_req_param(req, "legal_rep"), "text", err);
	county_select(&b, req, province, county);
	text_input(&b, "address", L(req, "经营地址", "Address"), jz_req_param(req, "address"), "text", err);
	text_input(&b, "phone", L(req, "联系电话", "Phone"), jz_req_param(req, "phone"), "tel", err);
	jz_html(&b, "<fieldset><legend>%r</legend>", L(req, "服务类型", "Service types"));
	const char *chosen[JZ_MAX_SERVICE_TYPES];
	size_t n_chosen = jz_req_params(req, "service_types", chosen, JZ_MAX_SERVICE_TYPES);
	for (size_t i = 0; i < jz_service_type_count(); i++) {
		const jz_service_type *t = jz_service_type_at(i);
		bool on = false;
		for (size_t k = 0; k < n_chosen; k++)
			on = on || !strcmp(chosen[k], t->code);
		jz_html(&b, "<label><input type=\"checkbox\" name=\"service_types\" value=\"%s\"%r> %s</label>",
		        t->code, on ? " checked" : "", L(req, t->zh, t->en));
	}
	jz_html(&b, "</fieldset><fieldset><legend>%r</legend><p>%s</p>",
	        L(req, "信用承诺", "Credit commitment"), jz_svc_commitment_text(req->english));
	text_input(&b, "commitment_by", L(req, "承诺签署人（姓名）", "Signed by (name)"),
	           jz_req_param(req, "commitment_by"), "text", err);
	const char *accepted = jz_req_param(req, "commitment_accepted");
	jz_html(&b, "<p><label><input type=\"checkbox\" name=\"commitment_accepted\" value=\"yes\"%r> %r</label></p>"
	            "</fieldset><p><input type=\"submit\" value=\"%r\"></p></form>",
	        accepted && !strcmp(accepted, "yes") ? " checked" : "",
	        L(req, "本企业已阅读并签署以上信用承诺", "We have read and sign this commitment"),
	        L(req, "提交申请", "Submit application"));
	province_links(&b, req, province);
	jz_page_close(&b, req);
	return jz_reply_html(req, status, &b);
}

enum MHD_Result
jz_h_apply_form(jz_req *req)
{
	return render_form(req, MHD_HTTP_OK, NULL);
}

enum MHD_Result
jz_h_apply_submit(jz_req *req)
{
	jz_application app;
	jz_company c = {0};
	char code[32];
	application_from_form(req, &app);
	if (!jz_svc_company_apply(&req->ctx, &app, &c, code, &req->err))
		return render_form(req, (unsigned)jz_err_http_status(req->err.code), &req->err);
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "申请已提交", "Application submitted"));
	jz_html(&b, "<div class=\"ok\">%s（%s）</div>", c.name, c.uscc);
	jz_html(&b, "<p>%r</p><p class=\"secret\" id=\"query-code\">%s</p><p class=\"hint\">%r</p>",
	        L(req, "您的申请查询码（只显示这一次，请抄写保存）：",
	          "Your query code (shown only now; write it down):"),
	        code,
	        L(req, "凭统一社会信用代码和查询码可在“查询申请结果”查看审核结果。",
	          "With the credit code and this query code you can look up the decision."));
	jz_html(&b, "<p><a href=\"/apply/status\">%r</a></p>", L(req, "查询申请结果", "Look up the decision"));
	jz_page_close(&b, req);
	jz_company_clear(&c);
	return jz_reply_html(req, MHD_HTTP_CREATED, &b);
}

static void
status_form(jz_buf *b, jz_req *req)
{
	jz_html(b, "<form method=\"post\" action=\"/apply/status\">");
	jz_page_csrf(b, req);
	text_input(b, "uscc", L(req, "统一社会信用代码", "Credit code"), jz_req_param(req, "uscc"), "text", NULL);
	text_input(b, "query_code", L(req, "查询码", "Query code"), NULL, "text", NULL);
	jz_html(b, "<p><input type=\"submit\" value=\"%r\"></p></form>", L(req, "查询", "Look up"));
}

enum MHD_Result
jz_h_status_form(jz_req *req)
{
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "查询申请结果", "Application status"));
	status_form(&b, req);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

const char *
jz_h_status_label(jz_req *req, const char *status)
{
	if (!strcmp(status, "pending"))
		return L(req, "待审核", "Pending review");
	if (!strcmp(status, "active"))
		return L(req, "已通过，企业已入驻", "Approved: the company is registered");
	if (!strcmp(status, "rejected"))
		return L(req, "未通过", "Rejected");
	if (!strcmp(status, "suspended"))
		return L(req, "已暂停", "Suspended");
	return L(req, "已撤销", "Revoked");
}

enum MHD_Result
jz_h_status_submit(jz_req *req)
{
	jz_company c = {0};
	jz_buf b = JZ_BUF_INIT;
	bool ok = jz_svc_application_status(&req->ctx, jz_req_param(req, "uscc"),
	                                    jz_req_param(req, "query_code"), &c, &req->err);
	jz_page_open(&b, req, L(req, "查询申请结果", "Application status"));
	if (!ok) {
		jz_page_err_box(&b, req, &req->err);
		status_form(&b, req);
	} else {
		jz_html(&b, "<p>%s（%s）</p><p class=\"status-%s\" id=\"status\"><strong>%s</strong></p>",
		        c.name, c.uscc, c.status, jz_h_status_label(req, c.status));
		if (*c.status_reason)
			jz_html(&b, "<p id=\"reason\">%r%s</p>", L(req, "理由：", "Reason: "), c.status_reason);
		if (!strcmp(c.status, "rejected"))
			jz_html(&b, "<p><a href=\"/apply\">%r</a></p>",
			        L(req, "修改后重新申请", "Correct and apply again"));
	}
	jz_page_close(&b, req);
	jz_company_clear(&c);
	return jz_reply_html(req, ok ? MHD_HTTP_OK : (unsigned)jz_err_http_status(req->err.code), &b);
}

bool
jz_h_application_json(jz_req *req, jz_application *app)
{
	memset(app, 0, sizeof *app);
	if (!jz_req_json_string(req, "uscc", &app->uscc) || !jz_req_json_string(req, "name", &app->name) ||
	    !jz_req_json_string(req, "legal_rep", &app->legal_rep) ||
	    !jz_req_json_string(req, "address", &app->address) ||
	    !jz_req_json_string(req, "county", &app->county) ||
	    !jz_req_json_string(req, "phone", &app->phone) ||
	    !jz_req_json_string(req, "commitment_by", &app->commitment_by))
		return false;
	json_t *accepted = json_object_get(req->json, "commitment_accepted");
	if (accepted && !json_is_boolean(accepted))
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, "commitment_accepted", "应为 true 或 false",
		                  "must be true or false");
	app->commitment_accepted = json_is_true(accepted);
	return jz_h_json_strings(req, "service_types", app->service_types, JZ_MAX_SERVICE_TYPES,
	                         &app->n_service_types);
}

enum MHD_Result
jz_h_api_apply(jz_req *req)
{
	jz_application app;
	jz_company c = {0};
	char code[32];
	if (!jz_h_application_json(req, &app) ||
	    !jz_svc_company_apply(&req->ctx, &app, &c, code, &req->err))
		return jz_reply_error(req, &req->err);
	json_t *o = jz_company_json(&c, false);
	json_object_set_new(o, "id", json_integer(c.id));
	json_object_set_new(o, "query_code", json_string(code));
	jz_company_clear(&c);
	return jz_reply_json(req, MHD_HTTP_CREATED, o);
}

enum MHD_Result
jz_h_api_status(jz_req *req)
{
	const char *uscc, *code;
	jz_company c = {0};
	if (!jz_req_json_string(req, "uscc", &uscc) || !jz_req_json_string(req, "query_code", &code) ||
	    !jz_svc_application_status(&req->ctx, uscc, code, &c, &req->err))
		return jz_reply_error(req, &req->err);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "uscc", c.uscc, "name", c.name, "status", c.status,
	                      "reason", c.status_reason);
	jz_company_clear(&c);
	return jz_reply_json(req, MHD_HTTP_OK, o);
}
