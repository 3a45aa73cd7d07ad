/* The worker pages of companies, associations and regulators: the company's list, the
 * enrolment form, one record at the viewer's tier with the employer's action forms, and
 * the readiness list (六无不上岗). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "core/text.h"
#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/workers.h"

static const char *const kinds[] = {"health", "work_permit", "skill", "insurance", "training"};

static void
field(jz_buf *b, const char *name, const char *label, const char *value, const char *type)
{
	jz_html(b, "<label for=\"%r\">%s</label><input type=\"%r\" id=\"%r\" name=\"%r\" value=\"%s\">", name,
	        label, type, name, name, value ? value : "");
}

static void
type_names(jz_buf *b, jz_req *req, const char *joined)
{
	if (!*joined)
		jz_html(b, "—");
	else
		jz_h_service_names(b, req, joined);
}

static void
readiness_cells(jz_buf *b, jz_req *req, const jz_readiness *r)
{
	for (int i = 0; i < JZ_ITEM_COUNT; i++) {
		jz_html(b, "<td class=\"ready-%d\">%s", (int)r->state[i], jz_ready_state_name(r->state[i], req->english));
		if (r->expires[i] && *r->expires[i] && r->state[i] != JZ_READY_MISSING)
			jz_html(b, "<br><small>%s</small>", r->expires[i]);
		jz_html(b, "</td>");
	}
}

static void
readiness_head(jz_buf *b, jz_req *req)
{
	for (int i = 0; i < JZ_ITEM_COUNT; i++)
		jz_html(b, "<th>%s</th>", jz_ready_item_name(i, req->english));
}

/* ---- the company's list ---- */

typedef struct rows {
	jz_req *req;
	jz_buf *b;
} rows;

static bool
list_row(const jz_worker *w, const jz_readiness *r, void *arg)
{
	rows *x = arg;
	jz_html(x->b, "<tr><td><a href=\"/workers/%L\">%s</a></td><td class=\"%r\">%r</td>", w->id, w->name,
	        r->ready ? "status-active" : "status-rejected",
	        r->ready ? L(x->req, "可上岗", "Ready") : L(x->req, "不可上岗", "Not ready"));
	readiness_cells(x->b, x->req, r);
	jz_html(x->b, "</tr>");
	return true;
}

