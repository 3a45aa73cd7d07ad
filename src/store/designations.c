/* Company designations: 诚信示范企业 (model, named by a regulator) and 标杆企业
 * (benchmark, by an association), per year, with the issuing office. */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/xmalloc.h"

#define DESIGNATION_COLUMNS \
	"id, company_id, kind, year, issuer, user_id, created_at, COALESCE(withdrawn_at, 0)"

void
jz_designation_clear(jz_designation *d)
{
	if (!d)
		return;
	free(d->kind);
	free(d->issuer);
	memset(d, 0, sizeof *d);
}

static void
read_designation(jz_stmt *st, jz_designation *d)
{
	d->id = jz_stmt_col_int(st, 0);
	d->company_id = jz_stmt_col_int(st, 1);
	d->kind = jz_xstrdup(jz_stmt_col_text(st, 2));
	d->year = jz_stmt_col_int(st, 3);
	d->issuer = jz_xstrdup(jz_stmt_col_text(st, 4));
	d->user_id = jz_stmt_col_int(st, 5);
	d->created_at = jz_stmt_col_int(st, 6);
	d->withdrawn_at = jz_stmt_col_int(st, 7);
}

jz_db_status
jz_store_designation_add(jz_db *db, jz_designation *d)
{
	/* UNIQUE (company_id, kind, year) also holds withdrawn rows: designating again revives
	 * the row; a current one refuses (no row back). */
	static const char sql[] =
	    "INSERT INTO company_designations (company_id, kind, year, issuer, user_id, created_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6)"
	    " ON CONFLICT (company_id, kind, year) DO UPDATE SET issuer = excluded.issuer,"
	    " user_id = excluded.user_id, created_at = excluded.created_at, withdrawn_at = NULL"
	    " WHERE company_designations.withdrawn_at IS NOT NULL"
	    " RETURNING id";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, d->company_id);
	jz_stmt_text(st, 2, d->kind);
	jz_stmt_int(st, 3, d->year);
	jz_stmt_text(st, 4, d->issuer);
	jz_stmt_int(st, 5, d->user_id);
	jz_stmt_int(st, 6, d->created_at);
	return jz_stmt_insert_id(st, &d->id);
}

jz_db_status
jz_store_designation_get(jz_db *db, int64_t id, jz_designation *out)
{
	static const char sql[] = "SELECT " DESIGNATION_COLUMNS " FROM company_designations WHERE id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, id);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		read_designation(st, out);
	else if (s == JZ_DB_OK)
		s = JZ_DB_NOT_FOUND;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_designation_withdraw(jz_db *db, int64_t id, int64_t at)
{
	static const char sql[] = "UPDATE company_designations SET withdrawn_at = $1"
	                          " WHERE id = $2 AND withdrawn_at IS NULL";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, at);
	jz_stmt_int(st, 2, id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_designation_list(jz_db *db, int64_t company_id,
                          bool (*each)(const jz_designation *d, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT " DESIGNATION_COLUMNS " FROM company_designations"
	                          " WHERE company_id = $1 AND withdrawn_at IS NULL"
	                          " ORDER BY year DESC, kind, id";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, company_id);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_designation d = {0};
		read_designation(st, &d);
		bool more = each(&d, ctx);
		jz_designation_clear(&d);
		if (!more)
			break;
	}
	jz_stmt_reset(st);
	return s;
}
