/* What every use case receives: the database connection of this thread, who is acting
 * (NULL for the public), where from, and the time. Each use case checks who may do it,
 * validates its input, runs in one transaction and writes its audit entry. */
#ifndef JZ_SERVICES_SERVICE_H
#define JZ_SERVICES_SERVICE_H

#include <stdint.h>

#include "services/errors.h"
#include "store/store.h"
#include "util/keys.h"

typedef struct jz_ctx {
	jz_db *db;
	const jz_user *user; /* signed-in account, or NULL */
	const char *actor;   /* for the audit log when user is NULL: "cli", "public" */
	int64_t now;
	const jz_keys *keys;    /* seals ID numbers and phones; NULL where no worker data is used */
	int64_t worker_id;      /* a signed-in worker (their own record), else 0 */
} jz_ctx;

/* The audit actor string for ctx: "user:<id>:<username>" or ctx->actor. Caller frees. */
char *jz_svc_actor(const jz_ctx *ctx);
/* Runs `work` in one write transaction, retrying on JZ_DB_BUSY a few times. `work`
 * returns true to commit; on false (with err set) or a database error it rolls back.
 * Returns true when committed. A failure met during an outage (jz_db_outage: the
 * connection lost, the disk full) is reported as UNAVAILABLE and not retried. */
bool jz_svc_transaction(const jz_ctx *ctx, bool (*work)(const jz_ctx *ctx, void *arg, jz_err *err),
                        void *arg, jz_err *err);
/* The signed-in account is a company account employing the worker now; else false with
 * UNAUTHENTICATED, FORBIDDEN (not a company account) or NOT_FOUND. */
bool jz_svc_require_employer(const jz_ctx *ctx, int64_t worker_id, jz_err *err);
/* Maps a store status other than OK to an error: UNAVAILABLE (503) for a lock conflict
 * or an outage, INTERNAL otherwise; returns false. */
bool jz_svc_db_failed(jz_db_status s, jz_err *err);

#endif
