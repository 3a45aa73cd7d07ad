/* Company admission (准入) use cases. */
#include "services/companies.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "core/text.h"
#include "core/uscc.h"
#include "services/audit.h"
#include "services/governance.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/xmalloc.h"

const char *
jz_svc_commitment_text(bool english)
{
	return english
	           ? "We commit to operate lawfully and honestly, to register only workers whose "
	             "identity we have verified, to enter true and complete information, to protect "
	             "the personal data of workers and clients, and to accept the supervision of the "
	             "competent authorities and the public. We accept that dishonest conduct is "
	             "recorded and shared on this platform."
	           : "本企业承诺：依法诚信经营；只登记经核实身份的家政服务员；如实、完整填报信息；"
	             "保护家政服务员和消费者的个人信息；接受主管部门和社会监督。"
	             "本企业知悉并同意，失信行为将在本平台记录并共享。";
}

/* Checks a required text field; sets err naming the field. */
static bool
check_text(const char *value, const char *field, const char *label_zh, size_t min, size_t max,
           jz_err *err)
{
	char zh[160], en[160];
	switch (value ? jz_text_check(value, min, max, false) : JZ_TEXT_EMPTY) {
	case JZ_TEXT_OK:
		return true;
	case JZ_TEXT_EMPTY:
		snprintf(zh, sizeof zh, "请填写%s", label_zh);
		return jz_err_set(err, JZ_E_MISSING_FIELD, field, zh, "required");
	case JZ_TEXT_TOO_SHORT:
		snprintf(zh, sizeof zh, "%s至少%zu个字", label_zh, min);
		snprintf(en, sizeof en, "at least %zu characters", min);
		return jz_err_set(err, JZ_E_INVALID_FIELD, field, zh, en);
	case JZ_TEXT_TOO_LONG:
		snprintf(zh, sizeof zh, "%s最多%zu个字", label_zh, max);
		snprintf(en, sizeof en, "at most %zu characters", max);
		return jz_err_set(err, JZ_E_INVALID_FIELD, field, zh, en);
	case JZ_TEXT_BAD_UTF8:
		snprintf(zh, sizeof zh, "%s含有无效编码的字符", label_zh);
		return jz_err_set(err, JZ_E_INVALID_FIELD, field, zh, "not valid UTF-8");
	case JZ_TEXT_CONTROL:
		snprintf(zh, sizeof zh, "%s含有控制字符", label_zh);
		return jz_err_set(err, JZ_E_INVALID_FIELD, field, zh, "contains control characters");
	}
	return false;
}

static bool
check_uscc(const char *value, char out[19], jz_err *err)
{
	if (!value || !*value)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "uscc", "请填写统一社会信用代码", "required");
	jz_uscc_fault f = jz_uscc_parse(value, out);
	if (f != JZ_USCC_OK)
		return jz_err_set(err, JZ_E_INVALID_USCC, "uscc", jz_uscc_reason_zh(f), jz_uscc_reason(f));
	return true;
}

static const jz_region *
check_county(const char *value, jz_err *err)
{
	if (!value || !*value) {
		jz_err_set(err, JZ_E_MISSING_FIELD, "county", "请选择所在区县", "required");
		return NULL;
	}
	const jz_region *r = jz_region_find(value);
	if (!r || r->level != JZ_REGION_COUNTY) {
		char zh[96], en[96];
		snprintf(zh, sizeof zh, "区县代码“%.12s”不是现行的县级行政区划代码", value);
		snprintf(en, sizeof en, "'%.12s' is not a current county-level code (GB/T 2260)", value);
		jz_err_set(err, JZ_E_UNKNOWN_COUNTY, "county", zh, en);
		return NULL;
	}
	return r;
}

