/* Credit records and appeals: use cases. */
#include "services/credit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/readiness.h"
#include "core/regions.h"
#include "core/text.h"
#include "services/audit.h"
#include "util/seal.h"
#include "util/xmalloc.h"

static const char EVIDENCE_CONTEXT[] = "credit.evidence";

static bool
is_office(const jz_ctx *ctx)
{
	return ctx->user && (!strcmp(ctx->user->role, "regulator") || !strcmp(ctx->user->role, "association"));
}

static bool
is_regulator(const jz_ctx *ctx)
{
	return ctx->user && !strcmp(ctx->user->role, "regulator");
}

/* Whether the signed-in office's region holds the region given by its three codes. */
static bool
covers(const jz_ctx *ctx, const char *county, const char *prefecture, const char *province)
{
	const char *r = is_office(ctx) ? ctx->user->region : NULL;
	return r && *r && (!strcmp(r, county) || !strcmp(r, prefecture) || !strcmp(r, province));
}

static bool
audit_record(const jz_ctx *ctx, const char *action, int64_t id, const char *detail, jz_err *err)
{
	char target[40];
	snprintf(target, sizeof target, "credit_record:%" PRId64, id);
	return jz_svc_audit(ctx, action, target, detail, err);
}

/* A text field of 2..max characters, trimmed into *out (caller frees). */
static bool
text_field(const char *value, const char *field, size_t max, char **out, jz_err *err)
{
	if (!value || !*value)
		return jz_err_set(err, JZ_E_MISSING_FIELD, field, NULL, NULL);
	if (jz_text_check(value, 2, max, true) != JZ_TEXT_OK) {
		char zh[64], en[64];
		snprintf(zh, sizeof zh, "请填写2至%zu字", max);
		snprintf(en, sizeof en, "2 to %zu characters", max);
		return jz_err_set(err, JZ_E_INVALID_FIELD, field, zh, en);
	}
	*out = jz_text_trim(value);
	return true;
}

/* ---- evidence files ---- */

/* The type of an evidence file from its first bytes, never from what the browser said. */
static const char *
sniff_type(const unsigned char *d, size_t n)
{
	if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return "image/jpeg";
	if (n >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (n >= 5 && !memcmp(d, "%PDF-", 5))
		return "application/pdf";
	if (memchr(d, '\0', n))
		return NULL;
	char *copy = jz_xmalloc(n + 1);
	memcpy(copy, d, n);
	copy[n] = '\0';
	for (char *p = copy; (p = strchr(p, '\r')); p++)
		*p = '\n'; /* text saved on Windows ends its lines with CR LF */
	bool text = jz_text_check(copy, 1, n, true) == JZ_TEXT_OK;
	free(copy);
	return text ? "text/plain; charset=utf-8" : NULL;
}

/* A safe file name: the last path part, valid UTF-8 without control characters. */
static void
clean_name(const char *name, char out[128])
{
	const char *base = name ? name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	if (!*base || strlen(base) >= 100 || jz_text_check(base, 1, 80, false) != JZ_TEXT_OK ||
	    strchr(base, '"'))
		base = "evidence";
	snprintf(out, 128, "%s", base);
}

static bool
check_file(const jz_upload_file *f, jz_err *err)
{
	if (!f || !f->data)
		return true;
	if (f->len == 0)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "file", "文件是空的", "the file is empty");
	if (f->len > JZ_EVIDENCE_MAX)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "file", "证据文件不能超过2MB", "at most 2 MB");
	if (!sniff_type(f->data, f->len))
		return jz_err_set(err, JZ_E_INVALID_FIELD, "file", "只接受 JPG、PNG、PDF 或文本文件",
		                  "JPG, PNG, PDF or text files only");
	return true;
}

