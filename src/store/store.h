/* The store: every database operation the services use, written once over db.h in the
 * SQL both engines share. Each returns JZ_DB_OK, JZ_DB_NOT_FOUND where a row was
 * expected, JZ_DB_CONFLICT where a constraint refused a write, JZ_DB_BUSY to retry, or
 * JZ_DB_ERROR (already logged). Records filled in by the store own their strings; free
 * them with the matching *_clear. */
#ifndef JZ_STORE_STORE_H
#define JZ_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

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

#endif
