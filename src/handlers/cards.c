/* Worker cards (诚信一卡通): the public check of a scanned card (GET /v/TOKEN, and the
 * same as JSON), the employer's printable card with its QR code and the issue, revoke
 * and reissue actions (pages and API), and the published card-signing key. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/credit.h"
#include "handlers/handlers.h"
#include "http/server.h"
#include "pages/html.h"
#include "services/cards.h"
#include "util/qr.h"
#include "util/xmalloc.h"

static const char *const item_keys[] = {"insurance",   "credit", "uniform",
                                        "work_permit", "health", "toolkit"};
static const char *const state_keys[] = {"ok", "expiring", "missing", "expired"};

/* The card's URL on this server; caller frees. NULL with req->err set. */
static char *
card_url(jz_req *req, const jz_card *c, char token[JZ_CARD_TOKEN_MAX])
{
	if (!jz_svc_card_token(&req->ctx, c, token, &req->err))
		return NULL;
	return jz_svc_card_url(jz_server_base_url(), token);
}

/* ---- the public check ---- */

static void
bg_words(jz_buf *b, jz_req *req, const jz_card_public *p)
{
	char date[11];
	if (!strcmp(p->bg_status, "pending")) {
		jz_html(b, "%r", L(req, "待核查", "Pending"));
		return;
	}
	jz_page_date(p->bg_at, date);
	jz_html(b, "%r · %s",
	        !strcmp(p->bg_status, "clear") ? L(req, "无不良记录", "Clear")
	                                       : L(req, "有不良记录", "Flagged"),
	        date);
}

/* The worker's published negative records, or 无. */
static void
negative_records(jz_buf *b, jz_req *req, const jz_card_public *p)
{
	char date[11];
	if (!p->negative_records) {
		jz_html(b, "%r", L(req, "无", "None"));
		return;
	}
	for (int i = 0; i < p->negative_records && i < JZ_CARD_NEGATIVES; i++) {
		const jz_card_negative *n = &p->negatives[i];
		const jz_credit_category *c = jz_credit_category_find(n->category);
		int sev = jz_severity_parse(n->severity);
		jz_page_date(n->published, date);
		jz_html(b, "%r<span class=\"negative\">%s（%s）· %s%r</span>", i ? "<br>" : "", c ? L(req, c->zh, c->en) : n->category,
		        sev >= 0 ? jz_severity_label((jz_severity)sev, req->english) : "", date,
		        n->disputed ? L(req, " · <strong>有异议，复核中</strong>", " · <strong>disputed</strong>") : "");
	}
}

static json_t *
negatives_json(const jz_card_public *p)
{
	json_t *a = json_array();
	char date[11], until[11];
	for (int i = 0; i < p->negative_records && i < JZ_CARD_NEGATIVES; i++) {
		const jz_card_negative *n = &p->negatives[i];
		jz_page_date(n->published, date);
		jz_page_date(n->until, until);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:b}", "category", n->category, "severity", n->severity,
		                                   "published", date, "until", until, "disputed", n->disputed));
	}
	return a;
}

