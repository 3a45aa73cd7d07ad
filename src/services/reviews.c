/* Service records and reviews: use cases. */
#include "services/reviews.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mask.h"
#include "core/readiness.h"
#include "core/regions.h"
#include "core/text.h"
#include "services/audit.h"
#include "services/checkins.h"
#include "services/governance.h"
#include "util/crypto.h"

static bool
audit_target(const jz_ctx *ctx, const char *action, const char *kind, int64_t id, const char *detail, jz_err *err)
{
	char target[48];
	snprintf(target, sizeof target, "%s:%" PRId64, kind, id);
	return jz_svc_audit(ctx, action, target, detail, err);
}

typedef struct start_job {
	jz_service sv;
} start_job;

static bool
start_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	start_job *job = arg;
	if (!jz_svc_require_employer(ctx, job->sv.worker_id, err))
		return false;
	jz_db_status s = jz_store_service_insert(ctx->db, &job->sv);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return audit_target(ctx, "service.start", "service", job->sv.id, NULL, err);
}

bool
jz_svc_service_start(const jz_ctx *ctx, int64_t worker_id, const char *service_type, const char *started,
                     const char *county, int64_t *service_id, jz_err *err)
{
	char today[11], date[11];
	if (!jz_svc_require_active_company(ctx, err))
		return false;
	const jz_service_type *t = service_type ? jz_service_type_find(service_type) : NULL;
	if (!t)
		return jz_err_set(err, JZ_E_UNKNOWN_SERVICE_TYPE, "service_type", NULL, NULL);
	const jz_region *r = county ? jz_region_find(county) : NULL;
	if (!r || r->level != JZ_REGION_COUNTY)
		return jz_err_set(err, JZ_E_UNKNOWN_COUNTY, "county", NULL, NULL);
	jz_date_of(ctx->now, today);
	if (started && *started) {
		if (!jz_date_valid(started))
			return jz_err_set(err, JZ_E_INVALID_FIELD, "started", "日期格式应为 2025-01-31", "YYYY-MM-DD");
		if (strcmp(started, today) > 0)
			return jz_err_set(err, JZ_E_INVALID_FIELD, "started", "开始日期不能晚于今天", "in the future");
		snprintf(date, sizeof date, "%s", started);
	} else {
		snprintf(date, sizeof date, "%s", today);
	}
	start_job job = {{.worker_id = worker_id,
	                  .company_id = ctx->user ? ctx->user->company_id : 0,
	                  .service_type = (char *)t->code,
	                  .county = (char *)r->code,
	                  .started = date,
	                  .created_at = ctx->now}};
	if (!jz_svc_transaction(ctx, start_work, &job, err))
		return false;
	*service_id = job.sv.id;
	return true;
}

typedef struct end_job {
	int64_t id;
	const char *ended;
	char *code;
} end_job;

static bool
end_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	end_job *job = arg;
	jz_service sv = {0};
	jz_db_status s = jz_store_service_get(ctx->db, job->id, &sv);
	bool mine = s == JZ_DB_OK && ctx->user && sv.company_id == ctx->user->company_id;
	bool started_later = s == JZ_DB_OK && strcmp(job->ended, sv.started) < 0;
	jz_service_clear(&sv);
	if (s != JZ_DB_OK && s != JZ_DB_NOT_FOUND)
		return jz_svc_db_failed(s, err);
	if (!mine)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	if (started_later)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "ended", "结束日期早于开始日期", "before the start");
	char hash[65];
	jz_crypto_token(job->code, 32, 12);
	jz_crypto_token_hash(job->code, hash);
	s = jz_store_service_end(ctx->db, job->id, job->ended, hash, ctx->now + JZ_REVIEW_CODE_DAYS * 86400);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "该服务已经结束", "the service has ended already");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return audit_target(ctx, "service.end", "service", job->id, NULL, err);
}