/* Service types as '|'-joined codes, each known and listed once. */
static char *
check_service_types(const jz_application *app, bool required, jz_err *err)
{
	if (!app->n_service_types) {
		if (required)
			jz_err_set(err, JZ_E_MISSING_FIELD, "service_types", "请至少选择一项服务类型",
			           "choose at least one");
		return required ? NULL : jz_xstrdup("");
	}
	jz_buf b = JZ_BUF_INIT;
	for (size_t i = 0; i < app->n_service_types; i++) {
		const jz_service_type *t = jz_service_type_find(app->service_types[i]);
		if (!t) {
			char zh[128], en[128];
			snprintf(zh, sizeof zh, "服务类型“%.40s”不在列表中", app->service_types[i]);
			snprintf(en, sizeof en, "unknown service type '%.40s'", app->service_types[i]);
			jz_err_set(err, JZ_E_UNKNOWN_SERVICE_TYPE, "service_types", zh, en);
			jz_buf_free(&b);
			return NULL;
		}
		char needle[64];
		snprintf(needle, sizeof needle, "|%s|", t->code);
		jz_buf_putc(&b, '|');
		bool seen = strstr(jz_buf_str(&b), needle) != NULL;
		b.data[--b.len] = '\0';
		if (seen)
			continue;
		if (b.len)
			jz_buf_putc(&b, '|');
		jz_buf_puts(&b, t->code);
	}
	return jz_buf_steal(&b);
}

/* Validates an application into a company record (status left to the caller). */
static bool
build_company(const jz_application *app, bool full, jz_company *c, jz_err *err)
{
	char uscc[19], phone[24];
	if (!check_uscc(app->uscc, uscc, err) ||
	    !check_text(app->name, "name", "企业名称", 2, 100, err))
		return false;
	const jz_region *county = check_county(app->county, err);
	if (!county)
		return false;
	if (full && (!check_text(app->legal_rep, "legal_rep", "法定代表人", 2, 50, err) ||
	             !check_text(app->address, "address", "经营地址", 5, 200, err)))
		return false;
	if (full || (app->phone && *app->phone)) {
		if (!app->phone || !*app->phone)
			return jz_err_set(err, JZ_E_MISSING_FIELD, "phone", "请填写联系电话", "required");
		if (!jz_phone_normalise(app->phone, phone, sizeof phone))
			return jz_err_set(err, JZ_E_INVALID_PHONE, "phone", NULL, NULL);
	} else {
		phone[0] = '\0';
	}
	char *types = check_service_types(app, full, err);
	if (!types)
		return false;
	if (full) {
		if (!check_text(app->commitment_by, "commitment_by", "承诺签署人", 2, 50, err)) {
			free(types);
			return false;
		}
		if (!app->commitment_accepted) {
			free(types);
			return jz_err_set(err, JZ_E_COMMITMENT_REQUIRED, "commitment_accepted", NULL, NULL);
		}
	}
	c->uscc = jz_xstrdup(uscc);
	c->name = jz_text_trim(app->name);
	c->legal_rep = jz_text_trim(app->legal_rep ? app->legal_rep : "");
	c->address = jz_text_trim(app->address ? app->address : "");
	c->phone = jz_xstrdup(phone);
	c->county = jz_xstrdup(county->code);
	c->prefecture = jz_xstrdup(county->prefecture);
	c->province = jz_xstrdup(county->province);
	c->service_types = types;
	c->commitment_by = jz_text_trim(app->commitment_by ? app->commitment_by : "");
	return true;
}

/* The audit detail for a company event, as compact JSON. Caller frees. */
static char *
company_detail(const jz_company *c, const char *reason)
{
	json_t *o = json_pack("{s:s, s:s, s:s}", "uscc", c->uscc, "name", c->name, "county", c->county);
	if (reason)
		json_object_set_new(o, "reason", json_string(reason));
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

static char *
company_target(const jz_company *c)
{
	return jz_xasprintf("company:%" PRId64, c->id);
}

typedef struct insert_job {
	jz_company *company;
	const char *action;
	bool reapply; /* an application may replace a rejected one */
} insert_job;

static bool
insert_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	insert_job *job = arg;
	jz_db_status s = job->reapply ? jz_store_company_apply(ctx->db, job->company)
	                              : jz_store_company_insert(ctx->db, job->company);
	if (s == JZ_DB_CONFLICT)
		return jz_err_set(err, JZ_E_DUPLICATE_APPLICATION, "uscc", NULL, NULL);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	char *detail = company_detail(job->company, NULL);
	char *target = company_target(job->company);
	bool ok = jz_svc_audit(ctx, job->action, target, detail, err);
	free(detail);
	free(target);
	return ok;
}

