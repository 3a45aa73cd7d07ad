/* Region figures for the dashboards: reading the per-county counts that migration 009's
 * triggers keep, the bulk loaders' once-per-batch update, the full recount, designations
 * counted on request, and the officials' list of workers behind a figure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* ---- bulk loading: triggers aside, one statement per batch ---- */

/* SQLite runs a trigger as a sub-program with a frame allocated and zeroed for every row,
 * even when its WHEN clause then skips it, or when its statement finds nothing to change:
 * on a bulk import the employment stats trigger was a sixth of all the work, and the card
 * faces' triggers (migration 012) on the tables an import writes added 43% more. So a
 * batch drops them inside its transaction and batch_end creates them again from the text
 * kept here; a rollback restores them by itself, and other connections never see a table
 * without them. The batch's new employments are counted by batch_end, and the faces of
 * the workers it touched are recomputed by jz_store_card_faces_refresh. */
static jz_db_status
set_triggers_aside(jz_db *db)
{
	static const char get[] =
	    "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND"
	    " (name = 'stats_employment_insert' OR (name LIKE 'card\\_face\\_%' ESCAPE '\\'"
	    "  AND tbl_name IN ('workers', 'employments', 'credentials', 'equipment')))";
	free(db->set_aside_triggers);
	db->set_aside_triggers = NULL;
	jz_stmt *st = jz_db_prepare(db, get);
	if (!st)
		return JZ_DB_ERROR;
	jz_buf create = JZ_BUF_INIT, drop = JZ_BUF_INIT;
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_buf_printf(&drop, "DROP TRIGGER %s;\n", jz_stmt_col_text(st, 0));
		jz_buf_printf(&create, "%s;\n", jz_stmt_col_text(st, 1));
	}
	jz_stmt_reset(st);
	if (s == JZ_DB_OK && drop.len)
		s = jz_db_exec_script(db, drop.data);
	if (s == JZ_DB_OK && create.len)
		db->set_aside_triggers = jz_buf_steal(&create);
	jz_buf_free(&create);
	jz_buf_free(&drop);
	return s;
}

static jz_db_status
restore_triggers(jz_db *db)
{
	if (!db->set_aside_triggers)
		return JZ_DB_OK;
	jz_db_status s = jz_db_exec_script(db, db->set_aside_triggers);
	free(db->set_aside_triggers);
	db->set_aside_triggers = NULL;
	return s;
}

jz_db_status
jz_store_stats_batch_begin(jz_db *db, jz_stats_batch *b)
{
	static const char pause[] = "INSERT INTO stats_paused (id) VALUES (1) ON CONFLICT (id) DO NOTHING";
	static const char last[] = "SELECT COALESCE((SELECT MAX(id) FROM employments), 0),"
	                           " COALESCE((SELECT MAX(id) FROM workers), 0)";
	memset(b, 0, sizeof *b);
	jz_stmt *st = jz_db_prepare(db, pause);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_db_status s = jz_stmt_exec(st);
	if (s == JZ_DB_OK && jz_db_kind_of(db) == JZ_DB_SQLITE)
		s = set_triggers_aside(db);
	if (s != JZ_DB_OK)
		return s;
	if (!(st = jz_db_prepare(db, last)))
		return jz_db_prepare_failed(db);
	bool row;
	s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row) {
		b->employment_mark = jz_stmt_col_int(st, 0);
		b->worker_mark = jz_stmt_col_int(st, 1);
	}
	jz_stmt_reset(st);
	return s;
}