static enum MHD_Result
readiness_page(jz_req *req, bool only_problems)
{
	jz_buf b = JZ_BUF_INIT, body = JZ_BUF_INIT;
	rows x = {req, &body};
	int64_t total = 0;
	const char *p = jz_req_param(req, "page");
	int page = p ? atoi(p) : 1;
	if (page < 1 || page > 100000)
		page = 1;
	if (!jz_svc_company_readiness(&req->ctx, only_problems, 100, (page - 1) * 100, list_row, &x, &total, &req->err)) {
		jz_buf_free(&body);
		return jz_h_page_error(req);
	}
	jz_page_open(&b, req, only_problems ? L(req, "不能上岗与即将到期", "Not ready or expiring")
	                                     : L(req, "本企业家政服务员", "Our workers"));
	jz_html(&b, "<p><a href=\"/company/workers/new\">%r</a> · <a href=\"/company/import\">%r</a> · "
	            "<a href=\"%r\">%r</a></p>",
	        L(req, "录入服务员", "Enter a worker"), L(req, "批量导入", "Bulk import"),
	        only_problems ? "/company/workers" : "/company/readiness",
	        only_problems ? L(req, "全部服务员", "All workers") : L(req, "六无不上岗检查", "Duty readiness"));
	if (!only_problems) {
		jz_html(&b, "<form method=\"post\" action=\"/company/checkin\">");
		jz_page_csrf(&b, req);
		jz_html(&b, "<p><input type=\"submit\" id=\"company-checkin\" value=\"%r\"></p></form>",
		        L(req, "为本月在岗的服务员统一打卡（企业证明）", "Check in this month's working staff (company attestation)"));
	}
	jz_html(&b, "<form method=\"post\" action=\"/workers/lookup\">");
	jz_page_csrf(&b, req);
	field(&b, "id_number", L(req, "按身份证号查询家政服务员（信用查询，留痕）", "Check a worker by ID number (logged)"),
	      NULL, "text");
	jz_html(&b, "<p><input type=\"submit\" value=\"%r\"></p></form>", L(req, "查询", "Check"));
	jz_html(&b, "<p id=\"worker-total\">%r%L</p>", only_problems ? L(req, "需要处理：", "To deal with: ")
	                                                             : L(req, "在职服务员：", "Current workers: "), total);
	if (total) {
		jz_html(&b, "<table><tr><th>%r</th><th>%r</th>", L(req, "姓名", "Name"), L(req, "上岗", "Duty"));
		readiness_head(&b, req);
		jz_html(&b, "</tr>%r</table>", jz_buf_str(&body));
		if (only_problems && total > 100)
			jz_html(&b, "<p class=\"hint\">%r</p>", L(req, "仅列出前100名；处理后刷新本页可看到其余的。",
			                                         "The first 100 are listed; deal with them and reload for the rest."));
		if (!only_problems && (int64_t)page * 100 < total)
			jz_html(&b, "<p><a href=\"/company/workers?page=%d\">%r</a></p>", page + 1, L(req, "下一页", "Next page"));
	}
	jz_buf_free(&body);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_company_workers(jz_req *req)
{
	return readiness_page(req, false);
}

enum MHD_Result
jz_h_company_readiness(jz_req *req)
{
	return readiness_page(req, true);
}

/* ---- enrolment ---- */

static enum MHD_Result
enroll_form(jz_req *req, unsigned status, const jz_err *err)
{
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "录入家政服务员", "Enter a worker"));
	if (err) {
		jz_page_err_box(&b, req, err);
		if (*err->field)
			jz_html(&b, "<p class=\"hint\">%r<strong>%s</strong></p>", L(req, "有误的项：", "Field: "), err->field);
	}
	jz_html(&b, "<p class=\"hint\">%r</p><form method=\"post\" action=\"/company/workers\">",
	        L(req, "同一身份证号在平台上只有一条记录；已在其他企业登记的服务员会直接加入本企业。",
	          "One record per ID number on the platform: a worker already registered elsewhere joins your company."));
	jz_page_csrf(&b, req);
	field(&b, "name", L(req, "姓名", "Name"), jz_req_param(req, "name"), "text");
	field(&b, "id_number", L(req, "身份证号（18位）", "ID number (18 characters)"), jz_req_param(req, "id_number"), "text");
	field(&b, "phone", L(req, "手机号（可选）", "Phone (optional)"), jz_req_param(req, "phone"), "tel");
	jz_html(&b, "<fieldset><legend>%r</legend>", L(req, "服务类型", "Service types"));
	const char *chosen[JZ_WORKER_TYPES];
	size_t n = jz_req_params(req, "service_types", chosen, JZ_WORKER_TYPES);
	for (size_t i = 0; i < jz_service_type_count(); i++) {
		const jz_service_type *t = jz_service_type_at(i);
		bool on = false;
		for (size_t k = 0; k < n; k++)
			on = on || !strcmp(chosen[k], t->code);
		jz_html(&b, "<label><input type=\"checkbox\" name=\"service_types\" value=\"%s\"%r> %s</label>", t->code,
		        on ? " checked" : "", L(req, t->zh, t->en));
	}
	jz_html(&b, "</fieldset>");
	field(&b, "consent_date", L(req, "纸质授权书签署日期（可选，如 2025-01-31）", "Paper consent signed on (optional, YYYY-MM-DD)"),
	      jz_req_param(req, "consent_date"), "text");
	for (size_t k = 0; k < 4; k++) {
		char name[32];
		jz_html(&b, "<fieldset><legend>%s</legend>", jz_credential_kind_name(kinds[k], req->english));
		snprintf(name, sizeof name, "%s_no", kinds[k]);
		field(&b, name, L(req, "编号", "Number"), jz_req_param(req, name), "text");
		snprintf(name, sizeof name, "%s_issuer", kinds[k]);
		field(&b, name, L(req, "发证机构", "Issuer"), jz_req_param(req, name), "text");
		snprintf(name, sizeof name, "%s_issued", kinds[k]);
		field(&b, name, L(req, "发证日期", "Issued"), jz_req_param(req, name), "text");
		snprintf(name, sizeof name, "%s_expires", kinds[k]);
		field(&b, name, L(req, "有效期至", "Expires"), jz_req_param(req, name), "text");
		jz_html(&b, "</fieldset>");
	}
	jz_html(&b, "<p><input type=\"submit\" value=\"%r\"></p></form>", L(req, "保存", "Save"));
	jz_page_close(&b, req);
	return jz_reply_html(req, status, &b);
}

