/* Where a signed-in account lands: the regulator's queue, the company's home page, or
 * an overview for the other roles. */
#include <string.h>

#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/accounts.h"
#include "services/companies.h"
#include "services/credit.h"

enum MHD_Result
jz_h_me(jz_req *req)
{
	if (!req->signed_in)
		return jz_reply_redirect(req, "/login");
	if (!strcmp(req->user.role, "regulator"))
		return jz_reply_redirect(req, "/regulator/applications");
	if (req->user.company_id)
		return jz_reply_redirect(req, "/company");
	char label[160];
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, jz_role_name(req->user.role, req->english));
	jz_html(&b, "<p>%r<strong>%s</strong></p>", L(req, "账号：", "Account: "), req->user.username);
	if (req->user.region)
		jz_html(&b, "<p>%r%s</p>", L(req, "区域：", "Region: "),
		        jz_region_label(req->user.region, label, sizeof label));
	jz_html(&b, "<p><a href=\"/companies\">%r</a></p>", L(req, "查询已入驻企业", "Registered companies"));
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_company_home(jz_req *req)
{
	jz_company c = {0};
	if (!jz_svc_company_own(&req->ctx, &c, &req->err))
		return jz_h_page_error(req);
	char label[160];
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, c.name);
	jz_html(&b, "<p>%r<strong>%s</strong>（%s）</p>", L(req, "您已登录为", "Signed in as "),
	        jz_role_name(req->user.role, req->english), req->user.username);
	jz_html(&b, "<table><tr><th>%r</th><td id=\"company-uscc\">%s</td></tr><tr><th>%r</th><td>%s</td></tr>"
	            "<tr><th>%r</th><td class=\"status-%s\" id=\"company-status\">%s</td></tr><tr><th>%r</th><td>",
	        L(req, "统一社会信用代码", "Credit code"), c.uscc, L(req, "区县", "County"),
	        jz_region_label(c.county, label, sizeof label), L(req, "状态", "Status"), c.status,
	        !strcmp(c.status, "active") ? L(req, "在营", "Active") : c.status, L(req, "服务类型", "Services"));
	jz_h_service_names(&b, req, c.service_types);
	jz_html(&b, "</td></tr></table><p><a href=\"/companies/%s\">%r</a></p>", c.uscc,
	        L(req, "查看公开页面", "See the public page"));
	int64_t unread = 0;
	jz_err err;
	if (jz_svc_inbox(&req->ctx, NULL, NULL, &unread, &err))
		jz_html(&b, "<p><a href=\"/company/inbox\" id=\"inbox-link\">%r%L%r</a></p>", L(req, "消息：", "Inbox: "), unread,
		        L(req, " 条未读", " unread"));
	jz_page_close(&b, req);
	jz_company_clear(&c);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}
