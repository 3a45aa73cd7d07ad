/* The facts a company's rating is computed from (src/core/rating.c), in one statement:
 * its current workers, their cards and check-ins, its reviews, confirmed records about it
 * and its workers, and its current designations. */
#include "store/store.h"

/* A record counts while it is published and its period of credit repair runs ($3 = now). */
#define COUNTING " r.polarity = 'negative' AND r.status = 'published'" \
	" AND (r.expires_at IS NULL OR r.expires_at > $3)"
#define CURRENT_WORKERS " FROM employments e WHERE e.company_id = $1 AND e.ended IS NULL"

jz_db_status
jz_store_company_rating_facts(jz_db *db, int64_t company_id, const char *since_month,
                              int64_t since_year, int64_t now, jz_rating_facts *out)
{
	static const char sql[] =
	    "SELECT (SELECT COUNT(*)" CURRENT_WORKERS "),"
	    " (SELECT COUNT(*)" CURRENT_WORKERS " AND EXISTS (SELECT 1 FROM cards c"
	    "  WHERE c.worker_id = e.worker_id AND c.status = 'active'"
	    "  AND (c.expires_at IS NULL OR c.expires_at > $3))),"
	    " (SELECT COUNT(*)" CURRENT_WORKERS " AND EXISTS (SELECT 1 FROM checkins k"
	    "  WHERE k.worker_id = e.worker_id AND k.month >= $2)),"
	    " (SELECT COUNT(*) FROM reviews v WHERE v.company_id = $1 AND v.status <> 'hidden'),"
	    " (SELECT COALESCE(SUM(v.skill + v.attitude + v.punctuality + v.honesty), 0)"
	    "  FROM reviews v WHERE v.company_id = $1 AND v.status <> 'hidden'),"
	    " (SELECT COUNT(*) FROM credit_records r WHERE r.company_id = $1 AND r.severity = 'minor' AND" COUNTING "),"
	    " (SELECT COUNT(*) FROM credit_records r WHERE r.company_id = $1 AND r.severity = 'serious' AND" COUNTING "),"
	    " (SELECT COUNT(*) FROM credit_records r WHERE r.company_id = $1 AND r.severity = 'grave' AND" COUNTING "),"
	    " (SELECT COUNT(*) FROM credit_records r WHERE r.worker_id IN (SELECT e.worker_id" CURRENT_WORKERS ")"
	    "  AND" COUNTING "),"
	    " (SELECT COUNT(*) FROM company_designations d WHERE d.company_id = $1 AND d.kind = 'model'"
	    "  AND d.withdrawn_at IS NULL AND d.year >= $4),"
	    " (SELECT COUNT(*) FROM company_designations d WHERE d.company_id = $1 AND d.kind = 'benchmark'"
	    "  AND d.withdrawn_at IS NULL AND d.year >= $4)";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, company_id);
	jz_stmt_text(st, 2, since_month);
	jz_stmt_int(st, 3, now);
	jz_stmt_int(st, 4, since_year);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row) {
		int64_t *cols[] = {&out->employed, &out->carded, &out->checked_in, &out->reviews,
		                   &out->review_points, &out->company_negative[0], &out->company_negative[1],
		                   &out->company_negative[2], &out->worker_negative, &out->model,
		                   &out->benchmark};
		for (int i = 0; i < (int)(sizeof cols / sizeof cols[0]); i++)
			*cols[i] = jz_stmt_col_int(st, i);
	} else if (s == JZ_DB_OK) {
		s = JZ_DB_NOT_FOUND;
	}
	jz_stmt_reset(st);
	return s;
}
