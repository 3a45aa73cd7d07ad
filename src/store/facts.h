/* The readiness facts of a worker (六无不上岗) as columns of a query over `workers w`,
 * for the worker and company lists (store/workers.c). The card faces (migration 012,
 * read by store/cards.c) keep the same two columns, computed by the same SQL in the
 * migrations' view card_face_source: change one, change both. Private to src/store/. */
#ifndef JZ_STORE_FACTS_H
#define JZ_STORE_FACTS_H

#include "store/store.h"

/* The readiness facts of worker w in two columns, each one pass over the worker's rows:
 * a card scan, the hottest read, pays one index seek per subquery, and one subquery for
 * all three certificate kinds and one for both kinds of equipment cost half as many as
 * one per kind did.
 *
 * The first column is the latest expiry of each kind — insurance, work permit or skill
 * certificate, health certificate — joined by '|': a date, '9999-99-99' for one that never
 * expires (which wins over any date), or '-' when the worker has none. The kinds are
 * tested inside MAX: in WHERE, SQLite turns "kind = a OR kind = b" into an IN look-up
 * through a temporary B-tree built on every scan. */
#define LATEST_OF(kinds)                                                                   \
	"COALESCE(MAX(CASE WHEN " kinds " THEN CASE WHEN c.expires = '' THEN '9999-99-99'"     \
	" ELSE c.expires END END), '-')"
/* The second is a bit set of the equipment issued by a company that employs the worker
 * now: 1 a uniform, 2 a tool kit. */
#define ISSUED_BIT(kind, bit)                                                              \
	"COALESCE(MAX(CASE WHEN q.kind = '" kind "' THEN " bit " ELSE 0 END), 0)"

#define FACTS_COLUMNS                                                                      \
	"(SELECT " LATEST_OF("c.kind = 'insurance'") " || '|' || "                             \
	LATEST_OF("c.kind = 'work_permit' OR c.kind = 'skill'") " || '|' || "                  \
	LATEST_OF("c.kind = 'health'") " FROM credentials c WHERE c.worker_id = w.id),"        \
	" (SELECT " ISSUED_BIT("uniform", "1") " + " ISSUED_BIT("toolkit", "2")                 \
	" FROM equipment q JOIN employments e ON e.worker_id = q.worker_id"                    \
	" AND e.company_id = q.company_id AND e.ended IS NULL WHERE q.worker_id = w.id)"
enum { FACTS_N = 2 }; /* columns in FACTS_COLUMNS */

/* Reads the FACTS_COLUMNS starting at column col into f (owned strings). */
void jz_store_read_facts(jz_stmt *st, int col, jz_worker_facts *f);

#endif
