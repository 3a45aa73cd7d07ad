/* One database connection, SQLite or PostgreSQL, behind one small interface. SQL is
 * written once, in the subset both engines share, with $1..$N placeholders; statements
 * are prepared once per connection and cached by the address of their SQL text, so
 * callers pass string literals (static storage). Values are always bound, never
 * formatted into SQL. Values travel as text, 64-bit integers or bytes (BLOB, bytea).
 *
 * A connection belongs to one thread at a time. */
#ifndef JZ_STORE_DB_H
#define JZ_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	JZ_DB_OK = 0,
	JZ_DB_ERROR,    /* hard error: logged by the backend */
	JZ_DB_CONFLICT, /* a unique or check constraint refused the write */
	JZ_DB_BUSY,     /* lock or serialisation conflict: retry the transaction */
	JZ_DB_NOT_FOUND, /* no row matched (returned by store operations, not by db.h) */
	JZ_DB_UNAVAILABLE, /* an outage, logged: the connection is lost, the disk is full, an I/O
	                    * error; nothing was written, and a later attempt may succeed */
} jz_db_status;

typedef enum { JZ_DB_SQLITE, JZ_DB_POSTGRES } jz_db_kind;

typedef struct jz_db jz_db;
typedef struct jz_stmt jz_stmt;

/* Opens `url`: a postgres:// or postgresql:// URL, otherwise a SQLite file path (created
 * if missing). On failure returns NULL and sets *err to a message the caller frees. */
jz_db *jz_db_open(const char *url, char **err);
void jz_db_close(jz_db *db);
/* False when the connection is lost (the server restarted or failed over, a network
 * cut): the caller closes it and opens a new one. Cheap: no round trip. */
bool jz_db_alive(jz_db *db);
jz_db_kind jz_db_kind_of(const jz_db *db);
/* True when an outage (see JZ_DB_UNAVAILABLE) made a statement fail on this connection
 * since the last jz_db_outage_clear. Store operations report a failed prepare as
 * JZ_DB_ERROR; this tells the callers that it was an outage after all (503, not 500). */
bool jz_db_outage(const jz_db *db);
void jz_db_outage_clear(jz_db *db);
/* True when `url` names PostgreSQL. */
bool jz_db_url_is_postgres(const char *url);

/* A write transaction (SQLite: BEGIN IMMEDIATE, so writers queue instead of deadlocking). */
jz_db_status jz_db_begin(jz_db *db);
jz_db_status jz_db_commit(jz_db *db);
void jz_db_rollback(jz_db *db);
/* Tunes the connection for loading many rows (bulk import, demo data) or back. */
jz_db_status jz_db_bulk(jz_db *db, bool on);
/* Groups several reads: one snapshot and, on SQLite, one taking of the file locks instead
 * of one per statement. A no-op on PostgreSQL. End it with jz_db_read_end. */
jz_db_status jz_db_read_begin(jz_db *db);
void jz_db_read_end(jz_db *db);
/* Runs several statements separated by semicolons, without parameters (migrations). */
jz_db_status jz_db_exec_script(jz_db *db, const char *sql);

/* Returns the cached statement for `sql`, reset and with no values bound; NULL on error. */
jz_stmt *jz_db_prepare(jz_db *db, const char *sql);
/* What a store operation returns when jz_db_prepare gave NULL: UNAVAILABLE when an outage
 * (a lost connection, an unreadable file) made it fail, else ERROR. */
jz_db_status jz_db_prepare_failed(const jz_db *db);
/* Binds parameter $idx (1-based). A NULL string binds SQL NULL. The string must stay
 * valid until the statement is reset (it may not be copied). */
void jz_stmt_text(jz_stmt *st, int idx, const char *value);
void jz_stmt_int(jz_stmt *st, int idx, int64_t value);
void jz_stmt_null(jz_stmt *st, int idx);
/* Binds `len` bytes as a BLOB (SQLite) or bytea (PostgreSQL); like text, the bytes must
 * stay valid until the statement is reset. */
void jz_stmt_blob(jz_stmt *st, int idx, const void *data, size_t len);
/* Executes on the first call, then advances: JZ_DB_OK with *row true while a row is
 * available, *row false at the end. */
jz_db_status jz_stmt_step(jz_stmt *st, bool *row);
/* Runs a statement that returns no rows (or ignores them). */
jz_db_status jz_stmt_run(jz_stmt *st);
/* Runs a statement that returns no rows and resets it. */
jz_db_status jz_stmt_exec(jz_stmt *st);
/* The same, but NOT_FOUND when the statement changed no row (an UPDATE or DELETE that
 * must match). */
jz_db_status jz_stmt_exec_one(jz_stmt *st);
/* Runs an INSERT ... RETURNING id and resets: *id is the new row's; CONFLICT when no row
 * came back (an ON CONFLICT clause, or a WHERE on DO UPDATE, refused the write). */
jz_db_status jz_stmt_insert_id(jz_stmt *st, int64_t *id);
/* Runs a statement whose one row holds one integer (a count, a sum) and resets; *out is 0
 * when no row came back. */
jz_db_status jz_stmt_one_int(jz_stmt *st, int64_t *out);
/* Column values of the current row (0-based). Text is borrowed until the next step or
 * reset; NULL reads as "" and 0 (see jz_stmt_col_is_null). */
const char *jz_stmt_col_text(jz_stmt *st, int col);
int64_t jz_stmt_col_int(jz_stmt *st, int col);
bool jz_stmt_col_is_null(jz_stmt *st, int col);
/* A BLOB / bytea column: its bytes, borrowed until the next step or reset, and their
 * number in *len; NULL (and 0) for SQL NULL. */
const unsigned char *jz_stmt_col_blob(jz_stmt *st, int col, size_t *len);
/* The id given to the row the last INSERT on this connection added (an identity or
 * INTEGER PRIMARY KEY column); 0 when unknown. */
int64_t jz_db_last_id(jz_db *db);
/* Number of rows changed by the last write statement. */
int64_t jz_stmt_changes(jz_stmt *st);
/* Releases the result; the statement stays cached for the next prepare. */
void jz_stmt_reset(jz_stmt *st);

#endif
