/* The privacy tiers of a worker's record, in one place: who is looking decides what they
 * get, and every read of private data goes to the audit log and the worker's access log. */
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/regions.h"
#include "services/accounts.h"
#include "services/audit.h"
#include "services/governance.h"
#include "services/workers.h"
#include "util/crypto.h"
#include "util/seal.h"
#include "util/xmalloc.h"

void
jz_worker_view_free(jz_worker_view *v)
{
	if (!v)
		return;
	jz_worker_clear(&v->worker);
	if (v->id_number)
		sodium_memzero(v->id_number, strlen(v->id_number));
	free(v->id_number);
	free(v->phone);
	jz_worker_facts_clear(&v->facts);
	memset(v, 0, sizeof *v);
}

/* Decides the tier, or NOT_FOUND when the viewer may not see this worker. *tier comes in
 * as JZ_TIER_COMPANY for a credit check whose share code was right, else 0. */
static bool
decide_tier(const jz_ctx *ctx, const jz_worker *w, jz_tier *tier, jz_err *err)
{
	bool consented = *w->consent_method != '\0';
	if (ctx->worker_id) {
		if (ctx->worker_id != w->id)
			return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
		*tier = JZ_TIER_SELF;
		return true;
	}
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (ctx->user->company_id) {
		bool current, ever;
		jz_db_status s = jz_store_employment_status(ctx->db, w->id, ctx->user->company_id, &current, &ever);
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
		if (current) {
			*tier = JZ_TIER_EMPLOYER;
			return true;
		}
		/* Other companies see a worker only through a credit check with the worker's
		 * share code (jz_svc_worker_credit_check). */
		if (*tier != JZ_TIER_COMPANY)
			return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
		jz_company c = {0};
		s = jz_store_company_get(ctx->db, ctx->user->company_id, &c);
		bool active = s == JZ_DB_OK && !strcmp(c.status, "active");
		jz_company_clear(&c);
		if (!consented || !active)
			return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
		*tier = JZ_TIER_COMPANY;
		return true;
	}
	if (!strcmp(ctx->user->role, "regulator") || !strcmp(ctx->user->role, "association")) {
		bool in = false;
		jz_db_status s = jz_store_worker_in_region(ctx->db, w->id, ctx->user->region, &in);
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
		if (!in || !consented)
			return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
		*tier = JZ_TIER_OFFICIAL;
		return true;
	}
	return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
}

/* How the worker's access log names the viewer: the company, or the office and region. */
static char *
viewer_label(const jz_ctx *ctx)
{
	if (ctx->user->company_id) {
		jz_company c = {0};
		char *label = jz_store_company_get(ctx->db, ctx->user->company_id, &c) == JZ_DB_OK
		                  ? jz_xasprintf("%s（%s）", c.name, ctx->user->username)
		                  : jz_xstrdup(ctx->user->username);
		jz_company_clear(&c);
		return label;
	}
	const jz_region *r = ctx->user->region ? jz_region_find(ctx->user->region) : NULL;
	return jz_xasprintf("%s %s（%s）", r ? r->name : "", jz_role_name(ctx->user->role, 0),
	                    ctx->user->username);
}

static const char *
tier_name(jz_tier t)
{
	switch (t) {
	case JZ_TIER_COMPANY: return "credit_check";
	case JZ_TIER_EMPLOYER: return "employer";
	case JZ_TIER_OFFICIAL: return "official";
	case JZ_TIER_SELF: return "self";
	}
	return "";
}

typedef struct read_job {
	int64_t worker_id;
	jz_tier tier;
} read_job;

static bool
log_read(const jz_ctx *ctx, void *arg, jz_err *err)
{
	read_job *job = arg;
	char *viewer = viewer_label(ctx);
	jz_db_status s = jz_store_access_add(ctx->db, job->worker_id, ctx->now, viewer, tier_name(job->tier));
	free(viewer);
	/* Remembered so that a record confirmed within 90 days reaches this company too. */
	if (s == JZ_DB_OK && job->tier == JZ_TIER_COMPANY)
		s = jz_store_credit_check_add(ctx->db, job->worker_id, ctx->user->company_id, ctx->user->id, ctx->now);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	char target[40], detail[64];
	snprintf(target, sizeof target, "worker:%" PRId64, job->worker_id);
	snprintf(detail, sizeof detail, "{\"tier\":\"%s\"}", tier_name(job->tier));
	return jz_svc_audit(ctx, "worker.read", target, detail, err);
}

