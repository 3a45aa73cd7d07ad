/* Applies the embedded migrations in order, recording each in schema_version. */
#include <time.h>

#include "store/migrations.h"
#include "store/store.h"
#include "util/log.h"

static const jz_migration *
migrations_for(const jz_db *db)
{
	return jz_db_kind_of(db) == JZ_DB_POSTGRES ? jz_migrations_pg : jz_migrations_sqlite;
}

int
jz_store_latest_version(const jz_db *db)
{
	int latest = 0;
	for (const jz_migration *m = migrations_for(db); m->version; m++)
		latest = m->version;
	return latest;
}

int
jz_store_migration_count(const jz_db *db)
{
	int n = 0;
	for (const jz_migration *m = migrations_for(db); m->version; m++)
		n++;
	return n;
}

/* True when migration `version` is recorded. */
static jz_db_status
is_applied(jz_db *db, int version, bool *applied)
{
	static const char sql[] = "SELECT 1 FROM schema_version WHERE version = $1";
	*applied = false;
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, version);
	jz_db_status s = jz_stmt_step(st, applied);
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_migrations_missing(jz_db *db, int *missing)
{
	int current;
	jz_db_status s = jz_store_schema_version(db, &current);
	*missing = 0;
	for (const jz_migration *m = migrations_for(db); s == JZ_DB_OK && m->version; m++) {
		bool applied = false;
		if (m->version <= current)
			s = is_applied(db, m->version, &applied);
		*missing += !applied;
	}
	return s;
}

jz_db_status
jz_store_ping(jz_db *db)
{
	static const char sql[] = "SELECT 1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_schema_version(jz_db *db, int *version)
{
	*version = 0;
	jz_db_status s = jz_db_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_version ("
	                                       " version INTEGER PRIMARY KEY,"
	                                       " name TEXT NOT NULL,"
	                                       " applied_at BIGINT NOT NULL)");
	if (s != JZ_DB_OK)
		return s;
	static const char sql[] = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	bool row;
	s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		*version = (int)jz_stmt_col_int(st, 0);
	jz_stmt_reset(st);
	return s;
}

static jz_db_status
apply(jz_db *db, const jz_migration *m)
{
	static const char record[] =
	    "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)";
	jz_db_status s = jz_db_begin(db);
	if (s != JZ_DB_OK)
		return s;
	s = jz_db_exec_script(db, m->sql);
	if (s == JZ_DB_OK) {
		jz_stmt *st = jz_db_prepare(db, record);
		if (!st) {
			s = JZ_DB_ERROR;
		} else {
			jz_stmt_int(st, 1, m->version);
			jz_stmt_text(st, 2, m->name);
			jz_stmt_int(st, 3, (int64_t)time(NULL));
			s = jz_stmt_run(st);
			jz_stmt_reset(st);
		}
	}
	if (s == JZ_DB_OK)
		s = jz_db_commit(db);
	if (s != JZ_DB_OK) {
		jz_log_error("migration %s failed", m->name);
		jz_db_rollback(db);
	}
	return s;
}

jz_db_status
jz_store_migrate(jz_db *db, int *applied)
{
	*applied = 0;
	int current;
	jz_db_status s = jz_store_schema_version(db, &current);
	if (s != JZ_DB_OK)
		return s;
	/* Each missing migration, also one below the highest applied: branches number their
	 * migrations apart (the dashboards' 009 may be applied before a 007 is merged). */
	for (const jz_migration *m = migrations_for(db); m->version; m++) {
		bool done = m->version <= current;
		if (done && (s = is_applied(db, m->version, &done)) != JZ_DB_OK)
			return s;
		if (done)
			continue;
		s = apply(db, m);
		if (s != JZ_DB_OK)
			return s;
		(*applied)++;
	}
	return JZ_DB_OK;
}
