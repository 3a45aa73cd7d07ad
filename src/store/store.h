/* The store: every database operation the services use, written once over db.h in the
 * SQL both engines share. Each returns JZ_DB_OK, JZ_DB_NOT_FOUND where a row was
 * expected, JZ_DB_CONFLICT where a constraint refused a write, JZ_DB_BUSY to retry, or
 * JZ_DB_ERROR (already logged). Records filled in by the store own their strings; free
 * them with the matching *_clear. */
#ifndef JZ_STORE_STORE_H
#define JZ_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "util/seal.h"

/* ---- schema ---- */

/* Applies the migrations this database lacks, each in its own transaction; *applied
 * counts them. */
jz_db_status jz_store_migrate(jz_db *db, int *applied);
/* The highest applied migration, 0 for an empty database. */
jz_db_status jz_store_schema_version(jz_db *db, int *version);
/* A round trip to the database (health checks). */
jz_db_status jz_store_ping(jz_db *db);
/* The newest migration this binary carries. */
int jz_store_latest_version(const jz_db *db);
/* How many migrations this binary carries (numbers may have gaps). */
int jz_store_migration_count(const jz_db *db);
/* How many of the migrations this binary carries the database lacks (numbers may have
 * gaps, so the highest applied version alone does not tell). */
jz_db_status jz_store_migrations_missing(jz_db *db, int *missing);

/* ---- companies ---- */

typedef struct jz_company {
	int64_t id;
	char *uscc, *name, *legal_rep, *address, *phone;
	char *county, *prefecture, *province; /* region codes */
	char *service_types;                  /* codes separated by '|' */
	char *commitment_by;                  /* who signed the credit commitment */
	int64_t commitment_at;
	char *status;        /* pending active rejected suspended revoked */
	char *status_reason; /* why it was rejected, suspended or revoked */
	int64_t decided_by, decided_at;
	char *query_code_hash; /* lets the applicant look up the decision */
	int64_t created_at, updated_at;
} jz_company;

void jz_company_clear(jz_company *c);

/* Records an application (status pending). CONFLICT when the USCC already has an
 * application or company, unless that one was rejected: then the new application
 * replaces it. Sets c->id. */
jz_db_status jz_store_company_apply(jz_db *db, jz_company *c);
/* Inserts a company with the status c->status (operators' `company add`). CONFLICT when
 * the USCC exists. Sets c->id. */
jz_db_status jz_store_company_insert(jz_db *db, jz_company *c);
jz_db_status jz_store_company_get(jz_db *db, int64_t id, jz_company *out);
jz_db_status jz_store_company_get_by_uscc(jz_db *db, const char *uscc, jz_company *out);
/* Moves a company from status `from` to `to`; NOT_FOUND when it is not in `from`. */
jz_db_status jz_store_company_set_status(jz_db *db, int64_t id, const char *from, const char *to,
                                         const char *reason, int64_t by, int64_t at);

typedef struct jz_company_filter {
	const char *status;  /* required */
	const char *scope;   /* a region code: its county, prefecture or province; NULL = all */
	const char *text;    /* part of the name, or the whole USCC; NULL = any */
	int limit, offset;
} jz_company_filter;

/* Calls `each` for every matching company, newest first; stops early when it returns
 * false. The record is borrowed for the call. */
jz_db_status jz_store_company_list(jz_db *db, const jz_company_filter *f,
                                   bool (*each)(const jz_company *c, void *ctx), void *ctx);
jz_db_status jz_store_company_count(jz_db *db, const jz_company_filter *f, int64_t *count);

/* ---- users ---- */

typedef struct jz_user {
	int64_t id;
	char *username, *password_hash, *role;
	char *region;       /* regulator, association: the region they cover; else NULL */
	int64_t company_id; /* company roles; else 0 */
	char *display_name;
	bool disabled;
	int64_t created_at;
} jz_user;

void jz_user_clear(jz_user *u);
/* CONFLICT when the username is taken. Sets u->id. */
jz_db_status jz_store_user_insert(jz_db *db, jz_user *u);
jz_db_status jz_store_user_get(jz_db *db, int64_t id, jz_user *out);
jz_db_status jz_store_user_get_by_username(jz_db *db, const char *username, jz_user *out);
jz_db_status jz_store_user_set_password(jz_db *db, int64_t id, const char *password_hash);

/* ---- sessions ---- */

jz_db_status jz_store_session_insert(jz_db *db, const char *token_hash, int64_t user_id,
                                     int64_t created_at, int64_t expires_at);
/* The user of an unexpired session; NOT_FOUND otherwise. */
jz_db_status jz_store_session_user(jz_db *db, const char *token_hash, int64_t now, jz_user *out);
jz_db_status jz_store_session_delete(jz_db *db, const char *token_hash);