static void
mask_id(const char *number, char out[19])
{
	snprintf(out, 19, "%.4s**********%.4s", number, number + 14);
}

static bool
open_at(const jz_ctx *ctx, int64_t worker_id, jz_tier checked, jz_worker_view *out, jz_err *err)
{
	memset(out, 0, sizeof *out);
	out->tier = checked;
	jz_db_status s = jz_store_worker_get(ctx->db, worker_id, &out->worker);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!decide_tier(ctx, &out->worker, &out->tier, err))
		goto fail;
	if (out->tier != JZ_TIER_SELF) {
		read_job job = {worker_id, out->tier};
		if (!jz_svc_transaction(ctx, log_read, &job, err))
			goto fail;
	}
	char *id = jz_unseal(ctx->keys, out->worker.id_sealed, "worker.id_number");
	if (!id) {
		jz_err_set(err, JZ_E_INTERNAL, NULL, NULL, "the ID number cannot be unsealed with this key file");
		goto fail;
	}
	mask_id(id, out->masked_id);
	if (out->tier == JZ_TIER_COMPANY) {
		sodium_memzero(id, strlen(id));
		free(id);
	} else {
		out->id_number = id;
		if (out->worker.phone_sealed)
			out->phone = jz_unseal(ctx->keys, out->worker.phone_sealed, "worker.phone");
	}
	out->own_company = ctx->user ? ctx->user->company_id : 0;
	char date[11];
	jz_date_of(ctx->now, date);
	out->age = jz_age_on(out->worker.birth_date, date);
	s = jz_store_worker_facts(ctx->db, worker_id, &out->facts);
	if (s != JZ_DB_OK) {
		jz_svc_db_failed(s, err);
		goto fail;
	}
	jz_svc_worker_readiness(&out->worker, &out->facts, date, &out->readiness);
	return true;
fail:
	jz_worker_view_free(out);
	return false;
}

bool
jz_svc_worker_open(const jz_ctx *ctx, int64_t worker_id, jz_worker_view *out, jz_err *err)
{
	return open_at(ctx, worker_id, 0, out, err);
}

bool
jz_svc_worker_lookup(const jz_ctx *ctx, const char *id_number, int64_t *worker_id, jz_err *err)
{
	jz_id id;
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (!id_number || !*id_number)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "id_number", "请填写身份证号", "required");
	jz_id_fault f = jz_idcard_parse(id_number, jz_today(), &id);
	if (f != JZ_ID_OK)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "id_number", jz_idcard_reason_zh(f), jz_idcard_reason(f));
	unsigned char hash[JZ_LOOKUP_HASH_LEN];
	jz_lookup_hash(ctx->keys, id.number, "worker.id_number", hash);
	jz_db_status s = jz_store_worker_id(ctx->db, hash, worker_id);
	sodium_memzero(&id, sizeof id);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	/* A worker the caller may not see answers exactly like one who is not registered:
	 * the look-up must not reveal that a person is on the platform. */
	jz_worker w = {0};
	jz_tier tier = 0;
	s = *worker_id ? jz_store_worker_get(ctx->db, *worker_id, &w) : JZ_DB_NOT_FOUND;
	bool visible = s == JZ_DB_OK && decide_tier(ctx, &w, &tier, err);
	jz_worker_clear(&w);
	if (s != JZ_DB_OK && s != JZ_DB_NOT_FOUND)
		return jz_svc_db_failed(s, err);
	if (!visible && s == JZ_DB_OK && err->code != JZ_E_NOT_FOUND)
		return false; /* a database error while deciding */
	if (!visible) {
		*worker_id = 0;
		return jz_err_set(err, JZ_E_NOT_FOUND, "id_number", "平台上没有您可查看的该身份证号的家政服务员",
		                  "no worker with this ID number that you may see");
	}
	return true;
}

