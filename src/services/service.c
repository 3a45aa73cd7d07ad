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
	return jz_err_set(err, s == JZ_DB_BUSY ? JZ_E_UNAVAILABLE : JZ_E_INTERNAL, NULL, NULL, NULL);
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
		jz_db_rollback(ctx->db);
		if (s != JZ_DB_BUSY)
			return jz_svc_db_failed(s, err);
		usleep(20000u << attempt);
	}
	jz_log_error("transaction gave up after repeated lock conflicts");
	return jz_err_set(err, JZ_E_UNAVAILABLE, NULL, NULL, NULL);
}
