/* Company governance use cases: status decisions, designations, the rating and the
 * public dishonesty list. */
#include "services/governance.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mask.h"
#include "core/readiness.h"
#include "core/regions.h"
#include "core/text.h"
#include "core/uscc.h"
#include "services/audit.h"
#include "services/checkins.h"
#include "services/workers.h"
#include "util/xmalloc.h"

bool
jz_svc_require_active_company(const jz_ctx *ctx, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (!ctx->user->company_id)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	jz_company c = {0};
	jz_db_status s = jz_store_company_get(ctx->db, ctx->user->company_id, &c);
	if (s != JZ_DB_OK && s != JZ_DB_NOT_FOUND)
		return jz_svc_db_failed(s, err);
	bool suspended = s == JZ_DB_OK && !strcmp(c.status, "suspended");
	bool active = s == JZ_DB_OK && !strcmp(c.status, "active");
	jz_company_clear(&c);
	if (active)
		return true;
	if (suspended)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, "本企业已被主管部门暂停，暂停期间不能办理此项业务",
		                  "your company is suspended by the regulator and cannot do this until reinstated");
	return jz_err_set(err, JZ_E_FORBIDDEN, NULL, "只有在营企业可以办理此项业务（本企业已被撤销或未通过准入）",
	                  "only active companies can do this (your company is revoked or not admitted)");
}

bool
jz_svc_region_covers(const char *region, const jz_company *c)
{
	return region && *region &&
	       (!strcmp(region, c->county) || !strcmp(region, c->prefecture) || !strcmp(region, c->province));
}

/* ---- who may ---- */

static bool
require_official(const jz_ctx *ctx, bool regulator_only, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	bool regulator = !strcmp(ctx->user->role, "regulator");
	bool association = !strcmp(ctx->user->role, "association");
	if (!regulator && (regulator_only || !association))
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	return true;
}

/* The designation kind each official role gives. */
static const char *
kind_of_role(const char *role)
{
	return !strcmp(role, "regulator") ? "model" : !strcmp(role, "association") ? "benchmark" : NULL;
}

bool
jz_svc_may_govern(const jz_ctx *ctx, const jz_company *c)
{
	return ctx->user && !strcmp(ctx->user->role, "regulator") && jz_svc_region_covers(ctx->user->region, c);
}

bool
jz_svc_may_designate(const jz_ctx *ctx, const jz_company *c, const char **kind)
{
	*kind = ctx->user ? kind_of_role(ctx->user->role) : NULL;
	return *kind && jz_svc_region_covers(ctx->user->region, c);
}

/* ---- finding the company ---- */