bool
jz_svc_service_end(const jz_ctx *ctx, int64_t service_id, const char *ended, char code[32], jz_err *err)
{
	char date[11];
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	jz_date_of(ctx->now, date);
	if (ended && *ended) {
		if (!jz_date_valid(ended) || strcmp(ended, date) > 0)
			return jz_err_set(err, JZ_E_INVALID_FIELD, "ended", "日期无效或晚于今天", "not a date, or in the future");
		snprintf(date, sizeof date, "%s", ended);
	}
	end_job job = {service_id, date, code};
	return jz_svc_transaction(ctx, end_work, &job, err);
}

bool
jz_svc_service_list(const jz_ctx *ctx, int64_t worker_id, bool (*each)(const jz_service *sv, void *arg), void *arg,
                    jz_err *err)
{
	jz_db_status s = jz_store_service_list(ctx->db, worker_id, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

static bool
code_hash(const char *code, char hash[65], jz_err *err)
{
	if (!code || strlen(code) < 10 || strlen(code) > 40)
		return jz_err_set(err, JZ_E_NOT_FOUND, "code", "评价码无效或已使用", "the review code is wrong or used");
	jz_crypto_token_hash(code, hash);
	return true;
}

bool
jz_svc_review_open(const jz_ctx *ctx, const char *code, jz_service *out, char masked[64], char company[256],
                   jz_err *err)
{
	char hash[65];
	if (!code_hash(code, hash, err))
		return false;
	jz_db_status s = jz_store_service_by_code(ctx->db, hash, ctx->now, out);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_NOT_FOUND, "code", "评价码无效或已使用", "the review code is wrong or used");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	jz_worker w = {0};
	jz_company c = {0};
	s = jz_store_worker_get(ctx->db, out->worker_id, &w);
	if (s == JZ_DB_OK)
		s = jz_store_company_get(ctx->db, out->company_id, &c);
	if (s == JZ_DB_OK) {
		jz_mask_name(w.name, masked, 64);
		snprintf(company, 256, "%s", c.name);
	}
	jz_worker_clear(&w);
	jz_company_clear(&c);
	if (s != JZ_DB_OK) {
		jz_service_clear(out);
		return jz_svc_db_failed(s, err);
	}
	return true;
}

static bool
score(const char *s, const char *field, int *out, jz_err *err)
{
	if (!s || strlen(s) != 1 || s[0] < '1' || s[0] > '5')
		return jz_err_set(err, JZ_E_INVALID_FIELD, field, "请选择1到5颗星", "1 to 5 stars");
	*out = s[0] - '0';
	return true;
}

typedef struct submit_job {
	const char *hash;
	jz_review r;
} submit_job;

static bool
submit_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	submit_job *job = arg;
	jz_service sv = {0};
	jz_db_status s = jz_store_service_by_code(ctx->db, job->hash, ctx->now, &sv);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_NOT_FOUND, "code", "评价码无效或已使用", "the review code is wrong or used");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	job->r.service_id = sv.id;
	job->r.worker_id = sv.worker_id;
	job->r.company_id = sv.company_id;
	jz_service_clear(&sv);
	/* Spending first makes a second use of the code fail even in a race. */
	s = jz_store_service_spend_code(ctx->db, job->r.service_id);
	if (s == JZ_DB_OK)
		s = jz_store_review_insert(ctx->db, &job->r);
	if (s == JZ_DB_NOT_FOUND || s == JZ_DB_CONFLICT)
		return jz_err_set(err, JZ_E_NOT_FOUND, "code", "评价码无效或已使用", "the review code is wrong or used");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!jz_svc_checkin_service_tx(ctx, job->r.worker_id, job->r.company_id, err))
		return false;
	jz_ctx consumer = *ctx;
	consumer.actor = "consumer";
	return audit_target(&consumer, "review.submit", "service", job->r.service_id, NULL, err);
}

