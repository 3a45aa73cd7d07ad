/* Worker cards (诚信一卡通): issue, look up and revoke, written once for both engines. */
#include <stdlib.h>
#include <string.h>

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
		return JZ_DB_ERROR;
	jz_stmt_text(st, 1, c->serial);
	jz_stmt_int(st, 2, c->worker_id);
	jz_stmt_int(st, 3, c->company_id);
	jz_stmt_int(st, 4, c->issued_at);
	if (c->expires_at)
		jz_stmt_int(st, 5, c->expires_at);
	else
		jz_stmt_null(st, 5);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && !row)
		s = JZ_DB_CONFLICT;
	if (s == JZ_DB_OK)
		c->id = jz_stmt_col_int(st, 0);
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_card_get(jz_db *db, int64_t id, jz_card *out)
{
	static const char sql[] = "SELECT " CARD_COLUMNS " FROM cards WHERE id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return JZ_DB_ERROR;
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
		return JZ_DB_ERROR;
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
		return JZ_DB_ERROR;
	jz_stmt_text(st, 1, reason);
	jz_stmt_int(st, 2, at);
	jz_stmt_int(st, 3, id);
	return jz_stmt_exec_one(st);
}