/* ---- sign-in throttling ---- */

/* Failures recorded for `key` in the window that began after now - window. */
jz_db_status jz_store_throttle_failures(jz_db *db, const char *key, int64_t now, int64_t window,
                                        int64_t *failures);
jz_db_status jz_store_throttle_fail(jz_db *db, const char *key, int64_t now, int64_t window);
jz_db_status jz_store_throttle_clear(jz_db *db, const char *key);

/* ---- audit log ---- */

typedef struct jz_audit_entry {
	int64_t id, at;
	const char *actor, *action, *target, *detail, *prev_hash, *hash;
} jz_audit_entry;

/* Appends an entry chained to the one before. Call inside the use case's transaction. */
jz_db_status jz_store_audit_append(jz_db *db, int64_t at, const char *actor, const char *action,
                                   const char *target, const char *detail);
/* Every entry in order; the entry is borrowed for the call. */
jz_db_status jz_store_audit_each(jz_db *db, bool (*each)(const jz_audit_entry *e, void *ctx),
                                 void *ctx);
jz_db_status jz_store_audit_head(jz_db *db, int64_t *seq, char hash[65]);

/* ---- backup ---- */

/* Copies the SQLite database at src_path, while it may be in use, to dest_path with
 * SQLite's online backup API. dest_path is overwritten; the caller makes it a fresh
 * temporary name. On failure sets *err to a message the caller frees. */
jz_db_status jz_store_backup_sqlite(const char *src_path, const char *dest_path, char **err);

/* ---- workers ---- */

typedef struct jz_worker {
	int64_t id;
	/* Keyed hash (util/seal.h) and sealed ID number; never the clear number. */
	unsigned char id_hash[JZ_LOOKUP_HASH_LEN];
	char *id_sealed;
	char *name;
	bool female;
	char *birth_date, *native_region;
	/* phone_sealed is NULL when no phone is known; phone_hash is then all zero. */
	unsigned char phone_hash[JZ_LOOKUP_HASH_LEN];
	char *phone_sealed;
	char *service_types;             /* codes separated by '|' */
	char *id_check_method;           /* "" until verified: "document", or a service's name */
	int64_t id_check_at;
	char *id_check_by;
	char *bg_status; /* pending clear flagged */
	int64_t bg_at;
	char *bg_source;
	int64_t bg_confirmed_at; /* a regulator confirmed the flag (it shows publicly); 0 not */
	char *consent_method; /* "" none, "code" confirmed by the worker, "paper" signed form */
	int64_t consent_at;
	bool has_password;
	int64_t entered_by; /* the company that created the record */
	int64_t created_at, updated_at;
} jz_worker;

void jz_worker_clear(jz_worker *w);
/* Inserts a new person; CONFLICT when the ID hash (or the phone hash) exists. Sets w->id. */
jz_db_status jz_store_worker_insert(jz_db *db, jz_worker *w);
jz_db_status jz_store_worker_get(jz_db *db, int64_t id, jz_worker *out);
jz_db_status jz_store_worker_by_id_hash(jz_db *db, const unsigned char id_hash[JZ_LOOKUP_HASH_LEN],
                                        jz_worker *out);
jz_db_status jz_store_worker_by_phone_hash(jz_db *db,
                                           const unsigned char phone_hash[JZ_LOOKUP_HASH_LEN],
                                           jz_worker *out);
/* The id of the worker with this ID hash, 0 when none (cheap: for bulk import). */
jz_db_status jz_store_worker_id(jz_db *db, const unsigned char id_hash[JZ_LOOKUP_HASH_LEN],
                                int64_t *id);
jz_db_status jz_store_worker_password(jz_db *db, int64_t id, char **password_hash);
jz_db_status jz_store_worker_set_contact(jz_db *db, int64_t id,
                                         const unsigned char phone_hash[JZ_LOOKUP_HASH_LEN],
                                         const char *phone_sealed, int64_t at);
jz_db_status jz_store_worker_set_consent(jz_db *db, int64_t id, const char *method, int64_t at,
                                         const char *password_hash);
/* Stores the hash of a one-time consent code valid until `until`. */
jz_db_status jz_store_worker_set_consent_code(jz_db *db, int64_t id, const char *code_hash,
                                              int64_t until);
/* The worker whose unexpired code has this hash; the code is spent by set_consent. */
jz_db_status jz_store_worker_by_consent_code(jz_db *db, const char *code_hash, int64_t now,
                                             jz_worker *out);
jz_db_status jz_store_worker_set_id_check(jz_db *db, int64_t id, const char *method, int64_t at,
                                          const char *by);
jz_db_status jz_store_worker_set_background(jz_db *db, int64_t id, const char *status, int64_t at,
                                            const char *source);
