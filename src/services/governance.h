/* Company governance: regulators suspend, reinstate and revoke companies in their region;
 * regulators designate 诚信示范企业 and associations 标杆企业; the company credit rating
 * (A–D, src/core/rating.c) with the facts it comes from; the public dishonesty list
 * (失信名单), workers only masked. */
#ifndef JZ_SERVICES_GOVERNANCE_H
#define JZ_SERVICES_GOVERNANCE_H

#include <stdbool.h>

#include "core/rating.h"
#include "services/service.h"

/* Company accounts may do business (enrol workers, issue cards, attest check-ins, check
 * credit, record services) only while their company is active: otherwise FORBIDDEN
 * saying it is suspended or revoked. UNAUTHENTICATED without a user, FORBIDDEN for
 * accounts of no company. */
bool jz_svc_require_active_company(const jz_ctx *ctx, jz_err *err);

/* Any company by its USCC (18 characters) or its number (as paths name it); NOT_FOUND
 * otherwise. No access check: callers decide what of it to show. */
bool jz_svc_company_by_ref(const jz_ctx *ctx, const char *ref, jz_company *out, jz_err *err);

/* True when the official's region covers the company's county. */
bool jz_svc_region_covers(const char *region, const jz_company *c);

typedef enum { JZ_GOV_SUSPEND, JZ_GOV_REINSTATE, JZ_GOV_REVOKE } jz_gov_action;

/* "suspend" "reinstate" "revoke" → the action; false for anything else. */
bool jz_gov_action_parse(const char *name, jz_gov_action *out);

/* Regulators in scope: suspend (active → suspended), reinstate (suspended → active) or
 * revoke (active or suspended → revoked, final), with a reason of 2–500 characters the
 * public sees. `ref` is the company's USCC or number. One transaction, audited. */
bool jz_svc_company_govern(const jz_ctx *ctx, const char *ref, jz_gov_action action,
                           const char *reason, jz_company *out, jz_err *err);

/* Regulators and associations: the companies of their region with a status (active,
 * suspended, revoked, pending, rejected), newest first. */
bool jz_svc_companies_in_region(const jz_ctx *ctx, const char *status, int limit, int offset,
                                bool (*each)(const jz_company *c, void *arg), void *arg,
                                int64_t *total, jz_err *err);

/* Designates an active company in scope: kind "model" (regulators) or "benchmark"
 * (associations); NULL picks the caller's. year: 2000 to next year, as digits; issuer:
 * the issuing office, 2–100 characters. duplicate_designation when the company has a
 * current one of that kind and year. */
bool jz_svc_designation_add(const jz_ctx *ctx, const char *ref, const char *kind, const char *year,
                            const char *issuer, jz_designation *out, jz_err *err);
/* Withdraws a current designation: the role that gives that kind, in scope. */
bool jz_svc_designation_withdraw(const jz_ctx *ctx, int64_t id, jz_designation *out, jz_err *err);
/* Public: a company's current designations, newest year first. */
bool jz_svc_designation_list(const jz_ctx *ctx, int64_t company_id,
                             bool (*each)(const jz_designation *d, void *arg), void *arg, jz_err *err);
/* Whether the caller may designate (*kind set to "model" or "benchmark") or govern the
 * company: used by pages to show the forms that would succeed. */
bool jz_svc_may_designate(const jz_ctx *ctx, const jz_company *c, const char **kind);
bool jz_svc_may_govern(const jz_ctx *ctx, const jz_company *c);

/* Public: the company's rating with its inputs (the values the reasons show). */
bool jz_svc_company_rating(const jz_ctx *ctx, const jz_company *c, jz_rating_input *in,
                           jz_rating *out, jz_err *err);

/* A confirmed counting negative record as the public may see it. Strings are borrowed
 * for the callback. */
typedef struct jz_dishonesty_entry {
	bool about_worker;
	const char *company_name, *company_uscc; /* about a company; else NULL */
	char masked_name[64];                    /* about a worker: 张*芳; else "" */
	const char *category, *severity, *county;
	int64_t published_at, expires_at; /* expires_at 0: never */
	bool disputed;                    /* an appeal is pending (有异议) */
} jz_dishonesty_entry;

/* Public: the dishonesty list (失信名单) of a region (any code; NULL or "" = all) or of one
 * company (company_id, 0 = all), newest first. */
bool jz_svc_dishonesty_list(const jz_ctx *ctx, const char *region, int64_t company_id, int limit,
                            int offset, bool (*each)(const jz_dishonesty_entry *e, void *arg),
                            void *arg, int64_t *total, jz_err *err);

#endif
