/* The PostgreSQL backend of db.h, on libpq. Statements are prepared on the server once
 * per connection (PQprepare) and executed with text parameters, and bytes (bytea) as
 * binary ones; a result (all text) is read whole and stepped through row by row. */
#include <libpq-fe.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "store/stmt_cache.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* The protocol's limit; multi-row inserts (store/multirow.h) use a few hundred. */
enum { MAX_PARAMS = 65535 };

typedef struct pg_db {
	jz_db base;
	PGconn *conn;
	jz_stmt_cache cache;
	int next_id;
	int64_t last_changes;
} pg_db;

typedef struct pg_stmt {
	jz_stmt base;
	char name[16];
	int nparams;
	char **values;   /* nparams of each, allocated with the statement */
	int *lengths;    /* of binary values */
	int *formats;    /* 0 text, 1 binary */
	PGresult *result; /* NULL until executed */
	int row;          /* current row, -1 before the first */
	unsigned char **blobs; /* decoded bytea columns, freed when the row changes */
	size_t n_blobs;
} pg_stmt;

static pg_db *
as_db(jz_db *db)
{
	return (pg_db *)db;
}

static pg_stmt *
as_stmt(jz_stmt *st)
{
	return (pg_stmt *)st;
}

/* SQLSTATEs of an outage: the connection (class 08), the server's resources (53: disk
 * full, out of memory, too many connections), its shutdown or start (57P01-57P03) and
 * I/O errors (58030). */
static bool
outage_state(const char *state)
{
	return !strncmp(state, "08", 2) || !strncmp(state, "53", 2) || !strcmp(state, "57P01") ||
	       !strcmp(state, "57P02") || !strcmp(state, "57P03") || !strcmp(state, "58030");
}

/* Maps a result to a status, logging failures. A lost connection (no result, or the
 * connection now bad) is an outage like a full disk: the request fails with 503. */
static jz_db_status
status_of(pg_db *p, PGresult *res)
{
	ExecStatusType t = PQresultStatus(res);
	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK)
		return JZ_DB_OK;
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state && !strncmp(state, "23", 2))
		return JZ_DB_CONFLICT;
	if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01")))
		return JZ_DB_BUSY;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(p->conn);
	jz_log_error("postgres: %s", msg);
	if (!res || PQstatus(p->conn) == CONNECTION_BAD || (state && outage_state(state))) {
		p->base.outage = true;
		return JZ_DB_UNAVAILABLE;
	}
	return JZ_DB_ERROR;
}

static jz_db_status
exec_script(jz_db *db, const char *sql)
{
	PGresult *res = PQexec(as_db(db)->conn, sql);
	jz_db_status s = status_of(as_db(db), res);
	PQclear(res);
	return s;
}

static jz_db_status
begin(jz_db *db)
{
	return exec_script(db, "BEGIN");
}

static jz_db_status
commit(jz_db *db)
{
	return exec_script(db, "COMMIT");
}

static void
rollback(jz_db *db)
{
	if (PQtransactionStatus(as_db(db)->conn) != PQTRANS_IDLE)
		exec_script(db, "ROLLBACK");
}

static int
count_params(const char *sql)
{
	int max = 0;
	for (const char *p = sql; *p; p++)
		if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			int n = atoi(p + 1);
			if (n > max)
				max = n;
		}
	return max;
}

static void
free_blobs(pg_stmt *st)
{
	for (size_t i = 0; i < st->n_blobs; i++)
		PQfreemem(st->blobs[i]);
	free(st->blobs);
	st->blobs = NULL;
	st->n_blobs = 0;
}

static void
clear_values(pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
		st->lengths[i] = 0;
		st->formats[i] = 0;
	}
	free_blobs(st);
	PQclear(st->result);
	st->result = NULL;
	st->row = -1;
}

static void
free_arrays(pg_stmt *st)
{
	free(st->values);
	free(st->lengths);
	free(st->formats);
}

