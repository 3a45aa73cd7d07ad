/* Multi-row INSERT texts for bulk writes, private to src/store/. One statement for many
 * rows keeps its cursors open from row to row, so appends to a B-tree find their place
 * without a descent from the root, and the per-statement work (start, halt, cursors) is
 * paid once per group instead of once per row. */
#ifndef JZ_STORE_MULTIROW_H
#define JZ_STORE_MULTIROW_H

#include <pthread.h>
#include <stddef.h>

/* Groups hold 1, 2, 4, … JZ_MULTIROW_MAX rows, so a statement cache sees at most
 * seven texts per kind of insert whatever the row counts. */
enum { JZ_MULTIROW_MAX = 64, JZ_MULTIROW_SIZES = 7 };

/* "head (row) , (row) … tail": parameters $1..$shared are the same for every row, then
 * each row has `width` of its own, written by `row` (first = its first parameter). */
typedef struct jz_multirow {
	const char *head, *tail;
	int shared, width;
	void (*row)(char *out, size_t size, int first);
	/* Built on first use and kept for the life of the process: statement caches key on
	 * their address. */
	pthread_mutex_t lock;
	const char *texts[JZ_MULTIROW_SIZES];
} jz_multirow;

#define JZ_MULTIROW_INIT(head_, tail_, shared_, width_, row_)                                  \
	{ .head = (head_), .tail = (tail_), .shared = (shared_), .width = (width_), .row = (row_), \
	  .lock = PTHREAD_MUTEX_INITIALIZER }

/* The largest group size (a power of two, at most JZ_MULTIROW_MAX) not above n (n >= 1). */
size_t jz_multirow_group(size_t n);
/* The text for a group of n rows (n from jz_multirow_group); static, never freed. */
const char *jz_multirow_sql(jz_multirow *m, size_t n);

#endif
