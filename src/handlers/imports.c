/* The upload page for bulk import (批量导入): a CSV file from the company's staff is
 * imported on a thread of its own; the job page refreshes itself (no JavaScript) until
 * the import is done, then offers the report of rejected rows for download. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "http/server.h"
#include "pages/html.h"
#include "services/import_jobs.h"
#include "util/xmalloc.h"

static const char template_csv[] =
    "\xEF\xBB\xBFname,id_number,phone,service_types,consent_date,health_no,health_issuer,health_issued,"
    "health_expires,work_permit_no,work_permit_issuer,work_permit_issued,work_permit_expires,"
    "insurance_no,insurance_issuer,insurance_issued,insurance_expires\r\n"
    "张秀芳,11010519491231002X,13812345678,月嫂|育婴员,2025-03-01,JK2025001,桃江县疾控中心,2025-03-01,"
    "2026-02-28,SG2024113,桃江县人社局,2024-11-03,,BX778812,某保险公司,2025-01-01,2025-12-31\r\n";

enum MHD_Result
jz_h_import_form(jz_req *req)
{
	enum MHD_Result refused;
	if (!jz_h_company_form(req, &refused))
		return refused;
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "批量导入家政服务员", "Bulk import of workers"));
	jz_html(&b, "<form method=\"post\" action=\"/company/import\" enctype=\"multipart/form-data\">");
	jz_page_csrf(&b, req);
	jz_html(&b, "<label for=\"file\">%r</label><input type=\"file\" id=\"file\" name=\"file\" accept=\".csv,text/csv\">"
	            "<p><label><input type=\"checkbox\" name=\"dry_run\" value=\"yes\"> %r</label></p>"
	            "<p><input type=\"submit\" value=\"%r\"></p></form>",
	        L(req, "CSV 文件（UTF-8 或 Excel 另存的 GB18030，最大 32 MB）", "CSV file (UTF-8, or GB18030 as Excel saves it; up to 32 MB)"),
	        L(req, "只检查，不导入", "Check only, import nothing"), L(req, "上传并导入", "Upload and import"));
	jz_html(&b, "<p><a href=\"/company/import/template.csv\">%r</a></p><h2>%r</h2><p>%r</p><ul>",
	        L(req, "下载模板", "Download the template"), L(req, "列", "Columns"),
	        L(req, "第一行是列名。必填：name（姓名）、id_number（身份证号）。可选：",
	          "The first row names the columns. Required: name, id_number. Optional:"));
	jz_html(&b, "<li>phone %r</li><li>service_types %r</li><li>consent_date %r</li><li>%r</li></ul>",
	        L(req, "手机号或带区号的固定电话", "mobile, or landline with area code"),
	        L(req, "服务类型，多个用 | 分隔，如 月嫂|育婴员", "service types separated by |, e.g. maternity|infant_care"),
	        L(req, "纸质授权书签署日期 YYYY-MM-DD", "date the paper consent was signed, YYYY-MM-DD"),
	        L(req, "证书：health_（健康证）、work_permit_（上岗证）、skill_（技能证书）、insurance_（家政服务险）、training_（培训）"
	               "加上 no、issuer、issued、expires，如 health_no、health_expires",
	          "certificates: health_, work_permit_, skill_, insurance_, training_ followed by no, issuer, issued, "
	          "expires, e.g. health_no, health_expires"));
	jz_html(&b, "<p class=\"hint\">%r</p>",
	        L(req, "重复导入同一文件不会产生重复记录；有误的行会列在报告中（第几行、哪一列、什么问题），其余行照常导入。",
	          "Importing a file again changes nothing already there; rows with errors are listed in the report "
	          "(row, column, reason) and the other rows are imported."));
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_import_template(jz_req *req)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(sizeof template_csv - 1, (void *)template_csv,
	                                                            MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(resp, "Content-Disposition", "attachment; filename=\"workers-template.csv\"");
	return jz_reply_response(req, MHD_HTTP_OK, resp, "text/csv; charset=utf-8");
}

enum MHD_Result
jz_h_import_upload(jz_req *req)
{
	int64_t id;
	const char *dry = jz_req_param(req, "dry_run");
	size_t len = req->upload.len;
	char *data = jz_buf_steal(&req->upload);
	if (!jz_svc_import_start(&req->ctx, jz_server_db_url(), req->upload_name, data, len, dry && !strcmp(dry, "yes"),
	                         &id, &req->err))
		return jz_h_page_error(req);
	char location[64];
	snprintf(location, sizeof location, "/company/import/%" PRId64, id);
	return jz_reply_redirect(req, location);
}

/* The first rows of the report as a table. */
static void
report_table(jz_buf *b, jz_req *req, const char *report)
{
	const char *line = strchr(report, '\n');
	int shown = 0;
	jz_html(b, "<table id=\"report\"><tr><th>%r</th><th>%r</th><th>%r</th></tr>", L(req, "行", "Row"),
	        L(req, "列", "Column"), L(req, "问题", "Problem"));
	while (line && line[1] && shown < 200) {
		const char *start = line + 1;
		line = strchr(start, '\n');
		size_t n = line ? (size_t)(line - start) : strlen(start);
		char row[600];
		snprintf(row, sizeof row, "%.*s", (int)(n < sizeof row ? n : sizeof row - 1), start);
		row[strcspn(row, "\r")] = '\0';
		/* row,column,reason: the reason may be quoted; show it without the quotes. */
		char *c1 = strchr(row, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		if (!c2)
			continue;
		*c1 = *c2 = '\0';
		char *reason = c2 + 1;
		if (*reason == '"') {
			reason++;
			size_t rl = strlen(reason);
			if (rl && reason[rl - 1] == '"')
				reason[rl - 1] = '\0';
		}
		jz_html(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", row, c1 + 1, reason);
		shown++;
	}
	jz_html(b, "</table>");
}

enum MHD_Result
jz_h_import_job(jz_req *req)
{
	jz_import_job j = {0};
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_import_job(&req->ctx, id, &j, &req->err))
		return jz_h_page_error(req);
	bool running = !strcmp(j.status, "running");
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "导入进度", "Import"));
	jz_html(&b, "<p>%s%r</p>", j.filename, j.dry_run ? L(req, "（只检查）", " (check only)") : "");
	if (running) {
		/* The refresh is the progress bar of a page without JavaScript. */
		int percent = j.bytes_total ? (int)(j.bytes_done * 100 / j.bytes_total) : 0;
		jz_html(&b, "<meta http-equiv=\"refresh\" content=\"2\"><p id=\"import-status\">%r %d%% · %L %r</p>"
		            "<progress max=\"100\" value=\"%d\"></progress>",
		        L(req, "正在导入……", "Importing…"), percent, j.rows_done, L(req, "行", "rows"), percent);
	} else if (!strcmp(j.status, "failed")) {
		jz_html(&b, "<div class=\"error\" id=\"import-status\">%r %s</div>", L(req, "文件未能导入：", "The file was not imported: "),
		        j.message);
	} else {
		jz_html(&b, "<div class=\"ok\" id=\"import-status\">%r</div><table><tr><th>%r</th><td id=\"rows\">%L</td></tr>"
		            "<tr><th>%r</th><td id=\"imported\">%L</td></tr><tr><th>%r</th><td id=\"already\">%L</td></tr>"
		            "<tr><th>%r</th><td id=\"rejected\">%L</td></tr></table>",
		        L(req, "导入完成", "Done"), L(req, "数据行", "Rows"), j.rows_done,
		        j.dry_run ? L(req, "可以导入", "Would import") : L(req, "已导入", "Imported"), j.imported,
		        L(req, "已存在（未改动）", "Already there (unchanged)"), j.already_there,
		        L(req, "有误未导入", "Rejected"), j.rejected);
		if (j.rejected) {
			jz_html(&b, "<p><a href=\"/company/import/%L/report\" id=\"report-link\">%r</a></p>", j.id,
			        L(req, "下载错误报告（CSV）", "Download the report (CSV)"));
			report_table(&b, req, j.report);
		}
		jz_html(&b, "<p><a href=\"/company/workers\">%r</a> · <a href=\"/company/import\">%r</a></p>",
		        L(req, "查看服务员", "See the workers"), L(req, "再导入一个文件", "Import another file"));
	}
	jz_import_job_clear(&j);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_import_report(jz_req *req)
{
	jz_import_job j = {0};
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_import_job(&req->ctx, id, &j, &req->err))
		return jz_h_page_error(req);
	/* With a BOM, Excel opens the UTF-8 file with its Chinese intact. */
	char *body = jz_xasprintf("\xEF\xBB\xBF%s", j.report);
	jz_import_job_clear(&j);
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Disposition", "attachment; filename=\"import-report.csv\"");
	return jz_reply_response(req, MHD_HTTP_OK, resp, "text/csv; charset=utf-8");
}
