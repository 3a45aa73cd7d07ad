/* Dispatch from db.h to the backend chosen by the URL. */
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

#include "store/backend.h"

bool
jz_db_url_is_postgres(const char *url)
{
	return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13);
}

jz_db *
jz_db_open(const char *url, char **err)
{
	return jz_db_url_is_postgres(url) ? jz_pg_open(url, err) : jz_sqlite_open(url, err);
}

void
jz_db_close(jz_db *db)
{
	if (!db)
		return;
	free(db->set_aside_triggers);
	db->ops->close(db);
}

bool
jz_db_alive(jz_db *db)
{
	return db->ops->alive(db);
}

jz_db_kind
jz_db_kind_of(const jz_db *db)
{
	return db->kind;
}

bool
jz_db_outage(const jz_db *db)
{
	return db->outage;
}

void
jz_db_outage_clear(jz_db *db)
{
	db->outage = false;
}

jz_db_status
jz_db_begin(jz_db *db)
{
	return db->ops->begin(db);
}

jz_db_status
jz_db_commit(jz_db *db)
{
	return db->ops->commit(db);
}

void
jz_db_rollback(jz_db *db)
{
	db->ops->rollback(db);
}

int64_t
jz_db_last_id(jz_db *db)
{
	return db->ops->last_id(db);
}

jz_db_status
jz_db_bulk(jz_db *db, bool on)
{
	return db->ops->bulk(db, on);
}

jz_db_status
jz_db_read_begin(jz_db *db)
{
	return db->ops->read_begin(db);
}

void
jz_db_read_end(jz_db *db)
{
	db->ops->read_end(db);
}

jz_db_status
jz_db_exec_script(jz_db *db, const char *sql)
{
	return db->ops->exec_script(db, sql);
}

jz_stmt *
jz_db_prepare(jz_db *db, const char *sql)
{
	return db->ops->prepare(db, sql);
}

jz_db_status
jz_db_prepare_failed(const jz_db *db)
{
	return db->outage ? JZ_DB_UNAVAILABLE : JZ_DB_ERROR;
}

void
jz_stmt_text(jz_stmt *st, int idx, const char *value)
{
	st->db->ops->bind_text(st, idx, value);
}

void
jz_stmt_int(jz_stmt *st, int idx, int64_t value)
{
	st->db->ops->bind_int(st, idx, value);
}

void
jz_stmt_null(jz_stmt *st, int idx)
{
	st->db->ops->bind_null(st, idx);
}

void
jz_stmt_blob(jz_stmt *st, int idx, const void *data, size_t len)
{
	st->db->ops->bind_blob(st, idx, data, len);
}

jz_db_status
jz_stmt_step(jz_stmt *st, bool *row)
{
	return st->db->ops->step(st, row);
}

jz_db_status
jz_stmt_run(jz_stmt *st)
{
	bool row;
	jz_db_status s;
	do
		s = jz_stmt_step(st, &row);
	while (s == JZ_DB_OK && row);
	return s;
}

jz_db_status
jz_stmt_exec(jz_stmt *st)
{
	jz_db_status s = jz_stmt_run(st);
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_stmt_exec_one(jz_stmt *st)
{
	jz_db_status s = jz_stmt_run(st);
	if (s == JZ_DB_OK && jz_stmt_changes(st) == 0)
		s = JZ_DB_NOT_FOUND;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_stmt_insert_id(jz_stmt *st, int64_t *id)
{
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		*id = jz_stmt_col_int(st, 0);
	else if (s == JZ_DB_OK)
		s = JZ_DB_CONFLICT;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_stmt_one_int(jz_stmt *st, int64_t *out)
{
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	*out = s == JZ_DB_OK && row ? jz_stmt_col_int(st, 0) : 0;
	jz_stmt_reset(st);
	return s;
}

const char *
jz_stmt_col_text(jz_stmt *st, int col)
{
	return st->db->ops->col_text(st, col);
}

int64_t
jz_stmt_col_int(jz_stmt *st, int col)
{
	return st->db->ops->col_int(st, col);
}

bool
jz_stmt_col_is_null(jz_stmt *st, int col)
{
	return st->db->ops->col_is_null(st, col);
}

const unsigned char *
jz_stmt_col_blob(jz_stmt *st, int col, size_t *len)
{
	return st->db->ops->col_blob(st, col, len);
}

int64_t
jz_stmt_changes(jz_stmt *st)
{
	return st->db->ops->changes(st);
}

void
jz_stmt_reset(jz_stmt *st)
{
	if (st)
		st->db->ops->reset(st);
}
