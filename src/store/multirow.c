/* Builds and keeps the multi-row INSERT texts of store/multirow.h. */
#include "store/multirow.h"

#include "util/buf.h"

size_t
jz_multirow_group(size_t n)
{
	size_t g = JZ_MULTIROW_MAX;
	while (g > n)
		g /= 2;
	return g;
}

static size_t
size_index(size_t n)
{
	size_t i = 0;
	while (((size_t)1 << i) < n)
		i++;
	return i;
}

const char *
jz_multirow_sql(jz_multirow *m, size_t n)
{
	size_t i = size_index(n);
	pthread_mutex_lock(&m->lock);
	if (!m->texts[i]) {
		jz_buf b = JZ_BUF_INIT;
		jz_buf_puts(&b, m->head);
		for (size_t r = 0; r < n; r++) {
			char row[512];
			m->row(row, sizeof row, m->shared + 1 + (int)r * m->width);
			jz_buf_puts(&b, r ? ", " : " ");
			jz_buf_puts(&b, row);
		}
		jz_buf_puts(&b, m->tail);
		m->texts[i] = jz_buf_steal(&b);
	}
	const char *sql = m->texts[i];
	pthread_mutex_unlock(&m->lock);
	return sql;
}