/* Seals and stores a checked file inside the caller's transaction. */
static bool
store_file(const jz_ctx *ctx, int64_t record_id, int64_t appeal_id, const jz_upload_file *f, jz_err *err)
{
	if (!f || !f->data)
		return true;
	size_t b64_len = sodium_base64_encoded_len(f->len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = jz_xmalloc(b64_len);
	sodium_bin2base64(b64, b64_len, f->data, f->len, sodium_base64_VARIANT_ORIGINAL);
	char *sealed = jz_seal(ctx->keys, b64, EVIDENCE_CONTEXT);
	free(b64);
	char name[128];
	clean_name(f->name, name);
	char *by = jz_svc_actor(ctx);
	jz_evidence e = {.record_id = record_id,
	                 .appeal_id = appeal_id,
	                 .filename = name,
	                 .content_type = sniff_type(f->data, f->len),
	                 .size = (int64_t)f->len,
	                 .data_sealed = sealed,
	                 .added_by = by,
	                 .created_at = ctx->now};
	int64_t id;
	jz_db_status s = sealed ? jz_store_evidence_add(ctx->db, &e, &id) : JZ_DB_ERROR;
	free(sealed);
	free(by);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

/* ---- reporting ---- */

/* Fills the three region codes from one code of any level. */
static void
region_codes(const char *code, char county[8], char prefecture[8], char province[8])
{
	const jz_region *r = jz_region_find(code);
	snprintf(county, 8, "%s", code);
	snprintf(prefecture, 8, "%s", r && r->prefecture && *r->prefecture ? r->prefecture : code);
	snprintf(province, 8, "%s", r ? r->province : code);
}

typedef struct report_job {
	jz_credit_record r;
	const jz_upload_file *file;
	char county[8], prefecture[8], province[8];
	char *label;
	int64_t id;
} report_job;

/* Who may report about this subject, and where the record is handled. */
static bool
reporter_rights(const jz_ctx *ctx, report_job *job, jz_err *err)
{
	jz_credit_record *r = &job->r;
	if (ctx->user->company_id) {
		jz_company c = {0};
		jz_db_status s = jz_store_company_get(ctx->db, ctx->user->company_id, &c);
		bool active = s == JZ_DB_OK && !strcmp(c.status, "active");
		if (active) {
			region_codes(c.county, job->county, job->prefecture, job->province);
			free(job->label); /* a retried transaction comes here again */
			job->label = jz_xstrdup(c.name);
		}
		jz_company_clear(&c);
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
		if (!active)
			return jz_err_set(err, JZ_E_FORBIDDEN, NULL, "企业不在正常经营状态", "the company is not active");
		if (!r->worker_id)
			return jz_err_set(err, JZ_E_FORBIDDEN, NULL, "企业只能报告本企业（曾）雇用的家政服务员",
			                  "companies report about their own (former) workers");
		bool current, ever;
		s = jz_store_employment_status(ctx->db, r->worker_id, ctx->user->company_id, &current, &ever);
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
		if (!ever)
			return jz_err_set(err, JZ_E_NOT_FOUND, "worker_id", "不是本企业（曾）雇用的家政服务员",
			                  "not a worker your company employs or employed");
		r->reporter_company_id = ctx->user->company_id;
		r->status = "reported";
		return true;
	}
	if (!is_office(ctx))
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	if (r->worker_id) {
		/* Handled where the worker works, within the office's region. */
		char county[8];
		jz_db_status s = jz_store_worker_county_in_region(ctx->db, r->worker_id, ctx->user->region, county);
		if (s == JZ_DB_NOT_FOUND)
			return jz_err_set(err, JZ_E_NOT_FOUND, "worker_id", NULL, NULL);
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
		region_codes(county, job->county, job->prefecture, job->province);
	} else {
		jz_company c = {0};
		jz_db_status s = jz_store_company_get(ctx->db, r->company_id, &c);
		if (s == JZ_DB_OK) {
			snprintf(job->county, 8, "%s", c.county);
			snprintf(job->prefecture, 8, "%s", c.prefecture);
			snprintf(job->province, 8, "%s", c.province);
		}
		jz_company_clear(&c);
		if (s == JZ_DB_NOT_FOUND)
			return jz_err_set(err, JZ_E_NOT_FOUND, "company_id", NULL, NULL);
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
		if (!covers(ctx, job->county, job->prefecture, job->province))
			return jz_err_set(err, JZ_E_OUT_OF_SCOPE, NULL, NULL, NULL);
	}
	const jz_region *reg = jz_region_find(ctx->user->region);
	free(job->label);
	job->label = jz_xasprintf("%s%s", reg ? reg->name : "", !strcmp(ctx->user->role, "regulator") ? "商务主管部门" : "家庭服务业协会");
	/* The office confirming its own record publishes it at once. */
	r->status = "published";
	r->decided_by = ctx->user->id;
	r->decided_at = ctx->now;
	r->decision_reason = "由主管部门或协会直接认定";
	return true;
}

static int64_t
expiry_of(const char *polarity, const char *severity, int64_t from)
{
	int sev = jz_severity_parse(severity);
	if (strcmp(polarity, "negative") != 0 || sev < 0)
		return 0;
	return from + (int64_t)jz_severity_days((jz_severity)sev) * 86400;
}

/* Tells the companies that employ or lately checked the worker. */
static bool
notify(const jz_ctx *ctx, int64_t worker_id, int64_t record_id, const char *kind, int64_t except, jz_err *err)
{
	if (!worker_id)
		return true;
	int64_t sent;
	jz_db_status s = jz_store_notify_companies(ctx->db, worker_id, record_id, kind,
	                                           ctx->now - (int64_t)JZ_CHECK_NOTIFY_DAYS * 86400, except, ctx->now, &sent);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

static bool
report_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	report_job *job = arg;
	if (!reporter_rights(ctx, job, err))
		return false;
	jz_credit_record *r = &job->r;
	r->county = job->county;
	r->prefecture = job->prefecture;
	r->province = job->province;
	r->reporter_user_id = ctx->user->id;
	r->reporter_label = job->label;
	r->created_at = ctx->now;
	bool published = !strcmp(r->status, "published");
	if (published)
		r->expires_at = expiry_of(r->polarity, r->severity, ctx->now);
	jz_db_status s = jz_store_credit_insert(ctx->db, r, &job->id);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!store_file(ctx, job->id, 0, job->file, err))
		return false;
	if (published && !notify(ctx, r->worker_id, job->id, "record_published", 0, err))
		return false;
	char detail[96];
	snprintf(detail, sizeof detail, "{\"category\":\"%s\",\"status\":\"%s\"}", r->category, r->status);
	return audit_record(ctx, "credit.report", job->id, detail, err);
}

static bool
check_record_input(const jz_record_input *in, const char *today, report_job *job, char **summary, char **evidence,
                   jz_err *err)
{
	if ((in->worker_id > 0) == (in->company_id > 0))
		return jz_err_set(err, JZ_E_MISSING_FIELD, "worker_id", "请指明记录对象（家政服务员或企业）",
		                  "name the worker or the company");
	const jz_credit_category *cat = jz_credit_category_find(in->category);
	if (!cat)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "category", "记录类别不在列表中", "unknown category");
	const char *severity = "";
	if (cat->negative) {
		int sev = jz_severity_parse(in->severity);
		if (sev < 0)
			return jz_err_set(err, JZ_E_INVALID_FIELD, "severity", "请选择严重程度：minor、serious 或 grave",
			                  "minor, serious or grave");
		if (sev < jz_severity_parse(cat->least))
			return jz_err_set(err, JZ_E_INVALID_FIELD, "severity", "该类失信行为的严重程度不能低于规定",
			                  "this conduct is at least as severe as its category says");
		severity = jz_severity_name((jz_severity)sev);
	} else if (in->severity && *in->severity) {
		return jz_err_set(err, JZ_E_INVALID_FIELD, "severity", "表彰类记录没有严重程度", "positive records have no severity");
	}
	if (!in->occurred || !jz_date_valid(in->occurred) || strcmp(in->occurred, today) > 0)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "occurred", "日期格式应为 2025-01-31，且不晚于今天",
		                  "YYYY-MM-DD, not in the future");
	if (!text_field(in->summary, "summary", 200, summary, err))
		return false;
	if (in->evidence && *in->evidence) {
		if (jz_text_check(in->evidence, 0, 4000, true) != JZ_TEXT_OK)
			return jz_err_set(err, JZ_E_INVALID_FIELD, "evidence", "证据说明最多4000字", "at most 4000 characters");
		*evidence = jz_text_trim(in->evidence);
	} else {
		*evidence = jz_xstrdup("");
	}
	if (!check_file(&in->file, err))
		return false;
	job->r.worker_id = in->worker_id;
	job->r.company_id = in->company_id;
	job->r.polarity = cat->negative ? "negative" : "positive";
	job->r.category = cat->code;
	job->r.severity = severity;
	job->r.occurred = in->occurred;
	job->r.summary = *summary;
	job->r.evidence = *evidence;
	job->file = &in->file;
	return true;
}

