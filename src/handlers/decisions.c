/* Regulators decide applications in their region: the list, one application, approve
 * (which creates the company's admin account and shows its password once), reject. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/companies.h"

enum { PAGE_SIZE = 50 };

typedef struct list_page {
	jz_buf *b;
	jz_req *req;
} list_page;

static bool
list_row(const jz_company *c, void *arg)
{
	list_page *lp = arg;
	char label[160], date[11];
	jz_page_date(c->created_at, date);
	jz_html(lp->b, "<tr><td><a href=\"/regulator/applications/%L\">%s</a><br><small>%s</small></td>"
	               "<td>%s</td><td>%s</td></tr>",
	        c->id, c->name, c->uscc, jz_region_label(c->county, label, sizeof label), date);
	return true;
}

static int
page_number(jz_req *req)
{
	const char *p = jz_req_param(req, "page");
	int n = p ? atoi(p) : 1;
	return n < 1 ? 1 : n > 100000 ? 100000 : n;
}

enum MHD_Result
jz_h_pending_list(jz_req *req)
{
	jz_buf b = JZ_BUF_INIT;
	list_page lp = {&b, req};
	int64_t total = 0;
	int page = page_number(req);
	jz_page_open(&b, req, L(req, "待审核的入驻申请", "Pending applications"));
	jz_buf rows = JZ_BUF_INIT;
	lp.b = &rows;
	if (!jz_svc_applications_pending(&req->ctx, PAGE_SIZE, (page - 1) * PAGE_SIZE, list_row, &lp,
	                                 &total, &req->err)) {
		jz_buf_free(&rows);
		jz_buf_free(&b);
		return jz_h_page_error(req);
	}
	char label[160];
	jz_html(&b, "<p>%r<strong>%s</strong> · %r<strong id=\"pending-total\">%L</strong></p>",
	        L(req, "管辖区域：", "Region: "), jz_region_label(req->user.region, label, sizeof label),
	        L(req, "待审核：", "Pending: "), total);
	if (total) {
		jz_html(&b, "<table><tr><th>%r</th><th>%r</th><th>%r</th></tr>%r</table>",
		        L(req, "企业", "Company"), L(req, "区县", "County"), L(req, "申请日期", "Applied"),
		        jz_buf_str(&rows));
		if ((int64_t)page * PAGE_SIZE < total)
			jz_html(&b, "<p><a href=\"/regulator/applications?page=%d\">%r</a></p>", page + 1,
			        L(req, "下一页", "Next page"));
	} else {
		jz_html(&b, "<p>%r</p>", L(req, "暂无待审核的申请。", "No pending applications."));
	}
	jz_buf_free(&rows);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

static void
company_table(jz_buf *b, jz_req *req, const jz_company *c)
{
	char label[160], date[11];
	jz_page_date(c->commitment_at, date);
	jz_html(b, "<table><tr><th>%r</th><td id=\"company-name\">%s</td></tr>"
	           "<tr><th>%r</th><td>%s</td></tr><tr><th>%r</th><td>%s</td></tr>"
	           "<tr><th>%r</th><td>%s</td></tr><tr><th>%r</th><td>%s</td></tr>"
	           "<tr><th>%r</th><td>%s</td></tr><tr><th>%r</th><td>",
	        L(req, "企业名称", "Name"), c->name, L(req, "统一社会信用代码", "Credit code"), c->uscc,
	        L(req, "法定代表人", "Legal representative"), c->legal_rep, L(req, "区县", "County"),
	        jz_region_label(c->county, label, sizeof label), L(req, "经营地址", "Address"), c->address,
	        L(req, "联系电话", "Phone"), c->phone, L(req, "服务类型", "Service types"));
	jz_h_service_names(b, req, c->service_types);
	jz_html(b, "</td></tr><tr><th>%r</th><td>%s · %s</td></tr></table>",
	        L(req, "信用承诺", "Credit commitment"), c->commitment_by, date);
}

enum MHD_Result
jz_h_pending_show(jz_req *req)
{
	jz_company c = {0};
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_company_for_regulator(&req->ctx, id, &c, &req->err))
		return jz_h_page_error(req);
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "入驻申请", "Application"));
	company_table(&b, req, &c);
	if (!strcmp(c.status, "pending")) {
		jz_html(&b, "<form method=\"post\" action=\"/regulator/applications/%L/approve\">", c.id);
		jz_page_csrf(&b, req);
		jz_html(&b, "<p><input type=\"submit\" id=\"approve\" value=\"%r\"></p></form>",
		        L(req, "批准入驻", "Approve"));
		jz_html(&b, "<form method=\"post\" action=\"/regulator/applications/%L/reject\">", c.id);
		jz_page_csrf(&b, req);
		jz_html(&b, "<label for=\"reason\">%r</label><textarea id=\"reason\" name=\"reason\" rows=\"3\">"
		            "</textarea><p><input type=\"submit\" id=\"reject\" value=\"%r\"></p></form>",
		        L(req, "驳回理由（申请人可见）", "Reason for rejection (the applicant sees it)"),
		        L(req, "驳回", "Reject"));
	} else {
		jz_html(&b, "<p class=\"status-%s\">%s", c.status, jz_h_status_label(req, c.status));
		if (*c.status_reason)
			jz_html(&b, " · %s", c.status_reason);
		jz_html(&b, "</p>");
	}
	jz_page_close(&b, req);
	jz_company_clear(&c);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_approve(jz_req *req)
{
	jz_company c = {0};
	char username[64], password[32];
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_company_approve(&req->ctx, id, &c, username, password, &req->err))
		return jz_h_page_error(req);
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "已批准入驻", "Approved"));
	jz_html(&b, "<div class=\"ok\">%s（%s）%r</div>", c.name, c.uscc,
	        L(req, "已入驻。", " is now registered."));
	jz_html(&b, "<p>%r</p><table><tr><th>%r</th><td class=\"secret\" id=\"admin-username\">%s</td></tr>"
	            "<tr><th>%r</th><td class=\"secret\" id=\"admin-password\">%s</td></tr></table>"
	            "<p class=\"hint\">%r</p>",
	        L(req, "企业管理员账号（密码只显示这一次，请安全转交企业）：",
	          "The company's admin account (the password is shown only now; hand it over safely):"),
	        L(req, "用户名", "Username"), username, L(req, "初始密码", "Password"), password,
	        L(req, "平台不保存明文密码，无法再次查看。", "The platform keeps no clear-text copy."));
	jz_html(&b, "<p><a href=\"/regulator/applications\">%r</a></p>",
	        L(req, "返回待审核列表", "Back to pending applications"));
	jz_page_close(&b, req);
	jz_company_clear(&c);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_reject(jz_req *req)
{
	jz_company c = {0};
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_company_reject(&req->ctx, id, jz_req_param(req, "reason"), &c, &req->err))
		return jz_h_page_error(req);
	jz_company_clear(&c);
	return jz_reply_redirect(req, "/regulator/applications");
}

static bool
json_row(const jz_company *c, void *arg)
{
	json_array_append_new(arg, jz_company_json(c, true));
	return true;
}

/* A non-negative integer query parameter within bounds, or the default. */
static bool
int_param(jz_req *req, const char *name, int def, int max, int *out)
{
	const char *s = jz_req_param(req, name);
	*out = def;
	if (!s)
		return true;
	int low = !strcmp(name, "limit") ? 1 : 0;
	if (!*s || strlen(s) > 9 || strspn(s, "0123456789") != strlen(s) || atoi(s) > max || atoi(s) < low) {
		char en[96];
		snprintf(en, sizeof en, "'%s' must be a whole number from %d to %d", name, low, max);
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, name, "应为非负整数", en);
	}
	*out = atoi(s);
	return true;
}