bool
jz_svc_company_by_ref(const jz_ctx *ctx, const char *ref, jz_company *out, jz_err *err)
{
	char code[19];
	jz_db_status s = JZ_DB_NOT_FOUND;
	size_t n = ref ? strlen(ref) : 0;
	if (n == 18 && jz_uscc_parse(ref, code) == JZ_USCC_OK)
		s = jz_store_company_get_by_uscc(ctx->db, code, out);
	else if (n && n <= 12 && strspn(ref, "0123456789") == n)
		s = jz_store_company_get(ctx->db, strtoll(ref, NULL, 10), out);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

static bool
check_reason(const char *value, const char *field, jz_err *err)
{
	char zh[96], en[96];
	switch (value ? jz_text_check(value, 2, 500, true) : JZ_TEXT_EMPTY) {
	case JZ_TEXT_OK:
		return true;
	case JZ_TEXT_EMPTY:
		return jz_err_set(err, JZ_E_MISSING_FIELD, field, "请填写理由（公众可见）", "a reason is required (the public sees it)");
	case JZ_TEXT_TOO_SHORT:
	case JZ_TEXT_TOO_LONG:
		snprintf(zh, sizeof zh, "%s应为2至500个字", !strcmp(field, "reason") ? "理由" : "内容");
		snprintf(en, sizeof en, "%s: 2 to 500 characters", field);
		return jz_err_set(err, JZ_E_INVALID_FIELD, field, zh, en);
	case JZ_TEXT_BAD_UTF8:
	case JZ_TEXT_CONTROL:
		break;
	}
	return jz_err_set(err, JZ_E_INVALID_FIELD, field, "含有无效字符", "contains invalid or control characters");
}

/* The audit detail of a company event, as compact JSON; the object is consumed. */
static bool
audit_company(const jz_ctx *ctx, const char *action, const jz_company *c, json_t *detail, jz_err *err)
{
	json_object_set_new(detail, "uscc", json_string(c->uscc));
	json_object_set_new(detail, "name", json_string(c->name));
	char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	char target[40];
	snprintf(target, sizeof target, "company:%" PRId64, c->id);
	bool ok = jz_svc_audit(ctx, action, target, text, err);
	free(text);
	return ok;
}

/* ---- suspend, reinstate, revoke ---- */

typedef struct govern_job {
	const char *ref, *reason;
	jz_gov_action action;
	jz_company *company;
} govern_job;

static const char *const action_names[] = {"suspend", "reinstate", "revoke"};

bool
jz_gov_action_parse(const char *name, jz_gov_action *out)
{
	for (int i = 0; name && i < 3; i++)
		if (!strcmp(name, action_names[i])) {
			*out = (jz_gov_action)i;
			return true;
		}
	return false;
}

/* The status an action moves the company to from `from`, or NULL when it cannot. */
static const char *
next_status(jz_gov_action a, const char *from)
{
	bool active = !strcmp(from, "active"), suspended = !strcmp(from, "suspended");
	switch (a) {
	case JZ_GOV_SUSPEND: return active ? "suspended" : NULL;
	case JZ_GOV_REINSTATE: return suspended ? "active" : NULL;
	case JZ_GOV_REVOKE: return active || suspended ? "revoked" : NULL;
	}
	return NULL;
}

static bool
govern_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	govern_job *job = arg;
	jz_company *c = job->company;
	jz_company_clear(c);
	if (!jz_svc_company_by_ref(ctx, job->ref, c, err))
		return false;
	if (!jz_svc_region_covers(ctx->user->region, c))
		return jz_err_set(err, JZ_E_OUT_OF_SCOPE, NULL, NULL, NULL);
	const char *to = next_status(job->action, c->status);
	if (!to) {
		char zh[128], en[128];
		snprintf(zh, sizeof zh, "该企业当前状态（%s）不能%s", c->status,
		         (const char *[]){"暂停", "恢复", "撤销"}[job->action]);
		snprintf(en, sizeof en, "a company that is %s cannot be %s", c->status,
		         (const char *[]){"suspended", "reinstated", "revoked"}[job->action]);
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, zh, en);
	}
	char *from = c->status;
	jz_db_status s = jz_store_company_set_status(ctx->db, c->id, from, to, job->reason, ctx->user->id, ctx->now);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, NULL, NULL);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	c->status = jz_xstrdup(to);
	free(c->status_reason);
	c->status_reason = jz_xstrdup(job->reason);
	c->decided_by = ctx->user->id;
	c->decided_at = c->updated_at = ctx->now;
	char action[32];
	snprintf(action, sizeof action, "company.%s", action_names[job->action]);
	json_t *detail = json_pack("{s:s, s:s, s:s}", "from", from, "to", to, "reason", job->reason);
	free(from);
	return audit_company(ctx, action, c, detail, err);
}

bool
jz_svc_company_govern(const jz_ctx *ctx, const char *ref, jz_gov_action action, const char *reason,
                      jz_company *out, jz_err *err)
{
	if (!require_official(ctx, true, err) || !check_reason(reason, "reason", err))
		return false;
	char *trimmed = jz_text_trim(reason);
	jz_company c = {0};
	govern_job job = {ref, trimmed, action, &c};
	bool ok = jz_svc_transaction(ctx, govern_work, &job, err);
	free(trimmed);
	if (ok)
		*out = c;
	else
		jz_company_clear(&c);
	return ok;
}

bool
jz_svc_companies_in_region(const jz_ctx *ctx, const char *status, int limit, int offset,
                           bool (*each)(const jz_company *c, void *arg), void *arg, int64_t *total,
                           jz_err *err)
{
	static const char *const statuses[] = {"active", "suspended", "revoked", "pending", "rejected"};
	if (!require_official(ctx, false, err))
		return false;
	const char *st = NULL;
	for (size_t i = 0; i < 5; i++)
		if (!strcmp(status ? status : "active", statuses[i]))
			st = statuses[i];
	if (!st)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "status", "状态应为 active、suspended、revoked、pending 或 rejected",
		                  "status: active, suspended, revoked, pending or rejected");
	jz_company_filter f = {st, ctx->user->region, NULL, limit, offset};
	jz_db_status s = jz_store_company_count(ctx->db, &f, total);
	if (s == JZ_DB_OK)
		s = jz_store_company_list(ctx->db, &f, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

/* ---- designations ---- */

static bool
check_year(const char *year, int64_t now, int64_t *out, jz_err *err)
{
	char today[11];
	jz_date_of(now, today);
	int latest = atoi(today) + 1;
	size_t n = year ? strlen(year) : 0;
	if (!n)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "year", "请填写评定年度", "required");
	if (n != 4 || strspn(year, "0123456789") != 4 || atoi(year) < 2000 || atoi(year) > latest) {
		char zh[96], en[96];
		snprintf(zh, sizeof zh, "评定年度应为2000至%d年", latest);
		snprintf(en, sizeof en, "a year from 2000 to %d", latest);
		return jz_err_set(err, JZ_E_INVALID_FIELD, "year", zh, en);
	}
	*out = atoi(year);
	return true;
}

