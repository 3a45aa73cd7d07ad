/* Companies: applications, admission decisions and the public register. */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define COMPANY_COLUMNS                                                                    \
	"id, uscc, name, legal_rep, address, phone, county, prefecture, province, "         \
	"service_types, commitment_by, commitment_at, status, status_reason, "              \
	"COALESCE(decided_by, 0), COALESCE(decided_at, 0), query_code_hash, created_at, "   \
	"updated_at"

void
jz_company_clear(jz_company *c)
{
	if (!c)
		return;
	char **fields[] = {&c->uscc, &c->name, &c->legal_rep, &c->address, &c->phone,
	                   &c->county, &c->prefecture, &c->province, &c->service_types,
	                   &c->commitment_by, &c->status, &c->status_reason, &c->query_code_hash};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		free(*fields[i]);
	memset(c, 0, sizeof *c);
}

static void
read_company(jz_stmt *st, jz_company *c)
{
	c->id = jz_stmt_col_int(st, 0);
	c->uscc = jz_xstrdup(jz_stmt_col_text(st, 1));
	c->name = jz_xstrdup(jz_stmt_col_text(st, 2));
	c->legal_rep = jz_xstrdup(jz_stmt_col_text(st, 3));
	c->address = jz_xstrdup(jz_stmt_col_text(st, 4));
	c->phone = jz_xstrdup(jz_stmt_col_text(st, 5));
	c->county = jz_xstrdup(jz_stmt_col_text(st, 6));
	c->prefecture = jz_xstrdup(jz_stmt_col_text(st, 7));
	c->province = jz_xstrdup(jz_stmt_col_text(st, 8));
	c->service_types = jz_xstrdup(jz_stmt_col_text(st, 9));
	c->commitment_by = jz_xstrdup(jz_stmt_col_text(st, 10));
	c->commitment_at = jz_stmt_col_int(st, 11);
	c->status = jz_xstrdup(jz_stmt_col_text(st, 12));
	c->status_reason = jz_xstrdup(jz_stmt_col_text(st, 13));
	c->decided_by = jz_stmt_col_int(st, 14);
	c->decided_at = jz_stmt_col_int(st, 15);
	c->query_code_hash = jz_xstrdup(jz_stmt_col_text(st, 16));
	c->created_at = jz_stmt_col_int(st, 17);
	c->updated_at = jz_stmt_col_int(st, 18);
}

/* Binds the 15 application columns in the order of the INSERTs below. */
static void
bind_company(jz_stmt *st, const jz_company *c)
{
	jz_stmt_text(st, 1, c->uscc);
	jz_stmt_text(st, 2, c->name);
	jz_stmt_text(st, 3, c->legal_rep);
	jz_stmt_text(st, 4, c->address);
	jz_stmt_text(st, 5, c->phone);
	jz_stmt_text(st, 6, c->county);
	jz_stmt_text(st, 7, c->prefecture);
	jz_stmt_text(st, 8, c->province);
	jz_stmt_text(st, 9, c->service_types);
	jz_stmt_text(st, 10, c->commitment_by);
	jz_stmt_int(st, 11, c->commitment_at);
	jz_stmt_text(st, 12, c->status);
	jz_stmt_text(st, 13, c->query_code_hash);
	jz_stmt_int(st, 14, c->created_at);
	jz_stmt_int(st, 15, c->updated_at);
}

/* Runs an INSERT ... RETURNING id; no row back means the conflict clause refused it. */
static jz_db_status
insert_returning_id(jz_db *db, const char *sql, jz_company *c)
{
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	bind_company(st, c);
	return jz_stmt_insert_id(st, &c->id);
}

jz_db_status
jz_store_company_apply(jz_db *db, jz_company *c)
{
	static const char sql[] =
	    "INSERT INTO companies (uscc, name, legal_rep, address, phone, county, prefecture,"
	    " province, service_types, commitment_by, commitment_at, status, query_code_hash,"
	    " created_at, updated_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
	    " ON CONFLICT (uscc) DO UPDATE SET name = excluded.name,"
	    " legal_rep = excluded.legal_rep, address = excluded.address, phone = excluded.phone,"
	    " county = excluded.county, prefecture = excluded.prefecture,"
	    " province = excluded.province, service_types = excluded.service_types,"
	    " commitment_by = excluded.commitment_by, commitment_at = excluded.commitment_at,"
	    " status = excluded.status, status_reason = '', decided_by = NULL, decided_at = NULL,"
	    " query_code_hash = excluded.query_code_hash, created_at = excluded.created_at,"
	    " updated_at = excluded.updated_at"
	    " WHERE companies.status = 'rejected'"
	    " RETURNING id";
	return insert_returning_id(db, sql, c);
}

