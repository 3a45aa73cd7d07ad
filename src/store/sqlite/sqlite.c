/* The SQLite backend of db.h: WAL journal, foreign keys on, writers queue on a busy
 * timeout. Placeholders $N are rewritten to SQLite's ?N at prepare time. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "store/stmt_cache.h"
#include "util/log.h"
#include "util/xmalloc.h"

typedef struct sqlite_db {
	jz_db base;
	sqlite3 *handle;
	jz_stmt_cache cache;
} sqlite_db;

typedef struct sqlite_stmt {
	jz_stmt base;
	sqlite3_stmt *handle;
} sqlite_stmt;

static sqlite_db *
as_db(jz_db *db)
{
	return (sqlite_db *)db;
}

static sqlite_stmt *
as_stmt(jz_stmt *st)
{
	return (sqlite_stmt *)st;
}

/* Maps a result code to a status, logging failures. The disk full, I/O errors and a file
 * that cannot be opened (moved, its disk gone) are outages: the request can only fail,
 * with 503, and SQLite has rolled back whatever the statement began. */
static jz_db_status
status_of(jz_db *db, int rc)
{
	sqlite3 *h = as_db(db)->handle;
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return JZ_DB_OK;
	case SQLITE_CONSTRAINT:
		return JZ_DB_CONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return JZ_DB_BUSY;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_NOLFS:
		jz_log_error("sqlite: %s (%s)", sqlite3_errmsg(h), sqlite3_errstr(rc));
		db->outage = true;
		return JZ_DB_UNAVAILABLE;
	default:
		jz_log_error("sqlite: %s", sqlite3_errmsg(h));
		return JZ_DB_ERROR;
	}
}

static jz_db_status
exec_script(jz_db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(as_db(db)->handle, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK && msg)
		jz_log_error("sqlite: %s", msg);
	sqlite3_free(msg);
	return rc == SQLITE_OK ? JZ_DB_OK : status_of(db, rc);
}

/* $N → ?N outside quoted strings. */
static char *
rewrite_placeholders(const char *sql)
{
	char *out = jz_xstrdup(sql);
	char quote = 0;
	for (char *p = out; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			*p = '?';
		}
	}
	return out;
}

static jz_stmt *
prepare(jz_db *db, const char *sql)
{
	sqlite_db *s = as_db(db);
	sqlite_stmt *st = jz_stmt_cache_get(&s->cache, sql);
	if (st) {
		sqlite3_reset(st->handle);
		sqlite3_clear_bindings(st->handle);
		return &st->base;
	}
	char *text = rewrite_placeholders(sql);
	sqlite3_stmt *h = NULL;
	int rc = sqlite3_prepare_v3(s->handle, text, -1, SQLITE_PREPARE_PERSISTENT, &h, NULL);
	free(text);
	if (rc != SQLITE_OK) {
		status_of(db, rc); /* logs it; reading the schema can meet an outage too */
		return NULL;
	}
	st = jz_xcalloc(1, sizeof *st);
	st->base.db = db;
	st->handle = h;
	jz_stmt_cache_put(&s->cache, sql, st);
	return &st->base;
}

/* Transaction control through the statement cache: parsing "BEGIN" and "ROLLBACK" again
 * on every card scan cost more than a tenth of the scan. */
static jz_db_status
control(jz_db *db, const char *sql)
{
	jz_stmt *st = prepare(db, sql);
	if (!st)
		return JZ_DB_ERROR;
	int rc = sqlite3_step(as_stmt(st)->handle);
	sqlite3_reset(as_stmt(st)->handle);
	return status_of(db, rc);
}

static jz_db_status
begin(jz_db *db)
{
	static const char sql[] = "BEGIN IMMEDIATE";
	return control(db, sql);
}

static jz_db_status
commit(jz_db *db)
{
	static const char sql[] = "COMMIT";
	return control(db, sql);
}

static void
rollback(jz_db *db)
{
	static const char sql[] = "ROLLBACK";
	if (!sqlite3_get_autocommit(as_db(db)->handle))
		control(db, sql);
}

