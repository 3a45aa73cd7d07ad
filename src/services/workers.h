/* The worker registry (信息录入): one record per person across companies, enrolment by
 * companies, consent, credentials and equipment, identity and background checks, duty
 * readiness, and the privacy tiers of DESIGN.md enforced in one place (jz_svc_worker_open).
 * ID numbers and phones are sealed with the key file; lookups go through keyed hashes. */
#ifndef JZ_SERVICES_WORKERS_H
#define JZ_SERVICES_WORKERS_H

#include "core/idcard.h"
#include "core/readiness.h"
#include "services/service.h"
#include "util/seal.h"

enum { JZ_MAX_CREDENTIALS = 8, JZ_WORKER_TYPES = 16 };

/* A credential as entered (borrowed strings; any may be NULL). kind: health, work_permit,
 * skill, insurance, training. Dates YYYY-MM-DD; expires empty = never (training only). */
typedef struct jz_credential_input {
	const char *kind, *number, *issuer, *issued, *expires;
} jz_credential_input;

/* A worker as a company enters them (form, API or one CSV row). Borrowed strings. */
typedef struct jz_worker_input {
	const char *name, *id_number, *phone;
	const char *service_types[JZ_WORKER_TYPES];
	size_t n_service_types;
	const char *consent_date; /* YYYY-MM-DD: the worker signed the paper authorisation */
	jz_credential_input credentials[JZ_MAX_CREDENTIALS];
	size_t n_credentials;
	/* Where each field came from, for error messages: CSV column names. NULL = the field
	 * names above ("name", "id_number", "phone", "service_types", "consent_date"). */
	const char *const *columns;
} jz_worker_input;

/* A validated worker, ready to store: normalised and derived fields, owned. */
typedef struct jz_worker_clean {
	jz_id id;
	char *name;
	char phone[24]; /* "" when none */
	char *service_types;
	char consent_date[11]; /* "" when none */
	struct {
		char kind[16], number[65], issuer[101], issued[11], expires[11];
	} credentials[JZ_MAX_CREDENTIALS];
	size_t n_credentials;
} jz_worker_clean;

void jz_worker_clean_free(jz_worker_clean *w);
/* Validates one worker; on failure err->field names the field (or CSV column) at fault.
 * `today` is YYYY-MM-DD. */
bool jz_svc_worker_clean(const jz_worker_input *in, const char *today, jz_worker_clean *out,
                         jz_err *err);

typedef struct jz_enroll_result {
	int64_t worker_id;
	bool created_worker;     /* a new person */
	bool created_employment; /* newly employed by this company */
	int credentials_added;
	bool consented_now;      /* a person who was there got the row's paper consent */
} jz_enroll_result;

/* What enrolment stores of a clean worker's ID number and phone: the lookup hashes and the
 * sealed values. Made apart from the transaction so that bulk import can make them on
 * another thread while one batch is written. Owned; phone_sealed NULL when no phone. */
typedef struct jz_worker_sealed {
	unsigned char id_hash[JZ_LOOKUP_HASH_LEN], phone_hash[JZ_LOOKUP_HASH_LEN];
	char *id_sealed, *phone_sealed;
} jz_worker_sealed;

void jz_svc_worker_seal(const jz_keys *keys, const jz_worker_clean *w, jz_worker_sealed *out);
void jz_worker_sealed_free(jz_worker_sealed *s);
/* jz_svc_worker_enroll_tx with the hashes and sealed values already made. */
bool jz_svc_worker_enroll_sealed(const jz_ctx *ctx, int64_t company_id, const jz_worker_clean *w,
                                 const jz_worker_sealed *sealed, jz_enroll_result *res,
                                 jz_err *err);
/* One row of jz_svc_worker_enroll_many: borrowed. */
typedef struct jz_enroll_row {
	const jz_worker_clean *clean;
	const jz_worker_sealed *sealed;
} jz_enroll_row;
/* Bulk import, inside the caller's transaction: enrols n rows for company_id as
 * jz_svc_worker_enroll_sealed would one after another (a person named twice counts once),
 * the employments and credentials of new persons with multi-row statements. A row's own
 * fault (its phone belongs to another worker) goes to row_errs[i] (code 0 when none) and
 * the row writes nothing; false with *err when the database failed (JZ_E_UNAVAILABLE or
 * JZ_E_INTERNAL), and the caller rolls back what was written. */
bool jz_svc_worker_enroll_many(const jz_ctx *ctx, int64_t company_id, const jz_enroll_row *rows,
                               size_t n, jz_enroll_result *res, jz_err *row_errs, jz_err *err);
/* Inside the caller's transaction (bulk import): enrols a clean worker for company_id —
 * finds the person by ID number or creates them, starts the employment, adds credentials
 * and a paper consent. Changes nothing that is already there. */
bool jz_svc_worker_enroll_tx(const jz_ctx *ctx, int64_t company_id, const jz_worker_clean *w,
                             jz_enroll_result *res, jz_err *err);
/* Company accounts: validates and enrols one worker in its own transaction, audited. */
bool jz_svc_worker_enroll(const jz_ctx *ctx, const jz_worker_input *in, jz_enroll_result *res,
                          jz_err *err);

/* Who is looking, and so what they see (DESIGN.md, "Views"). */
typedef enum {
	JZ_TIER_COMPANY = 1, /* any active company: credit, never contact data or notes */
	JZ_TIER_EMPLOYER,    /* a company employing the worker now: everything it entered */
	JZ_TIER_OFFICIAL,    /* regulator or association whose region holds an employer */
	JZ_TIER_SELF,        /* the worker */
} jz_tier;