jz_db_status jz_store_worker_set_service_types(jz_db *db, int64_t id, const char *types, int64_t at);

/* Key rotation: the sealed values of the workers after `after_id`, by id, at most limit
 * (the strings are borrowed for the call); and their replacement. */
jz_db_status jz_store_worker_sealed_after(jz_db *db, int64_t after_id, int limit,
                                          bool (*each)(int64_t id, const char *id_sealed,
                                                       const char *phone_sealed, void *ctx),
                                          void *ctx);
jz_db_status jz_store_worker_reseal(jz_db *db, int64_t id, const char *id_sealed,
                                    const char *phone_sealed);
jz_db_status jz_store_worker_session_insert(jz_db *db, const char *token_hash, int64_t worker_id,
                                           int64_t created_at, int64_t expires_at);
/* The worker of an unexpired session; NOT_FOUND otherwise. */
jz_db_status jz_store_worker_session(jz_db *db, const char *token_hash, int64_t now,
                                     int64_t *worker_id);
jz_db_status jz_store_worker_session_delete(jz_db *db, const char *token_hash);

/* ---- employments ---- */

typedef struct jz_employment {
	int64_t id, worker_id, company_id;
	char *company_name, *company_uscc;
	char *started, *ended; /* YYYY-MM-DD; ended NULL while current */
	char *notes;           /* the company's private notes */
} jz_employment;

void jz_employment_clear(jz_employment *e);
/* Starts a current employment unless one exists (then *created is false). */
jz_db_status jz_store_employment_start(jz_db *db, int64_t worker_id, int64_t company_id,
                                       const char *started, int64_t at, bool *created);
/* Bulk import: starts the employments of n persons created in this transaction (who have
 * none yet) with multi-row statements. */
jz_db_status jz_store_employments_start_new(jz_db *db, const int64_t *worker_ids, size_t n,
                                            int64_t company_id, const char *started, int64_t at);
/* Ends the current employment; NOT_FOUND when there is none. */
jz_db_status jz_store_employment_end(jz_db *db, int64_t worker_id, int64_t company_id,
                                     const char *ended);
/* The company's private notes on its current employment of the worker. */
jz_db_status jz_store_employment_set_notes(jz_db *db, int64_t worker_id, int64_t company_id,
                                           const char *notes);
/* Whether the company employs the worker now (current) or ever did. */
jz_db_status jz_store_employment_status(jz_db *db, int64_t worker_id, int64_t company_id,
                                        bool *current, bool *ever);
jz_db_status jz_store_employment_list(jz_db *db, int64_t worker_id,
                                      bool (*each)(const jz_employment *e, void *ctx), void *ctx);
/* The county of a company in region `scope` that employs (else employed) the worker;
 * NOT_FOUND when none does. */
jz_db_status jz_store_worker_county_in_region(jz_db *db, int64_t worker_id, const char *scope,
                                              char county[8]);
/* True when some company that employs or employed the worker lies in region `scope`. */
jz_db_status jz_store_worker_in_region(jz_db *db, int64_t worker_id, const char *scope, bool *in);

/* ---- credentials and equipment ---- */

typedef struct jz_credential {
	int64_t worker_id, company_id;
	const char *kind, *number, *issuer, *issued, *expires; /* borrowed for the callback */
} jz_credential;

/* Records a credential; an identical (worker, kind, number) is left as it is. */
jz_db_status jz_store_credential_add(jz_db *db, const jz_credential *c, int64_t at, bool *created);
/* Records up to 8 credentials of one worker and company (worker_id and company_id of c[0])
 * in one statement, as jz_store_credential_add would one after another; *added counts
 * the new ones. */
jz_db_status jz_store_credentials_add(jz_db *db, const jz_credential *c, size_t n, int64_t at,
                                      int *added);
/* Bulk import: records the n credentials (distinct) of persons created in this
 * transaction, of one company (c[0].company_id), with multi-row statements. */
jz_db_status jz_store_credentials_add_new(jz_db *db, const jz_credential *c, size_t n,
                                          int64_t at);
jz_db_status jz_store_credential_list(jz_db *db, int64_t worker_id,
                                      bool (*each)(const jz_credential *c, void *ctx), void *ctx);
jz_db_status jz_store_equipment_issue(jz_db *db, int64_t worker_id, int64_t company_id,
                                      const char *kind, const char *issued, int64_t at, bool *created);

/* Readiness facts for one worker: latest expiry per kind (NULL none, "" never). */
typedef struct jz_worker_facts {
	char *insurance, *work_permit, *health; /* owned */
	bool uniform, toolkit;
} jz_worker_facts;

void jz_worker_facts_clear(jz_worker_facts *f);
jz_db_status jz_store_worker_facts(jz_db *db, int64_t worker_id, jz_worker_facts *out);