static jz_stmt *
prepare(jz_db *db, const char *sql)
{
	pg_db *p = as_db(db);
	pg_stmt *st = jz_stmt_cache_get(&p->cache, sql);
	if (st) {
		clear_values(st);
		return &st->base;
	}
	int nparams = count_params(sql);
	if (nparams > MAX_PARAMS) {
		jz_log_error("postgres: statement has %d parameters, at most %d", nparams, MAX_PARAMS);
		return NULL;
	}
	st = jz_xcalloc(1, sizeof *st);
	st->base.db = db;
	st->nparams = nparams;
	st->values = jz_xcalloc(nparams ? (size_t)nparams : 1, sizeof *st->values);
	st->lengths = jz_xcalloc(nparams ? (size_t)nparams : 1, sizeof *st->lengths);
	st->formats = jz_xcalloc(nparams ? (size_t)nparams : 1, sizeof *st->formats);
	st->row = -1;
	snprintf(st->name, sizeof st->name, "jz%d", p->next_id++);
	PGresult *res = PQprepare(p->conn, st->name, sql, 0, NULL);
	jz_db_status s = status_of(p, res);
	PQclear(res);
	if (s != JZ_DB_OK) {
		free_arrays(st);
		free(st);
		return NULL;
	}
	jz_stmt_cache_put(&p->cache, sql, st);
	return &st->base;
}

/* The parameter slot $idx, emptied. */
static int
slot(pg_stmt *s, int idx)
{
	if (idx < 1 || idx > s->nparams)
		abort(); /* a programming error: the SQL has no such placeholder */
	free(s->values[idx - 1]);
	s->values[idx - 1] = NULL;
	s->lengths[idx - 1] = 0;
	s->formats[idx - 1] = 0;
	return idx - 1;
}

static void
bind_text(jz_stmt *st, int idx, const char *value)
{
	pg_stmt *s = as_stmt(st);
	int i = slot(s, idx);
	s->values[i] = value ? jz_xstrdup(value) : NULL;
}

/* Binary format: the server takes the bytes as they are, no escaping. */
static void
bind_blob(jz_stmt *st, int idx, const void *data, size_t len)
{
	pg_stmt *s = as_stmt(st);
	int i = slot(s, idx);
	if (len > (size_t)INT32_MAX)
		abort(); /* a programming error: no parameter of ours comes near */
	s->values[i] = jz_xmalloc(len ? len : 1);
	if (len)
		memcpy(s->values[i], data, len);
	s->lengths[i] = (int)len;
	s->formats[i] = 1;
}

static void
bind_int(jz_stmt *st, int idx, int64_t value)
{
	char text[24];
	snprintf(text, sizeof text, "%" PRId64, value);
	bind_text(st, idx, text);
}

static void
bind_null(jz_stmt *st, int idx)
{
	bind_text(st, idx, NULL);
}

static jz_db_status
step(jz_stmt *st, bool *row)
{
	pg_stmt *s = as_stmt(st);
	*row = false;
	if (!s->result) {
		pg_db *p = as_db(st->db);
		s->result = PQexecPrepared(p->conn, s->name, s->nparams,
		                           (const char *const *)s->values, s->lengths, s->formats, 0);
		jz_db_status status = status_of(p, s->result);
		if (status != JZ_DB_OK) {
			PQclear(s->result);
			s->result = NULL;
			return status;
		}
		const char *n = PQcmdTuples(s->result);
		p->last_changes = *n ? atoll(n) : 0;
	}
	if (s->row + 1 < PQntuples(s->result)) {
		free_blobs(s);
		s->row++;
		*row = true;
	}
	return JZ_DB_OK;
}

static const char *
col_text(jz_stmt *st, int col)
{
	pg_stmt *s = as_stmt(st);
	return PQgetvalue(s->result, s->row, col);
}

static int64_t
col_int(jz_stmt *st, int col)
{
	return atoll(col_text(st, col));
}

static bool
col_is_null(jz_stmt *st, int col)
{
	pg_stmt *s = as_stmt(st);
	return PQgetisnull(s->result, s->row, col);
}