enum MHD_Result
jz_h_worker_new(jz_req *req)
{
	enum MHD_Result refused;
	if (!jz_h_company_form(req, &refused))
		return refused;
	return enroll_form(req, MHD_HTTP_OK, NULL);
}

enum MHD_Result
jz_h_worker_create(jz_req *req)
{
	jz_worker_input in = {0};
	jz_enroll_result res;
	in.name = jz_req_param(req, "name");
	in.id_number = jz_req_param(req, "id_number");
	in.phone = jz_req_param(req, "phone");
	in.consent_date = jz_req_param(req, "consent_date");
	in.n_service_types = jz_req_params(req, "service_types", in.service_types, JZ_WORKER_TYPES);
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		char name[32];
		snprintf(name, sizeof name, "%s_no", kinds[k]);
		const char *no = jz_req_param(req, name);
		if (!no || !*no)
			continue;
		jz_credential_input *c = &in.credentials[in.n_credentials++];
		c->kind = kinds[k];
		c->number = no;
		snprintf(name, sizeof name, "%s_issuer", kinds[k]);
		c->issuer = jz_req_param(req, name);
		snprintf(name, sizeof name, "%s_issued", kinds[k]);
		c->issued = jz_req_param(req, name);
		snprintf(name, sizeof name, "%s_expires", kinds[k]);
		c->expires = jz_req_param(req, name);
	}
	if (!jz_svc_worker_enroll(&req->ctx, &in, &res, &req->err)) {
		if (req->err.code == JZ_E_UNAUTHENTICATED)
			return jz_reply_redirect(req, "/login");
		return enroll_form(req, (unsigned)jz_err_http_status(req->err.code), &req->err);
	}
	char location[64];
	snprintf(location, sizeof location, "/workers/%" PRId64, res.worker_id);
	return jz_reply_redirect(req, location);
}

enum MHD_Result
jz_h_worker_lookup(jz_req *req)
{
	int64_t id;
	if (!jz_svc_worker_lookup(&req->ctx, jz_req_param(req, "id_number"), &id, &req->err))
		return jz_h_page_error(req);
	char location[64];
	snprintf(location, sizeof location, "/workers/%" PRId64, id);
	return jz_reply_redirect(req, location);
}

/* ---- one record ---- */

static bool
credential_row(const jz_credential *c, void *arg)
{
	rows *x = arg;
	jz_html(x->b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
	        jz_credential_kind_name(c->kind, x->req->english), c->number, c->issuer, c->issued,
	        *c->expires ? c->expires : L(x->req, "长期", "none"));
	return true;
}

static bool
employment_row(const jz_employment *e, void *arg)
{
	rows *x = arg;
	jz_html(x->b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", e->company_name, e->started,
	        e->ended ? e->ended : L(x->req, "在职", "current"), e->notes);
	return true;
}