bool
jz_svc_record_report(const jz_ctx *ctx, const jz_record_input *in, int64_t *id, bool *published, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	char today[11];
	jz_date_of(ctx->now, today);
	report_job job = {0};
	char *summary = NULL, *evidence = NULL;
	bool ok = check_record_input(in, today, &job, &summary, &evidence, err) &&
	          jz_svc_transaction(ctx, report_work, &job, err);
	if (ok) {
		*id = job.id;
		*published = !strcmp(job.r.status, "published");
	}
	free(summary);
	free(evidence);
	free(job.label);
	return ok;
}

/* ---- reading ---- */

typedef struct found {
	bool found;
	jz_credit_record r;
	char *strings[18];
	size_t n;
} found;

static const char *
keep(found *f, const char *s)
{
	f->strings[f->n] = jz_xstrdup(s);
	return f->strings[f->n++];
}

static bool
copy_record(const jz_credit_record *r, void *arg)
{
	found *f = arg;
	f->found = true;
	f->r = *r;
	const char **texts[] = {&f->r.polarity, &f->r.category,       &f->r.severity,        &f->r.summary,
	                        &f->r.evidence, &f->r.occurred,       &f->r.county,          &f->r.prefecture,
	                        &f->r.province, &f->r.reporter_label, &f->r.status,          &f->r.decision_reason,
	                        &f->r.subject_name};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		*texts[i] = keep(f, *texts[i]);
	return false;
}