static bool
check_issuer(const char *issuer, jz_err *err)
{
	switch (issuer ? jz_text_check(issuer, 2, 100, false) : JZ_TEXT_EMPTY) {
	case JZ_TEXT_OK:
		return true;
	case JZ_TEXT_EMPTY:
		return jz_err_set(err, JZ_E_MISSING_FIELD, "issuer", "请填写评定单位名称", "the issuing office is required");
	default:
		return jz_err_set(err, JZ_E_INVALID_FIELD, "issuer", "评定单位名称应为2至100个字",
		                  "the issuing office: 2 to 100 characters");
	}
}

typedef struct designate_job {
	const char *ref;
	jz_designation *d;
} designate_job;

static json_t *
designation_detail(const jz_designation *d)
{
	return json_pack("{s:I, s:s, s:I, s:s}", "designation", (json_int_t)d->id, "kind", d->kind, "year",
	                 (json_int_t)d->year, "issuer", d->issuer);
}

static bool
designate_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	designate_job *job = arg;
	jz_company c = {0};
	bool ok = jz_svc_company_by_ref(ctx, job->ref, &c, err);
	if (ok && !jz_svc_region_covers(ctx->user->region, &c))
		ok = jz_err_set(err, JZ_E_OUT_OF_SCOPE, NULL, NULL, NULL);
	if (ok && strcmp(c.status, "active") != 0)
		ok = jz_err_set(err, JZ_E_WRONG_STATE, NULL, "只有在营企业可以被评定", "only active companies can be designated");
	if (ok) {
		job->d->company_id = c.id;
		jz_db_status s = jz_store_designation_add(ctx->db, job->d);
		if (s == JZ_DB_CONFLICT)
			ok = jz_err_set(err, JZ_E_DUPLICATE_DESIGNATION, "year", NULL, NULL);
		else if (s != JZ_DB_OK)
			ok = jz_svc_db_failed(s, err);
	}
	if (ok)
		ok = audit_company(ctx, "designation.add", &c, designation_detail(job->d), err);
	jz_company_clear(&c);
	return ok;
}

bool
jz_svc_designation_add(const jz_ctx *ctx, const char *ref, const char *kind, const char *year,
                       const char *issuer, jz_designation *out, jz_err *err)
{
	if (!require_official(ctx, false, err))
		return false;
	const char *own = kind_of_role(ctx->user->role);
	if (kind && *kind && strcmp(kind, "model") != 0 && strcmp(kind, "benchmark") != 0)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "kind", "类型应为 model（诚信示范企业）或 benchmark（标杆企业）",
		                  "kind: model (诚信示范企业) or benchmark (标杆企业)");
	if (kind && *kind && strcmp(kind, own) != 0)
		return jz_err_set(err, JZ_E_FORBIDDEN, "kind", "诚信示范企业由商务主管部门评定，标杆企业由协会评选",
		                  "regulators designate model companies, associations benchmark companies");
	int64_t y = 0;
	if (!check_year(year, ctx->now, &y, err) || !check_issuer(issuer, err))
		return false;
	jz_designation d = {.kind = jz_xstrdup(own), .year = y, .issuer = jz_text_trim(issuer),
	                    .user_id = ctx->user->id, .created_at = ctx->now};
	designate_job job = {ref, &d};
	if (!jz_svc_transaction(ctx, designate_work, &job, err)) {
		jz_designation_clear(&d);
		return false;
	}
	*out = d;
	return true;
}

typedef struct withdraw_job {
	int64_t id;
	jz_designation *d;
} withdraw_job;

static bool
withdraw_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	withdraw_job *job = arg;
	jz_designation_clear(job->d);
	jz_db_status s = jz_store_designation_get(ctx->db, job->id, job->d);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (strcmp(job->d->kind, kind_of_role(ctx->user->role)) != 0)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, "只能撤回本类机构作出的评定",
		                  "only the kind of office that gives a designation withdraws it");
	jz_company c = {0};
	s = jz_store_company_get(ctx->db, job->d->company_id, &c);
	bool ok = s == JZ_DB_OK || jz_svc_db_failed(s, err);
	if (ok && !jz_svc_region_covers(ctx->user->region, &c))
		ok = jz_err_set(err, JZ_E_OUT_OF_SCOPE, NULL, NULL, NULL);
	if (ok) {
		s = jz_store_designation_withdraw(ctx->db, job->id, ctx->now);
		if (s == JZ_DB_NOT_FOUND)
			ok = jz_err_set(err, JZ_E_WRONG_STATE, NULL, "该评定已撤回", "already withdrawn");
		else if (s != JZ_DB_OK)
			ok = jz_svc_db_failed(s, err);
	}
	job->d->withdrawn_at = ctx->now;
	if (ok)
		ok = audit_company(ctx, "designation.withdraw", &c, designation_detail(job->d), err);
	jz_company_clear(&c);
	return ok;
}

