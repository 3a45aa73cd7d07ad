/* Employments, credentials, equipment and the access log of workers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/multirow.h"
#include "store/store.h"
#include "util/xmalloc.h"

void
jz_employment_clear(jz_employment *e)
{
	if (!e)
		return;
	free(e->company_name);
	free(e->company_uscc);
	free(e->started);
	free(e->ended);
	free(e->notes);
	memset(e, 0, sizeof *e);
}

jz_db_status
jz_store_employment_start(jz_db *db, int64_t worker_id, int64_t company_id, const char *started,
                          int64_t at, bool *created)
{
	static const char sql[] =
	    "INSERT INTO employments (worker_id, company_id, started, created_at)"
	    " VALUES ($1, $2, $3, $4)"
	    " ON CONFLICT (worker_id, company_id) WHERE ended IS NULL DO NOTHING";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	jz_stmt_int(st, 2, company_id);
	jz_stmt_text(st, 3, started);
	jz_stmt_int(st, 4, at);
	jz_db_status s = jz_stmt_run(st);
	*created = s == JZ_DB_OK && jz_stmt_changes(st) > 0;
	jz_stmt_reset(st);
	return s;
}

/* $1 company, $2 started, $3 created_at; then a row's worker. */
static void
employment_row(char *out, size_t size, int p)
{
	snprintf(out, size, "($%d, $1, $2, $3)", p);
}

static jz_multirow start_employments = JZ_MULTIROW_INIT(
    "INSERT INTO employments (worker_id, company_id, started, created_at) VALUES",
    "", 3, 1, employment_row);

jz_db_status
jz_store_employments_start_new(jz_db *db, const int64_t *worker_ids, size_t n, int64_t company_id,
                               const char *started, int64_t at)
{
	for (size_t done = 0; done < n;) {
		size_t g = jz_multirow_group(n - done);
		jz_stmt *st = jz_db_prepare(db, jz_multirow_sql(&start_employments, g));
		if (!st)
			return jz_db_prepare_failed(db);
		jz_stmt_int(st, 1, company_id);
		jz_stmt_text(st, 2, started);
		jz_stmt_int(st, 3, at);
		for (size_t i = 0; i < g; i++)
			jz_stmt_int(st, 4 + (int)i, worker_ids[done + i]);
		jz_db_status s = jz_stmt_exec(st);
		if (s != JZ_DB_OK)
			return s;
		done += g;
	}
	return JZ_DB_OK;
}

/* Sets one text column ($1) of the worker's current employment by the company. */
static jz_db_status
update_current(jz_db *db, const char *sql, int64_t worker_id, int64_t company_id, const char *value)
{
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, value);
	jz_stmt_int(st, 2, worker_id);
	jz_stmt_int(st, 3, company_id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_employment_end(jz_db *db, int64_t worker_id, int64_t company_id, const char *ended)
{
	static const char sql[] = "UPDATE employments SET ended = $1"
	                          " WHERE worker_id = $2 AND company_id = $3 AND ended IS NULL";
	return update_current(db, sql, worker_id, company_id, ended);
}

jz_db_status
jz_store_employment_status(jz_db *db, int64_t worker_id, int64_t company_id, bool *current,
                           bool *ever)
{
	static const char sql[] =
	    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN ended IS NULL THEN 1 ELSE 0 END), 0)"
	    " FROM employments WHERE worker_id = $1 AND company_id = $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	jz_stmt_int(st, 2, company_id);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	*ever = s == JZ_DB_OK && row && jz_stmt_col_int(st, 0) > 0;
	*current = s == JZ_DB_OK && row && jz_stmt_col_int(st, 1) > 0;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_employment_list(jz_db *db, int64_t worker_id,
                         bool (*each)(const jz_employment *e, void *ctx), void *ctx)
{
	static const char sql[] =
	    "SELECT e.id, e.worker_id, e.company_id, c.name, c.uscc, e.started, e.ended, e.notes"
	    " FROM employments e JOIN companies c ON c.id = e.company_id"
	    " WHERE e.worker_id = $1 ORDER BY e.started DESC, e.id DESC";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_employment e = {
		    .id = jz_stmt_col_int(st, 0),
		    .worker_id = jz_stmt_col_int(st, 1),
		    .company_id = jz_stmt_col_int(st, 2),
		    .company_name = jz_xstrdup(jz_stmt_col_text(st, 3)),
		    .company_uscc = jz_xstrdup(jz_stmt_col_text(st, 4)),
		    .started = jz_xstrdup(jz_stmt_col_text(st, 5)),
		    .ended = jz_stmt_col_is_null(st, 6) ? NULL : jz_xstrdup(jz_stmt_col_text(st, 6)),
		    .notes = jz_xstrdup(jz_stmt_col_text(st, 7)),
		};
		bool more = each(&e, ctx);
		jz_employment_clear(&e);
		if (!more)
			break;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_worker_in_region(jz_db *db, int64_t worker_id, const char *scope, bool *in)
{
	char county[8];
	jz_db_status s = jz_store_worker_county_in_region(db, worker_id, scope, county);
	*in = s == JZ_DB_OK;
	return s == JZ_DB_NOT_FOUND ? JZ_DB_OK : s;
}

jz_db_status
jz_store_credential_add(jz_db *db, const jz_credential *c, int64_t at, bool *created)
{
	static const char sql[] =
	    "INSERT INTO credentials (worker_id, company_id, kind, number, issuer, issued, expires,"
	    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
	    " ON CONFLICT (worker_id, kind, number) DO NOTHING";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, c->worker_id);
	jz_stmt_int(st, 2, c->company_id);
	jz_stmt_text(st, 3, c->kind);
	jz_stmt_text(st, 4, c->number);
	jz_stmt_text(st, 5, c->issuer ? c->issuer : "");
	jz_stmt_text(st, 6, c->issued ? c->issued : "");
	jz_stmt_text(st, 7, c->expires ? c->expires : "");
	jz_stmt_int(st, 8, at);
	jz_db_status s = jz_stmt_run(st);
	*created = s == JZ_DB_OK && jz_stmt_changes(st) > 0;
	jz_stmt_reset(st);
	return s;
}

