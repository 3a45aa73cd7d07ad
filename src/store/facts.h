/* The readiness facts of a worker (六无不上岗) as columns of a query over `workers w`:
 * shared by the worker and company lists (store/workers.c) and the card check
 * (store/cards.c). Private to src/store/. */
#ifndef JZ_STORE_FACTS_H
#define JZ_STORE_FACTS_H

#include "store/store.h"

/* The latest expiry of a worker's credentials of some kinds: '' (never) wins over any date,
 * so it is mapped above every date and back. The kinds are tested inside MAX, over the
 * worker's few rows: in WHERE, SQLite turns "kind = a OR kind = b" into an IN look-up
 * through a temporary B-tree built on every card scan. */
#define LATEST(kinds)                                                                      \
	"(SELECT MAX(CASE WHEN " kinds " THEN CASE WHEN c.expires = '' THEN '9999-99-99'"      \
	" ELSE c.expires END END) FROM credentials c WHERE c.worker_id = w.id)"
/* Equipment issued by a company that employs the worker now. */
#define ISSUED(kind)                                                                       \
	"(SELECT COUNT(*) FROM equipment q JOIN employments e ON e.worker_id = q.worker_id"    \
	" AND e.company_id = q.company_id AND e.ended IS NULL"                                \
	" WHERE q.worker_id = w.id AND q.kind = '" kind "')"

/* The readiness facts of worker w, as five columns read by jz_store_read_facts. */
#define FACTS_COLUMNS                                                                      \
	LATEST("c.kind = 'insurance'") ", " LATEST("c.kind = 'work_permit' OR c.kind = 'skill'") \
	", " LATEST("c.kind = 'health'") ", " ISSUED("uniform") ", " ISSUED("toolkit")

/* Reads the five FACTS_COLUMNS starting at column col into f (owned strings). */
void jz_store_read_facts(jz_stmt *st, int col, jz_worker_facts *f);

#endif
