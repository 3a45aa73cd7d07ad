/* Workers: one record per person, with sealed ID number and phone. */
#include <stdlib.h>
#include <string.h>

#include "store/facts.h"
#include "store/store.h"
#include "util/xmalloc.h"

#define WORKER_COLUMNS                                                                     \
	"id, id_hash, id_sealed, name, female, birth_date, native_region, phone_hash, "      \
	"phone_sealed, service_types, id_check_method, COALESCE(id_check_at, 0), "          \
	"id_check_by, bg_status, COALESCE(bg_at, 0), bg_source, consent_method, "           \
	"COALESCE(consent_at, 0), password_hash IS NOT NULL, entered_by, created_at, "       \
	"updated_at, COALESCE(bg_confirmed_at, 0)"

static char *
dup_or_null(jz_stmt *st, int col)
{
	return jz_stmt_col_is_null(st, col) ? NULL : jz_xstrdup(jz_stmt_col_text(st, col));
}

void
jz_worker_clear(jz_worker *w)
{
	if (!w)
		return;
	char **fields[] = {&w->id_sealed,       &w->name,        &w->birth_date, &w->native_region,
	                   &w->phone_sealed,    &w->service_types, &w->id_check_method,
	                   &w->id_check_by,     &w->bg_status,   &w->bg_source,  &w->consent_method};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		free(*fields[i]);
	memset(w, 0, sizeof *w);
}

/* A lookup hash column into out; all zero when NULL or not a hash. */
static void
read_hash(jz_stmt *st, int col, unsigned char out[JZ_LOOKUP_HASH_LEN])
{
	size_t n;
	const unsigned char *b = jz_stmt_col_blob(st, col, &n);
	if (b && n == JZ_LOOKUP_HASH_LEN)
		memcpy(out, b, JZ_LOOKUP_HASH_LEN);
	else
		memset(out, 0, JZ_LOOKUP_HASH_LEN);
}

static void
read_worker(jz_stmt *st, jz_worker *w)
{
	w->id = jz_stmt_col_int(st, 0);
	read_hash(st, 1, w->id_hash);
	w->id_sealed = jz_xstrdup(jz_stmt_col_text(st, 2));
	w->name = jz_xstrdup(jz_stmt_col_text(st, 3));
	w->female = jz_stmt_col_int(st, 4) != 0;
	w->birth_date = jz_xstrdup(jz_stmt_col_text(st, 5));
	w->native_region = jz_xstrdup(jz_stmt_col_text(st, 6));
	read_hash(st, 7, w->phone_hash);
	w->phone_sealed = dup_or_null(st, 8);
	w->service_types = jz_xstrdup(jz_stmt_col_text(st, 9));
	w->id_check_method = jz_xstrdup(jz_stmt_col_text(st, 10));
	w->id_check_at = jz_stmt_col_int(st, 11);
	w->id_check_by = jz_xstrdup(jz_stmt_col_text(st, 12));
	w->bg_status = jz_xstrdup(jz_stmt_col_text(st, 13));
	w->bg_at = jz_stmt_col_int(st, 14);
	w->bg_source = jz_xstrdup(jz_stmt_col_text(st, 15));
	w->consent_method = jz_xstrdup(jz_stmt_col_text(st, 16));
	w->consent_at = jz_stmt_col_int(st, 17);
	/* PostgreSQL prints booleans as t/f, SQLite as 1/0. */
	const char *hp = jz_stmt_col_text(st, 18);
	w->has_password = *hp == 't' || *hp == '1';
	w->entered_by = jz_stmt_col_int(st, 19);
	w->created_at = jz_stmt_col_int(st, 20);
	w->updated_at = jz_stmt_col_int(st, 21);
	w->bg_confirmed_at = jz_stmt_col_int(st, 22);
}

