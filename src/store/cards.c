/* Worker cards (诚信一卡通): issue, look up and revoke, written once for both engines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/facts.h"
#include "store/store.h"
#include "util/xmalloc.h"

#define CARD_COLUMNS                                                                               \
	"id, serial, worker_id, company_id, status, COALESCE(revoke_reason, ''), issued_at,"       \
	" COALESCE(expires_at, 0), COALESCE(revoked_at, 0)"

void
jz_card_clear(jz_card *c)
{
	if (!c)
		return;
	free(c->serial);
	free(c->status);
	free(c->revoke_reason);
	memset(c, 0, sizeof *c);
}

static void
read_card(jz_stmt *st, jz_card *out)
{
	out->id = jz_stmt_col_int(st, 0);
	out->serial = jz_xstrdup(jz_stmt_col_text(st, 1));
	out->worker_id = jz_stmt_col_int(st, 2);
	out->company_id = jz_stmt_col_int(st, 3);
	out->status = jz_xstrdup(jz_stmt_col_text(st, 4));
	out->revoke_reason = jz_xstrdup(jz_stmt_col_text(st, 5));
	out->issued_at = jz_stmt_col_int(st, 6);
	out->expires_at = jz_stmt_col_int(st, 7);
	out->revoked_at = jz_stmt_col_int(st, 8);
}

/* Runs a prepared one-row query into out; NOT_FOUND without a row. */
static jz_db_status
one_card(jz_stmt *st, jz_card *out)
{
	bool row;
	memset(out, 0, sizeof *out);
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && !row)
		s = JZ_DB_NOT_FOUND;
	if (s == JZ_DB_OK)
		read_card(st, out);
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_card_insert(jz_db *db, jz_card *c)
{
	/* DO NOTHING rather than an error: a refused insert must not abort a PostgreSQL
	 * transaction, so the caller can look at why and try another serial. */
	static const char sql[] =
	    "INSERT INTO cards (serial, worker_id, company_id, status, issued_at, expires_at)"
	    " VALUES ($1, $2, $3, 'active', $4, $5) ON CONFLICT DO NOTHING RETURNING id";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, c->serial);
	jz_stmt_int(st, 2, c->worker_id);
	jz_stmt_int(st, 3, c->company_id);
	jz_stmt_int(st, 4, c->issued_at);
	if (c->expires_at)
		jz_stmt_int(st, 5, c->expires_at);
	else
		jz_stmt_null(st, 5);
	return jz_stmt_insert_id(st, &c->id);
}

jz_db_status
jz_store_card_get(jz_db *db, int64_t id, jz_card *out)
{
	static const char sql[] = "SELECT " CARD_COLUMNS " FROM cards WHERE id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, id);
	return one_card(st, out);
}

jz_db_status
jz_store_card_active(jz_db *db, int64_t worker_id, jz_card *out)
{
	static const char sql[] =
	    "SELECT " CARD_COLUMNS " FROM cards WHERE worker_id = $1 AND status = 'active'";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	return one_card(st, out);
}

