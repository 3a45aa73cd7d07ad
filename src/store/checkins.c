/* Monthly check-ins: one per worker and month. */
#include <stdio.h>
#include <string.h>

#include "store/store.h"

jz_db_status
jz_store_checkin_add(jz_db *db, int64_t worker_id, const char *month, const char *method,
                     const char *assurance, int64_t company_id, int64_t at, bool *created)
{
	static const char sql[] =
	    "INSERT INTO checkins (worker_id, month, method, assurance, company_id, at)"
	    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (worker_id, month) DO NOTHING";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	jz_stmt_text(st, 2, month);
	jz_stmt_text(st, 3, method);
	jz_stmt_text(st, 4, assurance);
	if (company_id)
		jz_stmt_int(st, 5, company_id);
	else
		jz_stmt_null(st, 5);
	jz_stmt_int(st, 6, at);
	jz_db_status s = jz_stmt_run(st);
	*created = s == JZ_DB_OK && jz_stmt_changes(st) > 0;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_checkin_company(jz_db *db, int64_t company_id, const char *month, int64_t at, int64_t *added)
{
	/* One statement for the whole company: the current workers without a check-in this
	 * month get one, attested by the company. */
	static const char sql[] =
	    "INSERT INTO checkins (worker_id, month, method, assurance, company_id, at)"
	    " SELECT worker_id, $1, 'company', 'medium', $2, $3 FROM employments"
	    " WHERE company_id = $2 AND ended IS NULL"
	    " ON CONFLICT (worker_id, month) DO NOTHING";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, month);
	jz_stmt_int(st, 2, company_id);
	jz_stmt_int(st, 3, at);
	jz_db_status s = jz_stmt_run(st);
	*added = s == JZ_DB_OK ? jz_stmt_changes(st) : 0;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_checkin_list(jz_db *db, int64_t worker_id, int limit,
                      bool (*each)(const jz_checkin *c, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT month, method, assurance, at FROM checkins"
	                          " WHERE worker_id = $1 ORDER BY month DESC LIMIT $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	jz_stmt_int(st, 2, limit > 0 ? limit : 24);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_checkin c = {jz_stmt_col_text(st, 0), jz_stmt_col_text(st, 1), jz_stmt_col_text(st, 2),
		                jz_stmt_col_int(st, 3)};
		if (!each(&c, ctx))
			break;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_checkin_last_month(jz_db *db, int64_t worker_id, char month[8])
{
	static const char sql[] = "SELECT MAX(month) FROM checkins WHERE worker_id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	month[0] = '\0';
	if (s == JZ_DB_OK && row && !jz_stmt_col_is_null(st, 0))
		snprintf(month, 8, "%s", jz_stmt_col_text(st, 0));
	jz_stmt_reset(st);
	return s;
}