/* $1 worker, $2 company, $3 time; credential i has $4+5i .. $8+5i. */
#define CRED_HEAD                                                                              \
	"INSERT INTO credentials (worker_id, company_id, kind, number, issuer, issued, expires,"   \
	" created_at) VALUES"
#define CRED_ROW(a, b, c, d, e) " ($1, $2, $" #a ", $" #b ", $" #c ", $" #d ", $" #e ", $3)"
#define CRED_TAIL " ON CONFLICT (worker_id, kind, number) DO NOTHING"
#define CRED_1 CRED_ROW(4, 5, 6, 7, 8)
#define CRED_2 CRED_1 "," CRED_ROW(9, 10, 11, 12, 13)
#define CRED_3 CRED_2 "," CRED_ROW(14, 15, 16, 17, 18)
#define CRED_4 CRED_3 "," CRED_ROW(19, 20, 21, 22, 23)
#define CRED_5 CRED_4 "," CRED_ROW(24, 25, 26, 27, 28)
#define CRED_6 CRED_5 "," CRED_ROW(29, 30, 31, 32, 33)
#define CRED_7 CRED_6 "," CRED_ROW(34, 35, 36, 37, 38)
#define CRED_8 CRED_7 "," CRED_ROW(39, 40, 41, 42, 43)

jz_db_status
jz_store_credentials_add(jz_db *db, const jz_credential *c, size_t n, int64_t at, int *added)
{
	static const char *const sql[] = {
	    CRED_HEAD CRED_1 CRED_TAIL, CRED_HEAD CRED_2 CRED_TAIL, CRED_HEAD CRED_3 CRED_TAIL,
	    CRED_HEAD CRED_4 CRED_TAIL, CRED_HEAD CRED_5 CRED_TAIL, CRED_HEAD CRED_6 CRED_TAIL,
	    CRED_HEAD CRED_7 CRED_TAIL, CRED_HEAD CRED_8 CRED_TAIL,
	};
	*added = 0;
	if (n == 0)
		return JZ_DB_OK;
	if (n > sizeof sql / sizeof sql[0])
		return JZ_DB_ERROR;
	jz_stmt *st = jz_db_prepare(db, sql[n - 1]);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, c[0].worker_id);
	jz_stmt_int(st, 2, c[0].company_id);
	jz_stmt_int(st, 3, at);
	for (size_t i = 0; i < n; i++) {
		int p = 4 + 5 * (int)i;
		jz_stmt_text(st, p, c[i].kind);
		jz_stmt_text(st, p + 1, c[i].number);
		jz_stmt_text(st, p + 2, c[i].issuer ? c[i].issuer : "");
		jz_stmt_text(st, p + 3, c[i].issued ? c[i].issued : "");
		jz_stmt_text(st, p + 4, c[i].expires ? c[i].expires : "");
	}
	jz_db_status s = jz_stmt_run(st);
	if (s == JZ_DB_OK)
		*added = (int)jz_stmt_changes(st);
	jz_stmt_reset(st);
	return s;
}

/* $1 company, $2 created_at; then a row's worker, kind, number, issuer, issued, expires. */
static void
credential_row(char *out, size_t size, int p)
{
	snprintf(out, size, "($%d, $1, $%d, $%d, $%d, $%d, $%d, $2)", p, p + 1, p + 2, p + 3, p + 4,
	         p + 5);
}

static jz_multirow insert_credentials = JZ_MULTIROW_INIT(
    "INSERT INTO credentials (worker_id, company_id, kind, number, issuer, issued, expires,"
    " created_at) VALUES",
    "", 2, 6, credential_row);

