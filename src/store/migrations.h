/* Versioned schema migrations, one list per SQL dialect, embedded from
 * src/store/migrations/<dialect>/NNN_name.sql by tools/embed_sql.sh. */
#ifndef JZ_STORE_MIGRATIONS_H
#define JZ_STORE_MIGRATIONS_H

#include <stddef.h>

typedef struct jz_migration {
	int version;      /* NNN of the file name; 0 ends the list */
	const char *name; /* file name without .sql */
	const char *sql;
} jz_migration;

extern const jz_migration jz_migrations_sqlite[];
extern const jz_migration jz_migrations_pg[];

#endif