/* The new persons a loader counted itself (jz_stats_batch.new_counted). */
static jz_db_status
add_counted(jz_db *db, const jz_stats_batch *b)
{
	static const char sql[] =
	    "INSERT INTO region_stats (county, w_entered, w_consented) VALUES ($1, $2, $3)"
	    " ON CONFLICT (county) DO UPDATE SET w_entered = region_stats.w_entered + excluded.w_entered,"
	    "  w_consented = region_stats.w_consented + excluded.w_consented";
	if (!b->new_counted || b->entered == 0)
		return JZ_DB_OK;
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, b->county);
	jz_stmt_int(st, 2, b->entered);
	jz_stmt_int(st, 3, b->consented);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_stats_batch_end(jz_db *db, const jz_stats_batch *b, const char *month)
{
	static const char resume[] = "DELETE FROM stats_paused";
	/* The batch's new current employments, with the state of their workers (of workers
	 * up to an id: the loader counted those above it). */
	static const char add[] =
	    "INSERT INTO region_stats (county, w_entered, w_verified, w_consented, w_carded)"
	    " SELECT c.county, COUNT(*),"
	    "  SUM(CASE WHEN w.id_check_method <> '' THEN 1 ELSE 0 END),"
	    "  SUM(CASE WHEN w.consent_method <> '' THEN 1 ELSE 0 END),"
	    "  SUM(CASE WHEN EXISTS (SELECT 1 FROM cards k WHERE k.worker_id = w.id AND k.status = 'active')"
	    "   THEN 1 ELSE 0 END)"
	    " FROM employments e JOIN companies c ON c.id = e.company_id JOIN workers w ON w.id = e.worker_id"
	    " WHERE e.id > $1 AND e.ended IS NULL AND e.worker_id <= $2 GROUP BY c.county"
	    " ON CONFLICT (county) DO UPDATE SET w_entered = region_stats.w_entered + excluded.w_entered,"
	    "  w_verified = region_stats.w_verified + excluded.w_verified,"
	    "  w_consented = region_stats.w_consented + excluded.w_consented,"
	    "  w_carded = region_stats.w_carded + excluded.w_carded";
	static const char checked[] =
	    "INSERT INTO region_monthly (county, month, checked_in)"
	    " SELECT c.county, k.month, COUNT(*) FROM employments e JOIN companies c ON c.id = e.company_id"
	    " JOIN checkins k ON k.worker_id = e.worker_id AND k.month >= $2"
	    " WHERE e.id > $1 AND e.ended IS NULL AND e.worker_id <= $3 GROUP BY c.county, k.month"
	    " ON CONFLICT (county, month) DO UPDATE SET checked_in = region_monthly.checked_in + excluded.checked_in";
	int64_t looked_up = b->new_counted ? b->worker_mark : INT64_MAX;
	jz_stmt *st = jz_db_prepare(db, resume);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_db_status s = jz_stmt_exec(st);
	if (s == JZ_DB_OK)
		s = restore_triggers(db);
	if (s == JZ_DB_OK)
		s = add_counted(db, b);
	if (s != JZ_DB_OK)
		return s;
	if (!(st = jz_db_prepare(db, add)))
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, b->employment_mark);
	jz_stmt_int(st, 2, looked_up);
	if ((s = jz_stmt_exec(st)) != JZ_DB_OK)
		return s;
	if (!(st = jz_db_prepare(db, checked)))
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, b->employment_mark);
	jz_stmt_text(st, 2, month);
	jz_stmt_int(st, 3, looked_up);
	return jz_stmt_exec(st);
}

/* ---- the full recount ---- */

static jz_db_status
run_plain(jz_db *db, const char *sql)
{
	jz_stmt *st = jz_db_prepare(db, sql);
	return st ? jz_stmt_exec(st) : JZ_DB_ERROR;
}

/* Latest expiry of a worker's credentials of some kinds ('' = never: sorts last); the
 * kinds are tested inside MAX for the reason given in store/facts.h. */
#define LATEST(kinds)                                                                      \
	"(SELECT MAX(CASE WHEN " kinds " THEN CASE WHEN k.expires = '' THEN '9999-99-99'"      \
	" ELSE k.expires END END) FROM credentials k WHERE k.worker_id = w.id)"
