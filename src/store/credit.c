/* Credit records, their appeals and evidence files. */
#include <stdio.h>
#include <string.h>

#include "store/store.h"

/* Binds an id, or NULL for 0 (optional references). */
static void
bind_ref(jz_stmt *st, int idx, int64_t id)
{
	if (id)
		jz_stmt_int(st, idx, id);
	else
		jz_stmt_null(st, idx);
}

jz_db_status
jz_store_credit_insert(jz_db *db, const jz_credit_record *r, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO credit_records (worker_id, company_id, polarity, category, severity, summary,"
	    " evidence, occurred, county, prefecture, province, reporter_company_id, reporter_user_id,"
	    " reporter_label, status, decision_reason, decided_by, decided_at, expires_at, created_at,"
	    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
	    " $16, $17, $18, $19, $20, $20) RETURNING id";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	bind_ref(st, 1, r->worker_id);
	bind_ref(st, 2, r->company_id);
	const char *texts[] = {r->polarity, r->category, r->severity, r->summary, r->evidence,
	                       r->occurred, r->county,   r->prefecture, r->province};
	for (int i = 0; i < 9; i++)
		jz_stmt_text(st, 3 + i, texts[i]);
	bind_ref(st, 12, r->reporter_company_id);
	jz_stmt_int(st, 13, r->reporter_user_id);
	jz_stmt_text(st, 14, r->reporter_label);
	jz_stmt_text(st, 15, r->status);
	jz_stmt_text(st, 16, r->decision_reason ? r->decision_reason : "");
	bind_ref(st, 17, r->decided_by);
	bind_ref(st, 18, r->decided_at);
	bind_ref(st, 19, r->expires_at);
	jz_stmt_int(st, 20, r->created_at);
	return jz_stmt_insert_id(st, id);
}

#define RECORD_COLUMNS                                                                          \
	"r.id, COALESCE(r.worker_id, 0), COALESCE(r.company_id, 0), r.polarity, r.category,"       \
	" r.severity, r.summary, r.evidence, r.occurred, r.county, r.prefecture, r.province,"      \
	" COALESCE(r.reporter_company_id, 0), r.reporter_user_id, r.reporter_label, r.status,"     \
	" r.decision_reason, COALESCE(r.decided_by, 0), COALESCE(r.decided_at, 0),"                \
	" COALESCE(r.expires_at, 0), r.created_at, COALESCE(w.name, c.name, ''),"                  \
	" (SELECT COUNT(*) FROM credit_appeals a WHERE a.record_id = r.id AND a.status = 'pending'),"\
	" (SELECT COUNT(*) FROM credit_appeals a WHERE a.record_id = r.id)"                        \
	" FROM credit_records r LEFT JOIN workers w ON w.id = r.worker_id"                         \
	" LEFT JOIN companies c ON c.id = r.company_id"

static void
read_record(jz_stmt *st, jz_credit_record *r)
{
	r->id = jz_stmt_col_int(st, 0);
	r->worker_id = jz_stmt_col_int(st, 1);
	r->company_id = jz_stmt_col_int(st, 2);
	const char **texts[] = {&r->polarity, &r->category, &r->severity, &r->summary, &r->evidence,
	                        &r->occurred, &r->county,   &r->prefecture, &r->province};
	for (int i = 0; i < 9; i++)
		*texts[i] = jz_stmt_col_text(st, 3 + i);
	r->reporter_company_id = jz_stmt_col_int(st, 12);
	r->reporter_user_id = jz_stmt_col_int(st, 13);
	r->reporter_label = jz_stmt_col_text(st, 14);
	r->status = jz_stmt_col_text(st, 15);
	r->decision_reason = jz_stmt_col_text(st, 16);
	r->decided_by = jz_stmt_col_int(st, 17);
	r->decided_at = jz_stmt_col_int(st, 18);
	r->expires_at = jz_stmt_col_int(st, 19);
	r->created_at = jz_stmt_col_int(st, 20);
	r->subject_name = jz_stmt_col_text(st, 21);
	r->disputed = jz_stmt_col_int(st, 22) > 0;
	r->appeals = jz_stmt_col_int(st, 23);
}

static jz_db_status
each_record(jz_stmt *st, bool (*each)(const jz_credit_record *r, void *ctx), void *ctx)
{
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_credit_record r;
		read_record(st, &r);
		if (!each(&r, ctx))
			break;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_credit_get(jz_db *db, int64_t id, bool (*each)(const jz_credit_record *r, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT " RECORD_COLUMNS " WHERE r.id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, id);
	return each_record(st, each, ctx);
}

/* The conditions every list shares, after the subject's: $2 counting, $3 now, $4
 * negative, $5 status, $6 scope, $7 limit, $8 offset. */
#define LIST_CONDITIONS                                                                         \
	" AND (CAST($2 AS BIGINT) = 0 OR (r.status = 'published'"                                  \
	" AND (r.expires_at IS NULL OR r.expires_at > $3)))"                                       \
	" AND (CAST($4 AS BIGINT) = 0 OR r.polarity = 'negative')"                                 \
	" AND (CAST($5 AS TEXT) = '' OR r.status = $5)"                                            \
	" AND (CAST($6 AS TEXT) = '' OR r.county = $6 OR r.prefecture = $6 OR r.province = $6)"    \
	" ORDER BY r.id DESC LIMIT $7 OFFSET $8"

jz_db_status
jz_store_credit_list(jz_db *db, const jz_credit_filter *f,
                     bool (*each)(const jz_credit_record *r, void *ctx), void *ctx)
{
	/* One statement per kind of subject, so that each can use its index. */
	static const char by_worker[] = "SELECT " RECORD_COLUMNS " WHERE r.worker_id = $1" LIST_CONDITIONS;
	static const char by_company[] = "SELECT " RECORD_COLUMNS " WHERE r.company_id = $1" LIST_CONDITIONS;
	static const char any[] = "SELECT " RECORD_COLUMNS " WHERE CAST($1 AS BIGINT) = 0" LIST_CONDITIONS;
	const char *sql = f->worker_id ? by_worker : f->company_id ? by_company : any;
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, f->worker_id ? f->worker_id : f->company_id);
	jz_stmt_int(st, 2, f->counting);
	jz_stmt_int(st, 3, f->now);
	jz_stmt_int(st, 4, f->negative);
	jz_stmt_text(st, 5, f->status ? f->status : "");
	jz_stmt_text(st, 6, f->scope ? f->scope : "");
	jz_stmt_int(st, 7, f->limit > 0 ? f->limit : 100);
	jz_stmt_int(st, 8, f->offset > 0 ? f->offset : 0);
	return each_record(st, each, ctx);
}

jz_db_status
jz_store_credit_decide(jz_db *db, int64_t id, const char *from, const char *to, const char *severity,
                       const char *reason, int64_t by, int64_t at, int64_t expires_at)
{
	static const char sql[] =
	    "UPDATE credit_records SET status = $1, severity = COALESCE($2, severity),"
	    " decision_reason = $3, decided_by = $4, decided_at = $5, expires_at = $6, updated_at = $5"
	    " WHERE id = $7 AND status = $8";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, to);
	jz_stmt_text(st, 2, severity);
	jz_stmt_text(st, 3, reason);
	jz_stmt_int(st, 4, by);
	jz_stmt_int(st, 5, at);
	bind_ref(st, 6, expires_at);
	jz_stmt_int(st, 7, id);
	jz_stmt_text(st, 8, from);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_credit_negative_counts(jz_db *db, int64_t worker_id, int64_t now, int counts[3])
{
	static const char sql[] =
	    "SELECT severity, COUNT(*) FROM credit_records WHERE worker_id = $1 AND status = 'published'"
	    " AND polarity = 'negative' AND (expires_at IS NULL OR expires_at > $2) GROUP BY severity";
	counts[0] = counts[1] = counts[2] = 0;
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	jz_stmt_int(st, 2, now);
	bool row;
	jz_db_status s;
	static const char *const names[] = {"minor", "serious", "grave"};
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row)
		for (int i = 0; i < 3; i++)
			if (!strcmp(jz_stmt_col_text(st, 0), names[i]))
				counts[i] = (int)jz_stmt_col_int(st, 1);
	jz_stmt_reset(st);
	return s;
}