/* Current workers of a company, by name, each with its readiness facts; both are
 * borrowed for the call. */
jz_db_status jz_store_company_workers(jz_db *db, int64_t company_id, int limit, int offset,
                                      bool (*each)(const jz_worker *w, const jz_worker_facts *f,
                                                   void *ctx),
                                      void *ctx, int64_t *total);

/* ---- bulk-import jobs (the upload page) ---- */

typedef struct jz_import_job {
	int64_t id, company_id, user_id;
	char *filename;
	bool dry_run;
	char *status; /* running done failed */
	int64_t bytes_total, bytes_done, rows_done, imported, already_there, rejected;
	char *message; /* why a whole file was refused */
	char *report;  /* CSV of rejected rows: row,column,reason */
	int64_t started_at, updated_at, finished_at;
} jz_import_job;

void jz_import_job_clear(jz_import_job *j);
/* Records a running job (company_id, user_id, filename, dry_run, bytes_total, started_at);
 * sets j->id. */
jz_db_status jz_store_import_job_create(jz_db *db, jz_import_job *j);
jz_db_status jz_store_import_job_progress(jz_db *db, int64_t id, int64_t rows_done,
                                          int64_t bytes_done, int64_t at);
/* Records the outcome: status, counts, message, report, finished_at. */
jz_db_status jz_store_import_job_finish(jz_db *db, const jz_import_job *j);
jz_db_status jz_store_import_job_get(jz_db *db, int64_t id, jz_import_job *out);

/* ---- monthly check-ins ---- */

typedef struct jz_checkin {
	const char *month, *method, *assurance; /* borrowed for the callback */
	int64_t at;
} jz_checkin;

/* One check-in (month YYYY-MM); an existing one for the month is left as it is. */
jz_db_status jz_store_checkin_add(jz_db *db, int64_t worker_id, const char *month, const char *method,
                                  const char *assurance, int64_t company_id, int64_t at, bool *created);
/* The company attests every current worker for the month; *added counts new check-ins. */
jz_db_status jz_store_checkin_company(jz_db *db, int64_t company_id, const char *month, int64_t at,
                                      int64_t *added);
jz_db_status jz_store_checkin_list(jz_db *db, int64_t worker_id, int limit,
                                   bool (*each)(const jz_checkin *c, void *ctx), void *ctx);
/* The latest month with a check-in, "" when none. */
jz_db_status jz_store_checkin_last_month(jz_db *db, int64_t worker_id, char month[8]);

/* ---- service records (上户) and reviews ---- */

typedef struct jz_service {
	int64_t id, worker_id, company_id;
	char *service_type, *county, *started, *ended; /* owned; ended NULL while running */
	bool reviewed;
	int64_t created_at;
} jz_service;

void jz_service_clear(jz_service *sv);
/* Sets sv->id. */
jz_db_status jz_store_service_insert(jz_db *db, jz_service *sv);
jz_db_status jz_store_service_get(jz_db *db, int64_t id, jz_service *out);
/* The service whose unspent, unexpired review code has this hash. */
jz_db_status jz_store_service_by_code(jz_db *db, const char *code_hash, int64_t now, jz_service *out);
/* Ends a running service and stores its review code's hash; NOT_FOUND if already ended. */
jz_db_status jz_store_service_end(jz_db *db, int64_t id, const char *ended, const char *code_hash,
                                  int64_t until);
/* Spends the review code; NOT_FOUND when it was spent already. */
jz_db_status jz_store_service_spend_code(jz_db *db, int64_t id);
jz_db_status jz_store_service_list(jz_db *db, int64_t worker_id,
                                   bool (*each)(const jz_service *sv, void *ctx), void *ctx);

typedef struct jz_review {
	int64_t id, service_id, worker_id, company_id;
	int skill, attitude, punctuality, honesty;
	const char *comment, *company_reply, *worker_reply, *status, *report_reason; /* borrowed */
	const char *county, *prefecture, *province, *company_name; /* of the company */
	int64_t created_at;
} jz_review;

/* CONFLICT when the service has its review already. Sets r->id. */
jz_db_status jz_store_review_insert(jz_db *db, jz_review *r);
/* One review (each is called at most once), newest first lists, reported ones in a region. */
jz_db_status jz_store_review_get(jz_db *db, int64_t id, bool (*each)(const jz_review *r, void *ctx), void *ctx);
jz_db_status jz_store_review_list(jz_db *db, int64_t worker_id, bool include_hidden,
                                  bool (*each)(const jz_review *r, void *ctx), void *ctx);
jz_db_status jz_store_review_reported(jz_db *db, const char *scope,
                                      bool (*each)(const jz_review *r, void *ctx), void *ctx);