jz_db_status
jz_store_company_insert(jz_db *db, jz_company *c)
{
	static const char sql[] =
	    "INSERT INTO companies (uscc, name, legal_rep, address, phone, county, prefecture,"
	    " province, service_types, commitment_by, commitment_at, status, query_code_hash,"
	    " created_at, updated_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
	    " ON CONFLICT (uscc) DO NOTHING RETURNING id";
	return insert_returning_id(db, sql, c);
}

static jz_db_status
get_one(jz_db *db, const char *sql, const char *text_key, int64_t int_key, jz_company *out)
{
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	if (text_key)
		jz_stmt_text(st, 1, text_key);
	else
		jz_stmt_int(st, 1, int_key);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	if (s == JZ_DB_OK && row)
		read_company(st, out);
	else if (s == JZ_DB_OK)
		s = JZ_DB_NOT_FOUND;
	jz_stmt_reset(st);
	return s;
}

jz_db_status
jz_store_company_get(jz_db *db, int64_t id, jz_company *out)
{
	static const char sql[] = "SELECT " COMPANY_COLUMNS " FROM companies WHERE id = $1";
	return get_one(db, sql, NULL, id, out);
}

jz_db_status
jz_store_company_get_by_uscc(jz_db *db, const char *uscc, jz_company *out)
{
	static const char sql[] = "SELECT " COMPANY_COLUMNS " FROM companies WHERE uscc = $1";
	return get_one(db, sql, uscc, 0, out);
}

jz_db_status
jz_store_company_set_status(jz_db *db, int64_t id, const char *from, const char *to,
                            const char *reason, int64_t by, int64_t at)
{
	static const char sql[] =
	    "UPDATE companies SET status = $1, status_reason = $2, decided_by = $3,"
	    " decided_at = $4, updated_at = $4 WHERE id = $5 AND status = $6";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	jz_stmt_text(st, 1, to);
	jz_stmt_text(st, 2, reason ? reason : "");
	jz_stmt_int(st, 3, by);
	jz_stmt_int(st, 4, at);
	jz_stmt_int(st, 5, id);
	jz_stmt_text(st, 6, from);
	return jz_stmt_exec_one(st);
}

/* The LIKE pattern for "name contains text", with LIKE's own metacharacters escaped. */
static char *
contains_pattern(const char *text)
{
	jz_buf b = JZ_BUF_INIT;
	jz_buf_putc(&b, '%');
	for (const char *p = text; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			jz_buf_putc(&b, '\\');
		jz_buf_putc(&b, *p);
	}
	jz_buf_putc(&b, '%');
	return jz_buf_steal(&b);
}

/* $1 status, $2 scope or NULL, $3 name pattern or NULL, $4 exact USCC or NULL. The casts
 * let PostgreSQL type a parameter whose first use is `IS NULL`. */
#define FILTER_WHERE                                                                      \
	" WHERE status = $1"                                                                \
	" AND (CAST($2 AS TEXT) IS NULL OR county = $2 OR prefecture = $2"                  \
	" OR province = $2)"                                                                \
	" AND (CAST($3 AS TEXT) IS NULL OR name LIKE $3 ESCAPE '\\' OR uscc = $4)"

static void
bind_filter(jz_stmt *st, const jz_company_filter *f, char **pattern)
{
	*pattern = f->text && *f->text ? contains_pattern(f->text) : NULL;
	jz_stmt_text(st, 1, f->status);
	jz_stmt_text(st, 2, f->scope && *f->scope ? f->scope : NULL);
	jz_stmt_text(st, 3, *pattern);
	jz_stmt_text(st, 4, *pattern ? f->text : NULL);
}

jz_db_status
jz_store_company_list(jz_db *db, const jz_company_filter *f,
                      bool (*each)(const jz_company *c, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT " COMPANY_COLUMNS " FROM companies" FILTER_WHERE
	                          " ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6";
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	char *pattern;
	bind_filter(st, f, &pattern);
	jz_stmt_int(st, 5, f->limit > 0 ? f->limit : 50);
	jz_stmt_int(st, 6, f->offset > 0 ? f->offset : 0);
	bool row;
	jz_db_status s;
	while ((s = jz_stmt_step(st, &row)) == JZ_DB_OK && row) {
		jz_company c = {0};
		read_company(st, &c);
		bool more = each(&c, ctx);
		jz_company_clear(&c);
		if (!more)
			break;
	}
	jz_stmt_reset(st);
	free(pattern);
	return s;
}

jz_db_status
jz_store_company_count(jz_db *db, const jz_company_filter *f, int64_t *count)
{
	static const char sql[] = "SELECT COUNT(*) FROM companies" FILTER_WHERE;
	jz_stmt *st = jz_db_prepare(db, sql);
	if (!st)
		return jz_db_prepare_failed(db);
	char *pattern;
	bind_filter(st, f, &pattern);
	bool row;
	jz_db_status s = jz_stmt_step(st, &row);
	*count = s == JZ_DB_OK && row ? jz_stmt_col_int(st, 0) : 0;
	jz_stmt_reset(st);
	free(pattern);
	return s;
}
