/* Accounts of every role, and their sessions. */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/xmalloc.h"

#define USER_COLUMNS                                                                       \
	"u.id, u.username, u.password_hash, u.role, u.region, COALESCE(u.company_id, 0), "   \
	"u.display_name, u.disabled, u.created_at"

void
jz_user_clear(jz_user *u)
{
	if (!u)
		return;
	free(u->username);
	free(u->password_hash);
	free(u->role);
	free(u->region);
	free(u->display_name);
	memset(u, 0, sizeof *u);
}

static void
read_user(jz_stmt *st, jz_user *u)
{
	u->id = jz_stmt_col_int(st, 0);
	u->username = jz_xstrdup(jz_stmt_col_text(st, 1));
	u->password_hash = jz_xstrdup(jz_stmt_col_text(st, 2));
	u->role = jz_xstrdup(jz_stmt_col_text(st, 3));
	u->region = jz_stmt_col_is_null(st, 4) ? NULL : jz_xstrdup(jz_stmt_col_text(st, 4));
	u->company_id = jz_stmt_col_int(st, 5);
	u->display_name = jz_xstrdup(jz_stmt_col_text(st, 6));
	u->disabled = jz_stmt_col_int(st, 7) != 0;
	u->created_at = jz_stmt_col_int(st, 8);
}

/* Steps a statement expected to return at most one user. */
static jz_db_status
one_user(jz_stmt *st, jz_user *out)
{
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		read_user(st, out);
	else if (s == JZ_DB_OK)
		s = JZ_DB_NOT_FOUND;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_user_insert(jz_db *db, jz_user *u)
{
	static const char sql[] =
	    "INSERT INTO users (username, password_hash, role, region, company_id, display_name,"
	    " disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
	    " ON CONFLICT (username) DO NOTHING RETURNING id";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, u->username);
	jz_stmt_text(st, 2, u->password_hash);
	jz_stmt_text(st, 3, u->role);
	jz_stmt_text(st, 4, u->region);
	if (u->company_id)
		jz_stmt_int(st, 5, u->company_id);
	else
		jz_stmt_null(st, 5);
	jz_stmt_text(st, 6, u->display_name ? u->display_name : "");
	jz_stmt_int(st, 7, u->disabled);
	jz_stmt_int(st, 8, u->created_at);
	return jz_stmt_insert_id(st, &u->id);
}

jz_db_status
jz_store_user_get(jz_db *db, int64_t id, jz_user *out)
{
	static const char sql[] = "SELECT " USER_COLUMNS " FROM users u WHERE u.id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, id);
	return one_user(st, out);
}

jz_db_status
jz_store_user_get_by_username(jz_db *db, const char *username, jz_user *out)
{
	static const char sql[] = "SELECT " USER_COLUMNS " FROM users u WHERE u.username = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, username);
	return one_user(st, out);
}

jz_db_status
jz_store_user_set_password(jz_db *db, int64_t id, const char *password_hash)
{
	static const char sql[] = "UPDATE users SET password_hash = $1 WHERE id = $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, password_hash);
	jz_stmt_int(st, 2, id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_session_insert(jz_db *db, const char *token_hash, int64_t user_id, int64_t created_at,
                        int64_t expires_at)
{
	static const char sql[] = "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)"
	                          " VALUES ($1, $2, $3, $4)";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, token_hash);
	jz_stmt_int(st, 2, user_id);
	jz_stmt_int(st, 3, created_at);
	jz_stmt_int(st, 4, expires_at);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_session_user(jz_db *db, const char *token_hash, int64_t now, jz_user *out)
{
	static const char sql[] = "SELECT " USER_COLUMNS " FROM sessions s"
	                          " JOIN users u ON u.id = s.user_id"
	                          " WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, token_hash);
	jz_stmt_int(st, 2, now);
	return one_user(st, out);
}

jz_db_status
jz_store_session_delete(jz_db *db, const char *token_hash)
{
	static const char sql[] = "DELETE FROM sessions WHERE token_hash = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, token_hash);
	return jz_stmt_exec(st);
}