/* Runs a statement whose single result row is one worker. */
static jz_db_status
one_worker(jz_stmt *st, jz_worker *out)
{
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		read_worker(st, out);
	else if (s == JZ_DB_OK)
		s = JZ_DB_NOT_FOUND;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_worker_insert(jz_db *db, jz_worker *w)
{
	static const char sql[] =
	    "INSERT INTO workers (id_hash, id_sealed, name, female, birth_date, native_region,"
	    " phone_hash, phone_sealed, service_types, consent_method, consent_at, entered_by,"
	    " created_at, updated_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)"
	    " ON CONFLICT DO NOTHING";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_blob(st, 1, w->id_hash, JZ_LOOKUP_HASH_LEN);
	jz_stmt_text(st, 2, w->id_sealed);
	jz_stmt_text(st, 3, w->name);
	jz_stmt_int(st, 4, w->female);
	jz_stmt_text(st, 5, w->birth_date);
	jz_stmt_text(st, 6, w->native_region);
	if (w->phone_sealed)
		jz_stmt_blob(st, 7, w->phone_hash, JZ_LOOKUP_HASH_LEN);
	else
		jz_stmt_null(st, 7);
	jz_stmt_text(st, 8, w->phone_sealed);
	jz_stmt_text(st, 9, w->service_types ? w->service_types : "");
	jz_stmt_text(st, 10, w->consent_method ? w->consent_method : "");
	if (w->consent_at)
		jz_stmt_int(st, 11, w->consent_at);
	else
		jz_stmt_null(st, 11);
	jz_stmt_int(st, 12, w->entered_by);
	jz_stmt_int(st, 13, w->created_at);
	jz_db_status s = jz_stmt_run(st);
	if (s == JZ_DB_OK && jz_stmt_changes(st) == 1)
		w->id = jz_db_last_id(db);
	else if (s == JZ_DB_OK)
		s = JZ_DB_CONFLICT;
	jz_stmt_reset(st);
	return s;
}

static jz_db_status
worker_where(jz_db *db, const char *sql, const unsigned char *key, int64_t id, jz_worker *out)
{
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	if (key)
		jz_stmt_blob(st, 1, key, JZ_LOOKUP_HASH_LEN);
	else
		jz_stmt_int(st, 1, id);
	return one_worker(st, out);
}

jz_db_status
jz_store_worker_get(jz_db *db, int64_t id, jz_worker *out)
{
	static const char sql[] = "SELECT " WORKER_COLUMNS " FROM workers WHERE id = $1";
	return worker_where(db, sql, NULL, id, out);
}

jz_db_status
jz_store_worker_by_id_hash(jz_db *db, const unsigned char id_hash[JZ_LOOKUP_HASH_LEN], jz_worker *out)
{
	static const char sql[] = "SELECT " WORKER_COLUMNS " FROM workers WHERE id_hash = $1";
	return worker_where(db, sql, id_hash, 0, out);
}

jz_db_status
jz_store_worker_by_phone_hash(jz_db *db, const unsigned char phone_hash[JZ_LOOKUP_HASH_LEN],
                              jz_worker *out)
{
	static const char sql[] = "SELECT " WORKER_COLUMNS " FROM workers WHERE phone_hash = $1";
	return worker_where(db, sql, phone_hash, 0, out);
}

jz_db_status
jz_store_worker_id(jz_db *db, const unsigned char id_hash[JZ_LOOKUP_HASH_LEN], int64_t *id)
{
	static const char sql[] = "SELECT id FROM workers WHERE id_hash = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_blob(st, 1, id_hash, JZ_LOOKUP_HASH_LEN);
	return jz_stmt_one_int(st, id);
}

jz_db_status
jz_store_worker_password(jz_db *db, int64_t id, char **password_hash)
{
	static const char sql[] = "SELECT password_hash FROM workers WHERE id = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, id);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	*password_hash = NULL;
	if (s == JZ_DB_OK && row && !jz_stmt_col_is_null(st, 0))
		*password_hash = jz_xstrdup(jz_stmt_col_text(st, 0));
	else if (s == JZ_DB_OK)
		s = JZ_DB_NOT_FOUND;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_worker_set_contact(jz_db *db, int64_t id, const unsigned char phone_hash[JZ_LOOKUP_HASH_LEN],
                            const char *phone_sealed, int64_t at)
{
	static const char sql[] =
	    "UPDATE workers SET phone_hash = $1, phone_sealed = $2, updated_at = $3 WHERE id = $4";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_blob(st, 1, phone_hash, JZ_LOOKUP_HASH_LEN);
	jz_stmt_text(st, 2, phone_sealed);
	jz_stmt_int(st, 3, at);
	jz_stmt_int(st, 4, id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_worker_set_consent(jz_db *db, int64_t id, const char *method, int64_t at,
                            const char *password_hash)
{
	/* Confirming spends the one-time code. A paper consent keeps an existing password. */
	static const char sql[] =
	    "UPDATE workers SET consent_method = $1, consent_at = $2, updated_at = $2,"
	    " password_hash = COALESCE($3, password_hash), consent_code_hash = NULL,"
	    " consent_code_until = NULL WHERE id = $4";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, method);
	jz_stmt_int(st, 2, at);
	jz_stmt_text(st, 3, password_hash);
	jz_stmt_int(st, 4, id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_worker_set_consent_code(jz_db *db, int64_t id, const char *code_hash, int64_t until)
{
	static const char sql[] =
	    "UPDATE workers SET consent_code_hash = $1, consent_code_until = $2 WHERE id = $3";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, code_hash);
	jz_stmt_int(st, 2, until);
	jz_stmt_int(st, 3, id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_worker_by_consent_code(jz_db *db, const char *code_hash, int64_t now, jz_worker *out)
{
	static const char sql[] = "SELECT " WORKER_COLUMNS " FROM workers"
	                          " WHERE consent_code_hash = $1 AND consent_code_until > $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, code_hash);
	jz_stmt_int(st, 2, now);
	return one_worker(st, out);
}

jz_db_status
jz_store_worker_set_id_check(jz_db *db, int64_t id, const char *method, int64_t at, const char *by)
{
	static const char sql[] = "UPDATE workers SET id_check_method = $1, id_check_at = $2,"
	                          " id_check_by = $3, updated_at = $2 WHERE id = $4";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, method);
	jz_stmt_int(st, 2, at);
	jz_stmt_text(st, 3, by);
	jz_stmt_int(st, 4, id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_worker_set_background(jz_db *db, int64_t id, const char *status, int64_t at,
                               const char *source)
{
	/* A new result needs a new confirmation before a flag shows publicly. */
	static const char sql[] = "UPDATE workers SET bg_status = $1, bg_at = $2, bg_source = $3,"
	                          " bg_confirmed_by = NULL, bg_confirmed_at = NULL, updated_at = $2"
	                          " WHERE id = $4";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, status);
	jz_stmt_int(st, 2, at);
	jz_stmt_text(st, 3, source);
	jz_stmt_int(st, 4, id);
	return jz_stmt_exec_one(st);
}

jz_db_status
jz_store_worker_set_service_types(jz_db *db, int64_t id, const char *types, int64_t at)
{
	static const char sql[] =
	    "UPDATE workers SET service_types = $1, updated_at = $2 WHERE id = $3";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, types);
	jz_stmt_int(st, 2, at);
	jz_stmt_int(st, 3, id);
	return jz_stmt_exec_one(st);
}

/* One expiry of the packed column (store/facts.h) as the facts keep it: NULL for none,
 * "" for never. */
static char *
expiry(const char *v, size_t len)
{
	if (len == 1 && *v == '-')
		return NULL;
	if (len == 10 && !strncmp(v, "9999-99-99", 10))
		return jz_xstrdup("");
	return jz_xstrndup(v, len);
}

void
jz_store_read_facts(jz_stmt *st, int col, jz_worker_facts *f)
{
	char **kinds[] = {&f->insurance, &f->work_permit, &f->health};
	const char *v = jz_stmt_col_is_null(st, col) ? "" : jz_stmt_col_text(st, col);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		size_t len = strcspn(v, "|");
		*kinds[i] = len ? expiry(v, len) : NULL;
		v += len + (v[len] == '|');
	}
	int64_t issued = jz_stmt_col_int(st, col + 1);
	f->uniform = issued & 1;
	f->toolkit = (issued & 2) != 0;
}

void
jz_worker_facts_clear(jz_worker_facts *f)
{
	free(f->insurance);
	free(f->work_permit);
	free(f->health);
	memset(f, 0, sizeof *f);
}

jz_db_status
jz_store_worker_facts(jz_db *db, int64_t worker_id, jz_worker_facts *out)
{
	static const char sql[] = "SELECT " FACTS_COLUMNS " FROM workers w WHERE w.id = $1";
	memset(out, 0, sizeof *out);
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, worker_id);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		jz_store_read_facts(st, 0, out);
	else if (s == JZ_DB_OK)
		s = JZ_DB_NOT_FOUND;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_company_workers(jz_db *db, int64_t company_id, int limit, int offset,
                         bool (*each)(const jz_worker *w, const jz_worker_facts *f, void *ctx), void *ctx,
                         int64_t *total)
{
	static const char count_sql[] =
	    "SELECT COUNT(*) FROM employments WHERE company_id = $1 AND ended IS NULL";
	/* One statement for a whole page (or a whole company): the readiness facts of every
	 * worker come with it instead of three queries a worker. */
	static const char sql[] =
	    "SELECT " WORKER_COLUMNS ", " FACTS_COLUMNS " FROM workers w WHERE id IN"
	    " (SELECT worker_id FROM employments WHERE company_id = $1 AND ended IS NULL)"
	    " ORDER BY name, id LIMIT $2 OFFSET $3";
	jz_stmt *st = jz_db_prepare(db, count_sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, company_id);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	*total = s == JZ_DB_OK && row ? jz_stmt_col_int(st, 0) : 0;
	jz_stmt_reset(st);
	if (s != JZ_DB_OK)
		return s;
	st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, company_id);
	jz_stmt_int(st, 2, limit > 0 ? limit : 50);
	jz_stmt_int(st, 3, offset > 0 ? offset : 0);
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_worker w = {0};
		read_worker(st, &w);
		jz_worker_facts f = {0};
		jz_store_read_facts(st, 23, &f);
		bool more = each(&w, &f, ctx);
		jz_worker_clear(&w);
		jz_worker_facts_clear(&f);
		if (!more)
			break;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_worker_session_insert(jz_db *db, const char *token_hash, int64_t worker_id,
                               int64_t created_at, int64_t expires_at)
{
	static const char sql[] = "INSERT INTO worker_sessions (token_hash, worker_id, created_at,"
	                          " expires_at) VALUES ($1, $2, $3, $4)";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, token_hash);
	jz_stmt_int(st, 2, worker_id);
	jz_stmt_int(st, 3, created_at);
	jz_stmt_int(st, 4, expires_at);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_worker_session(jz_db *db, const char *token_hash, int64_t now, int64_t *worker_id)
{
	static const char sql[] =
	    "SELECT worker_id FROM worker_sessions WHERE token_hash = $1 AND expires_at > $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, token_hash);
	jz_stmt_int(st, 2, now);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	*worker_id = s == JZ_DB_OK && row ? jz_stmt_col_int(st, 0) : 0;
	if (s == JZ_DB_OK && !row)
		s = JZ_DB_NOT_FOUND;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_worker_session_delete(jz_db *db, const char *token_hash)
{
	static const char sql[] = "DELETE FROM worker_sessions WHERE token_hash = $1";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, token_hash);
	return jz_stmt_exec(st);
}

jz_db_status
jz_store_worker_sealed_after(jz_db *db, int64_t after_id, int limit,
                             bool (*each)(int64_t id, const char *id_sealed, const char *phone_sealed, void *ctx),
                             void *ctx)
{
	static const char sql[] = "SELECT id, id_sealed, phone_sealed FROM workers WHERE id > $1"
	                          " ORDER BY id LIMIT $2";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_int(st, 1, after_id);
	jz_stmt_int(st, 2, limit);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		const char *phone = jz_stmt_col_is_null(st, 2) ? NULL : jz_stmt_col_text(st, 2);
		if (!each(jz_stmt_col_int(st, 0), jz_stmt_col_text(st, 1), phone, ctx))
			break;
	}
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_worker_reseal(jz_db *db, int64_t id, const char *id_sealed, const char *phone_sealed)
{
	static const char sql[] = "UPDATE workers SET id_sealed = $1, phone_sealed = $2 WHERE id = $3";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, id_sealed);
	jz_stmt_text(st, 2, phone_sealed);
	jz_stmt_int(st, 3, id);
	return jz_stmt_exec_one(st);
}