static void
bind_text(jz_stmt *st, int idx, const char *value)
{
	/* Static: db.h asks callers to keep values alive until the statement is reset, which
	 * saves a copy of every value on the bulk-import path. */
	if (value)
		sqlite3_bind_text(as_stmt(st)->handle, idx, value, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(as_stmt(st)->handle, idx);
}

static void
bind_int(jz_stmt *st, int idx, int64_t value)
{
	sqlite3_bind_int64(as_stmt(st)->handle, idx, value);
}

static void
bind_null(jz_stmt *st, int idx)
{
	sqlite3_bind_null(as_stmt(st)->handle, idx);
}

static void
bind_blob(jz_stmt *st, int idx, const void *data, size_t len)
{
	/* A zero-length blob, not NULL, even when data is NULL. */
	static const unsigned char none;
	sqlite3_bind_blob64(as_stmt(st)->handle, idx, data ? data : &none, len, SQLITE_STATIC);
}

static jz_db_status
step(jz_stmt *st, bool *row)
{
	int rc = sqlite3_step(as_stmt(st)->handle);
	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return JZ_DB_OK;
	jz_db_status s = status_of(st->db, rc);
	sqlite3_reset(as_stmt(st)->handle);
	return s;
}

static const char *
col_text(jz_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(as_stmt(st)->handle, col);
	return t ? (const char *)t : "";
}

static int64_t
col_int(jz_stmt *st, int col)
{
	return sqlite3_column_int64(as_stmt(st)->handle, col);
}

static bool
col_is_null(jz_stmt *st, int col)
{
	return sqlite3_column_type(as_stmt(st)->handle, col) == SQLITE_NULL;
}

static const unsigned char *
col_blob(jz_stmt *st, int col, size_t *len)
{
	sqlite3_stmt *h = as_stmt(st)->handle;
	if (sqlite3_column_type(h, col) == SQLITE_NULL) {
		*len = 0;
		return NULL;
	}
	/* Blob first, then its size, as SQLite's documentation orders the calls. */
	const unsigned char *b = sqlite3_column_blob(h, col);
	*len = (size_t)sqlite3_column_bytes(h, col);
	static const unsigned char none;
	return b ? b : &none;
}

static int64_t
changes(jz_stmt *st)
{
	return sqlite3_changes64(sqlite3_db_handle(as_stmt(st)->handle));
}

/* The bindings stay until the next prepare clears them (every statement is bound afresh
 * after prepare): one pass over the parameters per statement instead of two. */
static void
reset(jz_stmt *st)
{
	sqlite3_reset(as_stmt(st)->handle);
}

static void
free_stmt(void *p)
{
	sqlite_stmt *st = p;
	sqlite3_finalize(st->handle);
	free(st);
}

static void
close_db(jz_db *db)
{
	sqlite_db *s = as_db(db);
	jz_stmt_cache_clear(&s->cache, free_stmt);
	sqlite3_close(s->handle);
	free(s);
}

/* Bulk loading: a page cache big enough for the indexes of a million workers, and fewer
 * checkpoints while the load runs. */
static jz_db_status
bulk(jz_db *db, bool on)
{
	return exec_script(db, on ? "PRAGMA cache_size=-262144; PRAGMA wal_autocheckpoint=20000; PRAGMA foreign_keys=OFF;"
	                          : "PRAGMA cache_size=-8192; PRAGMA wal_autocheckpoint=1000; PRAGMA foreign_keys=ON;");
}

/* A SQLite connection is a file handle: it cannot be lost the way a socket can. */
static bool
alive(jz_db *db)
{
	(void)db;
	return true;
}

static int64_t
last_id(jz_db *db)
{
	return sqlite3_last_insert_rowid(as_db(db)->handle);
}

/* A deferred transaction: it takes the shared lock at the first read and keeps it. */
static jz_db_status
read_begin(jz_db *db)
{
	static const char sql[] = "BEGIN";
	return control(db, sql);
}

static void
read_end(jz_db *db)
{
	rollback(db); /* nothing was written */
}

static const jz_db_ops sqlite_ops = {
	.bulk = bulk,
	.last_id = last_id,
	.read_begin = read_begin,
	.read_end = read_end,
	.begin = begin,
	.commit = commit,
	.rollback = rollback,
	.exec_script = exec_script,
	.prepare = prepare,
	.bind_text = bind_text,
	.bind_int = bind_int,
	.bind_null = bind_null,
	.bind_blob = bind_blob,
	.step = step,
	.col_text = col_text,
	.col_int = col_int,
	.col_is_null = col_is_null,
	.col_blob = col_blob,
	.changes = changes,
	.reset = reset,
	.close = close_db,
	.alive = alive,
};

/* Before the library initialises: no global memory statistics, whose mutex every
 * allocation would otherwise take. */
static void
configure_library(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

jz_db *
jz_sqlite_open(const char *path, char **err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_library);
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		*err = jz_xasprintf("cannot open SQLite database %s: %s", path,
		                    h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 10000);
	sqlite3_extended_result_codes(h, 1);
	sqlite_db *s = jz_xcalloc(1, sizeof *s);
	s->base.ops = &sqlite_ops;
	s->base.kind = JZ_DB_SQLITE;
	s->handle = h;
	/* 8 KB pages for a new database (an existing one keeps its own; WAL mode fixes it):
	 * a bulk import's random inserts into the hash indexes split and rewrite pages half
	 * as often as with 4 KB pages, and write fewer WAL frames (1,000,000 rows: 15.6 s
	 * instead of 17.0 s; 16 KB pages gave 14.9 s, but every small write, a check-in,
	 * then logs four times the bytes). The caches are sized in bytes, so memory is the
	 * same. */
	if (exec_script(&s->base, "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	                          "PRAGMA foreign_keys=ON; PRAGMA cache_size=-8192; PRAGMA temp_store=MEMORY;") != JZ_DB_OK) {
		*err = jz_xasprintf("cannot use %s as a SQLite database: %s", path, sqlite3_errmsg(h));
		close_db(&s->base);
		return NULL;
	}
	return &s->base;
}