static void
public_view(jz_buf *b, jz_req *req, const jz_card_public *p)
{
	char date[11];
	jz_html(b,
	        "<p class=\"ok\" id=\"verdict\"><strong>%r</strong><br>%r<span "
	        "class=\"serial\">%s</span></p>",
	        L(req, "✓ 平台签发的真实卡片", "✓ A genuine card issued by the platform"),
	        L(req, "卡号 ", "Card "), p->card.serial);
	jz_html(b, "<table><tr><th>%r</th><td id=\"card-name\">%s</td></tr>",
	        L(req, "姓名", "Name"), p->masked_name);
	jz_html(b, "<tr><th>%r</th><td id=\"card-age\">%d–%d%r</td></tr>", L(req, "年龄", "Age"),
	        p->age_lo, p->age_lo + 9, L(req, "岁", ""));
	jz_html(b, "<tr><th>%r</th><td>%s</td></tr><tr><th>%r</th><td>",
	        L(req, "籍贯", "Native province"), *p->province ? p->province : "—",
	        L(req, "服务类型", "Service types"));
	if (*p->service_types)
		jz_h_service_names(b, req, p->service_types);
	else
		jz_html(b, "—");
	jz_html(b, "</td></tr><tr><th>%r</th><td id=\"card-stars\">", L(req, "星级评价", "Stars"));
	jz_h_stars_text(b, p->stars);
	jz_buf_printf(b, " %.1f", p->stars);
	jz_html(b, "（%L%r）</td></tr>", p->reviews, L(req, "条评价", " reviews"));
	jz_html(b, "<tr><th>%r</th><td id=\"card-activity\" class=\"%r\">%r%s</td></tr>", L(req, "按月打卡", "Monthly check-in"),
	        p->active ? "status-active" : "status-rejected",
	        p->active ? L(req, "活跃 · 最近 ", "Active · last ") : L(req, "已两个月未打卡，视为不活跃 · 最近 ", "Inactive: no check-in for two months · last "),
	        *p->last_checkin ? p->last_checkin : "—");
	jz_html(b, "<tr><th>%r</th><td id=\"card-identity\">",
	        L(req, "身份核验", "Identity check"));
	if (p->id_verified) {
		jz_page_date(p->id_check_at, date);
		jz_html(b, "%r · %s", L(req, "已核验", "Verified"), date);
	} else {
		jz_html(b, "%r", L(req, "未核验", "Not verified"));
	}
	jz_html(b, "</td></tr><tr><th>%r</th><td id=\"card-background\">",
	        L(req, "背景核查", "Background check"));
	bg_words(b, req, p);
	jz_html(b, "</td></tr><tr><th>%r</th><td id=\"card-company\">%s</td></tr>",
	        L(req, "所在企业", "Current company"),
	        *p->employers ? p->employers : L(req, "无", "None"));
	jz_html(b, "<tr><th>%r</th><td id=\"card-negative\">", L(req, "失信记录（已公示）", "Published negative records"));
	negative_records(b, req, p);
	jz_html(b, "</td></tr></table>");
	jz_html(b, "<h2>%r <span id=\"card-ready\" class=\"%r\">%r</span></h2><table>",
	        L(req, "六无不上岗", "Duty readiness"),
	        p->readiness.ready ? "status-active" : "status-rejected",
	        p->readiness.ready ? L(req, "可上岗", "Ready") : L(req, "不可上岗", "Not ready"));
	for (int i = 0; i < JZ_ITEM_COUNT; i++) {
		jz_ready_state st = p->readiness.state[i];
		jz_html(b, "<tr><th>%s</th><td class=\"ready-%d\">%s",
		        jz_ready_item_name(i, req->english), (int)st,
		        jz_ready_state_name(st, req->english));
		if (p->readiness.expires[i] && *p->readiness.expires[i] && st != JZ_READY_MISSING)
			jz_html(b, " · %r%s", L(req, "有效期至 ", "until "),
			        p->readiness.expires[i]);
		jz_html(b, "</td></tr>");
	}
	jz_page_date(p->card.issued_at, date);
	jz_html(b, "</table><p class=\"hint\">%r%s · %r%s。%r</p>",
	        L(req, "发卡企业：", "Issued by "), p->company, L(req, "发卡日期：", "on "), date,
	        L(req, "本页只显示公开信息，不含身份证号、电话和住址。",
	          "This page shows public information only: no ID number, phone or address."));
}