jz_db_status jz_store_review_reply(jz_db *db, int64_t id, bool by_worker, const char *text);
/* Marks a visible review reported; NOT_FOUND when it is not visible. */
jz_db_status jz_store_review_report(jz_db *db, int64_t id, const char *reason);
/* Decides a reported review: status visible (kept) or hidden. */
jz_db_status jz_store_review_moderate(jz_db *db, int64_t id, const char *status, const char *by);
/* Number of counted reviews and the sum of their scores (each the mean of 4 dimensions). */
jz_db_status jz_store_review_totals(jz_db *db, int64_t worker_id, int64_t *count, double *sum);
/* The start date of the worker's first employment, "" when none. */
jz_db_status jz_store_worker_first_employment(jz_db *db, int64_t worker_id, char started[11]);

/* ---- access log (shown to the worker) ---- */

typedef struct jz_access {
	int64_t at;
	const char *viewer, *what;
} jz_access;

jz_db_status jz_store_access_add(jz_db *db, int64_t worker_id, int64_t at, const char *viewer,
                                 const char *what);
jz_db_status jz_store_access_list(jz_db *db, int64_t worker_id, int limit,
                                  bool (*each)(const jz_access *a, void *ctx), void *ctx);

/* ---- worker cards (诚信一卡通) ---- */

typedef struct jz_card {
	int64_t id;
	char *serial; /* "JZ" and 10 digits */
	int64_t worker_id, company_id; /* company_id: the company that issued it */
	char *status;        /* active revoked */
	char *revoke_reason; /* "" while active; left lost other */
	int64_t issued_at, expires_at, revoked_at; /* expires_at, revoked_at: 0 when none */
} jz_card;

void jz_card_clear(jz_card *c);
/* Inserts an active card (serial, worker_id, company_id, issued_at, expires_at); sets c->id.
 * CONFLICT when the serial is taken or the worker already has an active card; the
 * transaction stays usable. */
jz_db_status jz_store_card_insert(jz_db *db, jz_card *c);
jz_db_status jz_store_card_get(jz_db *db, int64_t id, jz_card *out);
/* The worker's active card; NOT_FOUND when none. */
jz_db_status jz_store_card_active(jz_db *db, int64_t worker_id, jz_card *out);
/* Revokes an active card; NOT_FOUND when it is not active. */
jz_db_status jz_store_card_revoke(jz_db *db, int64_t id, const char *reason, int64_t at);
/* Stores the check value of the card's token (core/card.h, jz_card_token_mac). */
jz_db_status jz_store_card_set_mac(jz_db *db, int64_t id, const char *mac);
/* Up to `limit` cards with an id above `after` and no stored check value, by id, to each
 * (borrowed card). */
jz_db_status jz_store_cards_without_mac(jz_db *db, int64_t after, int limit,
                                        bool (*each)(const jz_card *c, void *ctx), void *ctx);

/* What the public check of a scanned card reads, in one statement: the card with its
 * stored check value, its worker, the issuing company's name, the readiness facts, the
 * last check-in month, the review totals and the first employment. (The current employers
 * are a list: jz_store_employment_list.) A further part of the public view is one more
 * column here or one more look-up beside it. Owns its strings: jz_card_view_clear. */
typedef struct jz_card_view {
	jz_card card;
	char *token_mac;     /* NULL when not stored */
	jz_worker worker;    /* id, name, birth_date, native_region, service_types, the identity
	                      * and background checks and consent_method; the rest empty */
	char *company_name;  /* the issuing company */
	jz_worker_facts facts;
	char last_checkin[8];     /* YYYY-MM, "" when never */
	int64_t reviews;          /* visible reviews */
	double review_sum;        /* the sum of their scores (each the mean of 4 dimensions) */
	char first_employment[11]; /* YYYY-MM-DD, "" when never employed */
	int64_t negative_records;  /* published negative records, expired or not: when any, the
	                            * caller lists those that still count */
	int negative[3];           /* those that count by severity (filled by the caller) */
	char *employers;           /* the current employers' names, latest first, joined by 、 */
} jz_card_view;

void jz_card_view_clear(jz_card_view *v);
/* The card `id` with what a scan shows of its worker (the card face); NOT_FOUND when
 * there is no such card. */
jz_db_status jz_store_card_view(jz_db *db, int64_t id, jz_card_view *out);
/* Recomputes the card faces of these workers (those without a card have none): for a bulk
 * batch, whose writes the faces' triggers stood aside for on SQLite
 * (jz_store_stats_batch_begin); on PostgreSQL, where they did not, it does nothing. */
jz_db_status jz_store_card_faces_refresh(jz_db *db, const int64_t *worker_ids, size_t n);

/* ---- credit records (信用记录), appeals, evidence, inbox, share codes ---- */

/* A record, borrowed for the callback. The subject is a worker or a company (the other
 * id is 0). county/prefecture/province: the region that handles it (its scope). */