static void
action_forms(jz_buf *b, jz_req *req, const jz_worker_view *v)
{
	int64_t id = v->worker.id;
	jz_html(b, "<h2>%r</h2>", L(req, "本企业操作", "Employer actions"));
	jz_html(b, "<p><a href=\"/workers/%L/card\" id=\"card-link\">%r</a></p>", id, L(req, "诚信一卡通（打印卡片）", "Worker card (print)"));
	if (!*v->worker.consent_method) {
		jz_html(b, "<form method=\"post\" action=\"/workers/%L/consent-code\">", id);
		jz_page_csrf(b, req);
		jz_html(b, "<p><input type=\"submit\" id=\"consent-code\" value=\"%r\"> <span class=\"hint\">%r</span></p></form>",
		        L(req, "生成授权码交给服务员", "Make a consent code for the worker"),
		        L(req, "服务员凭授权码在“本人确认”页面确认记录、设置密码。", "The worker confirms the record with it at /consent."));
		jz_html(b, "<form method=\"post\" action=\"/workers/%L/consent\">", id);
		jz_page_csrf(b, req);
		field(b, "consent_date", L(req, "已签纸质授权书，签署日期", "Paper consent signed on (YYYY-MM-DD)"), NULL, "text");
		jz_html(b, "<p><input type=\"submit\" value=\"%r\"></p></form>", L(req, "登记纸质授权", "Record paper consent"));
	}
	if (!*v->worker.id_check_method) {
		jz_html(b, "<form method=\"post\" action=\"/workers/%L/identity\">", id);
		jz_page_csrf(b, req);
		jz_html(b, "<input type=\"hidden\" name=\"method\" value=\"document\"><p><label><input type=\"checkbox\" "
		           "name=\"confirm\" value=\"yes\"> %r</label><input type=\"submit\" value=\"%r\"></p></form>",
		        L(req, "我已当面核验其身份证原件，与本人一致", "I checked the original ID card in person"),
		        L(req, "登记身份核验", "Record identity check"));
	}
	jz_html(b, "<form method=\"post\" action=\"/workers/%L/background\">", id);
	jz_page_csrf(b, req);
	jz_html(b, "<label for=\"status\">%r</label><select id=\"status\" name=\"status\"><option value=\"clear\">%r</option>"
	           "<option value=\"flagged\">%r</option><option value=\"pending\">%r</option></select>",
	        L(req, "背景核查结果", "Background check"), L(req, "无不良记录", "Clear"), L(req, "有不良记录", "Flagged"),
	        L(req, "待核查", "Pending"));
	field(b, "source", L(req, "核查来源（如：派出所无犯罪记录证明）", "Source (e.g. police certificate)"), NULL, "text");
	jz_html(b, "<p><input type=\"submit\" value=\"%r\"></p></form>", L(req, "登记背景核查", "Record"));
	jz_html(b, "<form method=\"post\" action=\"/workers/%L/credentials\">", id);
	jz_page_csrf(b, req);
	jz_html(b, "<label for=\"kind\">%r</label><select id=\"kind\" name=\"kind\">", L(req, "证书类型", "Kind"));
	for (size_t k = 0; k < 5; k++)
		jz_html(b, "<option value=\"%s\">%s</option>", kinds[k], jz_credential_kind_name(kinds[k], req->english));
	jz_html(b, "</select>");
	field(b, "number", L(req, "编号", "Number"), NULL, "text");
	field(b, "issuer", L(req, "发证机构", "Issuer"), NULL, "text");
	field(b, "issued", L(req, "发证日期", "Issued (YYYY-MM-DD)"), NULL, "text");
	field(b, "expires", L(req, "有效期至", "Expires (YYYY-MM-DD)"), NULL, "text");
	jz_html(b, "<p><input type=\"submit\" value=\"%r\"></p></form>", L(req, "添加证书", "Add credential"));
	for (int k = 0; k < 2; k++) {
		jz_html(b, "<form method=\"post\" action=\"/workers/%L/equipment\" class=\"inline\">", id);
		jz_page_csrf(b, req);
		jz_html(b, "<input type=\"hidden\" name=\"kind\" value=\"%r\"><input type=\"submit\" value=\"%r\"></form> ",
		        k ? "toolkit" : "uniform", k ? L(req, "已发放工具包", "Tool kit issued") : L(req, "已发放工作服", "Uniform issued"));
	}
	jz_html(b, "<form method=\"post\" action=\"/workers/%L/notes\">", id);
	jz_page_csrf(b, req);
	jz_html(b, "<label for=\"notes\">%r</label><textarea id=\"notes\" name=\"notes\" rows=\"2\"></textarea>"
	           "<p><input type=\"submit\" value=\"%r\"></p></form>",
	        L(req, "本企业内部备注（其他企业看不到）", "Private notes (other companies never see them)"),
	        L(req, "保存备注", "Save notes"));
	jz_html(b, "<form method=\"post\" action=\"/workers/%L/end\">", id);
	jz_page_csrf(b, req);
	jz_html(b, "<p><input type=\"submit\" value=\"%r\"></p></form>", L(req, "办理离职", "End employment"));
}

