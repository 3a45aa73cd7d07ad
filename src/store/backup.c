/* Online backup of a SQLite database (sqlite3_backup_*): a consistent copy taken while
 * servers keep writing. PostgreSQL is backed up with pg_dump by the command itself. */
#include <sqlite3.h>
#include <unistd.h>

#include "store/store.h"
#include "util/xmalloc.h"

jz_db_status
jz_store_backup_sqlite(const char *src_path, const char *dest_path, char **err)
{
	sqlite3 *src = NULL, *dest = NULL;
	jz_db_status s = JZ_DB_ERROR;
	*err = NULL;
	if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		*err = jz_xasprintf("cannot open '%s': %s", src_path,
		                    src ? sqlite3_errmsg(src) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(src, 5000);
	if (sqlite3_open_v2(dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		*err = jz_xasprintf("cannot create '%s': %s", dest_path,
		                    dest ? sqlite3_errmsg(dest) : "out of memory");
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", src, "main");
	if (!b) {
		*err = jz_xasprintf("cannot start the backup: %s", sqlite3_errmsg(dest));
		goto out;
	}
	/* Copy in steps so that writers are not locked out for the whole copy; a write
	 * between steps makes SQLite restart the copy, which stays consistent. */
	int rc, waits = 0;
	while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK ||
	       ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && waits++ < 200))
		if (rc != SQLITE_OK)
			sqlite3_sleep(50);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		*err = jz_xasprintf("backup failed: %s", sqlite3_errstr(rc));
		goto out;
	}
	s = JZ_DB_OK;
out:
	sqlite3_close(dest);
	sqlite3_close(src);
	if (s != JZ_DB_OK && dest)
		unlink(dest_path);
	return s;
}