jz_db_status
jz_store_credentials_add_new(jz_db *db, const jz_credential *c, size_t n, int64_t at)
{
	for (size_t done = 0; done < n;) {
		size_t g = jz_multirow_group(n - done);
		jz_stmt *st = jz_db_prepare(db, jz_multirow_sql(&insert_credentials, g));
		if (!st)
			return jz_db_prepare_failed(db);
		jz_stmt_int(st, 1, c[0].company_id);
		jz_stmt_int(st, 2, at);
		for (size_t i = 0; i < g; i++) {
			const jz_credential *k = &c[done + i];
			int p = 3 + 6 * (int)i;
			jz_stmt_int(st, p, k->worker_id);
			jz_stmt_text(st, p + 1, k->kind);
			jz_stmt_text(st, p + 2, k->number);
			jz_stmt_text(st, p + 3, k->issuer ? k->issuer : "");
			jz_stmt_text(st, p + 4, k->issued ? k->issued : "");
			jz_stmt_text(st, p + 5, k->expires ? k->expires : "");
		}
		jz_db_status s = jz_stmt_exec(st);
		if (s != JZ_DB_OK)
			return s;
		done += g;
	}
	return JZ_DB_OK;
}

jz_db_status
jz_store_credential_list(jz_db *db, int64_t worker_id,
                         bool (*each)(const jz_credential *c, void *ctx), void *ctx)
{
	static const char sql[] =
	    "SELECT worker_id, company_id, kind, number, issuer, issued, expires"
	    " FROM credentials WHERE worker_id = $1 ORDER BY kind, expires DESC, number";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_credential c = {
		    .worker_id = jz_stmt_col_int(st, 0),
		    .company_id = jz_stmt_col_int(st, 1),
		    .kind = jz_stmt_col_text(st, 2),
		    .number = jz_stmt_col_text(st, 3),
		    .issuer = jz_stmt_col_text(st, 4),
		    .issued = jz_stmt_col_text(st, 5),
		    .expires = jz_stmt_col_text(st, 6),
		};
		if (!each(&c, ctx))
			break;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_equipment_issue(jz_db *db, int64_t worker_id, int64_t company_id, const char *kind,
                         const char *issued, int64_t at, bool *created)
{
	static const char sql[] =
	    "INSERT INTO equipment (worker_id, company_id, kind, issued, created_at)"
	    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (worker_id, company_id, kind) DO NOTHING";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	jz_stmt_int(st, 2, company_id);
	jz_stmt_text(st, 3, kind);
	jz_stmt_text(st, 4, issued);
	jz_stmt_int(st, 5, at);
	jz_db_status s = jz_stmt_run(st);
	*created = s == JZ_DB_OK && jz_stmt_changes(st) > 0;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_access_add(jz_db *db, int64_t worker_id, int64_t at, const char *viewer, const char *what)
{
	static const char sql[] =
	    "INSERT INTO access_log (worker_id, at, viewer, what) VALUES ($1, $2, $3, $4)";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	jz_stmt_int(st, 2, at);
	jz_stmt_text(st, 3, viewer);
	jz_stmt_text(st, 4, what);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_access_list(jz_db *db, int64_t worker_id, int limit,
                     bool (*each)(const jz_access *a, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT at, viewer, what FROM access_log WHERE worker_id = $1"
	                          " ORDER BY at DESC, id DESC LIMIT $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	jz_stmt_int(st, 2, limit > 0 ? limit : 200);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_access a = {jz_stmt_col_int(st, 0), jz_stmt_col_text(st, 1), jz_stmt_col_text(st, 2)};
		if (!each(&a, ctx))
			break;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_employment_set_notes(jz_db *db, int64_t worker_id, int64_t company_id, const char *notes)
{
	static const char sql[] = "UPDATE employments SET notes = $1"
	                          " WHERE worker_id = $2 AND company_id = $3 AND ended IS NULL";
	return update_current(db, sql, worker_id, company_id, notes);
}

jz_db_status
jz_store_worker_county_in_region(jz_db *db, int64_t worker_id, const char *scope, char county[8])
{
	/* A current employment first, then the latest. */
	static const char sql[] =
	    "SELECT c.county FROM employments e JOIN companies c ON c.id = e.company_id"
	    " WHERE e.worker_id = $1 AND (c.county = $2 OR c.prefecture = $2 OR c.province = $2)"
	    " ORDER BY CASE WHEN e.ended IS NULL THEN 0 ELSE 1 END, e.id DESC LIMIT 1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	jz_stmt_text(st, 2, scope);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		snprintf(county, 8, "%s", jz_stmt_col_text(st, 0));
	else if (s == JZ_DB_OK)
		s = JZ_DB_NOT_FOUND;
	jz_stmt_reset(st);
	return s;
}