/* Results are text, where bytea reads as "\x" and hex digits: decoded here, and kept
 * until the row changes. */
static const unsigned char *
col_blob(jz_stmt *st, int col, size_t *len)
{
	pg_stmt *s = as_stmt(st);
	*len = 0;
	if (PQgetisnull(s->result, s->row, col))
		return NULL;
	unsigned char *b = PQunescapeBytea((const unsigned char *)PQgetvalue(s->result, s->row, col), len);
	if (!b)
		abort(); /* out of memory */
	s->blobs = jz_xrealloc(s->blobs, (s->n_blobs + 1) * sizeof *s->blobs);
	s->blobs[s->n_blobs++] = b;
	return b;
}

static int64_t
changes(jz_stmt *st)
{
	return as_db(st->db)->last_changes;
}

static void
reset(jz_stmt *st)
{
	clear_values(as_stmt(st));
}

static void
free_stmt(void *p)
{
	pg_stmt *st = p;
	clear_values(st);
	free_arrays(st);
	free(st);
}

static void
close_db(jz_db *db)
{
	pg_db *p = as_db(db);
	jz_stmt_cache_clear(&p->cache, free_stmt);
	PQfinish(p->conn);
	free(p);
}

/* Bulk loading: a commit need not wait for the WAL flush (a crash loses at most the last
 * batches, which the import then does again; it never half-writes one). */
static jz_db_status
bulk(jz_db *db, bool on)
{
	return exec_script(db, on ? "SET synchronous_commit = off" : "SET synchronous_commit = on");
}

/* lastval(): the value the session's last nextval() gave, which an identity column's
 * insert just called. */
static int64_t
last_id(jz_db *db)
{
	PGresult *res = PQexec(as_db(db)->conn, "SELECT lastval()");
	int64_t id = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 ? atoll(PQgetvalue(res, 0, 0)) : 0;
	PQclear(res);
	return id;
}

/* Grouping reads would cost PostgreSQL two more round trips and gain nothing. */
static jz_db_status
read_begin(jz_db *db)
{
	(void)db;
	return JZ_DB_OK;
}

static void
read_end(jz_db *db)
{
	(void)db;
}

/* An idle server says nothing unless it is going away (a restart, a fail-over): then its
 * farewell and the end of the stream are waiting on the socket. Reading them turns the
 * connection CONNECTION_BAD before a request runs into it; a healthy connection costs one
 * poll. */
static bool
alive(jz_db *db)
{
	PGconn *conn = as_db(db)->conn;
	struct pollfd p = {.fd = PQsocket(conn), .events = POLLIN};
	for (int i = 0; i < 2 && PQstatus(conn) == CONNECTION_OK && poll(&p, 1, 0) > 0; i++)
		PQconsumeInput(conn);
	return PQstatus(conn) == CONNECTION_OK;
}

static const jz_db_ops pg_ops = {
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

/* Notices (e.g. "relation already exists, skipping") are not errors; keep them quiet. */
static void
ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

jz_db *
jz_pg_open(const char *url, char **err)
{
	PGconn *conn = PQconnectdb(url);
	if (PQstatus(conn) != CONNECTION_OK) {
		/* The message may echo the URL's host, never its password. */
		*err = jz_xasprintf("cannot connect to PostgreSQL: %s", PQerrorMessage(conn));
		size_t n = strlen(*err);
		while (n && ((*err)[n - 1] == '\n'))
			(*err)[--n] = '\0';
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeProcessor(conn, ignore_notice, NULL);
	pg_db *p = jz_xcalloc(1, sizeof *p);
	p->base.ops = &pg_ops;
	p->base.kind = JZ_DB_POSTGRES;
	p->conn = conn;
	if (exec_script(&p->base, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC';") != JZ_DB_OK) {
		*err = jz_xstrdup("cannot set up the PostgreSQL session");
		close_db(&p->base);
		return NULL;
	}
	return &p->base;
}
