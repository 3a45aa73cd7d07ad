/* Bulk-import jobs started from the upload page: progress, outcome and the report of
 * rejected rows, readable from any server node. */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/xmalloc.h"

void
jz_import_job_clear(jz_import_job *j)
{
	if (!j)
		return;
	free(j->filename);
	free(j->status);
	free(j->message);
	free(j->report);
	memset(j, 0, sizeof *j);
}

jz_db_status
jz_store_import_job_create(jz_db *db, jz_import_job *j)
{
	static const char sql[] =
	    "INSERT INTO import_jobs (company_id, user_id, filename, dry_run, status, bytes_total,"
	    " started_at, updated_at) VALUES ($1, $2, $3, $4, 'running', $5, $6, $6) RETURNING id";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, j->company_id);
	jz_stmt_int(st, 2, j->user_id);
	jz_stmt_text(st, 3, j->filename);
	jz_stmt_int(st, 4, j->dry_run);
	jz_stmt_int(st, 5, j->bytes_total);
	jz_stmt_int(st, 6, j->started_at);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		j->id = jz_stmt_col_int(st, 0);
	else if (s == JZ_DB_OK)
		s = JZ_DB_ERROR;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_import_job_progress(jz_db *db, int64_t id, int64_t rows_done, int64_t bytes_done, int64_t at)
{
	static const char sql[] = "UPDATE import_jobs SET rows_done = $1, bytes_done = $2, updated_at = $3"
	                          " WHERE id = $4";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, rows_done);
	jz_stmt_int(st, 2, bytes_done);
	jz_stmt_int(st, 3, at);
	jz_stmt_int(st, 4, id);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_import_job_finish(jz_db *db, const jz_import_job *j)
{
	static const char sql[] =
	    "UPDATE import_jobs SET status = $1, rows_done = $2, bytes_done = bytes_total,"
	    " imported = $3, already_there = $4, rejected = $5, message = $6, report = $7,"
	    " updated_at = $8, finished_at = $8 WHERE id = $9";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, j->status);
	jz_stmt_int(st, 2, j->rows_done);
	jz_stmt_int(st, 3, j->imported);
	jz_stmt_int(st, 4, j->already_there);
	jz_stmt_int(st, 5, j->rejected);
	jz_stmt_text(st, 6, j->message ? j->message : "");
	jz_stmt_text(st, 7, j->report ? j->report : "");
	jz_stmt_int(st, 8, j->finished_at);
	jz_stmt_int(st, 9, j->id);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_import_job_get(jz_db *db, int64_t id, jz_import_job *out)
{
	static const char sql[] =
	    "SELECT id, company_id, user_id, filename, dry_run, status, bytes_total, bytes_done,"
	    " rows_done, imported, already_there, rejected, message, report, started_at, updated_at,"
	    " COALESCE(finished_at, 0) FROM import_jobs WHERE id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, id);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row) {
		out->id = jz_stmt_col_int(st, 0);
		out->company_id = jz_stmt_col_int(st, 1);
		out->user_id = jz_stmt_col_int(st, 2);
		out->filename = jz_xstrdup(jz_stmt_col_text(st, 3));
		out->dry_run = jz_stmt_col_int(st, 4) != 0;
		out->status = jz_xstrdup(jz_stmt_col_text(st, 5));
		out->bytes_total = jz_stmt_col_int(st, 6);
		out->bytes_done = jz_stmt_col_int(st, 7);
		out->rows_done = jz_stmt_col_int(st, 8);
		out->imported = jz_stmt_col_int(st, 9);
		out->already_there = jz_stmt_col_int(st, 10);
		out->rejected = jz_stmt_col_int(st, 11);
		out->message = jz_xstrdup(jz_stmt_col_text(st, 12));
		out->report = jz_xstrdup(jz_stmt_col_text(st, 13));
		out->started_at = jz_stmt_col_int(st, 14);
		out->updated_at = jz_stmt_col_int(st, 15);
		out->finished_at = jz_stmt_col_int(st, 16);
	} else if (s == JZ_DB_OK) {
		s = JZ_DB_NOT_FOUND;
	}
	jz_stmt_reset(st);
	return s;
}