bool
jz_h_list_bounds(jz_req *req, int *limit, int *offset)
{
	return int_param(req, "limit", 50, 200, limit) && int_param(req, "offset", 0, 100000000, offset);
}

enum MHD_Result
jz_h_api_pending_list(jz_req *req)
{
	int limit, offset;
	int64_t total = 0;
	if (!jz_h_list_bounds(req, &limit, &offset))
		return jz_reply_error(req, &req->err);
	json_t *items = json_array();
	if (!jz_svc_applications_pending(&req->ctx, limit, offset, json_row, items, &total, &req->err)) {
		json_decref(items);
		return jz_reply_error(req, &req->err);
	}
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:I, s:o}", "total", (json_int_t)total, "items", items));
}

enum MHD_Result
jz_h_api_pending_show(jz_req *req)
{
	jz_company c = {0};
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_company_for_regulator(&req->ctx, id, &c, &req->err))
		return jz_reply_error(req, &req->err);
	json_t *o = jz_company_json(&c, true);
	jz_company_clear(&c);
	return jz_reply_json(req, MHD_HTTP_OK, o);
}

enum MHD_Result
jz_h_api_approve(jz_req *req)
{
	jz_company c = {0};
	char username[64], password[32];
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_company_approve(&req->ctx, id, &c, username, password, &req->err))
		return jz_reply_error(req, &req->err);
	json_t *o = json_pack("{s:o, s:{s:s, s:s}}", "company", jz_company_json(&c, true), "admin",
	                      "username", username, "password", password);
	jz_company_clear(&c);
	return jz_reply_json(req, MHD_HTTP_OK, o);
}

enum MHD_Result
jz_h_api_reject(jz_req *req)
{
	jz_company c = {0};
	const char *reason;
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_req_json_string(req, "reason", &reason) ||
	    !jz_svc_company_reject(&req->ctx, id, reason, &c, &req->err))
		return jz_reply_error(req, &req->err);
	json_t *o = jz_company_json(&c, true);
	jz_company_clear(&c);
	return jz_reply_json(req, MHD_HTTP_OK, o);
}
