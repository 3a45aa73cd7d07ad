/* Company admission (准入) and the public register: apply, look up the decision, list
 * and decide pending applications in a regulator's region, search active companies. */
#ifndef JZ_SERVICES_COMPANIES_H
#define JZ_SERVICES_COMPANIES_H

#include <stdbool.h>
#include <stddef.h>

#include "services/service.h"

enum { JZ_MAX_SERVICE_TYPES = 16 };

/* An application as entered; every string borrowed, any may be NULL (= missing). */
typedef struct jz_application {
	const char *uscc, *name, *legal_rep, *address, *county, *phone;
	const char *service_types[JZ_MAX_SERVICE_TYPES];
	size_t n_service_types;
	const char *commitment_by; /* the person signing the credit commitment */
	bool commitment_accepted;  /* the signer ticked 本企业承诺… */
} jz_application;

/* The text of the credit commitment (信用承诺) an applicant signs. */
const char *jz_svc_commitment_text(bool english);

/* Validates and records an application (status pending). On success fills *out and
 * query_code (the code the applicant uses to look up the decision; shown once). */
bool jz_svc_company_apply(const jz_ctx *ctx, const jz_application *app, jz_company *out,
                          char query_code[32], jz_err *err);
/* The application with this USCC, when query_code matches it. */
bool jz_svc_application_status(const jz_ctx *ctx, const char *uscc, const char *query_code,
                               jz_company *out, jz_err *err);
/* Operators: records an already-approved company (status active). Only name, USCC and
 * county are required; the rest may be NULL. */
bool jz_svc_company_add(const jz_ctx *ctx, const jz_application *app, jz_company *out, jz_err *err);

/* Regulators: pending applications in their region, newest first. */
bool jz_svc_applications_pending(const jz_ctx *ctx, int limit, int offset,
                                 bool (*each)(const jz_company *c, void *arg), void *arg,
                                 int64_t *total, jz_err *err);
/* Regulators: one application or company in their region. */
bool jz_svc_company_for_regulator(const jz_ctx *ctx, int64_t id, jz_company *out, jz_err *err);
/* Approves: the company becomes active and gets an admin account whose username and
 * one-time password are returned (the password is not stored in clear anywhere). */
bool jz_svc_company_approve(const jz_ctx *ctx, int64_t id, jz_company *out, char username[64],
                            char password[32], jz_err *err);
/* Rejects with a reason the applicant will see. */
bool jz_svc_company_reject(const jz_ctx *ctx, int64_t id, const char *reason, jz_company *out,
                           jz_err *err);

/* Public: active companies matching text (name part or USCC) and county (any region code
 * narrows to its subtree), newest first. */
bool jz_svc_company_search(const jz_ctx *ctx, const char *text, const char *region, int limit,
                           int offset, bool (*each)(const jz_company *c, void *arg), void *arg,
                           int64_t *total, jz_err *err);
/* Public: one company on the register (active, suspended or revoked) by its USCC or
 * number. */
bool jz_svc_company_public(const jz_ctx *ctx, const char *ref, jz_company *out, jz_err *err);
/* Company accounts: their own company. */
bool jz_svc_company_own(const jz_ctx *ctx, jz_company *out, jz_err *err);

#endif