jz_db_status
jz_store_card_revoke(jz_db *db, int64_t id, const char *reason, int64_t at)
{
	static const char sql[] =
	    "UPDATE cards SET status = 'revoked', revoke_reason = $1, revoked_at = $2"
	    " WHERE id = $3 AND status = 'active'";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, reason);
	jz_stmt_int(st, 2, at);
	jz_stmt_int(st, 3, id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_card_set_mac(jz_db *db, int64_t id, const char *mac)
{
	static const char sql[] = "UPDATE cards SET token_mac = $1 WHERE id = $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, mac);
	jz_stmt_int(st, 2, id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_cards_without_mac(jz_db *db, int64_t after, int limit,
                           bool (*each)(const jz_card *c, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT " CARD_COLUMNS " FROM cards"
	                          " WHERE token_mac IS NULL AND id > $1 ORDER BY id LIMIT $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, after);
	jz_stmt_int(st, 2, limit);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_card c;
		read_card(st, &c);
		bool more = each(&c, ctx);
		jz_card_clear(&c);
		if (!more)
			break;
	}
	jz_stmt_reset(st);
	return s;
}

void
jz_card_view_clear(jz_card_view *v)
{
	if (!v)
		return;
	jz_card_clear(&v->card);
	free(v->token_mac);
	jz_worker_clear(&v->worker);
	free(v->company_name);
	jz_worker_facts_clear(&v->facts);
	free(v->employers);
	memset(v, 0, sizeof *v);
}

/* The columns of jz_store_card_view after the card's (0 .. 8). */
enum {
	VIEW_MAC = 9,
	VIEW_WORKER = 10, /* name, birth_date, native_region, service_types, id_check_method,
	                   * id_check_at, bg_status, bg_at, consent_method */
	VIEW_COMPANY = 19,
	VIEW_FACTS = 20, /* FACTS_N of them */
	VIEW_CHECKIN = VIEW_FACTS + FACTS_N,
	VIEW_REVIEWS,
	VIEW_REVIEW_POINTS,
	VIEW_FIRST_EMPLOYMENT,
	VIEW_BG_CONFIRMED,
	VIEW_NEGATIVES,
	VIEW_EMPLOYERS,
};

static void
copy_text(jz_stmt *st, int col, char *out, size_t size)
{
	snprintf(out, size, "%s", jz_stmt_col_is_null(st, col) ? "" : jz_stmt_col_text(st, col));
}

static void
read_view(jz_stmt *st, jz_card_view *v)
{
	read_card(st, &v->card);
	v->token_mac = jz_stmt_col_is_null(st, VIEW_MAC) ? NULL
	                                                 : jz_xstrdup(jz_stmt_col_text(st, VIEW_MAC));
	jz_worker *w = &v->worker;
	w->id = v->card.worker_id;
	w->name = jz_xstrdup(jz_stmt_col_text(st, VIEW_WORKER));
	w->birth_date = jz_xstrdup(jz_stmt_col_text(st, VIEW_WORKER + 1));
	w->native_region = jz_xstrdup(jz_stmt_col_text(st, VIEW_WORKER + 2));
	w->service_types = jz_xstrdup(jz_stmt_col_text(st, VIEW_WORKER + 3));
	w->id_check_method = jz_xstrdup(jz_stmt_col_text(st, VIEW_WORKER + 4));
	w->id_check_at = jz_stmt_col_int(st, VIEW_WORKER + 5);
	w->bg_status = jz_xstrdup(jz_stmt_col_text(st, VIEW_WORKER + 6));
	w->bg_at = jz_stmt_col_int(st, VIEW_WORKER + 7);
	w->consent_method = jz_xstrdup(jz_stmt_col_text(st, VIEW_WORKER + 8));
	v->company_name = jz_xstrdup(jz_stmt_col_text(st, VIEW_COMPANY));
	jz_store_read_facts(st, VIEW_FACTS, &v->facts);
	copy_text(st, VIEW_CHECKIN, v->last_checkin, sizeof v->last_checkin);
	v->reviews = jz_stmt_col_int(st, VIEW_REVIEWS);
	v->review_sum = (double)jz_stmt_col_int(st, VIEW_REVIEW_POINTS) / 4.0;
	copy_text(st, VIEW_FIRST_EMPLOYMENT, v->first_employment, sizeof v->first_employment);
	w->bg_confirmed_at = jz_stmt_col_int(st, VIEW_BG_CONFIRMED);
	v->negative_records = jz_stmt_col_int(st, VIEW_NEGATIVES);
	v->employers = jz_xstrdup(jz_stmt_col_text(st, VIEW_EMPLOYERS));
}

jz_db_status
jz_store_card_view(jz_db *db, int64_t id, jz_card_view *out)
{
	/* The card, its worker's face (migration 012: kept by triggers, so a scan reads one
	 * small table instead of ten subqueries over six large ones) and its company. The
	 * face's expiries and equipment have the format of FACTS_COLUMNS. */
	static const char sql[] =
	    "SELECT k.id, k.serial, k.worker_id, k.company_id, k.status,"
	    " COALESCE(k.revoke_reason, ''), k.issued_at, COALESCE(k.expires_at, 0),"
	    " COALESCE(k.revoked_at, 0), k.token_mac,"
	    " f.name, f.birth_date, f.native_region, f.service_types, f.id_check_method,"
	    " f.id_check_at, f.bg_status, f.bg_at, f.consent_method,"
	    " co.name, f.expiries, f.equipment, f.last_checkin, f.reviews, f.review_points,"
	    " f.first_employment, f.bg_confirmed_at, f.negatives, f.employers"
	    " FROM cards k JOIN card_faces f ON f.worker_id = k.worker_id"
	    " JOIN companies co ON co.id = k.company_id WHERE k.id = $1";
	memset(out, 0, sizeof *out);
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, id);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && !row)
		s = JZ_DB_NOT_FOUND;
	if (s == JZ_DB_OK)
		read_view(st, out);
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_card_faces_refresh(jz_db *db, const int64_t *worker_ids, size_t n)
{
	/* Setting refresh recomputes a face (migration 012); a worker without one is skipped
	 * by a primary-key look-up. Only SQLite sets the triggers aside for a batch: on
	 * PostgreSQL they ran with every write, so its faces are current already. */
	static const char sql[] = "UPDATE card_faces SET refresh = 1 WHERE worker_id = $1";
	if (jz_db_kind_of(db) != JZ_DB_SQLITE)
		return JZ_DB_OK;
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_db_status s = JZ_DB_OK;
	for (size_t i = 0; i < n && s == JZ_DB_OK; i++) {
		jz_stmt_int(st, 1, worker_ids[i]);
		s = jz_stmt_exec(st);
	}
	return s;
}
