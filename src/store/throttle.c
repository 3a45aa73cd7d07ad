/* Sign-in failure counters per key (an account or an address), in fixed windows. Kept in
 * the database so that every server node sees the same counts. */
#include "store/store.h"

jz_db_status
jz_store_throttle_failures(jz_db *db, const char *key, int64_t now, int64_t window,
                           int64_t *failures)
{
	static const char sql[] =
	    "SELECT failures FROM login_throttle WHERE key = $1 AND window_start > $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, key);
	jz_stmt_int(st, 2, now - window);
	return jz_stmt_one_int(st, failures);
}

jz_db_status
jz_store_throttle_fail(jz_db *db, const char *key, int64_t now, int64_t window)
{
	/* A failure after the window has passed starts a new window at 1. */
	static const char sql[] =
	    "INSERT INTO login_throttle (key, window_start, failures) VALUES ($1, $2, 1)"
	    " ON CONFLICT (key) DO UPDATE SET"
	    " failures = CASE WHEN login_throttle.window_start > $3"
	    "   THEN login_throttle.failures + 1 ELSE 1 END,"
	    " window_start = CASE WHEN login_throttle.window_start > $3"
	    "   THEN login_throttle.window_start ELSE excluded.window_start END";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, key);
	jz_stmt_int(st, 2, now);
	jz_stmt_int(st, 3, now - window);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_throttle_clear(jz_db *db, const char *key)
{
	static const char sql[] = "DELETE FROM login_throttle WHERE key = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, key);
	return jz_stmt_exec(st);
}