static bool
employment_json(const jz_employment *e, void *arg)
{
	json_t *o = json_pack("{s:s, s:s, s:s}", "company", e->company_name, "uscc", e->company_uscc,
	                      "started", e->started);
	json_object_set_new(o, "ended", e->ended ? json_string(e->ended) : json_null());
	json_array_append_new(arg, o);
	return true;
}

static bool
credential_json(const jz_credential *c, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", c->kind, "number", c->number,
	                                     "issuer", c->issuer, "issued", c->issued, "expires", c->expires));
	return true;
}

static bool
checkin_json(const jz_checkin *c, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:I}", "month", c->month, "method", c->method,
	                                     "assurance", c->assurance, "at", (json_int_t)c->at));
	return true;
}

static bool
access_json(const jz_access *a, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s}", "at", (json_int_t)a->at, "viewer", a->viewer,
	                                     "what", a->what));
	return true;
}

char *
jz_svc_worker_export(const jz_ctx *ctx, jz_err *err)
{
	jz_worker_view v;
	if (!ctx->worker_id)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL), NULL;
	if (!jz_svc_worker_open(ctx, ctx->worker_id, &v, err))
		return NULL;
	const jz_worker *w = &v.worker;
	json_t *readiness = json_object();
	for (int i = 0; i < JZ_ITEM_COUNT; i++)
		json_object_set_new(readiness, jz_ready_item_name(i, true),
		                    json_string(jz_ready_state_name(v.readiness.state[i], true)));
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:I, s:s}, s:{s:s, s:I, s:s}, s:{s:s, s:I}, s:o, s:b}",
	    "name", w->name, "id_number", v.id_number, "sex", w->female ? "F" : "M", "birth_date", w->birth_date,
	    "native_region", w->native_region, "phone", v.phone ? v.phone : "", "service_types", w->service_types,
	    "identity_verification", "method", w->id_check_method, "at", (json_int_t)w->id_check_at, "by",
	    w->id_check_by, "background_check", "status", w->bg_status, "at", (json_int_t)w->bg_at, "source",
	    w->bg_source, "consent", "method", w->consent_method, "at", (json_int_t)w->consent_at, "readiness",
	    readiness, "ready", v.readiness.ready);
	json_t *employments = json_array(), *credentials = json_array(), *access = json_array();
	json_t *checkins = json_array();
	jz_db_status s = jz_store_employment_list(ctx->db, w->id, employment_json, employments);
	if (s == JZ_DB_OK)
		s = jz_store_credential_list(ctx->db, w->id, credential_json, credentials);
	if (s == JZ_DB_OK)
		s = jz_store_access_list(ctx->db, w->id, 10000, access_json, access);
	if (s == JZ_DB_OK)
		s = jz_store_checkin_list(ctx->db, w->id, 1000, checkin_json, checkins);
	json_object_set_new(o, "employments", employments);
	json_object_set_new(o, "credentials", credentials);
	json_object_set_new(o, "access_log", access);
	json_object_set_new(o, "checkins", checkins);
	jz_worker_view_free(&v);
	char *text = s == JZ_DB_OK ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	if (!text)
		jz_svc_db_failed(s, err);
	return text;
}

