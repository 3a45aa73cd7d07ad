/* Monthly check-in (按月打卡) without NFC or an app: the worker on any phone browser
 * (assurance low), the company attesting its current workers in bulk (medium), or counted
 * from a consumer's card scan and review during a recorded service (high). One per worker
 * and month; a worker without a check-in this month or last shows as inactive. */
#ifndef JZ_SERVICES_CHECKINS_H
#define JZ_SERVICES_CHECKINS_H

#include "services/service.h"

/* The signed-in worker checks in for this month; ALREADY_CHECKED_IN the second time. */
bool jz_svc_checkin_self(const jz_ctx *ctx, char month[8], jz_err *err);
/* A company account attests this month for all of its current workers; *added counts
 * those who had no check-in yet. */
bool jz_svc_checkin_company(const jz_ctx *ctx, char month[8], int64_t *added, jz_err *err);
/* Inside the caller's transaction: a check-in counted from a reviewed service. */
bool jz_svc_checkin_service_tx(const jz_ctx *ctx, int64_t worker_id, int64_t company_id, jz_err *err);
/* Whether the worker checked in this month or last, and the last month checked in ("" none). */
bool jz_svc_worker_active(const jz_ctx *ctx, int64_t worker_id, bool *active, char last[8], jz_err *err);
/* The same from the last month checked in (YYYY-MM, "" none), read by the caller. */
bool jz_svc_checkin_recent(const char *last, int64_t now);
/* The last 12 check-ins of a worker whose record the caller has opened (jz_svc_worker_open). */
bool jz_svc_worker_each_checkin(const jz_ctx *ctx, int64_t worker_id,
                                bool (*each)(const jz_checkin *c, void *arg), void *arg, jz_err *err);
/* The month (YYYY-MM, local time) of Unix time t, and the month before it. */
void jz_month_of(int64_t t, char out[8]);
void jz_month_before(const char *month, char out[8]);

#endif