void
jz_h_render_worker(jz_buf *b, jz_req *req, const jz_worker_view *v)
{
	const jz_worker *w = &v->worker;
	const jz_region *native = jz_region_find(w->native_region);
	char label[160];
	jz_html(b, "<table><tr><th>%r</th><td id=\"worker-name\">%s</td></tr><tr><th>%r</th><td>%r · %d%r</td></tr>",
	        L(req, "姓名", "Name"), w->name, L(req, "性别、年龄", "Sex, age"),
	        w->female ? L(req, "女", "F") : L(req, "男", "M"), v->age, L(req, "岁", ""));
	jz_html(b, "<tr><th>%r</th><td id=\"worker-id\">%s</td></tr>", L(req, "身份证号", "ID number"),
	        v->id_number ? v->id_number : v->masked_id);
	if (v->id_number)
		jz_html(b, "<tr><th>%r</th><td id=\"worker-phone\">%s</td></tr>", L(req, "手机号", "Phone"),
		        v->phone ? v->phone : "—");
	jz_html(b, "<tr><th>%r</th><td>%s</td></tr><tr><th>%r</th><td>", L(req, "籍贯", "Native place"),
	        native ? jz_region_label(native->code, label, sizeof label) : w->native_region,
	        L(req, "服务类型", "Service types"));
	type_names(b, req, w->service_types);
	char date[11];
	jz_html(b, "</td></tr><tr><th>%r</th><td id=\"identity\">", L(req, "身份核验", "Identity check"));
	if (*w->id_check_method) {
		jz_page_date(w->id_check_at, date);
		jz_html(b, "%r · %s", L(req, "已核验（身份证原件）", "Verified (original ID card)"), date);
	} else {
		jz_html(b, "%r", L(req, "未核验", "Not verified"));
	}
	jz_html(b, "</td></tr><tr><th>%r</th><td id=\"background\">", L(req, "背景核查", "Background check"));
	bool unconfirmed_flag = !strcmp(w->bg_status, "flagged") && !w->bg_confirmed_at;
	if (!strcmp(w->bg_status, "pending") || (unconfirmed_flag && v->tier == JZ_TIER_COMPANY)) {
		/* A flag counts only once a regulator confirms it (docs/credit-model.md). */
		jz_html(b, "%r", L(req, "待核查", "Pending"));
	} else if (unconfirmed_flag) {
		jz_page_date(w->bg_at, date);
		jz_html(b, "%r · %s · %s", L(req, "有不良记录（待主管部门确认）", "Flagged (awaiting the regulator)"), w->bg_source, date);
	} else {
		jz_page_date(w->bg_at, date);
		jz_html(b, "%r · %s · %s", !strcmp(w->bg_status, "clear") ? L(req, "无不良记录", "Clear") : L(req, "有不良记录", "Flagged"),
		        w->bg_source, date);
	}
	jz_html(b, "</td></tr><tr><th>%r</th><td id=\"consent\">", L(req, "本人授权", "Consent"));
	if (*w->consent_method) {
		jz_page_date(w->consent_at, date);
		jz_html(b, "%r · %s", !strcmp(w->consent_method, "code") ? L(req, "本人已确认", "Confirmed by the worker")
		                                                      : L(req, "纸质授权书", "Signed on paper"), date);
	} else {
		jz_html(b, "%r", L(req, "尚未授权（仅录入企业可见）", "Not yet (only the entering company sees it)"));
	}
	jz_html(b, "</td></tr></table><h2>%r <span id=\"ready\" class=\"%r\">%r</span></h2><table><tr>",
	        L(req, "六无不上岗", "Duty readiness"), v->readiness.ready ? "status-active" : "status-rejected",
	        v->readiness.ready ? L(req, "可上岗", "Ready") : L(req, "不可上岗", "Not ready"));
	readiness_head(b, req);
	jz_html(b, "</tr><tr>");
	readiness_cells(b, req, &v->readiness);
	jz_html(b, "</tr></table>");
	jz_buf list = JZ_BUF_INIT;
	rows x = {req, &list};
	jz_err err;
	if (jz_svc_worker_each_credential(&req->ctx, v, credential_row, &x, &err) && list.len)
		jz_html(b, "<h2>%r</h2><table><tr><th>%r</th><th>%r</th><th>%r</th><th>%r</th><th>%r</th></tr>%r</table>",
		        L(req, "证书", "Credentials"), L(req, "类型", "Kind"), L(req, "编号", "Number"), L(req, "发证机构", "Issuer"),
		        L(req, "发证日期", "Issued"), L(req, "有效期至", "Expires"), jz_buf_str(&list));
	jz_buf_reset(&list);
	if (jz_svc_worker_each_employment(&req->ctx, v, employment_row, &x, &err) && list.len)
		jz_html(b, "<h2>%r</h2><table><tr><th>%r</th><th>%r</th><th>%r</th><th>%r</th></tr>%r</table>",
		        L(req, "从业经历", "Employment"), L(req, "企业", "Company"), L(req, "入职", "From"),
		        L(req, "离职", "To"), L(req, "备注", "Notes"), jz_buf_str(&list));
	jz_buf_free(&list);
	jz_h_render_worker_records(b, req, v);
}

