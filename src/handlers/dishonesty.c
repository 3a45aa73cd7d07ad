/* The public dishonesty list (失信名单): confirmed negative records that still count, by
 * region, as a page and as JSON. Records about workers come masked from the service:
 * a masked name and the county, never an ID number, phone, worker id or card. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/credit.h"
#include "core/regions.h"
#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/governance.h"

enum { PAGE_SIZE = 50 };

typedef struct list_rows {
	jz_buf *b;
	jz_req *req;
	json_t *json;
} list_rows;

static const char *
category_name(jz_req *req, const char *code)
{
	const jz_credit_category *cat = jz_credit_category_find(code);
	return cat ? L(req, cat->zh, cat->en) : code;
}

static const char *
severity_name(jz_req *req, const char *code)
{
	int s = jz_severity_parse(code);
	return s < 0 ? code : jz_severity_label((jz_severity)s, req->english);
}

static json_t *
entry_json(jz_req *req, const jz_dishonesty_entry *e, const char *published, const char *expires)
{
	char label[160];
	json_t *o = e->about_worker
	                ? json_pack("{s:s, s:{s:s}}", "about", "worker", "worker", "name", e->masked_name)
	                : json_pack("{s:s, s:{s:s, s:s}}", "about", "company", "company", "name", e->company_name,
	                            "uscc", e->company_uscc);
	json_object_set_new(o, "county", json_string(e->county));
	json_object_set_new(o, "county_name", json_string(jz_region_label(e->county, label, sizeof label)));
	json_object_set_new(o, "category", json_string(e->category));
	json_object_set_new(o, "category_name", json_string(category_name(req, e->category)));
	json_object_set_new(o, "severity", json_string(e->severity));
	json_object_set_new(o, "published", json_string(published));
	json_object_set_new(o, "expires", *expires ? json_string(expires) : json_null());
	json_object_set_new(o, "disputed", json_boolean(e->disputed));
	return o;
}

static bool
list_row(const jz_dishonesty_entry *e, void *arg)
{
	list_rows *lr = arg;
	jz_req *req = lr->req;
	char published[11], expires[11] = "", label[160];
	jz_page_date(e->published_at, published);
	if (e->expires_at)
		jz_page_date(e->expires_at, expires);
	if (lr->json) {
		json_array_append_new(lr->json, entry_json(req, e, published, expires));
		return true;
	}
	if (e->about_worker)
		jz_html(lr->b, "<tr class=\"about-worker\"><td>%r<br><strong>%s</strong></td>", L(req, "家政服务员", "Worker"),
		        e->masked_name);
	else
		jz_html(lr->b, "<tr class=\"about-company\"><td>%r<br><a href=\"/companies/%s\">%s</a><br><small>%s</small></td>",
		        L(req, "家政企业", "Company"), e->company_uscc, e->company_name, e->company_uscc);
	jz_html(lr->b, "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%r</td></tr>",
	        jz_region_label(e->county, label, sizeof label), category_name(req, e->category),
	        severity_name(req, e->severity), published, *expires ? expires : "—",
	        e->disputed ? L(req, "<span class=\"disputed\">有异议</span>", "<span class=\"disputed\">disputed</span>") : "");
	return true;
}

enum MHD_Result
jz_h_dishonesty(jz_req *req)
{
	const char *region = jz_req_param(req, "region");
	const char *page_s = jz_req_param(req, "page");
	int page = page_s ? atoi(page_s) : 1;
	if (page < 1 || page > 100000)
		page = 1;
	jz_buf b = JZ_BUF_INIT, rows = JZ_BUF_INIT;
	list_rows lr = {&rows, req, NULL};
	int64_t total = 0;
	bool ok = jz_svc_dishonesty_list(&req->ctx, region, 0, PAGE_SIZE, (page - 1) * PAGE_SIZE, list_row, &lr, &total,
	                                 &req->err);
	jz_page_open(&b, req, L(req, "失信名单", "Dishonesty list"));
	jz_html(&b, "<p>%r</p>",
	        L(req, "经主管部门或协会认定并公示、尚在信用修复期内的失信记录。涉及家政服务员的记录只显示部分姓名。"
	               "标有“有异议”的记录正在复核。",
	          "Negative records confirmed and published by a regulator or association that still count (before "
	          "credit repair). Workers are shown by a masked name only. Records marked disputed are under appeal."));
	jz_html(&b, "<form method=\"get\" action=\"/dishonesty\"><label for=\"region\">%r</label>"
	            "<input type=\"text\" id=\"region\" name=\"region\" value=\"%s\" inputmode=\"numeric\">"
	            "<p><input type=\"submit\" value=\"%r\"></p></form>",
	        L(req, "行政区划代码（省、市或县，可选，如 430900）", "Region code (province, prefecture or county; optional, e.g. 430900)"),
	        region ? region : "", L(req, "查询", "Search"));
	if (!ok) {
		jz_page_err_box(&b, req, &req->err);
	} else if (!total) {
		jz_html(&b, "<p id=\"dishonesty-total\">%r</p>", L(req, "没有正在公示的失信记录。", "No published negative records."));
	} else {
		jz_html(&b, "<p id=\"dishonesty-total\">%r%L</p><table id=\"dishonesty\"><tr><th>%r</th><th>%r</th><th>%r</th>"
		            "<th>%r</th><th>%r</th><th>%r</th><th></th></tr>%r</table>",
		        L(req, "公示记录：", "Published records: "), total, L(req, "对象", "About"), L(req, "地区", "Region"),
		        L(req, "类别", "Category"), L(req, "程度", "Severity"), L(req, "公示日期", "Published"),
		        L(req, "信用修复期满", "Counts until"), jz_buf_str(&rows));
		if ((int64_t)page * PAGE_SIZE < total)
			jz_html(&b, "<p><a href=\"/dishonesty?region=%s&amp;page=%d\">%r</a></p>", region ? region : "", page + 1,
			        L(req, "下一页", "Next page"));
	}
	jz_buf_free(&rows);
	jz_page_close(&b, req);
	return jz_reply_html(req, ok ? MHD_HTTP_OK : (unsigned)jz_err_http_status(req->err.code), &b);
}

enum MHD_Result
jz_h_api_dishonesty(jz_req *req)
{
	int limit, offset;
	int64_t total = 0;
	if (!jz_h_list_bounds(req, &limit, &offset))
		return jz_reply_error(req, &req->err);
	json_t *items = json_array();
	list_rows lr = {NULL, req, items};
	if (!jz_svc_dishonesty_list(&req->ctx, jz_req_param(req, "region"), 0, limit, offset, list_row, &lr, &total,
	                            &req->err)) {
		json_decref(items);
		return jz_reply_error(req, &req->err);
	}
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:I, s:o}", "total", (json_int_t)total, "items", items));
}
