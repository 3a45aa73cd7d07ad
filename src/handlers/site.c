/* The home page, the health check and the stylesheet. */
#include "handlers/handlers.h"
#include "pages/html.h"

enum MHD_Result
jz_h_healthz(jz_req *req)
{
	/* Touches the database so a node whose database is gone reports it. */
	if (jz_store_ping(req->ctx.db) != JZ_DB_OK)
		return jz_reply_code(req, JZ_E_UNAVAILABLE);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:s}", "status", "ok"));
}

enum MHD_Result
jz_h_css(jz_req *req)
{
	return jz_reply_static(req, "text/css; charset=utf-8", jz_site_css, jz_site_css_len);
}

enum MHD_Result
jz_h_home(jz_req *req)
{
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "家政服务信用信息平台", "Household-service credit platform"));
	jz_html(&b, "<p>%r</p><ul>",
	        L(req, "家政企业入驻、家政服务员信用记录查询与共享。",
	          "Registration of housekeeping companies; credit records of housekeeping workers, "
	          "checked and shared."));
	jz_html(&b, "<li><a href=\"/apply\">%r</a></li>", L(req, "企业入驻申请", "Apply as a company"));
	jz_html(&b, "<li><a href=\"/apply/status\">%r</a></li>",
	        L(req, "查询申请结果", "Look up an application"));
	jz_html(&b, "<li><a href=\"/companies\">%r</a></li>",
	        L(req, "查询已入驻企业", "Search registered companies"));
	jz_html(&b, "<li><a href=\"/dishonesty\">%r</a></li>",
	        L(req, "失信名单（已认定公示的失信记录）", "Dishonesty list (confirmed negative records)"));
	jz_html(&b, "<li><a href=\"/login\">%r</a></li>",
	        L(req, "企业、协会、主管部门登录", "Sign in (companies, associations, regulators)"));
	jz_html(&b, "<li><a href=\"/consent\">%r</a> · <a href=\"/worker/login\">%r</a></li></ul>",
	        L(req, "家政服务员：用授权码确认记录", "Workers: confirm your record with a code"),
	        L(req, "服务员登录", "worker sign-in"));
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}