#define ISSUED(kind)                                                                       \
	"EXISTS (SELECT 1 FROM equipment q JOIN employments e2 ON e2.worker_id = q.worker_id"  \
	" AND e2.company_id = q.company_id AND e2.ended IS NULL"                              \
	" WHERE q.worker_id = w.id AND q.kind = '" kind "')"
/* Duty readiness on the day in placeholder `d` (the rules of src/core/readiness.c,
 * 六无不上岗). */
#define READY(d)                                                                           \
	"w.id_check_method <> '' AND w.bg_status = 'clear' AND w.consent_method <> ''"        \
	" AND " LATEST("k.kind = 'insurance'") " >= " d                                       \
	" AND " LATEST("k.kind = 'work_permit' OR k.kind = 'skill'") " >= " d                 \
	" AND " LATEST("k.kind = 'health'") " >= " d " AND " ISSUED("uniform") " AND " ISSUED("toolkit")
/* An active card on Unix time $n. */
#define CARDED(n)                                                                          \
	"EXISTS (SELECT 1 FROM cards d WHERE d.worker_id = w.id AND d.status = 'active'"       \
	" AND (d.expires_at IS NULL OR d.expires_at > " n "))"

static jz_db_status
rebuild_counts(jz_db *db, const char *today, int64_t now)
{
	static const char companies[] =
	    "INSERT INTO region_stats (county, c_pending, c_active, c_rejected, c_suspended, c_revoked)"
	    " SELECT county, SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END),"
	    "  SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END),"
	    "  SUM(CASE WHEN status = 'suspended' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'revoked' THEN 1 ELSE 0 END)"
	    " FROM companies GROUP BY county";
	static const char workers[] =
	    "INSERT INTO region_stats (county, w_entered, w_verified, w_consented, w_carded, w_ready)"
	    " SELECT c.county, COUNT(*), SUM(CASE WHEN w.id_check_method <> '' THEN 1 ELSE 0 END),"
	    "  SUM(CASE WHEN w.consent_method <> '' THEN 1 ELSE 0 END),"
	    "  SUM(CASE WHEN " CARDED("$2") " THEN 1 ELSE 0 END), SUM(CASE WHEN " READY("$1") " THEN 1 ELSE 0 END)"
	    " FROM employments e JOIN companies c ON c.id = e.company_id JOIN workers w ON w.id = e.worker_id"
	    " WHERE e.ended IS NULL GROUP BY c.county"
	    " ON CONFLICT (county) DO UPDATE SET w_entered = excluded.w_entered, w_verified = excluded.w_verified,"
	    "  w_consented = excluded.w_consented, w_carded = excluded.w_carded, w_ready = excluded.w_ready";
	static const char reviews[] =
	    "INSERT INTO region_stats (county, reviews, review_points)"
	    " SELECT c.county, COUNT(*), SUM(v.skill + v.attitude + v.punctuality + v.honesty)"
	    " FROM reviews v JOIN companies c ON c.id = v.company_id WHERE v.status <> 'hidden' GROUP BY c.county"
	    " ON CONFLICT (county) DO UPDATE SET reviews = excluded.reviews, review_points = excluded.review_points";
	static const char records[] =
	    "INSERT INTO region_stats (county, neg_records)"
	    " SELECT county, COUNT(*) FROM credit_records WHERE polarity = 'negative' AND status = 'published'"
	    " AND (expires_at IS NULL OR expires_at > $1) GROUP BY county"
	    " ON CONFLICT (county) DO UPDATE SET neg_records = excluded.neg_records";
	static const char appeals[] =
	    "INSERT INTO region_stats (county, open_appeals)"
	    " SELECT r.county, COUNT(*) FROM credit_appeals a JOIN credit_records r ON r.id = a.record_id"
	    " WHERE a.status = 'pending' GROUP BY r.county"
	    " ON CONFLICT (county) DO UPDATE SET open_appeals = excluded.open_appeals";
	jz_db_status s = run_plain(db, "DELETE FROM region_stats");
	if (s == JZ_DB_OK)
		s = run_plain(db, companies);
	if (s != JZ_DB_OK)
		return s;
	jz_stmt *st = jz_db_prepare(db, workers);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, today);
	jz_stmt_int(st, 2, now);
	if ((s = jz_stmt_exec(st)) != JZ_DB_OK)
		return s;
	if ((s = run_plain(db, reviews)) != JZ_DB_OK)
		return s;
	if (!(st = jz_db_prepare(db, records)))
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, now);
	if ((s = jz_stmt_exec(st)) != JZ_DB_OK)
		return s;
	return run_plain(db, appeals);
}