static void
found_free(found *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->strings[i]);
	memset(f, 0, sizeof *f);
}

static bool
find_record(const jz_ctx *ctx, int64_t id, found *f, jz_err *err)
{
	memset(f, 0, sizeof *f);
	jz_db_status s = jz_store_credit_get(ctx->db, id, copy_record, f);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return f->found || jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
}

static bool
counting(const jz_credit_record *r, int64_t now)
{
	return !strcmp(r->status, "published") && (!r->expires_at || r->expires_at > now);
}

/* Who is looking at a record: the subject, the reporter, an office in scope, or a company
 * that employs the worker or was told about the record (published records only). */
static bool
record_rights(const jz_ctx *ctx, const jz_credit_record *r, jz_record_rights *out, jz_err *err)
{
	memset(out, 0, sizeof *out);
	bool subject = (ctx->worker_id && ctx->worker_id == r->worker_id) ||
	               (!ctx->worker_id && ctx->user && ctx->user->company_id && ctx->user->company_id == r->company_id);
	bool reporter = ctx->user && ctx->user->company_id && ctx->user->company_id == r->reporter_company_id;
	bool official = covers(ctx, r->county, r->prefecture, r->province);
	bool published = !strcmp(r->status, "published");
	if (subject || reporter || official) {
		out->evidence = true;
		out->decide = official && !strcmp(r->status, "reported");
		out->appeal = subject && published && !strcmp(r->polarity, "negative") && r->appeals == 0 &&
		              counting(r, ctx->now);
		out->decide_appeal = official && is_regulator(ctx) && r->disputed;
		return true;
	}
	if (!ctx->worker_id && !ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (ctx->user && ctx->user->company_id && r->worker_id && published) {
		bool notified = false, current = false, ever = false;
		jz_db_status s = jz_store_notification_about(ctx->db, ctx->user->company_id, r->id, &notified);
		if (s == JZ_DB_OK && !notified)
			s = jz_store_employment_status(ctx->db, r->worker_id, ctx->user->company_id, &current, &ever);
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
		if (notified || current)
			return true;
	}
	return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
}

bool
jz_svc_record_open(const jz_ctx *ctx, int64_t id,
                   void (*each)(const jz_credit_record *r, const jz_record_rights *rights, void *arg), void *arg,
                   jz_err *err)
{
	found f;
	jz_record_rights rights;
	if (!find_record(ctx, id, &f, err))
		return false;
	bool ok = record_rights(ctx, &f.r, &rights, err);
	if (ok)
		each(&f.r, &rights, arg);
	found_free(&f);
	return ok;
}

static bool
rights_of(const jz_ctx *ctx, int64_t id, jz_record_rights *rights, jz_err *err)
{
	found f;
	if (!find_record(ctx, id, &f, err))
		return false;
	bool ok = record_rights(ctx, &f.r, rights, err);
	found_free(&f);
	return ok;
}

bool
jz_svc_record_evidence(const jz_ctx *ctx, int64_t id, bool (*each)(const jz_evidence *e, void *arg), void *arg,
                       jz_err *err)
{
	jz_record_rights rights;
	if (!rights_of(ctx, id, &rights, err))
		return false;
	if (!rights.evidence)
		return true;
	jz_db_status s = jz_store_evidence_list(ctx->db, id, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

bool
jz_svc_record_appeals(const jz_ctx *ctx, int64_t id, bool (*each)(const jz_credit_appeal *a, void *arg), void *arg,
                      jz_err *err)
{
	jz_record_rights rights;
	if (!rights_of(ctx, id, &rights, err))
		return false;
	jz_db_status s = jz_store_appeal_list(ctx->db, id, NULL, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

typedef struct evidence_out {
	bool found;
	int64_t record_id;
	char *sealed;
	char name[128], type[64];
} evidence_out;

static bool
copy_evidence(const jz_evidence *e, void *arg)
{
	evidence_out *o = arg;
	o->found = true;
	o->record_id = e->record_id;
	o->sealed = jz_xstrdup(e->data_sealed ? e->data_sealed : "");
	snprintf(o->name, sizeof o->name, "%s", e->filename);
	snprintf(o->type, sizeof o->type, "%s", e->content_type);
	return false;
}

static bool
evidence_audit_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	const int64_t *id = arg;
	char target[40];
	snprintf(target, sizeof target, "credit_evidence:%" PRId64, *id);
	return jz_svc_audit(ctx, "credit.evidence.read", target, NULL, err);
}

bool
jz_svc_evidence_read(const jz_ctx *ctx, int64_t evidence_id, unsigned char **data, size_t *len, char name[128],
                     char type[64], jz_err *err)
{
	evidence_out o = {0};
	jz_db_status s = jz_store_evidence_get(ctx->db, evidence_id, copy_evidence, &o);
	jz_record_rights rights = {0};
	bool ok = s == JZ_DB_OK ? o.found ? rights_of(ctx, o.record_id, &rights, err)
	                                  : jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL)
	                        : jz_svc_db_failed(s, err);
	if (ok && !rights.evidence)
		ok = jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	char *b64 = ok ? jz_unseal(ctx->keys, o.sealed, EVIDENCE_CONTEXT) : NULL;
	if (ok && !b64)
		ok = jz_err_set(err, JZ_E_INTERNAL, NULL, NULL, "the evidence cannot be unsealed with this key file");
	if (ok) {
		size_t cap = strlen(b64) / 4 * 3 + 3;
		*data = jz_xmalloc(cap);
		if (sodium_base642bin(*data, cap, b64, strlen(b64), NULL, len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
			free(*data);
			ok = jz_err_set(err, JZ_E_INTERNAL, NULL, NULL, "stored evidence is damaged");
		}
	}
	if (ok && !jz_svc_transaction(ctx, evidence_audit_work, &evidence_id, err)) {
		free(*data);
		ok = false;
	}
	if (ok) {
		snprintf(name, 128, "%s", o.name);
		snprintf(type, 64, "%s", o.type);
	}
	free(b64);
	free(o.sealed);
	return ok;
}

bool
jz_svc_worker_records(const jz_ctx *ctx, int64_t worker_id, bool all,
                      bool (*each)(const jz_credit_record *r, void *arg), void *arg, jz_err *err)
{
	jz_credit_filter f = {.worker_id = worker_id, .counting = !all, .now = ctx->now};
	jz_db_status s = jz_store_credit_list(ctx->db, &f, each, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

/* ---- decisions ---- */

typedef struct decide_job {
	int64_t id;
	bool confirm;
	const char *severity; /* NULL: keep */
	const char *reason;
} decide_job;

static bool
decide_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	decide_job *job = arg;
	found f;
	if (!find_record(ctx, job->id, &f, err))
		return false;
	bool in = covers(ctx, f.r.county, f.r.prefecture, f.r.province);
	bool negative = !strcmp(f.r.polarity, "negative");
	int64_t worker = f.r.worker_id, reporter = f.r.reporter_company_id;
	const char *severity = job->severity && negative ? job->severity : NULL;
	int64_t expires = job->confirm ? expiry_of(f.r.polarity, severity ? severity : f.r.severity, ctx->now) : 0;
	found_free(&f);
	/* Outside its region an office cannot see the record (record_rights), so it does not
	 * exist for it either. */
	if (!in)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	jz_db_status s = jz_store_credit_decide(ctx->db, job->id, "reported", job->confirm ? "published" : "dismissed",
	                                        severity, job->reason, ctx->user->id, ctx->now, expires);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "该记录已处理", "the record has been decided already");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (job->confirm && !notify(ctx, worker, job->id, "record_published", reporter, err))
		return false;
	return audit_record(ctx, job->confirm ? "credit.confirm" : "credit.dismiss", job->id, NULL, err);
}

bool
jz_svc_record_decide(const jz_ctx *ctx, int64_t id, const char *decision, const char *severity, const char *reason,
                     jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (!is_office(ctx))
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	if (!decision || (strcmp(decision, "confirm") != 0 && strcmp(decision, "dismiss") != 0))
		return jz_err_set(err, JZ_E_INVALID_FIELD, "decision", "应为 confirm 或 dismiss", "confirm or dismiss");
	int sev = severity && *severity ? jz_severity_parse(severity) : -2;
	if (sev == -1)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "severity", "应为 minor、serious 或 grave", "minor, serious or grave");
	char *why = NULL;
	if (!text_field(reason, "reason", 500, &why, err))
		return false;
	decide_job job = {id, !strcmp(decision, "confirm"), sev >= 0 ? jz_severity_name((jz_severity)sev) : NULL, why};
	bool ok = jz_svc_transaction(ctx, decide_work, &job, err);
	free(why);
	return ok;
}

/* ---- appeals ---- */

typedef struct appeal_job {
	int64_t record_id;
	const char *reasons;
	const jz_upload_file *file;
	int64_t id;
} appeal_job;

static bool
appeal_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	appeal_job *job = arg;
	found f;
	jz_record_rights rights;
	if (!find_record(ctx, job->record_id, &f, err))
		return false;
	bool visible = record_rights(ctx, &f.r, &rights, err);
	bool subject = (ctx->worker_id && ctx->worker_id == f.r.worker_id) ||
	               (ctx->user && ctx->user->company_id && ctx->user->company_id == f.r.company_id);
	found_free(&f);
	if (!visible)
		return false;
	if (!subject)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, "只有记录涉及的家政服务员或企业可以提出异议",
		                  "only the worker or company concerned may appeal");
	if (!rights.appeal)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "只能对已公示、未过期且未提出过异议的不良记录提出异议",
		                  "only a published, unexpired negative record without an earlier appeal");
	jz_credit_appeal a = {.record_id = job->record_id,
	                      .by_worker = ctx->worker_id != 0,
	                      .company_id = ctx->worker_id ? 0 : ctx->user->company_id,
	                      .user_id = ctx->worker_id ? 0 : ctx->user->id,
	                      .reasons = job->reasons,
	                      .due_at = ctx->now + (int64_t)JZ_APPEAL_DAYS * 86400,
	                      .created_at = ctx->now};
	jz_db_status s = jz_store_appeal_insert(ctx->db, &a, &job->id);
	if (s == JZ_DB_CONFLICT)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "该记录已有待处理的异议", "an appeal is pending already");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!store_file(ctx, job->record_id, job->id, job->file, err))
		return false;
	jz_ctx who = *ctx;
	if (ctx->worker_id)
		who.actor = "worker";
	char detail[48];
	snprintf(detail, sizeof detail, "{\"appeal\":%" PRId64 "}", job->id);
	return audit_record(&who, "credit.appeal", job->record_id, detail, err);
}

