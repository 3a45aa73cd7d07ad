/* Excel workbooks from tables (see xlsx.h). */
#include "util/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "util/log.h"

static bool
read_file(const char *path, jz_buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char chunk[16384];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		jz_buf_append(out, chunk, n);
	bool ok = !ferror(f);
	fclose(f);
	return ok;
}

bool
jz_xlsx_write(const jz_table *tables, size_t n, jz_buf *out)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/jiazheng-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		jz_log_error("xlsx: cannot create a temporary file in %s", dir && *dir ? dir : "/tmp");
		return false;
	}
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	bool ok = wb != NULL;
	if (ok) {
		lxw_format *bold = workbook_add_format(wb);
		format_set_bold(bold);
		for (size_t t = 0; t < n; t++) {
			const jz_table *tb = &tables[t];
			lxw_worksheet *ws = workbook_add_worksheet(wb, tb->name);
			if (!ws) {
				ok = false;
				break;
			}
			worksheet_set_column(ws, 0, (lxw_col_t)(tb->n_cols ? tb->n_cols - 1 : 0), 14, NULL);
			for (size_t c = 0; c < tb->n_cols; c++)
				worksheet_write_string(ws, 0, (lxw_col_t)c, tb->header[c], bold);
			for (size_t r = 0; r < tb->n_rows; r++)
				for (size_t c = 0; c < tb->n_cols; c++) {
					const jz_cell *cell = &tb->cells[r * tb->n_cols + c];
					if (cell->text)
						worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, cell->text, NULL);
					else
						worksheet_write_number(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, cell->number, NULL);
				}
		}
		lxw_error e = workbook_close(wb);
		if (e != LXW_NO_ERROR) {
			jz_log_error("xlsx: %s", lxw_strerror(e));
			ok = false;
		}
	}
	jz_buf_reset(out);
	if (ok && !read_file(path, out)) {
		jz_log_error("xlsx: cannot read back %s", path);
		ok = false;
	}
	unlink(path);
	return ok;
}
