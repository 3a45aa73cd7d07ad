/* Upload-page imports on a background thread, with progress in the database. */
#include "services/import_jobs.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "services/governance.h"
#include "services/import.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

enum { STALLED_AFTER = 120, REPORT_ROWS = 100000 };

typedef struct job {
	char *db_url;
	jz_user user;      /* the uploader, for authorisation inside the import */
	const jz_keys *keys;
	int64_t id, company_id;
	char *data;
	size_t len;
	bool dry_run;
	jz_db *db;
	jz_buf report; /* row,column,reason (Chinese) */
	int64_t reported;
	time_t last_progress;
} job;

static void
progress(int64_t rows_done, int64_t bytes_done, int64_t bytes_total, void *arg)
{
	(void)bytes_total;
	job *j = arg;
	time_t now = time(NULL);
	if (now == j->last_progress)
		return; /* once a second is plenty for a page that refreshes every two */
	j->last_progress = now;
	jz_store_import_job_progress(j->db, j->id, rows_done, bytes_done, (int64_t)now);
}

/* One CSV field, quoted when it holds a separator, quote or line break. */
static void
csv_field(jz_buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		jz_buf_puts(b, s);
		return;
	}
	jz_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			jz_buf_putc(b, '"');
		jz_buf_putc(b, *s);
	}
	jz_buf_putc(b, '"');
}

static void
reject(int64_t row, const char *column, const char *reason_zh, const char *reason_en, void *arg)
{
	(void)reason_en;
	job *j = arg;
	if (++j->reported > REPORT_ROWS)
		return;
	jz_buf_printf(&j->report, "%" PRId64 ",", row);
	csv_field(&j->report, column ? column : "");
	jz_buf_putc(&j->report, ',');
	csv_field(&j->report, reason_zh);
	jz_buf_puts(&j->report, "\r\n");
}

static void *
run(void *arg)
{
	job *j = arg;
	char *err_text = NULL;
	j->db = jz_db_open(j->db_url, &err_text);
	if (!j->db) {
		jz_log_error("import job %" PRId64 ": %s", j->id, err_text);
		free(err_text);
		goto out;
	}
	jz_ctx ctx = {.db = j->db, .user = &j->user, .now = (int64_t)time(NULL), .keys = j->keys};
	jz_import_options opt = {.dry_run = j->dry_run, .progress = progress, .progress_arg = j};
	jz_import_result res = {0};
	jz_err err = {0};
	jz_buf_puts(&j->report, "row,column,reason\r\n");
	bool ok = jz_svc_import_workers(&ctx, j->company_id, j->data, j->len, &opt, reject, j, &res, &err);
	char message[400] = "";
	if (!ok) {
		const char *detail = *err.detail_zh ? err.detail_zh : jz_err_message(err.code, false);
		snprintf(message, sizeof message, "%s%s%s", *err.field ? err.field : "", *err.field ? "：" : "", detail);
	}
	jz_import_job done = {
	    .id = j->id,
	    .status = ok ? "done" : "failed",
	    .rows_done = res.rows,
	    .imported = res.imported,
	    .already_there = res.already_there,
	    .rejected = res.rejected,
	    .message = message,
	    .report = (char *)jz_buf_str(&j->report),
	    .finished_at = (int64_t)time(NULL),
	};
	if (jz_store_import_job_finish(j->db, &done) != JZ_DB_OK)
		jz_log_error("import job %" PRId64 ": cannot record the outcome", j->id);
out:
	jz_db_close(j->db);
	jz_buf_free(&j->report);
	jz_user_clear(&j->user);
	free(j->data);
	free(j->db_url);
	free(j);
	return NULL;
}

static jz_user
copy_user(const jz_user *u)
{
	jz_user c = *u;
	c.username = jz_xstrdup(u->username);
	c.password_hash = jz_xstrdup("");
	c.role = jz_xstrdup(u->role);
	c.region = u->region ? jz_xstrdup(u->region) : NULL;
	c.display_name = jz_xstrdup(u->display_name);
	return c;
}

bool
jz_svc_import_start(const jz_ctx *ctx, const char *db_url, const char *filename, char *data, size_t len,
                    bool dry_run, int64_t *job_id, jz_err *err)
{
	if (!jz_svc_require_active_company(ctx, err)) {
		free(data);
		return false;
	}
	if (!len) {
		free(data);
		return jz_err_set(err, JZ_E_MISSING_FIELD, "file", "请选择要上传的 CSV 文件", "choose a CSV file");
	}
	jz_import_job row = {
	    .company_id = ctx->user->company_id,
	    .user_id = ctx->user->id,
	    .filename = (char *)(filename && *filename ? filename : "upload.csv"),
	    .dry_run = dry_run,
	    .bytes_total = (int64_t)len,
	    .started_at = ctx->now,
	};
	jz_db_status s = jz_store_import_job_create(ctx->db, &row);
	if (s != JZ_DB_OK) {
		free(data);
		return jz_svc_db_failed(s, err);
	}
	job *j = jz_xcalloc(1, sizeof *j);
	j->db_url = jz_xstrdup(db_url);
	j->user = copy_user(ctx->user);
	j->keys = ctx->keys;
	j->id = row.id;
	j->company_id = ctx->user->company_id;
	j->data = data;
	j->len = len;
	j->dry_run = dry_run;
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	int rc = pthread_create(&t, &attr, run, j);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		jz_user_clear(&j->user);
		free(j->data);
		free(j->db_url);
		free(j);
		return jz_err_set(err, JZ_E_UNAVAILABLE, NULL, NULL, NULL);
	}
	*job_id = row.id;
	return true;
}

bool
jz_svc_import_job(const jz_ctx *ctx, int64_t job_id, jz_import_job *out, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	jz_db_status s = jz_store_import_job_get(ctx->db, job_id, out);
	if (s == JZ_DB_OK && out->company_id != ctx->user->company_id)
		s = JZ_DB_NOT_FOUND;
	if (s != JZ_DB_OK) {
		jz_import_job_clear(out);
		return s == JZ_DB_NOT_FOUND ? jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL) : jz_svc_db_failed(s, err);
	}
	if (!strcmp(out->status, "running") && out->updated_at < ctx->now - STALLED_AFTER) {
		free(out->status);
		out->status = jz_xstrdup("failed");
		free(out->message);
		out->message = jz_xstrdup("导入中断（服务器重启）；已完成的批次已保存，重新上传同一文件即可继续");
	}
	return true;
}
