/* Transaction wrapper and helpers shared by the use cases. */
#include "services/service.h"

#include <inttypes.h>
#include <unistd.h>

#include "util/log.h"
#include "util/xmalloc.h"

char *
jz_svc_actor(const jz_ctx *ctx)
{
	if (ctx->user)
		return jz_xasprintf("user:%" PRId64 ":%s", ctx->user->id, ctx->user->username);
	return jz_xstrdup(ctx->actor ? ctx->actor : "public");
}

bool
jz_svc_db_failed(jz_db_status s, jz_err *err)
{
	bool later = s == JZ_DB_BUSY || s == JZ_DB_UNAVAILABLE;
	return jz_err_set(err, later ? JZ_E_UNAVAILABLE : JZ_E_INTERNAL, NULL, NULL, NULL);
}

/* An outage ends the transaction at once: waiting 20 to 320 ms would not bring the disk
 * or the server back, and a failed prepare (reported as ERROR) was part of it. */
static bool
outage_failed(const jz_ctx *ctx, jz_err *err)
{
	jz_db_rollback(ctx->db);
	return jz_err_set(err, JZ_E_UNAVAILABLE, NULL, NULL, NULL);
}

bool
jz_svc_transaction(const jz_ctx *ctx, bool (*work)(const jz_ctx *ctx, void *arg, jz_err *err),
                   void *arg, jz_err *err)
{
	for (int attempt = 0; attempt < 5; attempt++) {
		jz_db_status s = jz_db_begin(ctx->db);
		if (s == JZ_DB_OK) {
			err->code = JZ_E_NONE;
			if (!work(ctx, arg, err)) {
				if (jz_db_outage(ctx->db))
					return outage_failed(ctx, err);
				jz_db_rollback(ctx->db);
				if (err->code == JZ_E_UNAVAILABLE) {
					usleep(20000u << attempt);
					continue; /* the work met a lock: try again */
				}
				return false;
			}
			s = jz_db_commit(ctx->db);
			if (s == JZ_DB_OK)
				return true;
		}
		if (jz_db_outage(ctx->db))
			return outage_failed(ctx, err);
		jz_db_rollback(ctx->db);
		if (s != JZ_DB_BUSY)
			return jz_svc_db_failed(s, err);
		usleep(20000u << attempt);
	}
	jz_log_error("transaction gave up after repeated lock conflicts");
	return jz_err_set(err, JZ_E_UNAVAILABLE, NULL, NULL, NULL);
}

bool
jz_svc_require_employer(const jz_ctx *ctx, int64_t worker_id, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (!ctx->user->company_id)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	bool current, ever;
	jz_db_status s = jz_store_employment_status(ctx->db, worker_id, ctx->user->company_id, &current, &ever);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!current)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, "不是本企业在职的家政服务员", "not a current worker of your company");
	return true;
}