typedef struct jz_credit_record {
	int64_t id, worker_id, company_id;
	const char *polarity, *category, *severity; /* severity "" for positive records */
	const char *summary, *evidence, *occurred;  /* occurred: YYYY-MM-DD */
	const char *county, *prefecture, *province;
	int64_t reporter_company_id, reporter_user_id;
	const char *reporter_label;
	const char *status; /* reported dismissed published revoked */
	const char *decision_reason;
	int64_t decided_by, decided_at, expires_at, created_at; /* expires_at 0: never */
	const char *subject_name; /* the worker's or the company's name */
	bool disputed;            /* an appeal is pending */
	int64_t appeals;          /* appeals ever made */
} jz_credit_record;

typedef struct jz_credit_filter {
	int64_t worker_id, company_id; /* the subject; at most one, 0 = any */
	bool counting;                 /* only published records that have not expired at now */
	bool negative;                 /* only negative records */
	const char *status;            /* NULL = any */
	const char *scope;             /* a region code; NULL = any */
	int64_t now;
	int limit, offset;             /* limit 0: 100 */
} jz_credit_filter;

/* Records a new record (status, decision fields as given); sets *id. */
jz_db_status jz_store_credit_insert(jz_db *db, const jz_credit_record *r, int64_t *id);
jz_db_status jz_store_credit_get(jz_db *db, int64_t id,
                                 bool (*each)(const jz_credit_record *r, void *ctx), void *ctx);
/* Newest first. */
jz_db_status jz_store_credit_list(jz_db *db, const jz_credit_filter *f,
                                  bool (*each)(const jz_credit_record *r, void *ctx), void *ctx);
/* Moves a record from status `from` to `to` with the decision; severity NULL keeps it;
 * expires_at 0 stores none. NOT_FOUND when it is not in `from`. */
jz_db_status jz_store_credit_decide(jz_db *db, int64_t id, const char *from, const char *to,
                                    const char *severity, const char *reason, int64_t by,
                                    int64_t at, int64_t expires_at);
/* Published, unexpired negative records of a worker by severity (minor, serious, grave). */
jz_db_status jz_store_credit_negative_counts(jz_db *db, int64_t worker_id, int64_t now,
                                             int counts[3]);

typedef struct jz_credit_appeal {
	int64_t id, record_id;
	bool by_worker;
	int64_t company_id, user_id;
	const char *reasons, *status, *decision_reason; /* pending upheld rejected */
	int64_t decided_by, decided_at, due_at, created_at;
	const char *summary, *subject_name;             /* of the record */
	const char *county, *prefecture, *province;     /* of the record */
} jz_credit_appeal;

/* CONFLICT when the record has a pending appeal. Sets *id. */
jz_db_status jz_store_appeal_insert(jz_db *db, const jz_credit_appeal *a, int64_t *id);
/* Appeals of a record (record_id) or, with record_id 0, the pending ones in scope,
 * oldest deadline first. */
jz_db_status jz_store_appeal_list(jz_db *db, int64_t record_id, const char *scope,
                                  bool (*each)(const jz_credit_appeal *a, void *ctx), void *ctx);
jz_db_status jz_store_appeal_get(jz_db *db, int64_t id,
                                 bool (*each)(const jz_credit_appeal *a, void *ctx), void *ctx);
/* Decides a pending appeal; NOT_FOUND when it is not pending. */
jz_db_status jz_store_appeal_decide(jz_db *db, int64_t id, const char *status, const char *reason,
                                    int64_t by, int64_t at);

typedef struct jz_evidence {
	int64_t id, record_id, appeal_id;
	const char *filename, *content_type;
	int64_t size;
	const char *data_sealed; /* NULL in lists */
	const char *added_by;
	int64_t created_at;
} jz_evidence;

jz_db_status jz_store_evidence_add(jz_db *db, const jz_evidence *e, int64_t *id);
/* The files of a record (without their data). */
jz_db_status jz_store_evidence_list(jz_db *db, int64_t record_id,
                                    bool (*each)(const jz_evidence *e, void *ctx), void *ctx);
/* One file with its sealed data. */
jz_db_status jz_store_evidence_get(jz_db *db, int64_t id,
                                   bool (*each)(const jz_evidence *e, void *ctx), void *ctx);

typedef struct jz_notification {
	int64_t id, company_id, record_id, worker_id, created_at, read_at;
	const char *kind; /* record_published record_revoked */
	const char *worker_name, *category, *severity, *summary;
} jz_notification;

/* Notifies, at once, every company that employs the worker now or made a credit check
 * of them since `since`, except `except_company`; *sent counts them. */
jz_db_status jz_store_notify_companies(jz_db *db, int64_t worker_id, int64_t record_id,
                                       const char *kind, int64_t since, int64_t except_company,
                                       int64_t at, int64_t *sent);
