/* Sharing credit without poaching: the worker's share code for credit checks, and the
 * companies' inbox of confirmed records about workers they employ or checked. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "services/audit.h"
#include "services/credit.h"
#include "util/seal.h"

/* The worker themself, or a company employing them now (at the worker's request: many
 * workers have no smartphone). */
static bool
code_keeper(const jz_ctx *ctx, int64_t worker_id, jz_err *err)
{
	if (ctx->worker_id)
		return ctx->worker_id == worker_id || jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	return jz_svc_require_employer(ctx, worker_id, err);
}

static bool
audit_code(const jz_ctx *ctx, const char *action, int64_t worker_id, jz_err *err)
{
	jz_ctx who = *ctx;
	if (ctx->worker_id)
		who.actor = "worker";
	char target[40];
	snprintf(target, sizeof target, "worker:%" PRId64, worker_id);
	return jz_svc_audit(&who, action, target, NULL, err);
}

typedef struct code_job {
	int64_t worker_id;
	const char *hash; /* NULL: revoke */
	int64_t expires_at;
} code_job;

static bool
code_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	code_job *job = arg;
	if (!code_keeper(ctx, job->worker_id, err))
		return false;
	jz_worker w = {0};
	jz_db_status s = jz_store_worker_get(ctx->db, job->worker_id, &w);
	bool consented = s == JZ_DB_OK && *w.consent_method;
	jz_worker_clear(&w);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (job->hash && !consented)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "家政服务员确认授权后才能生成分享码",
		                  "the worker must consent first");
	s = job->hash ? jz_store_share_code_set(ctx->db, job->worker_id, job->hash, job->expires_at, ctx->now)
	              : jz_store_share_code_delete(ctx->db, job->worker_id);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return audit_code(ctx, job->hash ? "share_code.new" : "share_code.revoke", job->worker_id, err);
}

/* Eight characters without 0/O, 1/I: easy to read out over a basic phone. */
static void
make_code(char code[12], char plain[9])
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 8; i++)
		plain[i] = alphabet[randombytes_uniform(32)];
	plain[8] = '\0';
	snprintf(code, 12, "%.4s-%.4s", plain, plain + 4);
}

bool
jz_svc_share_code_new(const jz_ctx *ctx, int64_t worker_id, char code[12], int64_t *expires_at, jz_err *err)
{
	char plain[9], hash[33];
	make_code(code, plain);
	/* Keyed: eight characters are too few to survive a leaked database unkeyed. */
	jz_lookup_hash_hex(ctx->keys, plain, "worker.share_code", hash);
	code_job job = {worker_id, hash, ctx->now + (int64_t)JZ_SHARE_CODE_DAYS * 86400};
	if (!jz_svc_transaction(ctx, code_work, &job, err))
		return false;
	*expires_at = job.expires_at;
	return true;
}

bool
jz_svc_share_code_revoke(const jz_ctx *ctx, int64_t worker_id, jz_err *err)
{
	code_job job = {worker_id, NULL, 0};
	return jz_svc_transaction(ctx, code_work, &job, err);
}

bool
jz_svc_share_code_expiry(const jz_ctx *ctx, int64_t worker_id, int64_t *expires_at, jz_err *err)
{
	if (!code_keeper(ctx, worker_id, err))
		return false;
	char hash[65];
	jz_db_status s = jz_store_share_code_get(ctx->db, worker_id, hash, expires_at);
	if (s == JZ_DB_NOT_FOUND || (s == JZ_DB_OK && *expires_at <= ctx->now)) {
		*expires_at = 0;
		return true;
	}
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

/* ---- the inbox ---- */

static bool
company_account(const jz_ctx *ctx, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	return ctx->user->company_id || jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
}

bool
jz_svc_inbox(const jz_ctx *ctx, bool (*each)(const jz_notification *n, void *arg), void *arg, int64_t *unread,
             jz_err *err)
{
	if (!company_account(ctx, err))
		return false;
	jz_db_status s = jz_store_notification_unread(ctx->db, ctx->user->company_id, unread);
	if (s == JZ_DB_OK && each)
		s = jz_store_notification_list(ctx->db, ctx->user->company_id, 100, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

static bool
read_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	(void)arg;
	jz_db_status s = jz_store_notification_read_all(ctx->db, ctx->user->company_id, ctx->now);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

bool
jz_svc_inbox_read(const jz_ctx *ctx, jz_err *err)
{
	return company_account(ctx, err) && jz_svc_transaction(ctx, read_work, NULL, err);
}