bool
jz_svc_appeal_file(const jz_ctx *ctx, int64_t record_id, const char *reasons, const jz_upload_file *file,
                   int64_t *appeal_id, jz_err *err)
{
	if (!ctx->worker_id && !ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	char *why = NULL;
	if (!text_field(reasons, "reasons", 2000, &why, err))
		return false;
	if (!check_file(file, err)) {
		free(why);
		return false;
	}
	appeal_job job = {record_id, why, file, 0};
	bool ok = jz_svc_transaction(ctx, appeal_work, &job, err);
	free(why);
	if (ok)
		*appeal_id = job.id;
	return ok;
}

typedef struct appeal_found {
	bool found;
	int64_t record_id;
	char county[8], prefecture[8], province[8];
} appeal_found;

static bool
remember_appeal(const jz_credit_appeal *a, void *arg)
{
	appeal_found *f = arg;
	f->found = true;
	f->record_id = a->record_id;
	snprintf(f->county, 8, "%s", a->county);
	snprintf(f->prefecture, 8, "%s", a->prefecture);
	snprintf(f->province, 8, "%s", a->province);
	return false;
}

typedef struct appeal_decide_job {
	int64_t id;
	bool uphold;
	const char *reason;
} appeal_decide_job;

static bool
appeal_decide_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	appeal_decide_job *job = arg;
	appeal_found f = {0};
	jz_db_status s = jz_store_appeal_get(ctx->db, job->id, remember_appeal, &f);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!f.found)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	if (!covers(ctx, f.county, f.prefecture, f.province))
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	s = jz_store_appeal_decide(ctx->db, job->id, job->uphold ? "upheld" : "rejected", job->reason, ctx->user->id,
	                           ctx->now);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "该异议已处理", "the appeal has been decided already");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (job->uphold) {
		found r;
		if (!find_record(ctx, f.record_id, &r, err))
			return false;
		int64_t worker = r.r.worker_id;
		found_free(&r);
		char *why = jz_xasprintf("异议成立：%s", job->reason);
		s = jz_store_credit_decide(ctx->db, f.record_id, "published", "revoked", NULL, why, ctx->user->id, ctx->now, 0);
		free(why);
		if (s == JZ_DB_NOT_FOUND)
			return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "该记录已不在公示状态", "the record is no longer published");
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
		if (!notify(ctx, worker, f.record_id, "record_revoked", 0, err))
			return false;
	}
	char detail[64];
	snprintf(detail, sizeof detail, "{\"appeal\":%" PRId64 ",\"decision\":\"%s\"}", job->id,
	         job->uphold ? "upheld" : "rejected");
	return audit_record(ctx, "credit.appeal.decide", f.record_id, detail, err);
}

