/* The two engines behind db.h. Private to src/store/. */
#ifndef JZ_STORE_BACKEND_H
#define JZ_STORE_BACKEND_H

#include "store/db.h"

typedef struct jz_db_ops {
	jz_db_status (*bulk)(jz_db *db, bool on);
	int64_t (*last_id)(jz_db *db);
	jz_db_status (*read_begin)(jz_db *db);
	void (*read_end)(jz_db *db);
	jz_db_status (*begin)(jz_db *db);
	jz_db_status (*commit)(jz_db *db);
	void (*rollback)(jz_db *db);
	jz_db_status (*exec_script)(jz_db *db, const char *sql);
	jz_stmt *(*prepare)(jz_db *db, const char *sql);
	void (*bind_text)(jz_stmt *st, int idx, const char *value);
	void (*bind_int)(jz_stmt *st, int idx, int64_t value);
	void (*bind_null)(jz_stmt *st, int idx);
	void (*bind_blob)(jz_stmt *st, int idx, const void *data, size_t len);
	jz_db_status (*step)(jz_stmt *st, bool *row);
	const char *(*col_text)(jz_stmt *st, int col);
	int64_t (*col_int)(jz_stmt *st, int col);
	bool (*col_is_null)(jz_stmt *st, int col);
	const unsigned char *(*col_blob)(jz_stmt *st, int col, size_t *len);
	int64_t (*changes)(jz_stmt *st);
	void (*reset)(jz_stmt *st);
	void (*close)(jz_db *db);
	bool (*alive)(jz_db *db);
} jz_db_ops;

/* Every backend's connection starts with this header. */
struct jz_db {
	const jz_db_ops *ops;
	jz_db_kind kind;
	/* SQLite: the triggers that a bulk batch set aside, as a script that creates them again
	 * (store/stats.c); owned */
	char *set_aside_triggers;
	bool outage; /* set by the backend when a statement fails for an outage */
};

/* Every backend's statement starts with this header. */
struct jz_stmt {
	jz_db *db;
};

jz_db *jz_sqlite_open(const char *path, char **err);
jz_db *jz_pg_open(const char *url, char **err);

#endif