bool
jz_svc_worker_each_credential(const jz_ctx *ctx, const jz_worker_view *v,
                              bool (*each)(const jz_credential *c, void *arg), void *arg, jz_err *err)
{
	jz_db_status s = jz_store_credential_list(ctx->db, v->worker.id, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

typedef struct employment_filter {
	const jz_worker_view *v;
	bool (*each)(const jz_employment *e, void *arg);
	void *arg;
} employment_filter;

/* A company's private notes are for that company (and the officials and the worker). */
static bool
filter_notes(const jz_employment *e, void *arg)
{
	employment_filter *f = arg;
	if (f->v->tier == JZ_TIER_OFFICIAL || f->v->tier == JZ_TIER_SELF || e->company_id == f->v->own_company)
		return f->each(e, f->arg);
	jz_employment copy = *e;
	copy.notes = "";
	return f->each(&copy, f->arg);
}

bool
jz_svc_worker_each_employment(const jz_ctx *ctx, const jz_worker_view *v,
                              bool (*each)(const jz_employment *e, void *arg), void *arg, jz_err *err)
{
	employment_filter f = {v, each, arg};
	jz_db_status s = jz_store_employment_list(ctx->db, v->worker.id, filter_notes, &f);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

bool
jz_svc_worker_each_access(const jz_ctx *ctx, const jz_worker_view *v,
                          bool (*each)(const jz_access *a, void *arg), void *arg, jz_err *err)
{
	if (v->tier != JZ_TIER_SELF)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	jz_db_status s = jz_store_access_list(ctx->db, v->worker.id, 200, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

/* ---- credit checks with the worker's share code ---- */

/* "abcd-efgh", "ABCDEFGH", "abcd efgh" → "ABCDEFGH"; false when it cannot be a code. */
static bool
normal_share_code(const char *in, char out[9])
{
	size_t n = 0;
	for (const char *p = in ? in : ""; *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if (n == 8 || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return false;
		out[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	}
	out[n] = '\0';
	return n == 8;
}

static bool
check_failed_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	jz_db_status s = jz_store_throttle_fail(ctx->db, arg, ctx->now, JZ_THROTTLE_WINDOW);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

/* The worker the number and code name together, or 0. */
static bool
share_code_worker(const jz_ctx *ctx, const jz_id *id, const char *code, int64_t *worker_id, jz_err *err)
{
	unsigned char hash[JZ_LOOKUP_HASH_LEN];
	char stored[65], given[33];
	int64_t expires = 0;
	jz_lookup_hash(ctx->keys, id->number, "worker.id_number", hash);
	jz_db_status s = jz_store_worker_id(ctx->db, hash, worker_id);
	if (s == JZ_DB_OK && *worker_id)
		s = jz_store_share_code_get(ctx->db, *worker_id, stored, &expires);
	if (s == JZ_DB_NOT_FOUND) {
		*worker_id = 0;
		return true;
	}
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	jz_lookup_hash_hex(ctx->keys, code, "worker.share_code", given);
	if (!*worker_id || expires <= ctx->now || !jz_crypto_equal(stored, given))
		*worker_id = 0;
	return true;
}

bool
jz_svc_worker_credit_check(const jz_ctx *ctx, const char *id_number, const char *share_code, jz_worker_view *out,
                           jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (!ctx->user->company_id)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, "信用查询仅限家政企业", "credit checks are for companies");
	if (!jz_svc_require_active_company(ctx, err))
		return false;
	if (!id_number || !*id_number)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "id_number", "请填写身份证号", "required");
	if (!share_code || !*share_code)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "share_code", "请填写家政服务员给您的分享码", "required");
	jz_id id;
	jz_id_fault f = jz_idcard_parse(id_number, jz_today(), &id);
	if (f != JZ_ID_OK)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "id_number", jz_idcard_reason_zh(f), jz_idcard_reason(f));
	/* Guessing codes is slowed down like guessing passwords. */
	char key[48];
	snprintf(key, sizeof key, "share:%" PRId64, ctx->user->id);
	int64_t failures = 0;
	jz_db_status s = jz_store_throttle_failures(ctx->db, key, ctx->now, JZ_THROTTLE_WINDOW, &failures);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (failures >= JZ_SHARE_CHECK_TRIES)
		return jz_err_set(err, JZ_E_RATE_LIMITED, NULL, NULL, NULL);
	char code[9];
	int64_t worker_id = 0;
	bool ok = normal_share_code(share_code, code) ? share_code_worker(ctx, &id, code, &worker_id, err) : true;
	sodium_memzero(&id, sizeof id);
	if (!ok)
		return false;
	if (!worker_id) {
		jz_err e2;
		jz_svc_transaction(ctx, check_failed_work, key, &e2);
		return jz_err_set(err, JZ_E_NOT_FOUND, "share_code", "身份证号或分享码不正确，或分享码已过期",
		                  "the ID number or share code is wrong, or the code has expired");
	}
	return open_at(ctx, worker_id, JZ_TIER_COMPANY, out, err);
}