bool
jz_svc_review_submit(const jz_ctx *ctx, const char *code, const jz_review_input *in, int64_t *review_id, jz_err *err)
{
	char hash[65];
	submit_job job = {hash, {0}};
	if (!code_hash(code, hash, err) || !score(in->skill, "skill", &job.r.skill, err) ||
	    !score(in->attitude, "attitude", &job.r.attitude, err) ||
	    !score(in->punctuality, "punctuality", &job.r.punctuality, err) ||
	    !score(in->honesty, "honesty", &job.r.honesty, err))
		return false;
	if (in->comment && jz_text_check(in->comment, 0, 500, true) != JZ_TEXT_OK)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "comment", "评价内容最多500字", "at most 500 characters");
	char *comment = jz_text_trim(in->comment ? in->comment : "");
	job.r.comment = comment;
	job.r.created_at = ctx->now;
	bool ok = jz_svc_transaction(ctx, submit_work, &job, err);
	free(comment);
	if (ok)
		*review_id = job.r.id;
	return ok;
}

bool
jz_svc_review_list(const jz_ctx *ctx, int64_t worker_id, bool (*each)(const jz_review *r, void *arg), void *arg,
                   jz_err *err)
{
	jz_db_status s = jz_store_review_list(ctx->db, worker_id, false, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

typedef struct found_review {
	bool found;
	int64_t worker_id, company_id;
	char county[8], prefecture[8], province[8];
} found_review;

static bool
remember(const jz_review *r, void *arg)
{
	found_review *f = arg;
	f->found = true;
	f->worker_id = r->worker_id;
	f->company_id = r->company_id;
	snprintf(f->county, sizeof f->county, "%s", r->county);
	snprintf(f->prefecture, sizeof f->prefecture, "%s", r->prefecture);
	snprintf(f->province, sizeof f->province, "%s", r->province);
	return false;
}

static bool
find_review(const jz_ctx *ctx, int64_t id, found_review *f, jz_err *err)
{
	memset(f, 0, sizeof *f);
	jz_db_status s = jz_store_review_get(ctx->db, id, remember, f);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!f->found)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	return true;
}

/* The company of the review or the worker reviewed; *by_worker says which. */
static bool
party(const jz_ctx *ctx, const found_review *f, bool *by_worker, jz_err *err)
{
	if (ctx->worker_id) {
		*by_worker = true;
		return ctx->worker_id == f->worker_id || jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	}
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	*by_worker = false;
	return ctx->user->company_id == f->company_id || jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
}

typedef struct text_job {
	int64_t id;
	const char *text;
	bool report;
} text_job;

static bool
text_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	text_job *job = arg;
	found_review f;
	bool by_worker = false;
	if (!find_review(ctx, job->id, &f, err) || !party(ctx, &f, &by_worker, err))
		return false;
	jz_db_status s = job->report ? jz_store_review_report(ctx->db, job->id, job->text)
	                             : jz_store_review_reply(ctx->db, job->id, by_worker, job->text);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "该评价已被举报或处理", "already reported or decided");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	jz_ctx who = *ctx;
	if (by_worker)
		who.actor = "worker";
	return audit_target(&who, job->report ? "review.report" : "review.reply", "review", job->id, NULL, err);
}

static bool
text_action(const jz_ctx *ctx, int64_t id, const char *text, bool report, jz_err *err)
{
	const char *field = report ? "reason" : "text";
	if (!text || jz_text_check(text, 2, 500, true) != JZ_TEXT_OK)
		return jz_err_set(err, JZ_E_INVALID_FIELD, field, "请填写2至500字", "2 to 500 characters");
	char *trimmed = jz_text_trim(text);
	text_job job = {id, trimmed, report};
	bool ok = jz_svc_transaction(ctx, text_work, &job, err);
	free(trimmed);
	return ok;
}

bool
jz_svc_review_reply(const jz_ctx *ctx, int64_t review_id, const char *text, jz_err *err)
{
	return text_action(ctx, review_id, text, false, err);
}

