/* Bulk imports started from the upload page: the file is imported on a thread of its own
 * while the page shows progress from the database; the report of rejected rows is kept
 * with the job for download. */
#ifndef JZ_SERVICES_IMPORT_JOBS_H
#define JZ_SERVICES_IMPORT_JOBS_H

#include <stddef.h>

#include "services/service.h"

enum { JZ_UPLOAD_LIMIT = 32 * 1024 * 1024 }; /* bytes of CSV accepted from the page */

/* Starts importing `data` (taken: freed by the job) for the signed-in company user.
 * `db_url` is where the job's own connection goes. Sets *job_id. */
bool jz_svc_import_start(const jz_ctx *ctx, const char *db_url, const char *filename, char *data,
                         size_t len, bool dry_run, int64_t *job_id, jz_err *err);
/* A job of the user's company. A running job whose progress stopped for two minutes is
 * reported as failed (its server stopped: the committed batches stay). */
bool jz_svc_import_job(const jz_ctx *ctx, int64_t job_id, jz_import_job *out, jz_err *err);

#endif
