/* Bulk import of workers from a CSV file (信息录入): the engine behind `jiazheng import
 * workers` and the upload page. It decodes the file (UTF-8 with or without BOM, or
 * GB18030 as Chinese Excel saves it), reads the header, validates every row through the
 * worker service and enrols the valid ones in batches, one transaction per batch, so that
 * a crash or kill leaves only whole workers behind. README.md, "Bulk import", documents
 * the columns. */
#ifndef JZ_SERVICES_IMPORT_H
#define JZ_SERVICES_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/service.h"

/* Rows per transaction. Every commit writes each page of the two hash indexes that the
 * batch touched, nearly all of them, to the WAL: at a million rows 250,000 wrote 18% less
 * than 100,000 and waited a third less for fsync; the dirty pages of a batch still fit
 * the bulk page cache (256 MB). */
enum { JZ_IMPORT_BATCH_ROWS = 250000 };

typedef struct jz_import_options {
	bool dry_run;      /* validate every row, write nothing */
	size_t batch_rows; /* rows per transaction; 0 = JZ_IMPORT_BATCH_ROWS */
	/* Called every few hundred rows and at the end, from the importing thread. Bytes
	 * count the decoded (UTF-8) text. May be NULL. */
	void (*progress)(int64_t rows_done, int64_t bytes_done, int64_t bytes_total, void *arg);
	void *progress_arg;
} jz_import_options;

typedef struct jz_import_result {
	int64_t rows;          /* data rows read (blank rows are not counted) */
	int64_t imported;      /* rows that added a worker, an employment or a credential;
	                        * in a dry run, the rows that passed validation */
	int64_t already_there; /* rows whose data was all there (re-import, duplicate row) */
	int64_t rejected;      /* rows reported through `reject` */
} jz_import_result;

/* The reject callback: `row` counts the header as row 1; `column` is the CSV column as
 * the header names it, or NULL when the fault concerns the whole row (field count,
 * quoting). Reasons never quote an ID number or a phone. Rows are reported in order, each
 * batch's after the batch is committed. */
typedef void (*jz_import_reject_fn)(int64_t row, const char *column, const char *reason_zh,
                                    const char *reason_en, void *arg);

/* Imports the CSV text `data` (the whole file, `len` bytes, not necessarily
 * NUL-terminated) for company `company_id`, which the caller has found active. When
 * ctx->user is set it must belong to that company. ctx->keys must be set unless
 * opt->dry_run. opt may be NULL for the defaults.
 *
 * Returns false, with *err saying why, when the file as a whole is refused (encoding,
 * header: unknown, missing or duplicate columns, with err->field naming the column) or the
 * database fails; batches committed before a database failure stay. Rejected rows do not
 * make it fail. *out is filled in either case. */
bool jz_svc_import_workers(const jz_ctx *ctx, int64_t company_id, const char *data, size_t len,
                           const jz_import_options *opt, jz_import_reject_fn reject, void *arg,
                           jz_import_result *out, jz_err *err);

#endif