jz_db_status jz_store_notification_list(jz_db *db, int64_t company_id, int limit,
                                        bool (*each)(const jz_notification *n, void *ctx),
                                        void *ctx);
jz_db_status jz_store_notification_unread(jz_db *db, int64_t company_id, int64_t *count);
jz_db_status jz_store_notification_read_all(jz_db *db, int64_t company_id, int64_t at);
/* Whether the company was notified of the record. */
jz_db_status jz_store_notification_about(jz_db *db, int64_t company_id, int64_t record_id,
                                         bool *notified);

/* The worker's one share code: replaced by a new one, removed on revoke. */
jz_db_status jz_store_share_code_set(jz_db *db, int64_t worker_id, const char *code_hash,
                                     int64_t expires_at, int64_t at);
/* NOT_FOUND when the worker has none. */
jz_db_status jz_store_share_code_get(jz_db *db, int64_t worker_id, char code_hash[65],
                                     int64_t *expires_at);
jz_db_status jz_store_share_code_delete(jz_db *db, int64_t worker_id);
jz_db_status jz_store_credit_check_add(jz_db *db, int64_t worker_id, int64_t company_id,
                                       int64_t user_id, int64_t at);

/* Marks a worker's background flag confirmed; NOT_FOUND when it is not an unconfirmed
 * flag. */
jz_db_status jz_store_worker_confirm_background(jz_db *db, int64_t worker_id, int64_t by,
                                                int64_t at);
/* Workers with an unconfirmed background flag employed in `scope`: id, name, source,
 * when (borrowed for the call). */
jz_db_status jz_store_background_flags(jz_db *db, const char *scope,
                                       bool (*each)(int64_t worker_id, const char *name,
                                                    const char *source, int64_t at, void *ctx),
                                       void *ctx);

/* ---- governance: designations, rating facts, the public dishonesty list ---- */

typedef struct jz_designation {
	int64_t id, company_id;
	char *kind;   /* model (诚信示范企业, by a regulator) or benchmark (标杆企业, by an association) */
	int64_t year;
	char *issuer; /* the issuing office's name */
	int64_t user_id, created_at;
	int64_t withdrawn_at; /* 0 while current */
} jz_designation;

void jz_designation_clear(jz_designation *d);
/* Records a designation (company_id, kind, year, issuer, user_id, created_at); sets d->id.
 * CONFLICT when the company has a current one of that kind and year; a withdrawn one is
 * designated again. */
jz_db_status jz_store_designation_add(jz_db *db, jz_designation *d);
jz_db_status jz_store_designation_get(jz_db *db, int64_t id, jz_designation *out);
/* NOT_FOUND when it is withdrawn already. */
jz_db_status jz_store_designation_withdraw(jz_db *db, int64_t id, int64_t at);
/* The company's current (not withdrawn) designations, newest year first; the record is
 * borrowed for the call. */
jz_db_status jz_store_designation_list(jz_db *db, int64_t company_id,
                                       bool (*each)(const jz_designation *d, void *ctx), void *ctx);

/* What a company's rating is computed from, except duty readiness (which the services
 * count with the readiness rules over jz_store_company_workers). */
typedef struct jz_rating_facts {
	int64_t employed, carded, checked_in;
	int64_t reviews, review_points; /* review_points: the sum of all four dimensions */
	int64_t company_negative[3];    /* by severity: minor serious grave */
	int64_t worker_negative;
	int64_t model, benchmark;       /* current designations of year >= since_year */
} jz_rating_facts;

/* Check-ins count in months >= since_month (YYYY-MM); records count when published and
 * not expired at `now`. */
jz_db_status jz_store_company_rating_facts(jz_db *db, int64_t company_id, const char *since_month,
                                           int64_t since_year, int64_t now, jz_rating_facts *out);

/* A confirmed negative record as the public sees it: about a company (its name and USCC)
 * or about a worker (the name, which the service masks before anyone sees it). */
typedef struct jz_public_record {
	bool about_worker;
	const char *company_name, *company_uscc; /* about a company; else NULL */
	const char *worker_name;                 /* about a worker; else NULL */
	const char *category, *severity, *county;
	int64_t published_at, expires_at; /* expires_at 0: never */
	bool disputed;                    /* an appeal is pending */
} jz_public_record;

typedef struct jz_public_record_filter {
	const char *scope;  /* a region code (county, prefecture or province); NULL = all */
	int64_t company_id; /* only records about this company; 0 = all */
	int64_t now;
	int limit, offset;
} jz_public_record_filter;

/* Published negative records that count at f->now, newest first; the record is borrowed
 * for the call. *total counts all matches. */