enum MHD_Result
jz_h_card_verify(jz_req *req)
{
	jz_card_public p;
	const char *token = req->args[0] ? req->args[0] : "";
	if (!jz_svc_card_check(&req->ctx, token, &p, &req->err))
		return jz_reply_error(req, &req->err);
	jz_buf b = JZ_BUF_INIT;
	unsigned status = MHD_HTTP_OK;
	char date[11];
	switch (p.verdict) {
	case JZ_CARDV_GENUINE:
		jz_page_open(&b, req, L(req, "家政服务员卡片核验", "Worker card check"));
		public_view(&b, req, &p);
		break;
	case JZ_CARDV_NOT_GENUINE:
		status = MHD_HTTP_NOT_FOUND;
		jz_page_open(&b, req, L(req, "不是平台签发的真实卡片", "Not a genuine card"));
		jz_html(
		    &b,
		    "<p class=\"error\" id=\"verdict\"><strong>%r</strong><br>%r%s</p><p>%r</p>",
		    L(req, "✗ 不是平台签发的真实卡片",
		      "✗ Not a genuine card issued by the platform"),
		    L(req, "原因：", "Reason: "),
		    L(req, jz_card_fault_zh(p.fault), jz_card_fault_name(p.fault)),
		    L(req, "请勿让持卡人上门服务，并联系当地家政协会或商务主管部门。",
		      "Do not let the holder in; tell the local association or the commerce "
		      "bureau."));
		break;
	case JZ_CARDV_EXPIRED:
		status = MHD_HTTP_GONE;
		jz_page_date(p.card.expires_at, date);
		jz_page_open(&b, req, L(req, "此卡已过期", "This card has expired"));
		jz_html(&b,
		        "<p class=\"error\" id=\"verdict\"><strong>%r</strong><br>%r%s · %r%s</p>",
		        L(req, "✗ 此卡已过期", "✗ This card has expired"), L(req, "卡号 ", "Card "),
		        p.card.serial, L(req, "有效期至 ", "valid until "), date);
		break;
	case JZ_CARDV_REVOKED:
		status = MHD_HTTP_GONE;
		jz_page_date(p.card.revoked_at, date);
		jz_page_open(&b, req, L(req, "此卡已作废", "This card has been revoked"));
		jz_html(&b,
		        "<p class=\"error\" id=\"verdict\"><strong>%r</strong><br>%r%s · %r%s · "
		        "%r%s</p><p>%r</p>",
		        L(req, "✗ 此卡已作废", "✗ This card has been revoked"),
		        L(req, "卡号 ", "Card "), p.card.serial, L(req, "原因：", "reason: "),
		        jz_card_reason_name(p.card.revoke_reason, req->english),
		        L(req, "作废日期：", "on "), date,
		        L(req, "持卡人如仍在从业，应持有企业新发的卡片。",
		          "A worker still on duty carries a newly issued card."));
		break;
	}
	jz_card_public_free(&p);
	jz_page_close(&b, req);
	return jz_reply_html(req, status, &b);
}

enum MHD_Result
jz_h_api_card_verify(jz_req *req)
{
	jz_card_public p;
	const char *token = req->args[0] ? req->args[0] : "";
	if (!jz_svc_card_check(&req->ctx, token, &p, &req->err))
		return jz_reply_error(req, &req->err);
	enum MHD_Result r;
	char issued[11], date[11];
	if (p.verdict == JZ_CARDV_NOT_GENUINE) {
		jz_err_set(&req->err, JZ_E_CARD_NOT_GENUINE, NULL, jz_card_fault_zh(p.fault),
		           jz_card_fault_name(p.fault));
		r = jz_reply_error(req, &req->err);
	} else if (p.verdict != JZ_CARDV_GENUINE) {
		bool revoked = p.verdict == JZ_CARDV_REVOKED;
		json_t *o = json_pack(
		    "{s:s, s:s, s:s}", "code", revoked ? "card_revoked" : "card_expired", "message",
		    jz_err_message(revoked ? JZ_E_CARD_REVOKED : JZ_E_CARD_EXPIRED, req->english),
		    "serial", p.card.serial);
		jz_page_date(revoked ? p.card.revoked_at : p.card.expires_at, date);
		json_object_set_new(o, revoked ? "revoked" : "expires", json_string(date));
		if (revoked)
			json_object_set_new(o, "reason", json_string(p.card.revoke_reason));
		r = jz_reply_json(req, MHD_HTTP_GONE, o);
	} else {
		json_t *items = json_object();
		for (int i = 0; i < JZ_ITEM_COUNT; i++) {
			json_t *it = json_pack("{s:s}", "state", state_keys[p.readiness.state[i]]);
			if (p.readiness.expires[i])
				json_object_set_new(it, "expires",
				                    json_string(p.readiness.expires[i]));
			json_object_set_new(items, item_keys[i], it);
		}
		jz_page_date(p.card.issued_at, issued);
		json_t *o = json_pack(
		    "{s:s, s:s, s:s, s:s, s:[i,i], s:s, s:s}", "status", "genuine", "serial",
		    p.card.serial, "issued", issued, "name", p.masked_name, "age_band", p.age_lo,
		    p.age_lo + 9, "native_province", p.province, "service_types", p.service_types);
		jz_page_date(p.id_check_at, date);
		json_object_set_new(o, "identity", json_pack("{s:b}", "verified", p.id_verified));
		if (p.id_verified)
			json_object_set_new(json_object_get(o, "identity"), "at",
			                    json_string(date));
		json_t *bg = json_pack("{s:s}", "status", p.bg_status);
		if (strcmp(p.bg_status, "pending")) {
			jz_page_date(p.bg_at, date);
			json_object_set_new(bg, "at", json_string(date));
		}
		json_object_set_new(o, "background", bg);
		json_object_set_new(o, "issued_by", json_string(p.company));
		json_object_set_new(o, "current_companies", json_string(p.employers));
		json_object_set_new(
		    o, "readiness",
		    json_pack("{s:b, s:o}", "ready", p.readiness.ready, "items", items));
		json_object_set_new(o, "stars", json_real(p.stars));
		json_object_set_new(o, "review_count", json_integer(p.reviews));
		json_object_set_new(o, "active", json_boolean(p.active));
		json_object_set_new(o, "last_checkin", *p.last_checkin ? json_string(p.last_checkin) : json_null());
		json_object_set_new(o, "negative_records", negatives_json(&p));
		r = jz_reply_json(req, MHD_HTTP_OK, o);
	}
	jz_card_public_free(&p);
	return r;
}

