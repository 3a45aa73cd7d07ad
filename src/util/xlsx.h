/* Tables as an Excel workbook (.xlsx) through libxlsxwriter: one worksheet per table, a
 * bold header row, numbers as numbers and text (Chinese region names) as UTF-8 strings. */
#ifndef JZ_UTIL_XLSX_H
#define JZ_UTIL_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

typedef struct jz_cell {
	const char *text; /* NULL: the cell is the number */
	double number;
} jz_cell;

typedef struct jz_table {
	const char *name;            /* worksheet name (at most 31 characters, no []:*?/\) */
	size_t n_cols, n_rows;
	const char *const *header;   /* n_cols */
	const jz_cell *cells;        /* n_rows * n_cols, row by row */
} jz_table;

/* Writes the workbook into out (replacing its contents). libxlsxwriter writes files, so
 * the workbook is made in a private temporary file that is removed at once. False on
 * failure (logged). */
bool jz_xlsx_write(const jz_table *tables, size_t n, jz_buf *out);

#endif
