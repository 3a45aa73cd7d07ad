/* The public dishonesty list (失信名单): published negative records that still count,
 * about companies and (for the service to mask) about workers, by region or company. */
#include "store/store.h"

/* $1 now, $2 scope or NULL, $3 company id or 0. */
#define PUBLIC_WHERE                                                                     \
	" WHERE r.polarity = 'negative' AND r.status = 'published'"                         \
	" AND (r.expires_at IS NULL OR r.expires_at > $1)"                                  \
	" AND (CAST($2 AS TEXT) IS NULL OR r.county = $2 OR r.prefecture = $2 OR r.province = $2)" \
	" AND (CAST($3 AS BIGINT) = 0 OR r.company_id = $3)"

static void
bind_filter(jz_stmt *st, const jz_public_record_filter *f)
{
	jz_stmt_int(st, 1, f->now);
	jz_stmt_text(st, 2, f->scope && *f->scope ? f->scope : NULL);
	jz_stmt_int(st, 3, f->company_id);
}

static jz_db_status
count_records(jz_db *db, const jz_public_record_filter *f, int64_t *total)
{
	static const char sql[] = "SELECT COUNT(*) FROM credit_records r" PUBLIC_WHERE;
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	bind_filter(st, f);
	return jz_stmt_one_int(st, total);
}

jz_db_status
jz_store_public_records(jz_db *db, const jz_public_record_filter *f,
                        bool (*each)(const jz_public_record *r, void *ctx), void *ctx,
                        int64_t *total)
{
	static const char sql[] =
	    "SELECT CASE WHEN r.worker_id IS NULL THEN 0 ELSE 1 END, c.name, c.uscc, w.name, r.category, r.severity, r.county,"
	    " COALESCE(r.decided_at, r.created_at), COALESCE(r.expires_at, 0),"
	    " CASE WHEN EXISTS (SELECT 1 FROM credit_appeals a WHERE a.record_id = r.id"
	    "  AND a.status = 'pending') THEN 1 ELSE 0 END"
	    " FROM credit_records r LEFT JOIN companies c ON c.id = r.company_id"
	    " LEFT JOIN workers w ON w.id = r.worker_id" PUBLIC_WHERE
	    " ORDER BY COALESCE(r.decided_at, r.created_at) DESC, r.id DESC LIMIT $4 OFFSET $5";
	jz_db_status s = count_records(db, f, total);
	if (s != JZ_DB_OK)
		return s;
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	bind_filter(st, f);
	jz_stmt_int(st, 4, f->limit > 0 ? f->limit : 50);
	jz_stmt_int(st, 5, f->offset > 0 ? f->offset : 0);
	bool row;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		bool worker = jz_stmt_col_int(st, 0) != 0;
		jz_public_record r = {
		    .about_worker = worker,
		    .company_name = worker ? NULL : jz_stmt_col_text(st, 1),
		    .company_uscc = worker ? NULL : jz_stmt_col_text(st, 2),
		    .worker_name = worker ? jz_stmt_col_text(st, 3) : NULL,
		    .category = jz_stmt_col_text(st, 4),
		    .severity = jz_stmt_col_text(st, 5),
		    .county = jz_stmt_col_text(st, 6),
		    .published_at = jz_stmt_col_int(st, 7),
		    .expires_at = jz_stmt_col_int(st, 8),
		    .disputed = jz_stmt_col_int(st, 9) != 0,
		};
		if (!each(&r, ctx))
			break;
	}
	jz_stmt_reset(st);
	return s;
}