bool
jz_svc_appeal_decide(const jz_ctx *ctx, int64_t appeal_id, const char *decision, const char *reason, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (!is_regulator(ctx))
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, "异议由主管部门决定", "appeals are decided by the regulator");
	if (!decision || (strcmp(decision, "uphold") != 0 && strcmp(decision, "reject") != 0))
		return jz_err_set(err, JZ_E_INVALID_FIELD, "decision", "应为 uphold 或 reject", "uphold or reject");
	char *why = NULL;
	if (!text_field(reason, "reason", 500, &why, err))
		return false;
	appeal_decide_job job = {appeal_id, !strcmp(decision, "uphold"), why};
	bool ok = jz_svc_transaction(ctx, appeal_decide_work, &job, err);
	free(why);
	return ok;
}

/* ---- the offices' queue and background flags ---- */

bool
jz_svc_credit_queue(const jz_ctx *ctx, const jz_credit_queue *q, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (!is_office(ctx))
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	jz_credit_filter f = {.status = "reported", .scope = ctx->user->region, .now = ctx->now, .limit = 200};
	jz_db_status s = jz_store_credit_list(ctx->db, &f, q->record, q->arg);
	if (s == JZ_DB_OK)
		s = jz_store_appeal_list(ctx->db, 0, ctx->user->region, q->appeal, q->arg);
	if (s == JZ_DB_OK && is_regulator(ctx))
		s = jz_store_background_flags(ctx->db, ctx->user->region, q->flag, q->arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

typedef struct background_job {
	int64_t worker_id;
	bool confirm;
	const char *reason;
} background_job;

static bool
background_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	background_job *job = arg;
	bool in = false;
	jz_db_status s = jz_store_worker_in_region(ctx->db, job->worker_id, ctx->user->region, &in);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!in)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
	if (job->confirm) {
		s = jz_store_worker_confirm_background(ctx->db, job->worker_id, ctx->user->id, ctx->now);
	} else {
		jz_worker w = {0};
		s = jz_store_worker_get(ctx->db, job->worker_id, &w);
		bool flagged = s == JZ_DB_OK && !strcmp(w.bg_status, "flagged") && !w.bg_confirmed_at;
		jz_worker_clear(&w);
		if (s == JZ_DB_OK && !flagged)
			s = JZ_DB_NOT_FOUND;
		if (s == JZ_DB_OK)
			s = jz_store_worker_set_background(ctx->db, job->worker_id, "pending", ctx->now, "主管部门复核未予确认");
	}
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "没有待确认的背景审查异常", "no unconfirmed background flag");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	char target[40], detail[64];
	snprintf(target, sizeof target, "worker:%" PRId64, job->worker_id);
	snprintf(detail, sizeof detail, "{\"decision\":\"%s\"}", job->confirm ? "confirm" : "overturn");
	return jz_svc_audit(ctx, "worker.background.review", target, detail, err);
}

bool
jz_svc_background_review(const jz_ctx *ctx, int64_t worker_id, const char *decision, const char *reason, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (!is_regulator(ctx))
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	if (!decision || (strcmp(decision, "confirm") != 0 && strcmp(decision, "overturn") != 0))
		return jz_err_set(err, JZ_E_INVALID_FIELD, "decision", "应为 confirm 或 overturn", "confirm or overturn");
	char *why = NULL;
	if (!text_field(reason, "reason", 500, &why, err))
		return false;
	background_job job = {worker_id, !strcmp(decision, "confirm"), why};
	bool ok = jz_svc_transaction(ctx, background_work, &job, err);
	free(why);
	return ok;
}