/* One month's row per county. The current month counts current employments; a past one
 * those running on its last day, with consent and cards as they stood at its end. */
#define MONTH_COLUMNS(end)                                                                 \
	" SELECT c.county, $1, COUNT(*),"                                                      \
	"  SUM(CASE WHEN w.consent_at IS NOT NULL AND w.consent_at <= " end " THEN 1 ELSE 0 END)," \
	"  SUM(CASE WHEN EXISTS (SELECT 1 FROM cards d WHERE d.worker_id = w.id AND d.issued_at <= " end \
	"   AND (d.revoked_at IS NULL OR d.revoked_at > " end ") AND (d.expires_at IS NULL OR d.expires_at > " end "))" \
	"   THEN 1 ELSE 0 END),"                                                                \
	"  SUM(CASE WHEN EXISTS (SELECT 1 FROM checkins k WHERE k.worker_id = w.id AND k.month = $1)" \
	"   THEN 1 ELSE 0 END)"                                                                 \
	" FROM employments e JOIN companies c ON c.id = e.company_id JOIN workers w ON w.id = e.worker_id"

static jz_db_status
rebuild_month(jz_db *db, const jz_stats_month *m)
{
	static const char clear[] = "DELETE FROM region_monthly WHERE month = $1";
	static const char current[] =
	    "INSERT INTO region_monthly (county, month, w_entered, w_consented, w_carded, checked_in)"
	    MONTH_COLUMNS("$2") " WHERE e.ended IS NULL GROUP BY c.county";
	static const char past[] =
	    "INSERT INTO region_monthly (county, month, w_entered, w_consented, w_carded, checked_in)"
	    MONTH_COLUMNS("$2") " WHERE e.started <= $3 AND (e.ended IS NULL OR e.ended > $3) GROUP BY c.county";
	static const char reviews[] =
	    "INSERT INTO region_monthly (county, month, reviews, review_points)"
	    " SELECT c.county, $1, COUNT(*), SUM(v.skill + v.attitude + v.punctuality + v.honesty)"
	    " FROM reviews v JOIN companies c ON c.id = v.company_id"
	    " WHERE v.status <> 'hidden' AND v.created_at >= $2 AND v.created_at < $3 GROUP BY c.county"
	    " ON CONFLICT (county, month) DO UPDATE SET reviews = excluded.reviews,"
	    "  review_points = excluded.review_points";
	jz_stmt *st = jz_db_prepare(db, clear);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, m->month);
	jz_db_status s = jz_stmt_exec(st);
	if (s != JZ_DB_OK)
		return s;
	if (!(st = jz_db_prepare(db, m->current ? current : past)))
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, m->month);
	jz_stmt_int(st, 2, m->end);
	if (!m->current)
		jz_stmt_text(st, 3, m->last_day);
	if ((s = jz_stmt_exec(st)) != JZ_DB_OK)
		return s;
	if (!(st = jz_db_prepare(db, reviews)))
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, m->month);
	jz_stmt_int(st, 2, m->start);
	jz_stmt_int(st, 3, m->end);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_stats_rebuild(jz_db *db, const char *today, int64_t now, const jz_stats_month *months, size_t n_months)
{
	static const char meta[] =
	    "INSERT INTO stats_meta (id, rebuilt_on, rebuilt_at) VALUES (1, $1, $2)"
	    " ON CONFLICT (id) DO UPDATE SET rebuilt_on = excluded.rebuilt_on, rebuilt_at = excluded.rebuilt_at";
	jz_db_status s = rebuild_counts(db, today, now);
	for (size_t i = 0; s == JZ_DB_OK && i < n_months; i++)
		s = rebuild_month(db, &months[i]);
	if (s != JZ_DB_OK)
		return s;
	jz_stmt *st = jz_db_prepare(db, meta);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, today);
	jz_stmt_int(st, 2, now);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_stats_rebuilt_on(jz_db *db, char out[11])
{
	static const char sql[] = "SELECT rebuilt_on FROM stats_meta WHERE id = 1";
	*out = '\0';
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		snprintf(out, 11, "%s", jz_stmt_col_text(st, 0));
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_stats_claim(jz_db *db, char out[11])
{
	/* A no-op update still locks the row (PostgreSQL); a waiting one then sees the
	 * committed day. SQLite's write transactions are one at a time anyway. */
	static const char sql[] =
	    "INSERT INTO stats_meta (id, rebuilt_on, rebuilt_at) VALUES (1, '', 0)"
	    " ON CONFLICT (id) DO UPDATE SET rebuilt_at = stats_meta.rebuilt_at RETURNING rebuilt_on";
	*out = '\0';
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return JZ_DB_ERROR;
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		snprintf(out, 11, "%s", jz_stmt_col_text(st, 0));
	jz_stmt_reset(st);
	return s;
}

/* ---- reading ---- */

jz_db_status
jz_store_stats_counties(jz_db *db, const char *lo, const char *hi,
                        void (*each)(const char *county, const jz_county_counts *c, void *arg), void *arg)
{
	static const char sql[] =
	    "SELECT county, c_pending, c_active, c_rejected, c_suspended, c_revoked, w_entered, w_verified,"
	    " w_consented, w_carded, w_ready, reviews, review_points, neg_records, open_appeals"
	    " FROM region_stats WHERE county >= $1 AND county < $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, lo);
	jz_stmt_text(st, 2, hi);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_county_counts c;
		int64_t *cols[] = {&c.c_pending, &c.c_active,   &c.c_rejected, &c.c_suspended, &c.c_revoked,
		                   &c.w_entered, &c.w_verified, &c.w_consented, &c.w_carded,   &c.w_ready,
		                   &c.reviews,   &c.review_points, &c.neg_records, &c.open_appeals};
		for (int i = 0; i < (int)(sizeof cols / sizeof cols[0]); i++)
			*cols[i] = jz_stmt_col_int(st, i + 1);
		each(jz_stmt_col_text(st, 0), &c, arg);
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_stats_months(jz_db *db, const char *lo, const char *hi, const char *since,
                      void (*each)(const char *month, const jz_month_counts *m, void *arg), void *arg)
{
	/* Summed here: a province is 12 rows back, not one per county and month. */
	static const char sql[] =
	    "SELECT month, SUM(checked_in), SUM(reviews), SUM(review_points), SUM(w_entered), SUM(w_consented),"
	    " SUM(w_carded) FROM region_monthly WHERE county >= $1 AND county < $2 AND month >= $3 GROUP BY month";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, lo);
	jz_stmt_text(st, 2, hi);
	jz_stmt_text(st, 3, since);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_month_counts m = {
		    .checked_in = jz_stmt_col_int(st, 1),
		    .reviews = jz_stmt_col_int(st, 2),
		    .review_points = jz_stmt_col_int(st, 3),
		    .w_entered = jz_stmt_col_int(st, 4),
		    .w_consented = jz_stmt_col_int(st, 5),
		    .w_carded = jz_stmt_col_int(st, 6),
		};
		each(jz_stmt_col_text(st, 0), &m, arg);
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_stats_checked_in(jz_db *db, const char *lo, const char *hi, const char *month,
                          void (*each)(const char *county, int64_t n, void *arg), void *arg)
{
	static const char sql[] = "SELECT county, checked_in FROM region_monthly"
	                          " WHERE county >= $1 AND county < $2 AND month = $3 AND checked_in <> 0";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, lo);
	jz_stmt_text(st, 2, hi);
	jz_stmt_text(st, 3, month);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row)
		each(jz_stmt_col_text(st, 0), jz_stmt_col_int(st, 1), arg);
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_stats_designations(jz_db *db, const char *lo, const char *hi, int64_t since_year,
                            void (*each)(const char *county, bool model, int64_t companies, void *arg), void *arg)
{
	/* A few hundred rows in all: counted on request. */
	static const char sql[] =
	    "SELECT c.county, d.kind, COUNT(DISTINCT d.company_id) FROM company_designations d"
	    " JOIN companies c ON c.id = d.company_id"
	    " WHERE d.withdrawn_at IS NULL AND d.year >= $3 AND c.county >= $1 AND c.county < $2"
	    " GROUP BY c.county, d.kind";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, lo);
	jz_stmt_text(st, 2, hi);
	jz_stmt_int(st, 3, since_year);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row)
		each(jz_stmt_col_text(st, 0), !strcmp(jz_stmt_col_text(st, 1), "model"), jz_stmt_col_int(st, 2), arg);
	jz_stmt_reset(st);
	return s;
}