enum MHD_Result
jz_h_card_key(jz_req *req)
{
	unsigned char pk[32];
	char b64[64];
	if (!req->ctx.keys || !jz_keys_card_secret(req->ctx.keys)) {
		jz_err_set(&req->err, JZ_E_NOT_FOUND, NULL, "未配置卡片签名密钥",
		           "no card-signing key");
		return jz_reply_error(req, &req->err);
	}
	jz_keys_card_public(req->ctx.keys, pk);
	sodium_bin2base64(b64, sizeof b64, pk, sizeof pk, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return jz_reply_json(req, MHD_HTTP_OK,
	                     json_pack("{s:s, s:s, s:s, s:s}", "alg", "Ed25519", "key", b64,
	                               "format", "jiazheng-card-v1", "doc", "docs/card.md"));
}

/* ---- the employer's card page ---- */

static void
revoke_form(jz_buf *b, jz_req *req, int64_t id, const char *verb, const char *label)
{
	jz_html(b, "<form method=\"post\" action=\"/workers/%L/card/%r\" class=\"no-print\">", id,
	        verb);
	jz_page_csrf(b, req);
	jz_html(b, "<label for=\"reason-%r\">%r</label><select id=\"reason-%r\" name=\"reason\">",
	        verb, L(req, "原因", "Reason"), verb);
	static const char *const reasons[] = {"lost", "left", "other"};
	for (int i = 0; i < 3; i++)
		jz_html(b, "<option value=\"%r\">%r</option>", reasons[i],
		        jz_card_reason_name(reasons[i], req->english));
	jz_html(b, "</select><p><input type=\"submit\" id=\"card-%r\" value=\"%r\"></p></form>",
	        verb, label);
}

/* The printable card itself (85.6 × 54 mm when printed). */
static bool
printable(jz_buf *b, jz_req *req, const jz_card *c)
{
	char token[JZ_CARD_TOKEN_MAX];
	jz_card_public p;
	char *url = card_url(req, c, token);
	if (!url)
		return false;
	if (!jz_svc_card_check(&req->ctx, token, &p, &req->err)) {
		free(url);
		return false;
	}
	jz_html(b,
	        "<div class=\"jzcard\" id=\"card\"><div class=\"jzcard-head\">%r</div><div "
	        "class=\"jzcard-body\">"
	        "<div class=\"jzcard-info\"><p class=\"jzcard-name\" "
	        "id=\"card-name\">%s</p><p>%s</p><p>",
	        L(req, "诚信一卡通 · 居家上门服务证", "Trusted worker card"), p.masked_name,
	        p.company ? p.company : "");
	if (p.service_types && *p.service_types)
		jz_h_service_names(b, req, p.service_types);
	jz_html(b, "</p><p>%r", L(req, "星级：", "Stars: "));
	jz_h_stars_text(b, p.stars);
	jz_html(b, "</p><p class=\"jzcard-serial\" id=\"card-serial\">%s</p></div><a href=\"%s\" id=\"card-qr\">",
	        c->serial, url);
	jz_buf svg = JZ_BUF_INIT;
	if (jz_qr_svg(&svg, url, NULL))
		jz_html(b, "%r", jz_buf_str(&svg));
	jz_buf_free(&svg);
	jz_html(b, "</a></div><div class=\"jzcard-foot\">%r</div></div>",
	        L(req, "扫码核验真伪 · 家政服务信用信息平台",
	          "Scan to check · Household-service credit platform"));
	jz_html(b, "<p class=\"no-print\">%r<a href=\"%s\" id=\"card-url\">%s</a></p>",
	        L(req, "核验网址：", "Check at: "), url, url);
	jz_card_public_free(&p);
	free(url);
	return true;
}

enum MHD_Result
jz_h_card_page(jz_req *req)
{
	jz_card c;
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_card_current(&req->ctx, id, &c, &req->err))
		return jz_h_page_error(req);
	bool have = c.id != 0;
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "诚信一卡通", "Worker card"));
	if (have) {
		bool ok = printable(&b, req, &c);
		jz_card_clear(&c);
		if (!ok) {
			jz_buf_free(&b);
			return jz_h_page_error(req);
		}
		jz_html(&b, "<p class=\"hint no-print\">%r</p>",
		        L(req, "用浏览器打印本页即得卡片（85.6×54毫米）。",
		          "Print this page for the card (85.6 × 54 mm)."));
		revoke_form(&b, req, id, "reissue",
		            L(req, "作废并补发新卡", "Revoke and issue a new card"));
		revoke_form(&b, req, id, "revoke", L(req, "作废此卡", "Revoke this card"));
	} else {
		jz_html(&b, "<p>%r</p><form method=\"post\" action=\"/workers/%L/card\">",
		        L(req, "该服务员还没有有效的卡片。", "This worker has no active card."),
		        id);
		jz_page_csrf(&b, req);
		jz_html(&b, "<p><input type=\"submit\" id=\"card-issue\" value=\"%r\"></p></form>",
		        L(req, "制卡", "Issue a card"));
	}
	jz_html(&b, "<p class=\"no-print\"><a href=\"/workers/%L\">%r</a></p>", id,
	        L(req, "返回档案", "Back to the record"));
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

