/* The append-only, hash-chained audit log. */
#include <stdio.h>

#include "core/audit_chain.h"
#include "store/store.h"

jz_db_status
jz_store_audit_append(jz_db *db, int64_t at, const char *actor, const char *action,
                      const char *target, const char *detail)
{
	/* Advancing the head first locks it, so concurrent appends queue behind this one. */
	static const char advance[] =
	    "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash";
	static const char insert[] =
	    "INSERT INTO audit_log (id, at, actor, action, target, detail, prev_hash, hash)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
	static const char set_head[] = "UPDATE audit_head SET hash = $1 WHERE id = 1";

	jz_stmt *st = jz_db_prepare(db, advance);
	if (!st)
		return jz_db_prepare_failed(db);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && !row)
		s = JZ_DB_ERROR;
	if (s != JZ_DB_OK) {
		jz_stmt_reset(st);
		return s;
	}
	int64_t seq = jz_stmt_col_int(st, 0);
	char prev[65], hash[65];
	snprintf(prev, sizeof prev, "%s", jz_stmt_col_text(st, 1));
	jz_stmt_reset(st);

	jz_audit_chain_hash(prev, seq, at, actor, action, target, detail, hash);
	st = jz_db_prepare(db, insert);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, seq);
	jz_stmt_int(st, 2, at);
	jz_stmt_text(st, 3, actor);
	jz_stmt_text(st, 4, action);
	jz_stmt_text(st, 5, target);
	jz_stmt_text(st, 6, detail);
	jz_stmt_text(st, 7, prev);
	jz_stmt_text(st, 8, hash);
	s = jz_stmt_run(st);
	jz_stmt_reset(st);
	if (s != JZ_DB_OK)
		return s;

	st = jz_db_prepare(db, set_head);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, hash);
	s = jz_stmt_run(st);
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_audit_each(jz_db *db, bool (*each)(const jz_audit_entry *e, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT id, at, actor, action, target, detail, prev_hash, hash"
	                          " FROM audit_log ORDER BY id";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_audit_entry e = {
		    .id = jz_stmt_col_int(st, 0),
		    .at = jz_stmt_col_int(st, 1),
		    .actor = jz_stmt_col_text(st, 2),
		    .action = jz_stmt_col_text(st, 3),
		    .target = jz_stmt_col_text(st, 4),
		    .detail = jz_stmt_col_text(st, 5),
		    .prev_hash = jz_stmt_col_text(st, 6),
		    .hash = jz_stmt_col_text(st, 7),
		};
		if (!each(&e, ctx))
			break;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_audit_head(jz_db *db, int64_t *seq, char hash[65])
{
	static const char sql[] = "SELECT seq, hash FROM audit_head WHERE id = 1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row) {
		*seq = jz_stmt_col_int(st, 0);
		snprintf(hash, 65, "%s", jz_stmt_col_text(st, 1));
	} else if (s == JZ_DB_OK) {
		s = JZ_DB_NOT_FOUND;
	}
	jz_stmt_reset(st);
	return s;
}