bool
jz_svc_review_report(const jz_ctx *ctx, int64_t review_id, const char *reason, jz_err *err)
{
	return text_action(ctx, review_id, reason, true, err);
}

static bool
moderator(const jz_ctx *ctx, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (strcmp(ctx->user->role, "regulator") != 0 && strcmp(ctx->user->role, "association") != 0)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	return true;
}

bool
jz_svc_reviews_reported(const jz_ctx *ctx, bool (*each)(const jz_review *r, void *arg), void *arg, jz_err *err)
{
	if (!moderator(ctx, err))
		return false;
	jz_db_status s = jz_store_review_reported(ctx->db, ctx->user->region, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

typedef struct moderate_job {
	int64_t id;
	const char *status;
} moderate_job;

static bool
moderate_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	moderate_job *job = arg;
	found_review f;
	if (!find_review(ctx, job->id, &f, err))
		return false;
	const char *r = ctx->user->region;
	if (!r || (strcmp(r, f.county) && strcmp(r, f.prefecture) && strcmp(r, f.province)))
		return jz_err_set(err, JZ_E_OUT_OF_SCOPE, NULL, NULL, NULL);
	char *by = jz_svc_actor(ctx);
	jz_db_status s = jz_store_review_moderate(ctx->db, job->id, job->status, by);
	free(by);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "该评价未被举报或已处理", "not reported, or decided already");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	char detail[48];
	snprintf(detail, sizeof detail, "{\"decision\":\"%s\"}", job->status);
	return audit_target(ctx, "review.moderate", "review", job->id, detail, err);
}

bool
jz_svc_review_moderate(const jz_ctx *ctx, int64_t review_id, const char *decision, jz_err *err)
{
	if (!moderator(ctx, err))
		return false;
	if (!decision || (strcmp(decision, "keep") != 0 && strcmp(decision, "hide") != 0))
		return jz_err_set(err, JZ_E_INVALID_FIELD, "decision", "应为 keep 或 hide", "keep or hide");
	moderate_job job = {review_id, !strcmp(decision, "hide") ? "hidden" : "visible"};
	return jz_svc_transaction(ctx, moderate_work, &job, err);
}

void
jz_svc_worker_stars_from(const jz_worker *w, const jz_worker_facts *facts, int64_t reviews,
                         double review_sum, const char *first_employment, const char *today,
                         const int negative[3], jz_stars *out)
{
	const char *first = first_employment;
	int months = *first ? (atoi(today) - atoi(first)) * 12 + atoi(today + 5) - atoi(first + 5) : 0;
	jz_stars_input in = {
	    .reviews = (int)reviews,
	    .review_sum = review_sum,
	    .id_verified = *w->id_check_method != '\0',
	    .background_clear = !strcmp(w->bg_status, "clear"),
	    .consented = *w->consent_method != '\0',
	    .health_valid = facts->health && (!*facts->health || strcmp(facts->health, today) >= 0),
	    .work_permit_valid = facts->work_permit && (!*facts->work_permit || strcmp(facts->work_permit, today) >= 0),
	    .tenure_months = months,
	    .negative = {negative[0], negative[1], negative[2]},
	};
	jz_stars_compute(&in, out);
}

bool
jz_svc_worker_stars_of(const jz_ctx *ctx, const jz_worker *w, const jz_worker_facts *facts, jz_stars *out,
                       int64_t *reviews, jz_err *err)
{
	char first[11], today[11];
	double sum;
	jz_db_status s = jz_store_review_totals(ctx->db, w->id, reviews, &sum);
	if (s == JZ_DB_OK)
		s = jz_store_worker_first_employment(ctx->db, w->id, first);
	int negative[3];
	if (s == JZ_DB_OK)
		s = jz_store_credit_negative_counts(ctx->db, w->id, ctx->now, negative);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	jz_date_of(ctx->now, today);
	jz_svc_worker_stars_from(w, facts, *reviews, sum, first, today, negative, out);
	return true;
}