bool
jz_svc_company_apply(const jz_ctx *ctx, const jz_application *app, jz_company *out,
                     char query_code[32], jz_err *err)
{
	jz_company c = {0};
	if (!build_company(app, true, &c, err)) {
		jz_company_clear(&c);
		return false;
	}
	char hash[65];
	jz_crypto_token(query_code, 32, 12);
	jz_crypto_token_hash(query_code, hash);
	c.query_code_hash = jz_xstrdup(hash);
	c.status = jz_xstrdup("pending");
	c.commitment_at = c.created_at = c.updated_at = ctx->now;
	insert_job job = {&c, "company.apply", true};
	if (!jz_svc_transaction(ctx, insert_work, &job, err)) {
		jz_company_clear(&c);
		return false;
	}
	*out = c;
	return true;
}

bool
jz_svc_company_add(const jz_ctx *ctx, const jz_application *app, jz_company *out, jz_err *err)
{
	jz_company c = {0};
	if (!build_company(app, false, &c, err)) {
		jz_company_clear(&c);
		return false;
	}
	c.query_code_hash = jz_xstrdup("");
	c.status = jz_xstrdup("active");
	c.commitment_at = c.created_at = c.updated_at = ctx->now;
	insert_job job = {&c, "company.add", false};
	if (!jz_svc_transaction(ctx, insert_work, &job, err)) {
		jz_company_clear(&c);
		return false;
	}
	*out = c;
	return true;
}

bool
jz_svc_application_status(const jz_ctx *ctx, const char *uscc, const char *query_code,
                          jz_company *out, jz_err *err)
{
	char code[19], hash[65];
	if (!check_uscc(uscc, code, err))
		return false;
	if (!query_code || !*query_code)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "query_code", "请填写查询码", "required");
	jz_company c = {0};
	jz_db_status s = jz_store_company_get_by_uscc(ctx->db, code, &c);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_NOT_FOUND, "uscc", "没有该统一社会信用代码的申请",
		                  "no application with this code");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	jz_crypto_token_hash(query_code, hash);
	if (!*c.query_code_hash || !jz_crypto_equal(hash, c.query_code_hash)) {
		jz_company_clear(&c);
		return jz_err_set(err, JZ_E_NOT_FOUND, "query_code", "查询码与该申请不符",
		                  "the query code does not match this application");
	}
	*out = c;
	return true;
}

static bool
require_role(const jz_ctx *ctx, const char *role, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (strcmp(ctx->user->role, role) != 0)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	return true;
}

/* True when the regulator's region covers the company's county. */
static bool
in_scope(const jz_ctx *ctx, const jz_company *c)
{
	const char *r = ctx->user->region;
	return r && (!strcmp(r, c->county) || !strcmp(r, c->prefecture) || !strcmp(r, c->province));
}

bool
jz_svc_applications_pending(const jz_ctx *ctx, int limit, int offset,
                            bool (*each)(const jz_company *c, void *arg), void *arg,
                            int64_t *total, jz_err *err)
{
	if (!require_role(ctx, "regulator", err))
		return false;
	jz_company_filter f = {"pending", ctx->user->region, NULL, limit, offset};
	jz_db_status s = jz_store_company_count(ctx->db, &f, total);
	if (s == JZ_DB_OK)
		s = jz_store_company_list(ctx->db, &f, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

bool
jz_svc_company_for_regulator(const jz_ctx *ctx, int64_t id, jz_company *out, jz_err *err)
{
	if (!require_role(ctx, "regulator", err))
		return false;
	jz_company c = {0};
	jz_db_status s = jz_store_company_get(ctx->db, id, &c);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	/* An application is private to the regulators of its county: elsewhere it does not
	 * exist (404), as for the public. */
	if (!in_scope(ctx, &c)) {
		jz_company_clear(&c);
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	}
	*out = c;
	return true;
}

typedef struct decide_job {
	int64_t id;
	const char *to, *reason;
	jz_company *company;
	char *username, *password; /* approval only */
} decide_job;

static bool
create_admin(const jz_ctx *ctx, decide_job *job, jz_err *err)
{
	char hash[128];
	jz_crypto_password_new(job->password, 13);
	if (!jz_crypto_password_hash(job->password, hash))
		return jz_err_set(err, JZ_E_INTERNAL, NULL, NULL, NULL);
	snprintf(job->username, 64, "%s", job->company->uscc);
	jz_user admin = {
	    .username = job->username,
	    .password_hash = hash,
	    .role = "company_admin",
	    .company_id = job->company->id,
	    .display_name = job->company->name,
	    .created_at = ctx->now,
	};
	jz_db_status s = jz_store_user_insert(ctx->db, &admin);
	if (s == JZ_DB_CONFLICT)
		return jz_err_set(err, JZ_E_DUPLICATE_USERNAME, NULL, NULL, NULL);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

static bool
decide_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	decide_job *job = arg;
	jz_company_clear(job->company);
	jz_db_status s = jz_store_company_get(ctx->db, job->id, job->company);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!in_scope(ctx, job->company))
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	s = jz_store_company_set_status(ctx->db, job->id, "pending", job->to, job->reason,
	                                ctx->user->id, ctx->now);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "该申请已处理过", "already decided");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	free(job->company->status);
	job->company->status = jz_xstrdup(job->to);
	free(job->company->status_reason);
	job->company->status_reason = jz_xstrdup(job->reason ? job->reason : "");
	if (job->username && !create_admin(ctx, job, err))
		return false;
	char *detail = company_detail(job->company, job->reason);
	char *target = company_target(job->company);
	bool ok = jz_svc_audit(ctx, job->username ? "company.approve" : "company.reject", target,
	                       detail, err);
	free(detail);
	free(target);
	return ok;
}