enum MHD_Result
jz_h_worker_show(jz_req *req)
{
	jz_worker_view v;
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_worker_open(&req->ctx, id, &v, &req->err))
		return jz_h_page_error(req);
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "家政服务员档案", "Worker record"));
	if (v.tier == JZ_TIER_COMPANY)
		jz_html(&b, "<p class=\"hint\">%r</p>", L(req, "信用查询：不显示联系方式；本次查询已记录，服务员本人可见。",
		                                        "Credit check: no contact data; this look-up is logged and shown to the worker."));
	jz_h_render_worker(&b, req, &v);
	jz_h_render_checkins(&b, req, v.worker.id);
	jz_h_render_service_and_reviews(&b, req, &v);
	if (v.tier == JZ_TIER_EMPLOYER) {
		action_forms(&b, req, &v);
		if (*v.worker.consent_method)
			jz_h_render_share_code(&b, req, v.worker.id);
	}
	jz_worker_view_free(&v);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_worker_action(jz_req *req)
{
	char code[16] = "";
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	const char *action = strrchr(req->path, '/') + 1;
	if (!jz_h_employer_action(req, id, action, false, code))
		return jz_h_page_error(req);
	char location[64];
	snprintf(location, sizeof location, "/workers/%" PRId64, id);
	if (!*code)
		return jz_reply_redirect(req, location);
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "授权码", "Consent code"));
	jz_html(&b, "<p>%r</p><p class=\"secret\" id=\"consent-code\">%s</p><p>%r</p><p><a href=\"%s\">%r</a></p>",
	        L(req, "请把授权码交给服务员本人（7天内有效，只能使用一次）：", "Give this code to the worker (valid 7 days, once):"),
	        code, L(req, "服务员用任何手机浏览器打开本平台的“本人确认”页面（/consent），输入授权码、手机号并设置密码。",
	                 "The worker opens /consent on any phone browser, enters the code and their phone, and sets a password."),
	        location, L(req, "返回档案", "Back to the record"));
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}
