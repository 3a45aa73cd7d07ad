/* Sharing credit: the companies' inbox, the workers' share codes, credit checks, and
 * background flags awaiting a regulator. */
#include <stdio.h>
#include <string.h>

#include "store/store.h"

jz_db_status
jz_store_notify_companies(jz_db *db, int64_t worker_id, int64_t record_id, const char *kind, int64_t since,
                          int64_t except_company, int64_t at, int64_t *sent)
{
	/* One statement: the current employers and the recent checkers, each once. */
	static const char sql[] =
	    "INSERT INTO notifications (company_id, kind, record_id, worker_id, created_at)"
	    " SELECT x.company_id, $1, $2, $3, $4 FROM"
	    " (SELECT company_id FROM employments WHERE worker_id = $3 AND ended IS NULL"
	    "  UNION SELECT company_id FROM credit_checks WHERE worker_id = $3 AND at >= $5) x"
	    " WHERE x.company_id <> $6";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, kind);
	jz_stmt_int(st, 2, record_id);
	jz_stmt_int(st, 3, worker_id);
	jz_stmt_int(st, 4, at);
	jz_stmt_int(st, 5, since);
	jz_stmt_int(st, 6, except_company);
	jz_db_status s = jz_stmt_run(st);
	*sent = s == JZ_DB_OK ? jz_stmt_changes(st) : 0;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_notification_list(jz_db *db, int64_t company_id, int limit,
                           bool (*each)(const jz_notification *n, void *ctx), void *ctx)
{
	static const char sql[] =
	    "SELECT n.id, n.company_id, COALESCE(n.record_id, 0), COALESCE(n.worker_id, 0),"
	    " n.created_at, COALESCE(n.read_at, 0), n.kind, COALESCE(w.name, ''),"
	    " COALESCE(r.category, ''), COALESCE(r.severity, ''), COALESCE(r.summary, '')"
	    " FROM notifications n LEFT JOIN workers w ON w.id = n.worker_id"
	    " LEFT JOIN credit_records r ON r.id = n.record_id"
	    " WHERE n.company_id = $1 ORDER BY n.id DESC LIMIT $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, company_id);
	jz_stmt_int(st, 2, limit > 0 ? limit : 100);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_notification n = {
		    .id = jz_stmt_col_int(st, 0),
		    .company_id = jz_stmt_col_int(st, 1),
		    .record_id = jz_stmt_col_int(st, 2),
		    .worker_id = jz_stmt_col_int(st, 3),
		    .created_at = jz_stmt_col_int(st, 4),
		    .read_at = jz_stmt_col_int(st, 5),
		    .kind = jz_stmt_col_text(st, 6),
		    .worker_name = jz_stmt_col_text(st, 7),
		    .category = jz_stmt_col_text(st, 8),
		    .severity = jz_stmt_col_text(st, 9),
		    .summary = jz_stmt_col_text(st, 10),
		};
		if (!each(&n, ctx))
			break;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_notification_unread(jz_db *db, int64_t company_id, int64_t *count)
{
	static const char sql[] =
	    "SELECT COUNT(*) FROM notifications WHERE company_id = $1 AND read_at IS NULL";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, company_id);
	return jz_stmt_one_int(st, count);
}

jz_db_status
jz_store_notification_read_all(jz_db *db, int64_t company_id, int64_t at)
{
	static const char sql[] =
	    "UPDATE notifications SET read_at = $1 WHERE company_id = $2 AND read_at IS NULL";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, at);
	jz_stmt_int(st, 2, company_id);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_notification_about(jz_db *db, int64_t company_id, int64_t record_id, bool *notified)
{
	static const char sql[] =
	    "SELECT COUNT(*) FROM notifications WHERE company_id = $1 AND record_id = $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, company_id);
	jz_stmt_int(st, 2, record_id);
	int64_t n;
	jz_db_status s = jz_stmt_one_int(st, &n);
	*notified = n > 0;
	return s;
}

/* ---- share codes and credit checks ---- */

jz_db_status
jz_store_share_code_set(jz_db *db, int64_t worker_id, const char *code_hash, int64_t expires_at, int64_t at)
{
	static const char sql[] =
	    "INSERT INTO share_codes (worker_id, code_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)"
	    " ON CONFLICT (worker_id) DO UPDATE SET code_hash = excluded.code_hash,"
	    " expires_at = excluded.expires_at, created_at = excluded.created_at";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	jz_stmt_text(st, 2, code_hash);
	jz_stmt_int(st, 3, expires_at);
	jz_stmt_int(st, 4, at);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_share_code_get(jz_db *db, int64_t worker_id, char code_hash[65], int64_t *expires_at)
{
	static const char sql[] = "SELECT code_hash, expires_at FROM share_codes WHERE worker_id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row) {
		snprintf(code_hash, 65, "%s", jz_stmt_col_text(st, 0));
		*expires_at = jz_stmt_col_int(st, 1);
	} else if (s == JZ_DB_OK) {
		s = JZ_DB_NOT_FOUND;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_share_code_delete(jz_db *db, int64_t worker_id)
{
	static const char sql[] = "DELETE FROM share_codes WHERE worker_id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_credit_check_add(jz_db *db, int64_t worker_id, int64_t company_id, int64_t user_id, int64_t at)
{
	static const char sql[] =
	    "INSERT INTO credit_checks (worker_id, company_id, user_id, at) VALUES ($1, $2, $3, $4)";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	jz_stmt_int(st, 2, company_id);
	jz_stmt_int(st, 3, user_id);
	jz_stmt_int(st, 4, at);
	return jz_stmt_exec(st);
}

/* ---- background flags ---- */

jz_db_status
jz_store_worker_confirm_background(jz_db *db, int64_t worker_id, int64_t by, int64_t at)
{
	static const char sql[] =
	    "UPDATE workers SET bg_confirmed_by = $1, bg_confirmed_at = $2, updated_at = $2"
	    " WHERE id = $3 AND bg_status = 'flagged' AND bg_confirmed_at IS NULL";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, by);
	jz_stmt_int(st, 2, at);
	jz_stmt_int(st, 3, worker_id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_background_flags(jz_db *db, const char *scope,
                          bool (*each)(int64_t worker_id, const char *name, const char *source, int64_t at,
                                       void *ctx),
                          void *ctx)
{
	static const char sql[] =
	    "SELECT w.id, w.name, w.bg_source, COALESCE(w.bg_at, 0) FROM workers w"
	    " WHERE w.bg_status = 'flagged' AND w.bg_confirmed_at IS NULL AND EXISTS"
	    " (SELECT 1 FROM employments e JOIN companies c ON c.id = e.company_id"
	    "  WHERE e.worker_id = w.id AND (c.county = $1 OR c.prefecture = $1 OR c.province = $1))"
	    " ORDER BY w.bg_at LIMIT 200";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, scope ? scope : "");
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row)
		if (!each(jz_stmt_col_int(st, 0), jz_stmt_col_text(st, 1), jz_stmt_col_text(st, 2),
		          jz_stmt_col_int(st, 3), ctx))
			break;
	jz_stmt_reset(st);
	return s;
}