/* ---- appeals ---- */

jz_db_status
jz_store_appeal_insert(jz_db *db, const jz_credit_appeal *a, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO credit_appeals (record_id, by_worker, company_id, user_id, reasons, status,"
	    " due_at, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)"
	    " ON CONFLICT DO NOTHING RETURNING id";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, a->record_id);
	jz_stmt_int(st, 2, a->by_worker);
	bind_ref(st, 3, a->company_id);
	bind_ref(st, 4, a->user_id);
	jz_stmt_text(st, 5, a->reasons);
	jz_stmt_int(st, 6, a->due_at);
	jz_stmt_int(st, 7, a->created_at);
	return jz_stmt_insert_id(st, id);
}

#define APPEAL_COLUMNS                                                                          \
	"a.id, a.record_id, a.by_worker, COALESCE(a.company_id, 0), COALESCE(a.user_id, 0),"       \
	" a.reasons, a.status, a.decision_reason, COALESCE(a.decided_by, 0),"                      \
	" COALESCE(a.decided_at, 0), a.due_at, a.created_at, r.summary,"                           \
	" COALESCE(w.name, c.name, ''), r.county, r.prefecture, r.province"                        \
	" FROM credit_appeals a JOIN credit_records r ON r.id = a.record_id"                       \
	" LEFT JOIN workers w ON w.id = r.worker_id LEFT JOIN companies c ON c.id = r.company_id"