/* issue, revoke or reissue, from the last path segment. */
static bool
card_action(jz_req *req, int64_t id, bool api, jz_card *out, bool *created)
{
	const char *verb = strrchr(req->path, '/') + 1, *reason = NULL;
	memset(out, 0, sizeof *out);
	*created = false;
	if (!strcmp(verb, "card"))
		return jz_svc_card_issue(&req->ctx, id, out, created, &req->err);
	if (api ? !jz_req_json_string(req, "reason", &reason)
	        : !((reason = jz_req_param(req, "reason")), true))
		return false;
	if (!strcmp(verb, "revoke"))
		return jz_svc_card_revoke(&req->ctx, id, reason, &req->err);
	*created = true;
	return jz_svc_card_reissue(&req->ctx, id, reason, out, &req->err);
}

enum MHD_Result
jz_h_card_action(jz_req *req)
{
	jz_card c;
	bool created;
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!card_action(req, id, false, &c, &created))
		return jz_h_page_error(req);
	jz_card_clear(&c);
	char location[64];
	snprintf(location, sizeof location, "/workers/%" PRId64 "/card", id);
	return jz_reply_redirect(req, location);
}

static json_t *
card_json(jz_req *req, const jz_card *c)
{
	char token[JZ_CARD_TOKEN_MAX], date[11];
	char *url = card_url(req, c, token);
	if (!url)
		return NULL;
	jz_page_date(c->issued_at, date);
	json_t *o =
	    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "worker", (json_int_t)c->worker_id,
	              "serial", c->serial, "status", c->status, "issued", date, "token", token,
	              "url", url, "company", (json_int_t)c->company_id);
	free(url);
	return o;
}

enum MHD_Result
jz_h_api_card_show(jz_req *req)
{
	jz_card c;
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_card_current(&req->ctx, id, &c, &req->err))
		return jz_reply_error(req, &req->err);
	if (!c.id) {
		jz_err_set(&req->err, JZ_E_NOT_FOUND, NULL, "尚未制卡", "no active card");
		return jz_reply_error(req, &req->err);
	}
	json_t *o = card_json(req, &c);
	jz_card_clear(&c);
	return o ? jz_reply_json(req, MHD_HTTP_OK, o) : jz_reply_error(req, &req->err);
}

enum MHD_Result
jz_h_api_card_action(jz_req *req)
{
	jz_card c;
	bool created;
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!card_action(req, id, true, &c, &created))
		return jz_reply_error(req, &req->err);
	if (!c.id)
		return jz_reply_json(req, MHD_HTTP_OK,
		                     json_pack("{s:I, s:b, s:s}", "worker", (json_int_t)id, "ok", 1,
		                               "status", "revoked"));
	json_t *o = card_json(req, &c);
	jz_card_clear(&c);
	return o ? jz_reply_json(req, created ? MHD_HTTP_CREATED : MHD_HTTP_OK, o)
	         : jz_reply_error(req, &req->err);
}
