/* Monthly check-in use cases. */
#include "services/checkins.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "services/audit.h"
#include "services/governance.h"

void
jz_month_of(int64_t t, char out[8])
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(out, 8, "%Y-%m", &tm);
}

void
jz_month_before(const char *month, char out[8])
{
	int y = atoi(month), m = atoi(month + 5) - 1;
	if (m < 1) {
		m = 12;
		y--;
	}
	snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
}

typedef struct self_job {
	char *month;
} self_job;

static bool
self_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	self_job *job = arg;
	bool created;
	jz_db_status s = jz_store_checkin_add(ctx->db, ctx->worker_id, job->month, "self", "low", 0, ctx->now, &created);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!created)
		return jz_err_set(err, JZ_E_ALREADY_CHECKED_IN, "month", NULL, NULL);
	char target[40], detail[64];
	snprintf(target, sizeof target, "worker:%" PRId64, ctx->worker_id);
	snprintf(detail, sizeof detail, "{\"method\":\"self\",\"month\":\"%s\"}", job->month);
	jz_ctx self = *ctx;
	self.actor = "worker";
	return jz_svc_audit(&self, "checkin", target, detail, err);
}

bool
jz_svc_checkin_self(const jz_ctx *ctx, char month[8], jz_err *err)
{
	if (!ctx->worker_id)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	jz_month_of(ctx->now, month);
	self_job job = {month};
	return jz_svc_transaction(ctx, self_work, &job, err);
}

typedef struct company_job {
	char *month;
	int64_t added;
} company_job;

static bool
company_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	company_job *job = arg;
	if (!jz_svc_require_active_company(ctx, err))
		return false;
	jz_db_status s = jz_store_checkin_company(ctx->db, ctx->user->company_id, job->month, ctx->now, &job->added);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	char target[40], detail[96];
	snprintf(target, sizeof target, "company:%" PRId64, ctx->user->company_id);
	snprintf(detail, sizeof detail, "{\"added\":%" PRId64 ",\"method\":\"company\",\"month\":\"%s\"}", job->added,
	         job->month);
	return jz_svc_audit(ctx, "checkin.company", target, detail, err);
}

bool
jz_svc_checkin_company(const jz_ctx *ctx, char month[8], int64_t *added, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (!ctx->user->company_id)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	jz_month_of(ctx->now, month);
	company_job job = {month, 0};
	if (!jz_svc_transaction(ctx, company_work, &job, err))
		return false;
	*added = job.added;
	return true;
}

bool
jz_svc_checkin_service_tx(const jz_ctx *ctx, int64_t worker_id, int64_t company_id, jz_err *err)
{
	char month[8];
	bool created;
	jz_month_of(ctx->now, month);
	jz_db_status s = jz_store_checkin_add(ctx->db, worker_id, month, "service", "high", company_id, ctx->now, &created);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

bool
jz_svc_worker_active(const jz_ctx *ctx, int64_t worker_id, bool *active, char last[8], jz_err *err)
{
	jz_db_status s = jz_store_checkin_last_month(ctx->db, worker_id, last);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	*active = jz_svc_checkin_recent(last, ctx->now);
	return true;
}

bool
jz_svc_checkin_recent(const char *last, int64_t now)
{
	char month[8], before[8];
	jz_month_of(now, month);
	jz_month_before(month, before);
	return *last && strcmp(last, before) >= 0;
}

bool
jz_svc_worker_each_checkin(const jz_ctx *ctx, int64_t worker_id, bool (*each)(const jz_checkin *c, void *arg),
                           void *arg, jz_err *err)
{
	jz_db_status s = jz_store_checkin_list(ctx->db, worker_id, 12, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}
