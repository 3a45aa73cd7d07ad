/* Service records (上户) and reviews. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/xmalloc.h"

jz_db_status
jz_store_service_insert(jz_db *db, jz_service *sv)
{
	static const char sql[] =
	    "INSERT INTO service_records (worker_id, company_id, service_type, county, started,"
	    " created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, sv->worker_id);
	jz_stmt_int(st, 2, sv->company_id);
	jz_stmt_text(st, 3, sv->service_type);
	jz_stmt_text(st, 4, sv->county);
	jz_stmt_text(st, 5, sv->started);
	jz_stmt_int(st, 6, sv->created_at);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		sv->id = jz_stmt_col_int(st, 0);
	else if (s == JZ_DB_OK)
		s = JZ_DB_ERROR;
	jz_stmt_reset(st);
	return s;
}

void
jz_service_clear(jz_service *sv)
{
	free(sv->service_type);
	free(sv->county);
	free(sv->started);
	free(sv->ended);
	memset(sv, 0, sizeof *sv);
}

#define SERVICE_COLUMNS                                                                    \
	"s.id, s.worker_id, s.company_id, s.service_type, s.county, s.started, s.ended, "     \
	"(SELECT COUNT(*) FROM reviews r WHERE r.service_id = s.id), s.created_at"

static void
read_service(jz_stmt *st, jz_service *sv)
{
	sv->id = jz_stmt_col_int(st, 0);
	sv->worker_id = jz_stmt_col_int(st, 1);
	sv->company_id = jz_stmt_col_int(st, 2);
	sv->service_type = jz_xstrdup(jz_stmt_col_text(st, 3));
	sv->county = jz_xstrdup(jz_stmt_col_text(st, 4));
	sv->started = jz_xstrdup(jz_stmt_col_text(st, 5));
	sv->ended = jz_stmt_col_is_null(st, 6) ? NULL : jz_xstrdup(jz_stmt_col_text(st, 6));
	sv->reviewed = jz_stmt_col_int(st, 7) > 0;
	sv->created_at = jz_stmt_col_int(st, 8);
}

jz_db_status
jz_store_service_get(jz_db *db, int64_t id, jz_service *out)
{
	static const char sql[] = "SELECT " SERVICE_COLUMNS " FROM service_records s WHERE s.id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, id);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		read_service(st, out);
	else if (s == JZ_DB_OK)
		s = JZ_DB_NOT_FOUND;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_service_by_code(jz_db *db, const char *code_hash, int64_t now, jz_service *out)
{
	static const char sql[] = "SELECT " SERVICE_COLUMNS " FROM service_records s"
	                          " WHERE s.review_code_hash = $1 AND s.review_code_until > $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, code_hash);
	jz_stmt_int(st, 2, now);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		read_service(st, out);
	else if (s == JZ_DB_OK)
		s = JZ_DB_NOT_FOUND;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_service_end(jz_db *db, int64_t id, const char *ended, const char *code_hash, int64_t until)
{
	static const char sql[] = "UPDATE service_records SET ended = $1, review_code_hash = $2,"
	                          " review_code_until = $3 WHERE id = $4 AND ended IS NULL";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, ended);
	jz_stmt_text(st, 2, code_hash);
	jz_stmt_int(st, 3, until);
	jz_stmt_int(st, 4, id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_service_spend_code(jz_db *db, int64_t id)
{
	static const char sql[] = "UPDATE service_records SET review_code_hash = NULL,"
	                          " review_code_until = NULL WHERE id = $1 AND review_code_hash IS NOT NULL";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, id);
	jz_db_status s = jz_stmt_run(st);
	if (s == JZ_DB_OK && jz_stmt_changes(st) == 0)
		s = JZ_DB_NOT_FOUND; /* spent meanwhile: the code works once */
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_service_list(jz_db *db, int64_t worker_id, bool (*each)(const jz_service *sv, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT " SERVICE_COLUMNS " FROM service_records s WHERE s.worker_id = $1"
	                          " ORDER BY s.started DESC, s.id DESC LIMIT 100";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_service sv = {0};
		read_service(st, &sv);
		bool more = each(&sv, ctx);
		jz_service_clear(&sv);
		if (!more)
			break;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_review_insert(jz_db *db, jz_review *r)
{
	static const char sql[] =
	    "INSERT INTO reviews (service_id, worker_id, company_id, skill, attitude, punctuality,"
	    " honesty, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
	    " ON CONFLICT (service_id) DO NOTHING RETURNING id";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, r->service_id);
	jz_stmt_int(st, 2, r->worker_id);
	jz_stmt_int(st, 3, r->company_id);
	jz_stmt_int(st, 4, r->skill);
	jz_stmt_int(st, 5, r->attitude);
	jz_stmt_int(st, 6, r->punctuality);
	jz_stmt_int(st, 7, r->honesty);
	jz_stmt_text(st, 8, r->comment);
	jz_stmt_int(st, 9, r->created_at);
	return jz_stmt_insert_id(st, &r->id);
}

#define REVIEW_COLUMNS                                                                     \
	"r.id, r.service_id, r.worker_id, r.company_id, r.skill, r.attitude, r.punctuality, "  \
	"r.honesty, r.comment, r.company_reply, r.worker_reply, r.status, r.report_reason, "   \
	"r.created_at, c.county, c.prefecture, c.province, c.name"

static void
read_review(jz_stmt *st, jz_review *r)
{
	r->id = jz_stmt_col_int(st, 0);
	r->service_id = jz_stmt_col_int(st, 1);
	r->worker_id = jz_stmt_col_int(st, 2);
	r->company_id = jz_stmt_col_int(st, 3);
	r->skill = (int)jz_stmt_col_int(st, 4);
	r->attitude = (int)jz_stmt_col_int(st, 5);
	r->punctuality = (int)jz_stmt_col_int(st, 6);
	r->honesty = (int)jz_stmt_col_int(st, 7);
	r->comment = jz_stmt_col_text(st, 8);
	r->company_reply = jz_stmt_col_text(st, 9);
	r->worker_reply = jz_stmt_col_text(st, 10);
	r->status = jz_stmt_col_text(st, 11);
	r->report_reason = jz_stmt_col_text(st, 12);
	r->created_at = jz_stmt_col_int(st, 13);
	r->county = jz_stmt_col_text(st, 14);
	r->prefecture = jz_stmt_col_text(st, 15);
	r->province = jz_stmt_col_text(st, 16);
	r->company_name = jz_stmt_col_text(st, 17);
}

static jz_db_status
each_review(jz_stmt *st, bool (*each)(const jz_review *r, void *ctx), void *ctx)
{
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_review r;
		read_review(st, &r);
		if (!each(&r, ctx))
			break;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_review_get(jz_db *db, int64_t id, bool (*each)(const jz_review *r, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT " REVIEW_COLUMNS " FROM reviews r JOIN companies c ON c.id = r.company_id"
	                          " WHERE r.id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, id);
	return each_review(st, each, ctx);
}

jz_db_status
jz_store_review_list(jz_db *db, int64_t worker_id, bool include_hidden,
                     bool (*each)(const jz_review *r, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT " REVIEW_COLUMNS " FROM reviews r JOIN companies c ON c.id = r.company_id"
	                          " WHERE r.worker_id = $1 AND (r.status <> 'hidden' OR $2 = 1)"
	                          " ORDER BY r.created_at DESC, r.id DESC LIMIT 200";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	jz_stmt_int(st, 2, include_hidden);
	return each_review(st, each, ctx);
}

jz_db_status
jz_store_review_reported(jz_db *db, const char *scope, bool (*each)(const jz_review *r, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT " REVIEW_COLUMNS " FROM reviews r JOIN companies c ON c.id = r.company_id"
	                          " WHERE r.status = 'reported'"
	                          " AND (c.county = $1 OR c.prefecture = $1 OR c.province = $1)"
	                          " ORDER BY r.created_at LIMIT 200";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, scope);
	return each_review(st, each, ctx);
}

/* Runs an UPDATE of one review ($1 a text, $2 the id) that must match a row. */
static jz_db_status
update_review(jz_db *db, const char *sql, const char *text, int64_t id)
{
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, text);
	jz_stmt_int(st, 2, id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_review_reply(jz_db *db, int64_t id, bool by_worker, const char *text)
{
	static const char company[] = "UPDATE reviews SET company_reply = $1 WHERE id = $2";
	static const char worker[] = "UPDATE reviews SET worker_reply = $1 WHERE id = $2";
	return update_review(db, by_worker ? worker : company, text, id);
}

jz_db_status
jz_store_review_report(jz_db *db, int64_t id, const char *reason)
{
	static const char sql[] = "UPDATE reviews SET status = 'reported', report_reason = $1"
	                          " WHERE id = $2 AND status = 'visible'";
	return update_review(db, sql, reason, id);
}

jz_db_status
jz_store_review_moderate(jz_db *db, int64_t id, const char *status, const char *by)
{
	static const char keep[] = "UPDATE reviews SET status = 'visible', moderated_by = $1"
	                           " WHERE id = $2 AND status = 'reported'";
	static const char hide[] = "UPDATE reviews SET status = 'hidden', moderated_by = $1"
	                           " WHERE id = $2 AND status = 'reported'";
	return update_review(db, strcmp(status, "hidden") ? keep : hide, by, id);
}

jz_db_status
jz_store_review_totals(jz_db *db, int64_t worker_id, int64_t *count, double *sum)
{
	/* A review's score is the mean of its four dimensions; hidden reviews do not count. */
	static const char sql[] =
	    "SELECT COUNT(*), COALESCE(SUM(skill + attitude + punctuality + honesty), 0)"
	    " FROM reviews WHERE worker_id = $1 AND status <> 'hidden'";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	*count = s == JZ_DB_OK && row ? jz_stmt_col_int(st, 0) : 0;
	*sum = s == JZ_DB_OK && row ? (double)jz_stmt_col_int(st, 1) / 4.0 : 0;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_worker_first_employment(jz_db *db, int64_t worker_id, char started[11])
{
	static const char sql[] = "SELECT MIN(started) FROM employments WHERE worker_id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	started[0] = '\0';
	if (s == JZ_DB_OK && row && !jz_stmt_col_is_null(st, 0))
		snprintf(started, 11, "%s", jz_stmt_col_text(st, 0));
	jz_stmt_reset(st);
	return s;
}