typedef struct jz_worker_view {
	jz_tier tier;
	jz_worker worker;
	char *id_number; /* clear, for EMPLOYER, OFFICIAL and SELF; else NULL */
	char *phone;     /* clear, for EMPLOYER, OFFICIAL and SELF, when known; else NULL */
	char masked_id[19];
	int age;
	jz_readiness readiness;
	jz_worker_facts facts; /* owns the strings readiness.expires points to */
	int64_t own_company;   /* the viewer's company, 0 for others */
} jz_worker_view;

void jz_worker_view_free(jz_worker_view *v);
/* Opens a worker's record at the viewer's tier, or NOT_FOUND when the viewer may not see
 * it (another company before the worker consented, a region outside the official's).
 * Reads of private data are written to the audit log and the worker's access log. */
bool jz_svc_worker_open(const jz_ctx *ctx, int64_t worker_id, jz_worker_view *out, jz_err *err);
/* The lists of an opened record, as its tier allows: credentials; employments (another
 * company's private notes blanked); the access log (the worker only). */
bool jz_svc_worker_each_credential(const jz_ctx *ctx, const jz_worker_view *v,
                                   bool (*each)(const jz_credential *c, void *arg), void *arg,
                                   jz_err *err);
bool jz_svc_worker_each_employment(const jz_ctx *ctx, const jz_worker_view *v,
                                   bool (*each)(const jz_employment *e, void *arg), void *arg,
                                   jz_err *err);
bool jz_svc_worker_each_access(const jz_ctx *ctx, const jz_worker_view *v,
                               bool (*each)(const jz_access *a, void *arg), void *arg, jz_err *err);
/* An active company's credit check (信用查询): the worker's ID number and the share code
 * the worker gave it open the record at the company tier, logged for the worker and kept
 * 90 days for notifications. A wrong number or code answers like an unknown one; wrong
 * tries are throttled per account (JZ_SHARE_CHECK_TRIES per 15 minutes). */
enum { JZ_SHARE_CHECK_TRIES = 10 };
bool jz_svc_worker_credit_check(const jz_ctx *ctx, const char *id_number, const char *share_code,
                                jz_worker_view *out, jz_err *err);
/* Finds a worker by ID number among those the caller may see: its own workers, or for an
 * official those of its region (the number is never stored or logged in clear). */
bool jz_svc_worker_lookup(const jz_ctx *ctx, const char *id_number, int64_t *worker_id, jz_err *err);

/* Employer actions on its own worker; each in one transaction, audited. */
bool jz_svc_worker_add_credential(const jz_ctx *ctx, int64_t worker_id, const jz_credential_input *c,
                                  jz_err *err);
bool jz_svc_worker_issue_equipment(const jz_ctx *ctx, int64_t worker_id, const char *kind,
                                   const char *issued, jz_err *err);
/* Identity verification through a verifier (built in: "document", the original ID card
 * checked in person by the signed-in staff member). */
bool jz_svc_worker_verify_identity(const jz_ctx *ctx, int64_t worker_id, const char *method,
                                   jz_err *err);
bool jz_svc_worker_set_background(const jz_ctx *ctx, int64_t worker_id, const char *status,
                                  const char *source, jz_err *err);
bool jz_svc_worker_paper_consent(const jz_ctx *ctx, int64_t worker_id, const char *date, jz_err *err);
/* Issues a one-time consent code (valid 7 days) that the company hands the worker. */
bool jz_svc_worker_consent_code(const jz_ctx *ctx, int64_t worker_id, char code[16], jz_err *err);
/* The company's private notes (never shown to other companies). */
bool jz_svc_worker_set_notes(const jz_ctx *ctx, int64_t worker_id, const char *notes, jz_err *err);
bool jz_svc_worker_end_employment(const jz_ctx *ctx, int64_t worker_id, const char *date, jz_err *err);

/* The worker confirms the record with the code, their phone and a new password; this is
 * also how the worker's sign-in is first set up. */
bool jz_svc_worker_confirm(const jz_ctx *ctx, const char *code, const char *phone,
                           const char *password, const char *address, int64_t *worker_id,
                           jz_err *err);
/* Worker sign-in by phone and password; throttled like account sign-in. */
bool jz_svc_worker_login(const jz_ctx *ctx, const char *phone, const char *password,
                         const char *address, char token[48], int64_t *worker_id, jz_err *err);
bool jz_svc_worker_session(jz_db *db, const char *token, int64_t now, int64_t *worker_id);
bool jz_svc_worker_logout(const jz_ctx *ctx, const char *token, jz_err *err);
/* Everything about the signed-in worker as JSON, including the access log. Caller frees. */
char *jz_svc_worker_export(const jz_ctx *ctx, jz_err *err);

/* Duty readiness of a worker from the record and its facts, on `today` (YYYY-MM-DD).
 * out->expires points into f. */
void jz_svc_worker_readiness(const jz_worker *w, const jz_worker_facts *f, const char *today,
                             jz_readiness *out);
/* A company's current workers with their readiness, by name; `only_problems` keeps those
 * not ready or with something expiring within 30 days (the first `limit` of them listed,
 * *total counting all). */
bool jz_svc_company_readiness(const jz_ctx *ctx, bool only_problems, int limit, int offset,
                              bool (*each)(const jz_worker *w, const jz_readiness *r, void *arg),
                              void *arg, int64_t *total, jz_err *err);

/* Kinds and names. */
const char *jz_credential_kind_name(const char *kind, bool english);
bool jz_credential_kind_valid(const char *kind);

#endif
