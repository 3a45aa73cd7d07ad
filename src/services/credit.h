/* Credit records (信用记录) and appeals (异议): a company reports conduct of a worker it
 * employs or employed (or an office records it directly); the association or regulator
 * in scope confirms (publishes) or dismisses it with reasons; published negative records
 * show on the card and company pages until their repair period ends (信用修复,
 * docs/credit-model.md) and notify the companies that employ or lately checked the
 * worker; the worker or company concerned appeals once, and the regulator in scope
 * decides. Evidence files are sealed at rest and every read of one is audited. */
#ifndef JZ_SERVICES_CREDIT_H
#define JZ_SERVICES_CREDIT_H

#include "core/credit.h"
#include "services/service.h"

enum { JZ_EVIDENCE_MAX = 2 * 1024 * 1024 };

/* An evidence file as uploaded (borrowed); data NULL = none. */
typedef struct jz_upload_file {
	const void *data;
	size_t len;
	const char *name;
} jz_upload_file;

typedef struct jz_record_input {
	int64_t worker_id, company_id; /* the subject: exactly one */
	const char *category, *severity, *summary, *evidence, *occurred;
	jz_upload_file file;
} jz_record_input;

/* Reports a record. Company accounts report about a worker they employ or employed (status
 * reported); associations and regulators record about a worker or company in their region
 * and publish at once. *published says which. */
bool jz_svc_record_report(const jz_ctx *ctx, const jz_record_input *in, int64_t *id, bool *published,
                          jz_err *err);
/* Association or regulator in scope: decision "confirm" (publish) or "dismiss", with a
 * reason; severity (optional) corrects a negative record's severity on confirming. */
bool jz_svc_record_decide(const jz_ctx *ctx, int64_t id, const char *decision, const char *severity,
                          const char *reason, jz_err *err);

/* What the caller may do with a record they may see. */
typedef struct jz_record_rights {
	bool evidence;      /* read the evidence files */
	bool decide;        /* confirm or dismiss (reported, caller in scope) */
	bool appeal;        /* the subject, on a published negative record without appeals */
	bool decide_appeal; /* a regulator in scope, while an appeal is pending */
} jz_record_rights;

/* Calls `each` with the record when the caller may see it (NOT_FOUND otherwise). */
bool jz_svc_record_open(const jz_ctx *ctx, int64_t id, void (*each)(const jz_credit_record *r,
                        const jz_record_rights *rights, void *arg), void *arg, jz_err *err);
/* The evidence files and appeals of a record the caller may see (evidence only with the
 * right to it). */
bool jz_svc_record_evidence(const jz_ctx *ctx, int64_t id, bool (*each)(const jz_evidence *e, void *arg),
                            void *arg, jz_err *err);
bool jz_svc_record_appeals(const jz_ctx *ctx, int64_t id, bool (*each)(const jz_credit_appeal *a, void *arg),
                           void *arg, jz_err *err);
/* One evidence file, opened: *data (caller frees), its length, name and type. Audited. */
bool jz_svc_evidence_read(const jz_ctx *ctx, int64_t evidence_id, unsigned char **data, size_t *len,
                          char name[128], char type[64], jz_err *err);

/* Records about a worker as the caller may see them: `all` (the worker, an official in
 * scope, the reporter's own) or only those confirmed and counting. */
bool jz_svc_worker_records(const jz_ctx *ctx, int64_t worker_id, bool all,
                           bool (*each)(const jz_credit_record *r, void *arg), void *arg, jz_err *err);
/* The subject appeals a published negative record, once, with reasons and an optional
 * file. */
bool jz_svc_appeal_file(const jz_ctx *ctx, int64_t record_id, const char *reasons, const jz_upload_file *file,
                        int64_t *appeal_id, jz_err *err);
/* Regulator in scope: "uphold" (the record is revoked) or "reject", with a reason. */
bool jz_svc_appeal_decide(const jz_ctx *ctx, int64_t appeal_id, const char *decision, const char *reason,
                          jz_err *err);

/* The regulator's and association's queue: reported records, pending appeals (oldest
 * deadline first) and unconfirmed background flags in their region. */
typedef struct jz_credit_queue {
	bool (*record)(const jz_credit_record *r, void *arg);
	bool (*appeal)(const jz_credit_appeal *a, void *arg);
	bool (*flag)(int64_t worker_id, const char *name, const char *source, int64_t at, void *arg);
	void *arg;
} jz_credit_queue;
bool jz_svc_credit_queue(const jz_ctx *ctx, const jz_credit_queue *q, jz_err *err);

/* A regulator in scope confirms a company's background flag ("confirm": it shows
 * publicly) or overturns it ("overturn": back to pending), with a reason. */
bool jz_svc_background_review(const jz_ctx *ctx, int64_t worker_id, const char *decision, const char *reason,
                              jz_err *err);

/* ---- sharing (sharing.c) ---- */

/* A new share code for the worker (the worker, or their employer at the worker's request):
 * code[12] "ABCD-EFGH", valid JZ_SHARE_CODE_DAYS; replaces any earlier one. */
bool jz_svc_share_code_new(const jz_ctx *ctx, int64_t worker_id, char code[12], int64_t *expires_at,
                           jz_err *err);
bool jz_svc_share_code_revoke(const jz_ctx *ctx, int64_t worker_id, jz_err *err);
/* When the worker's code expires; 0 when there is none. */
bool jz_svc_share_code_expiry(const jz_ctx *ctx, int64_t worker_id, int64_t *expires_at, jz_err *err);

/* An active company's inbox, newest first, and how many are unread. */
bool jz_svc_inbox(const jz_ctx *ctx, bool (*each)(const jz_notification *n, void *arg), void *arg,
                  int64_t *unread, jz_err *err);
bool jz_svc_inbox_read(const jz_ctx *ctx, jz_err *err);

#endif