jz_db_status jz_store_public_records(jz_db *db, const jz_public_record_filter *f,
                                     bool (*each)(const jz_public_record *r, void *ctx), void *ctx,
                                     int64_t *total);

/* ---- region figures for the dashboards (stats.c; migration 009) ---- */

/* One county's counts (region_stats). Workers count once per current employment. */
typedef struct jz_county_counts {
	int64_t c_pending, c_active, c_rejected, c_suspended, c_revoked;
	int64_t w_entered, w_verified, w_consented, w_carded, w_ready;
	int64_t reviews, review_points; /* points: the four dimensions summed per review */
	int64_t neg_records, open_appeals;
} jz_county_counts;

/* One county's month (region_monthly). */
typedef struct jz_month_counts {
	int64_t checked_in, reviews, review_points, w_entered, w_consented, w_carded;
} jz_month_counts;

/* A month to recount: "YYYY-MM", its last day "YYYY-MM-DD", Unix times of its start and
 * its end (now for the current month). */
typedef struct jz_stats_month {
	char month[8], last_day[11];
	int64_t start, end;
	bool current;
} jz_stats_month;

/* Bulk loaders (import, demo) call batch_begin right after starting a batch's transaction
 * (the triggers then stand aside for it; *mark remembers where the batch starts) and
 * batch_end before committing: one statement per batch adds the batch's new employments
 * to their counties, and this month's check-ins (month "YYYY-MM"). */
typedef struct jz_stats_batch {
	int64_t employment_mark; /* the batch's employments have higher ids */
	int64_t worker_mark;     /* and so have the persons it creates */
	/* A loader may count its new persons itself (the import: each has one current
	 * employment in `county`, and no identity check, card or check-in yet): batch_end
	 * then adds these counts and leaves those persons out of its statements, which
	 * otherwise look each new employment's worker up. */
	bool new_counted;
	char county[8];
	int64_t entered, consented;
} jz_stats_batch;
jz_db_status jz_store_stats_batch_begin(jz_db *db, jz_stats_batch *b);
jz_db_status jz_store_stats_batch_end(jz_db *db, const jz_stats_batch *b, const char *month);
/* Recounts region_stats from scratch (readiness on `today`, expiries at `now`) and the
 * given months of region_monthly; records the day. Run inside a transaction. */
jz_db_status jz_store_stats_rebuild(jz_db *db, const char *today, int64_t now, const jz_stats_month *months,
                                    size_t n_months);
/* The day of the last rebuild ("" when never). */
jz_db_status jz_store_stats_rebuilt_on(jz_db *db, char out[11]);
/* The same inside a write transaction, with the row locked until it ends: several nodes
 * starting the day's recount at once wait for the first, then see its day. */
jz_db_status jz_store_stats_claim(jz_db *db, char out[11]);
/* Counties with codes in [lo, hi): their counts; their months from `since` ("YYYY-MM"),
 * summed over the counties. */
jz_db_status jz_store_stats_counties(jz_db *db, const char *lo, const char *hi,
                                     void (*each)(const char *county, const jz_county_counts *c, void *arg),
                                     void *arg);
jz_db_status jz_store_stats_months(jz_db *db, const char *lo, const char *hi, const char *since,
                                   void (*each)(const char *month, const jz_month_counts *m, void *arg),
                                   void *arg);
/* Each county's check-ins of `month` (counties without any are skipped). */
jz_db_status jz_store_stats_checked_in(jz_db *db, const char *lo, const char *hi, const char *month,
                                       void (*each)(const char *county, int64_t n, void *arg), void *arg);
/* Companies with a current (not withdrawn) designation of since_year or later, by county. */
jz_db_status jz_store_stats_designations(jz_db *db, const char *lo, const char *hi, int64_t since_year,
                                         void (*each)(const char *county, bool model, int64_t companies, void *arg),
                                         void *arg);

typedef enum {
	JZ_STAGE_ENTERED,
	JZ_STAGE_VERIFIED,
	JZ_STAGE_CONSENTED,
	JZ_STAGE_CARDED,
	JZ_STAGE_READY,
	JZ_STAGE_CHECKED_IN,
	JZ_STAGE_COUNT,
} jz_stats_stage;

/* A worker behind a figure; strings borrowed for the callback. */
typedef struct jz_stats_worker {
	int64_t id;
	const char *name, *company, *county, *started;
} jz_stats_worker;

/* Current employments in companies of counties [lo, hi) at a stage (readiness on
 * `today`, cards at `now`, check-ins of `month`), in order of enrolment. */
jz_db_status jz_store_stats_workers(jz_db *db, const char *lo, const char *hi, jz_stats_stage stage,
                                    const char *today, int64_t now, const char *month, int limit, int offset,
                                    bool (*each)(const jz_stats_worker *w, void *arg), void *arg);

#endif