bool
jz_svc_company_approve(const jz_ctx *ctx, int64_t id, jz_company *out, char username[64],
                       char password[32], jz_err *err)
{
	if (!require_role(ctx, "regulator", err))
		return false;
	jz_company c = {0};
	decide_job job = {id, "active", NULL, &c, username, password};
	bool ok = jz_svc_transaction(ctx, decide_work, &job, err);
	if (ok)
		*out = c;
	else
		jz_company_clear(&c);
	return ok;
}

bool
jz_svc_company_reject(const jz_ctx *ctx, int64_t id, const char *reason, jz_company *out,
                      jz_err *err)
{
	if (!require_role(ctx, "regulator", err) ||
	    !check_text(reason, "reason", "驳回理由", 2, 500, err))
		return false;
	char *trimmed = jz_text_trim(reason);
	jz_company c = {0};
	decide_job job = {id, "rejected", trimmed, &c, NULL, NULL};
	bool ok = jz_svc_transaction(ctx, decide_work, &job, err);
	free(trimmed);
	if (ok)
		*out = c;
	else
		jz_company_clear(&c);
	return ok;
}

bool
jz_svc_company_search(const jz_ctx *ctx, const char *text, const char *region, int limit,
                      int offset, bool (*each)(const jz_company *c, void *arg), void *arg,
                      int64_t *total, jz_err *err)
{
	if (region && *region && !jz_region_find(region))
		return jz_err_set(err, JZ_E_UNKNOWN_REGION, "county", NULL, NULL);
	if (text && jz_text_check(text, 0, 100, false) != JZ_TEXT_OK)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "q", "搜索词无效", "invalid search text");
	char *trimmed = text ? jz_text_trim(text) : NULL;
	jz_company_filter f = {"active", region, trimmed, limit, offset};
	jz_db_status s = jz_store_company_count(ctx->db, &f, total);
	if (s == JZ_DB_OK)
		s = jz_store_company_list(ctx->db, &f, each, arg);
	free(trimmed);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

bool
jz_svc_company_public(const jz_ctx *ctx, const char *ref, jz_company *out, jz_err *err)
{
	jz_company c = {0};
	if (!jz_svc_company_by_ref(ctx, ref, &c, err))
		return false;
	/* Applications (pending, rejected) are not public; a suspended or revoked company
	 * stays on the register with its status and the reason. */
	if (strcmp(c.status, "active") != 0 && strcmp(c.status, "suspended") != 0 &&
	    strcmp(c.status, "revoked") != 0) {
		jz_company_clear(&c);
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	}
	*out = c;
	return true;
}

bool
jz_svc_company_own(const jz_ctx *ctx, jz_company *out, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (!ctx->user->company_id)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	jz_db_status s = jz_store_company_get(ctx->db, ctx->user->company_id, out);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}
