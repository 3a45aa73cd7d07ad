/* The public register: search of active companies, and one company's page (active,
 * suspended or revoked) with its rating, designations and confirmed records. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/companies.h"

enum { PAGE_SIZE = 20 };

typedef struct rows {
	jz_buf *b;
	jz_req *req;
} rows;

static bool
row(const jz_company *c, void *arg)
{
	rows *r = arg;
	char label[160];
	jz_html(r->b, "<tr><td><a href=\"/companies/%s\">%s</a><br><small>%s</small></td><td>%s</td><td>",
	        c->uscc, c->name, c->uscc, jz_region_label(c->county, label, sizeof label));
	jz_h_service_names(r->b, r->req, c->service_types);
	jz_html(r->b, "</td></tr>");
	return true;
}

enum MHD_Result
jz_h_company_search(jz_req *req)
{
	const char *q = jz_req_param(req, "q");
	const char *county = jz_req_param(req, "county");
	const char *page_s = jz_req_param(req, "page");
	int page = page_s ? atoi(page_s) : 1;
	if (page < 1 || page > 100000)
		page = 1;
	jz_buf b = JZ_BUF_INIT, body = JZ_BUF_INIT;
	rows r = {&body, req};
	int64_t total = 0;
	bool ok = jz_svc_company_search(&req->ctx, q, county, PAGE_SIZE, (page - 1) * PAGE_SIZE, row, &r,
	                                &total, &req->err);
	jz_page_open(&b, req, L(req, "已入驻家政企业查询", "Registered companies"));
	jz_html(&b, "<form method=\"get\" action=\"/companies\"><label for=\"q\">%r</label>"
	            "<input type=\"text\" id=\"q\" name=\"q\" value=\"%s\">"
	            "<label for=\"county\">%r</label><input type=\"text\" id=\"county\" name=\"county\" "
	            "value=\"%s\" inputmode=\"numeric\"><p><input type=\"submit\" value=\"%r\"></p></form>",
	        L(req, "企业名称或统一社会信用代码", "Name or credit code"), q ? q : "",
	        L(req, "行政区划代码（可选，如 430922）", "Region code (optional, e.g. 430922)"),
	        county ? county : "", L(req, "查询", "Search"));
	if (!ok) {
		jz_page_err_box(&b, req, &req->err);
	} else if (!total) {
		jz_html(&b, "<p id=\"result-count\">%r</p>", L(req, "没有符合条件的在营企业。", "No active company matches."));
	} else {
		jz_html(&b, "<p id=\"result-count\">%r%L</p><table><tr><th>%r</th><th>%r</th><th>%r</th></tr>%r</table>",
		        L(req, "在营企业：", "Active companies: "), total, L(req, "企业", "Company"),
		        L(req, "区县", "County"), L(req, "服务类型", "Services"), jz_buf_str(&body));
		if ((int64_t)page * PAGE_SIZE < total) {
			jz_html(&b, "<p><a href=\"/companies?page=%d&amp;q=", page + 1);
			/* The search text goes back into the link URL-encoded by the browser's rules. */
			for (const unsigned char *p = (const unsigned char *)(q ? q : ""); *p; p++)
				jz_buf_printf(&b, isalnum(*p) ? "%c" : "%%%02X", *p);
			jz_html(&b, "&amp;county=%s\">%r</a></p>", county ? county : "", L(req, "下一页", "Next page"));
		}
	}
	jz_buf_free(&body);
	jz_page_close(&b, req);
	return jz_reply_html(req, ok ? MHD_HTTP_OK : (unsigned)jz_err_http_status(req->err.code), &b);
}

/* The status as the public register shows it: in words, with the reason when suspended
 * or revoked. */
static void
status_cell(jz_buf *b, jz_req *req, const jz_company *c)
{
	if (!strcmp(c->status, "active")) {
		jz_html(b, "<td class=\"status-active\" id=\"status\">%r</td>", L(req, "在营（已通过准入审核）", "Active (admitted)"));
		return;
	}
	jz_html(b, "<td class=\"status-%s\" id=\"status\"><strong>%s</strong><br><span id=\"status-reason\">%r%s</span></td>",
	        c->status, jz_h_status_label(req, c->status), L(req, "理由：", "Reason: "), c->status_reason);
}

enum MHD_Result
jz_h_company_show(jz_req *req)
{
	jz_company c = {0};
	if (!jz_svc_company_public(&req->ctx, req->args[0], &c, &req->err))
		return jz_reply_error(req, &req->err);
	char label[160];
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, c.name);
	jz_html(&b, "<table><tr><th>%r</th><td>%s</td></tr><tr><th>%r</th>", L(req, "统一社会信用代码", "Credit code"),
	        c.uscc, L(req, "状态", "Status"));
	status_cell(&b, req, &c);
	jz_html(&b, "</tr><tr><th>%r</th><td>%s</td></tr><tr><th>%r</th><td>%s</td></tr>"
	            "<tr><th>%r</th><td>%s</td></tr><tr><th>%r</th><td>%s</td></tr><tr><th>%r</th><td>",
	        L(req, "区县", "County"), jz_region_label(c.county, label, sizeof label),
	        L(req, "法定代表人", "Legal representative"), c.legal_rep, L(req, "经营地址", "Address"), c.address,
	        L(req, "联系电话", "Phone"), c.phone, L(req, "服务类型", "Service types"));
	jz_h_service_names(&b, req, c.service_types);
	jz_html(&b, "</td></tr></table>");
	jz_h_render_company_governance(&b, req, &c);
	jz_page_close(&b, req);
	jz_company_clear(&c);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

static bool
json_row(const jz_company *c, void *arg)
{
	json_array_append_new(arg, jz_company_json(c, false));
	return true;
}

enum MHD_Result
jz_h_api_company_search(jz_req *req)
{
	int limit, offset;
	int64_t total = 0;
	if (!jz_h_list_bounds(req, &limit, &offset))
		return jz_reply_error(req, &req->err);
	json_t *items = json_array();
	if (!jz_svc_company_search(&req->ctx, jz_req_param(req, "q"), jz_req_param(req, "county"), limit,
	                           offset, json_row, items, &total, &req->err)) {
		json_decref(items);
		return jz_reply_error(req, &req->err);
	}
	return jz_reply_json(req, MHD_HTTP_OK,
	                     json_pack("{s:I, s:o}", "total", (json_int_t)total, "items", items));
}

enum MHD_Result
jz_h_api_company_show(jz_req *req)
{
	jz_company c = {0};
	if (!jz_svc_company_public(&req->ctx, req->args[0], &c, &req->err))
		return jz_reply_error(req, &req->err);
	json_t *o = jz_company_json(&c, false);
	bool ok = jz_h_company_governance_json(req, &c, o);
	jz_company_clear(&c);
	if (!ok) {
		json_decref(o);
		return jz_reply_error(req, &req->err);
	}
	return jz_reply_json(req, MHD_HTTP_OK, o);
}