static jz_db_status
each_appeal(jz_stmt *st, bool (*each)(const jz_credit_appeal *a, void *ctx), void *ctx)
{
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_credit_appeal a = {
		    .id = jz_stmt_col_int(st, 0),
		    .record_id = jz_stmt_col_int(st, 1),
		    .by_worker = jz_stmt_col_int(st, 2) != 0,
		    .company_id = jz_stmt_col_int(st, 3),
		    .user_id = jz_stmt_col_int(st, 4),
		    .reasons = jz_stmt_col_text(st, 5),
		    .status = jz_stmt_col_text(st, 6),
		    .decision_reason = jz_stmt_col_text(st, 7),
		    .decided_by = jz_stmt_col_int(st, 8),
		    .decided_at = jz_stmt_col_int(st, 9),
		    .due_at = jz_stmt_col_int(st, 10),
		    .created_at = jz_stmt_col_int(st, 11),
		    .summary = jz_stmt_col_text(st, 12),
		    .subject_name = jz_stmt_col_text(st, 13),
		    .county = jz_stmt_col_text(st, 14),
		    .prefecture = jz_stmt_col_text(st, 15),
		    .province = jz_stmt_col_text(st, 16),
		};
		if (!each(&a, ctx))
			break;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_appeal_list(jz_db *db, int64_t record_id, const char *scope,
                     bool (*each)(const jz_credit_appeal *a, void *ctx), void *ctx)
{
	static const char of_record[] = "SELECT " APPEAL_COLUMNS " WHERE a.record_id = $1 ORDER BY a.id";
	static const char pending[] =
	    "SELECT " APPEAL_COLUMNS " WHERE a.status = 'pending'"
	    " AND (r.county = $1 OR r.prefecture = $1 OR r.province = $1) ORDER BY a.due_at, a.id";
	jz_stmt *st = jz_db_prepare(db, record_id ? of_record : pending);
	if (!st)
		return jz_db_prepare_failed(db);
	if (record_id)
		jz_stmt_int(st, 1, record_id);
	else
		jz_stmt_text(st, 1, scope ? scope : "");
	return each_appeal(st, each, ctx);
}

jz_db_status
jz_store_appeal_get(jz_db *db, int64_t id, bool (*each)(const jz_credit_appeal *a, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT " APPEAL_COLUMNS " WHERE a.id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, id);
	return each_appeal(st, each, ctx);
}

jz_db_status
jz_store_appeal_decide(jz_db *db, int64_t id, const char *status, const char *reason, int64_t by, int64_t at)
{
	static const char sql[] = "UPDATE credit_appeals SET status = $1, decision_reason = $2,"
	                          " decided_by = $3, decided_at = $4 WHERE id = $5 AND status = 'pending'";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, status);
	jz_stmt_text(st, 2, reason);
	jz_stmt_int(st, 3, by);
	jz_stmt_int(st, 4, at);
	jz_stmt_int(st, 5, id);
	return jz_stmt_exec_one(st);
}

/* ---- evidence files ---- */

jz_db_status
jz_store_evidence_add(jz_db *db, const jz_evidence *e, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO credit_evidence (record_id, appeal_id, filename, content_type, size,"
	    " data_sealed, added_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, e->record_id);
	bind_ref(st, 2, e->appeal_id);
	jz_stmt_text(st, 3, e->filename);
	jz_stmt_text(st, 4, e->content_type);
	jz_stmt_int(st, 5, e->size);
	jz_stmt_text(st, 6, e->data_sealed);
	jz_stmt_text(st, 7, e->added_by);
	jz_stmt_int(st, 8, e->created_at);
	return jz_stmt_insert_id(st, id);
}

static jz_db_status
each_evidence(jz_stmt *st, bool with_data, bool (*each)(const jz_evidence *e, void *ctx), void *ctx)
{
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_evidence e = {
		    .id = jz_stmt_col_int(st, 0),
		    .record_id = jz_stmt_col_int(st, 1),
		    .appeal_id = jz_stmt_col_int(st, 2),
		    .filename = jz_stmt_col_text(st, 3),
		    .content_type = jz_stmt_col_text(st, 4),
		    .size = jz_stmt_col_int(st, 5),
		    .added_by = jz_stmt_col_text(st, 6),
		    .created_at = jz_stmt_col_int(st, 7),
		    .data_sealed = with_data ? jz_stmt_col_text(st, 8) : NULL,
		};
		if (!each(&e, ctx))
			break;
	}
	jz_stmt_reset(st);
	return s;
}

#define EVIDENCE_COLUMNS \
	"id, record_id, COALESCE(appeal_id, 0), filename, content_type, size, added_by, created_at"

jz_db_status
jz_store_evidence_list(jz_db *db, int64_t record_id, bool (*each)(const jz_evidence *e, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT " EVIDENCE_COLUMNS " FROM credit_evidence WHERE record_id = $1 ORDER BY id";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, record_id);
	return each_evidence(st, false, each, ctx);
}

jz_db_status
jz_store_evidence_get(jz_db *db, int64_t id, bool (*each)(const jz_evidence *e, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT " EVIDENCE_COLUMNS ", data_sealed FROM credit_evidence WHERE id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, id);
	return each_evidence(st, true, each, ctx);
}