/* ---- the workers behind a figure ---- */

#define STAGE_SQL(cond)                                                                    \
	"SELECT w.id, w.name, c.name, c.county, e.started FROM companies c"                    \
	" JOIN employments e ON e.company_id = c.id AND e.ended IS NULL"                      \
	" JOIN workers w ON w.id = e.worker_id"                                               \
	" WHERE c.county >= $1 AND c.county < $2" cond " ORDER BY e.id LIMIT $3 OFFSET $4"

jz_db_status
jz_store_stats_workers(jz_db *db, const char *lo, const char *hi, jz_stats_stage stage, const char *today,
                       int64_t now, const char *month, int limit, int offset,
                       bool (*each)(const jz_stats_worker *w, void *arg), void *arg)
{
	static const char entered[] = STAGE_SQL("");
	static const char verified[] = STAGE_SQL(" AND w.id_check_method <> ''");
	static const char consented[] = STAGE_SQL(" AND w.consent_method <> ''");
	static const char carded[] = STAGE_SQL(" AND " CARDED("$5"));
	static const char ready[] = STAGE_SQL(" AND " READY("$5"));
	static const char checked[] =
	    STAGE_SQL(" AND EXISTS (SELECT 1 FROM checkins k WHERE k.worker_id = w.id AND k.month = $5)");
	const char *sqls[] = {entered, verified, consented, carded, ready, checked};
	if ((int)stage < 0 || (size_t)stage >= sizeof sqls / sizeof sqls[0])
		return JZ_DB_ERROR;
	jz_stmt *st = jz_db_prepare(db, sqls[stage]);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, lo);
	jz_stmt_text(st, 2, hi);
	jz_stmt_int(st, 3, limit);
	jz_stmt_int(st, 4, offset);
	if (stage == JZ_STAGE_CARDED)
		jz_stmt_int(st, 5, now);
	else if (stage == JZ_STAGE_READY)
		jz_stmt_text(st, 5, today);
	else if (stage == JZ_STAGE_CHECKED_IN)
		jz_stmt_text(st, 5, month);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_stats_worker w = {
		    .id = jz_stmt_col_int(st, 0),
		    .name = jz_stmt_col_text(st, 1),
		    .company = jz_stmt_col_text(st, 2),
		    .county = jz_stmt_col_text(st, 3),
		    .started = jz_stmt_col_text(st, 4),
		};
		if (!each(&w, arg))
			break;
	}
	jz_stmt_reset(st);
	return s;
}