bool
jz_svc_designation_withdraw(const jz_ctx *ctx, int64_t id, jz_designation *out, jz_err *err)
{
	if (!require_official(ctx, false, err))
		return false;
	jz_designation d = {0};
	withdraw_job job = {id, &d};
	if (!jz_svc_transaction(ctx, withdraw_work, &job, err)) {
		jz_designation_clear(&d);
		return false;
	}
	*out = d;
	return true;
}

bool
jz_svc_designation_list(const jz_ctx *ctx, int64_t company_id, bool (*each)(const jz_designation *d, void *arg),
                        void *arg, jz_err *err)
{
	jz_db_status s = jz_store_designation_list(ctx->db, company_id, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

/* ---- the rating ---- */

typedef struct ready_count {
	char today[11];
	int64_t ready;
} ready_count;

static bool
count_ready(const jz_worker *w, const jz_worker_facts *f, void *arg)
{
	ready_count *rc = arg;
	jz_readiness r;
	jz_svc_worker_readiness(w, f, rc->today, &r);
	rc->ready += r.ready;
	return true;
}

bool
jz_svc_company_rating(const jz_ctx *ctx, const jz_company *c, jz_rating_input *in, jz_rating *out,
                      jz_err *err)
{
	char month[8], since[8];
	jz_month_of(ctx->now, month);
	jz_month_before(month, since);
	ready_count rc = {.ready = 0};
	jz_date_of(ctx->now, rc.today);
	jz_rating_facts f = {0};
	int64_t total = 0;
	/* One snapshot for the facts and the readiness walk, so the shares add up. */
	jz_db_status s = jz_db_read_begin(ctx->db);
	if (s == JZ_DB_OK) {
		s = jz_store_company_rating_facts(ctx->db, c->id, since, atoi(rc.today) - 1, ctx->now, &f);
		if (s == JZ_DB_OK)
			s = jz_store_company_workers(ctx->db, c->id, 100000000, 0, count_ready, &rc, &total);
		jz_db_read_end(ctx->db);
	}
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	*in = (jz_rating_input){
	    .active = !strcmp(c->status, "active"),
	    .employed = f.employed,
	    .carded = f.carded,
	    .ready = rc.ready,
	    .checked_in = f.checked_in,
	    .reviews = f.reviews,
	    .review_sum = (double)f.review_points / 4.0,
	    .company_negative = {f.company_negative[0], f.company_negative[1], f.company_negative[2]},
	    .worker_negative = f.worker_negative,
	    .model = f.model,
	    .benchmark = f.benchmark,
	};
	jz_rating_compute(in, out);
	return true;
}

/* ---- the dishonesty list ---- */

typedef struct mask_walk {
	bool (*each)(const jz_dishonesty_entry *e, void *arg);
	void *arg;
} mask_walk;

/* Workers' names are masked here, before any handler sees a record. */
static bool
mask_row(const jz_public_record *r, void *arg)
{
	mask_walk *mw = arg;
	jz_dishonesty_entry e = {
	    .about_worker = r->about_worker,
	    .company_name = r->company_name,
	    .company_uscc = r->company_uscc,
	    .category = r->category,
	    .severity = r->severity,
	    .county = r->county,
	    .published_at = r->published_at,
	    .expires_at = r->expires_at,
	    .disputed = r->disputed,
	};
	if (r->about_worker)
		jz_mask_name(r->worker_name ? r->worker_name : "", e.masked_name, sizeof e.masked_name);
	return mw->each(&e, mw->arg);
}

bool
jz_svc_dishonesty_list(const jz_ctx *ctx, const char *region, int64_t company_id, int limit, int offset,
                       bool (*each)(const jz_dishonesty_entry *e, void *arg), void *arg, int64_t *total,
                       jz_err *err)
{
	if (region && *region && !jz_region_find(region))
		return jz_err_set(err, JZ_E_UNKNOWN_REGION, "region", NULL, NULL);
	jz_public_record_filter f = {region, company_id, ctx->now, limit, offset};
	mask_walk mw = {each, arg};
	jz_db_status s = jz_store_public_records(ctx->db, &f, mask_row, &mw, total);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}
