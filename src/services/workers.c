/* Worker enrolment and the employer's actions: validation of what a company enters, one
 * record per person found by the keyed hash of the ID number, employments, credentials,
 * equipment, identity and background checks, consent, and the readiness list. */
#include "services/workers.h"

#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "services/audit.h"
#include "services/governance.h"
#include "services/cards.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/seal.h"
#include "util/xmalloc.h"

#define CTX_ID "worker.id_number"
#define CTX_PHONE "worker.phone"

static const char *const kinds[] = {"health", "work_permit", "skill", "insurance", "training"};

bool
jz_credential_kind_valid(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kind && !strcmp(kind, kinds[i]))
			return true;
	return false;
}

const char *
jz_credential_kind_name(const char *kind, bool english)
{
	static const char *const zh[] = {"健康证", "上岗证", "技能证书", "家政服务险", "培训"};
	static const char *const en[] = {"Health certificate", "Work permit", "Skill certificate",
	                                 "Service insurance", "Training"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kind, kinds[i]))
			return english ? en[i] : zh[i];
	return kind;
}

void
jz_worker_clean_free(jz_worker_clean *w)
{
	if (!w)
		return;
	free(w->name);
	free(w->service_types);
	w->name = w->service_types = NULL;
}

/* The column name of input field i (0 name, 1 id_number, 2 phone, 3 service_types,
 * 4 consent_date). */
static const char *
column(const jz_worker_input *in, int i)
{
	static const char *const names[] = {"name", "id_number", "phone", "service_types", "consent_date"};
	return in->columns && in->columns[i] ? in->columns[i] : names[i];
}

static bool
present(const char *s)
{
	if (!s)
		return false;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return true;
	return false;
}

static int
date_number(const char *ymd)
{
	return atoi(ymd) * 10000 + atoi(ymd + 5) * 100 + atoi(ymd + 8);
}

/* The trimmed value, truncated to size - 1 bytes as snprintf would, without a copy on the
 * heap (bulk import cleans every field of every row). */
static void
copy_trimmed(char *out, size_t size, const char *value)
{
	size_t n;
	const char *t = jz_text_trim_span(value, &n);
	if (n >= size)
		n = size - 1;
	memcpy(out, t, n);
	out[n] = '\0';
}

/* The CSV column of a part of a certificate, "health_no": written only when it is needed. */
static const char *
cred_field(char field[48], const char *kind, const char *part)
{
	snprintf(field, 48, "%s_%s", kind, part);
	return field;
}

/* A date field: valid YYYY-MM-DD (when present); out[11] gets it or "". The field is
 * named `field`, or "<field>_<part>" when part is not NULL (written only on refusal). */
static bool
clean_date_part(const char *value, const char *field, const char *part, bool required,
                char out[11], jz_err *err)
{
	char name[48];
	out[0] = '\0';
	if (!present(value)) {
		if (required)
			return jz_err_set(err, JZ_E_MISSING_FIELD, part ? cred_field(name, field, part) : field,
			                  "请填写日期（格式 2025-01-31）", "required (YYYY-MM-DD)");
		return true;
	}
	/* A date is 10 bytes: a longer value is no date, whatever its first bytes. */
	char t[16];
	size_t n;
	jz_text_trim_span(value, &n);
	copy_trimmed(t, sizeof t, value);
	if (n < sizeof t && jz_date_valid(t)) {
		memcpy(out, t, 11);
		return true;
	}
	return jz_err_set(err, JZ_E_INVALID_FIELD, part ? cred_field(name, field, part) : field,
	                  "日期无效，格式应为 2025-01-31", "not a date written YYYY-MM-DD");
}

static bool
clean_date(const char *value, const char *field, bool required, char out[11], jz_err *err)
{
	return clean_date_part(value, field, NULL, required, out, err);
}

static bool
clean_credential(const jz_credential_input *c, const char *today, jz_worker_clean *out, jz_err *err)
{
	char field[48];
	if (!jz_credential_kind_valid(c->kind))
		return jz_err_set(err, JZ_E_INVALID_FIELD, "kind", "证书类型无效",
		                  "kind must be health, work_permit, skill, insurance or training");
	if (!present(c->number))
		return jz_err_set(err, JZ_E_MISSING_FIELD, cred_field(field, c->kind, "no"),
		                  "请填写证书编号", "the number is required");
	if (jz_text_check(c->number, 1, 64, false) != JZ_TEXT_OK)
		return jz_err_set(err, JZ_E_INVALID_FIELD, cred_field(field, c->kind, "no"),
		                  "证书编号应为1至64个字符", "1 to 64 characters");
	jz_text_fault issuer_fault = c->issuer ? jz_text_check(c->issuer, 0, 100, false) : JZ_TEXT_OK;
	if (issuer_fault == JZ_TEXT_TOO_LONG)
		return jz_err_set(err, JZ_E_INVALID_FIELD, cred_field(field, c->kind, "issuer"),
		                  "发证机构最多100个字", "at most 100 characters");
	if (issuer_fault != JZ_TEXT_OK)
		return jz_err_set(err, JZ_E_INVALID_FIELD, cred_field(field, c->kind, "issuer"),
		                  "发证机构含有无效字符",
		                  "invalid characters (line breaks, control characters or bad UTF-8)");
	size_t i = out->n_credentials;
	snprintf(out->credentials[i].kind, sizeof out->credentials[i].kind, "%s", c->kind);
	copy_trimmed(out->credentials[i].number, sizeof out->credentials[i].number, c->number);
	copy_trimmed(out->credentials[i].issuer, sizeof out->credentials[i].issuer,
	             c->issuer ? c->issuer : "");
	/* Insurance and health certificates always run out; training never does. */
	bool needs_expiry = !strcmp(c->kind, "health") || !strcmp(c->kind, "insurance");
	if (!clean_date_part(c->issued, c->kind, "issued", false, out->credentials[i].issued, err))
		return false;
	if (*out->credentials[i].issued && strcmp(out->credentials[i].issued, today) > 0)
		return jz_err_set(err, JZ_E_INVALID_FIELD, cred_field(field, c->kind, "issued"),
		                  "发证日期不能晚于今天", "the issue date is in the future");
	if (!clean_date_part(c->expires, c->kind, "expires", needs_expiry,
	                     out->credentials[i].expires, err))
		return false;
	if (*out->credentials[i].issued && *out->credentials[i].expires &&
	    strcmp(out->credentials[i].expires, out->credentials[i].issued) < 0)
		return jz_err_set(err, JZ_E_INVALID_FIELD, cred_field(field, c->kind, "expires"),
		                  "有效期早于发证日期", "expires before it was issued");
	out->n_credentials++;
	return true;
}

static char *
join_types(const jz_worker_input *in, jz_err *err)
{
	jz_buf b = JZ_BUF_INIT;
	for (size_t i = 0; i < in->n_service_types; i++) {
		/* No code or name is this long: a longer value is unknown whatever it begins with. */
		char t[96];
		size_t n;
		jz_text_trim_span(in->service_types[i], &n);
		copy_trimmed(t, sizeof t, in->service_types[i]);
		if (!*t)
			continue;
		const jz_service_type *st = n < sizeof t ? jz_service_type_find(t) : NULL;
		if (!st) {
			char zh[128], en[128];
			snprintf(zh, sizeof zh, "服务类型“%.40s”不在列表中", t);
			snprintf(en, sizeof en, "unknown service type '%.40s'", t);
			jz_buf_free(&b);
			jz_err_set(err, JZ_E_UNKNOWN_SERVICE_TYPE, column(in, 3), zh, en);
			return NULL;
		}
		char needle[48];
		snprintf(needle, sizeof needle, "|%s|", st->code);
		jz_buf_putc(&b, '|');
		bool seen = strstr(jz_buf_str(&b), needle) != NULL;
		b.data[--b.len] = '\0';
		if (!seen) {
			if (b.len)
				jz_buf_putc(&b, '|');
			jz_buf_puts(&b, st->code);
		}
	}
	return jz_buf_steal(&b);
}

bool
jz_svc_worker_clean(const jz_worker_input *in, const char *today, jz_worker_clean *out, jz_err *err)
{
	memset(out, 0, sizeof *out);
	if (!present(in->name))
		return jz_err_set(err, JZ_E_MISSING_FIELD, column(in, 0), "请填写姓名", "required");
	switch (jz_text_check(in->name, 2, 40, false)) {
	case JZ_TEXT_OK: break;
	case JZ_TEXT_TOO_SHORT: return jz_err_set(err, JZ_E_INVALID_FIELD, column(in, 0), "姓名至少2个字", "at least 2 characters");
	case JZ_TEXT_TOO_LONG: return jz_err_set(err, JZ_E_INVALID_FIELD, column(in, 0), "姓名最多40个字", "at most 40 characters");
	default: return jz_err_set(err, JZ_E_INVALID_FIELD, column(in, 0), "姓名含有无效字符", "invalid characters");
	}
	if (!present(in->id_number))
		return jz_err_set(err, JZ_E_MISSING_FIELD, column(in, 1), "请填写身份证号", "required");
	jz_id_fault f = jz_idcard_parse(in->id_number, date_number(today), &out->id);
	if (f != JZ_ID_OK)
		return jz_err_set(err, JZ_E_INVALID_FIELD, column(in, 1), jz_idcard_reason_zh(f), jz_idcard_reason(f));
	if (present(in->phone) && !jz_phone_normalise(in->phone, out->phone, sizeof out->phone))
		return jz_err_set(err, JZ_E_INVALID_PHONE, column(in, 2), "手机号应为11位，固定电话应带区号",
		                  "an 11-digit mobile number, or a landline with its area code");
	if (!clean_date(in->consent_date, column(in, 4), false, out->consent_date, err))
		return false;
	if (*out->consent_date && strcmp(out->consent_date, today) > 0)
		return jz_err_set(err, JZ_E_INVALID_FIELD, column(in, 4), "授权日期不能晚于今天",
		                  "the consent date is in the future");
	for (size_t i = 0; i < in->n_credentials; i++)
		if (!clean_credential(&in->credentials[i], today, out, err))
			return false;
	out->service_types = join_types(in, err);
	if (!out->service_types)
		return false;
	out->name = jz_text_trim(in->name);
	return true;
}

/* Unix time of noon UTC on a YYYY-MM-DD date. */
static int64_t
date_time(const char *ymd)
{
	struct tm tm = {.tm_year = atoi(ymd) - 1900, .tm_mon = atoi(ymd + 5) - 1,
	                .tm_mday = atoi(ymd + 8), .tm_hour = 12};
	return (int64_t)timegm(&tm);
}

static void
today(const jz_ctx *ctx, char out[11])
{
	jz_date_of(ctx->now, out);
}

void
jz_svc_worker_seal(const jz_keys *keys, const jz_worker_clean *w, jz_worker_sealed *out)
{
	memset(out, 0, sizeof *out);
	jz_lookup_hash(keys, w->id.number, CTX_ID, out->id_hash);
	out->id_sealed = jz_seal(keys, w->id.number, CTX_ID);
	if (*w->phone) {
		jz_lookup_hash(keys, w->phone, CTX_PHONE, out->phone_hash);
		out->phone_sealed = jz_seal(keys, w->phone, CTX_PHONE);
	}
}

void
jz_worker_sealed_free(jz_worker_sealed *s)
{
	if (!s)
		return;
	free(s->id_sealed);
	free(s->phone_sealed);
	memset(s, 0, sizeof *s);
}

/* The row of a new person; birth (YYYY-MM-DD) is the caller's buffer that it points to. */
static jz_worker
new_worker_row(const jz_ctx *ctx, int64_t company_id, const jz_worker_clean *w,
               const jz_worker_sealed *sealed, char birth[11])
{
	/* "%04d-%02d-%02d" of a parsed ID number, without printf on the bulk-import path. */
	int ymd[3] = {w->id.year, w->id.month, w->id.day};
	char *p = birth + 10;
	*p = '\0';
	for (int part = 2; part >= 0; part--) {
		for (int d = part ? 2 : 4, v = ymd[part]; d > 0; d--, v /= 10)
			*--p = (char)('0' + v % 10);
		if (part)
			*--p = '-';
	}
	jz_worker row = {
	    .id_sealed = sealed->id_sealed,
	    .name = w->name,
	    .female = w->id.female,
	    .birth_date = birth,
	    .native_region = (char *)w->id.region,
	    .phone_sealed = sealed->phone_sealed,
	    .service_types = w->service_types,
	    .consent_method = *w->consent_date ? "paper" : "",
	    .consent_at = *w->consent_date ? date_time(w->consent_date) : 0,
	    .entered_by = company_id,
	    .created_at = ctx->now,
	};
	memcpy(row.id_hash, sealed->id_hash, JZ_LOOKUP_HASH_LEN);
	memcpy(row.phone_hash, sealed->phone_hash, JZ_LOOKUP_HASH_LEN);
	return row;
}

/* Creates the person; CONFLICT from the phone is reported, a race on the ID is not. */
static bool
create_worker(const jz_ctx *ctx, int64_t company_id, const jz_worker_clean *w,
              const jz_worker_sealed *sealed, jz_enroll_result *res, jz_err *err)
{
	char birth[11];
	jz_worker row = new_worker_row(ctx, company_id, w, sealed, birth);
	jz_db_status s = jz_store_worker_insert(ctx->db, &row);
	if (s == JZ_DB_OK) {
		res->worker_id = row.id;
		res->created_worker = true;
		return true;
	}
	if (s != JZ_DB_CONFLICT)
		return jz_svc_db_failed(s, err);
	s = jz_store_worker_id(ctx->db, sealed->id_hash, &res->worker_id);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!res->worker_id)
		return jz_err_set(err, JZ_E_INVALID_PHONE, "phone", "该手机号已登记在另一位家政服务员名下",
		                  "this phone number belongs to another worker");
	return true;
}

/* The clean worker's credentials as rows of worker_id, entered by company_id, into out
 * (room for w->n_credentials; the strings are borrowed from w). */
static void
credentials_of(const jz_worker_clean *w, int64_t worker_id, int64_t company_id,
               jz_credential *out)
{
	for (size_t i = 0; i < w->n_credentials; i++)
		out[i] = (jz_credential){
		    .worker_id = worker_id,
		    .company_id = company_id,
		    .kind = w->credentials[i].kind,
		    .number = w->credentials[i].number,
		    .issuer = w->credentials[i].issuer,
		    .issued = w->credentials[i].issued,
		    .expires = w->credentials[i].expires,
		};
}

/* The rest of an enrolment once the person is known: a paper consent for one who was
 * there without it, the employment and the credentials. */
static bool
finish_enrolment(const jz_ctx *ctx, int64_t company_id, const jz_worker_clean *w,
                 jz_enroll_result *res, jz_err *err)
{
	char date[11];
	jz_db_status s;
	if (!res->created_worker && *w->consent_date) {
		jz_worker existing = {0};
		s = jz_store_worker_get(ctx->db, res->worker_id, &existing);
		if (s == JZ_DB_OK && !*existing.consent_method) {
			s = jz_store_worker_set_consent(ctx->db, res->worker_id, "paper",
			                                date_time(w->consent_date), NULL);
			res->consented_now = s == JZ_DB_OK;
		}
		jz_worker_clear(&existing);
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
	}
	today(ctx, date);
	s = jz_store_employment_start(ctx->db, res->worker_id, company_id, date, ctx->now,
	                              &res->created_employment);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	/* One statement for all of them: bulk import adds two or three per row. */
	jz_credential c[JZ_MAX_CREDENTIALS];
	credentials_of(w, res->worker_id, company_id, c);
	s = jz_store_credentials_add(ctx->db, c, w->n_credentials, ctx->now, &res->credentials_added);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return true;
}

bool
jz_svc_worker_enroll_sealed(const jz_ctx *ctx, int64_t company_id, const jz_worker_clean *w,
                            const jz_worker_sealed *sealed, jz_enroll_result *res, jz_err *err)
{
	memset(res, 0, sizeof *res);
	/* Most rows of a first import are new people: insert first, look up on conflict. */
	return create_worker(ctx, company_id, w, sealed, res, err) &&
	       finish_enrolment(ctx, company_id, w, res, err);
}

/* A fault of the database (or of ours), which stops a bulk import, rather than of a row. */
static bool
stops_import(const jz_err *e)
{
	return e->code == JZ_E_UNAVAILABLE || e->code == JZ_E_INTERNAL;
}

/* Orders one person's credentials by their key (kind, number), so that they are appended
 * to the credentials B-tree rather than put in front of the last one. */
static void
sort_by_key(jz_credential *c, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		jz_credential x = c[i];
		size_t j = i;
		for (; j > 0; j--) {
			int d = strcmp(c[j - 1].kind, x.kind);
			if (d < 0 || (d == 0 && strcmp(c[j - 1].number, x.number) <= 0))
				break;
			c[j] = c[j - 1];
		}
		c[j] = x;
	}
}

/* The employments and credentials of the persons this call created, who have none yet:
 * appended to their B-trees with multi-row statements (n new rows, their indexes in at). */
static bool
enroll_new_persons(const jz_ctx *ctx, int64_t company_id, const jz_enroll_row *rows,
                   const size_t *at, size_t n, jz_enroll_result *res, jz_err *err)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += rows[at[i]].clean->n_credentials;
	int64_t *ids = jz_xmalloc(n * sizeof *ids);
	jz_credential *c = jz_xmalloc((total ? total : 1) * sizeof *c);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const jz_worker_clean *w = rows[at[i]].clean;
		jz_enroll_result *r = &res[at[i]];
		ids[i] = r->worker_id;
		r->created_employment = true;
		r->credentials_added = (int)w->n_credentials;
		credentials_of(w, r->worker_id, company_id, c + k);
		sort_by_key(c + k, w->n_credentials);
		k += w->n_credentials;
	}
	char date[11];
	today(ctx, date);
	jz_db_status s = jz_store_employments_start_new(ctx->db, ids, n, company_id, date, ctx->now);
	if (s == JZ_DB_OK)
		s = jz_store_credentials_add_new(ctx->db, c, k, ctx->now);
	free(c);
	free(ids);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

bool
jz_svc_worker_enroll_many(const jz_ctx *ctx, int64_t company_id, const jz_enroll_row *rows,
                          size_t n, jz_enroll_result *res, jz_err *row_errs, jz_err *err)
{
	memset(res, 0, n * sizeof *res);
	/* Only the codes: an error is >1 KB, and jz_err_set fills in the rest. */
	for (size_t i = 0; i < n; i++)
		row_errs[i].code = JZ_E_NONE;
	size_t *created = jz_xcalloc(n ? n : 1, sizeof *created);
	size_t n_created = 0;
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++) {
		if (create_worker(ctx, company_id, rows[i].clean, rows[i].sealed, &res[i], &row_errs[i])) {
			if (res[i].created_worker)
				created[n_created++] = i;
		} else if (stops_import(&row_errs[i])) {
			*err = row_errs[i];
			ok = false;
		}
	}
	if (ok && n_created)
		ok = enroll_new_persons(ctx, company_id, rows, created, n_created, res, err);
	/* Persons who were there already, after the new ones: a person twice among the rows
	 * then finds the employment and credentials of the first, as one row after another
	 * would. */
	for (size_t i = 0; ok && i < n; i++)
		if (!row_errs[i].code && !res[i].created_worker)
			ok = finish_enrolment(ctx, company_id, rows[i].clean, &res[i], err);
	free(created);
	return ok;
}

bool
jz_svc_worker_enroll_tx(const jz_ctx *ctx, int64_t company_id, const jz_worker_clean *w,
                        jz_enroll_result *res, jz_err *err)
{
	jz_worker_sealed sealed;
	jz_svc_worker_seal(ctx->keys, w, &sealed);
	bool ok = jz_svc_worker_enroll_sealed(ctx, company_id, w, &sealed, res, err);
	jz_worker_sealed_free(&sealed);
	return ok;
}

/* The signed-in company account, or an error. */
static bool
company_user(const jz_ctx *ctx, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (!ctx->user->company_id)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	return true;
}

/* Audits a change to a worker: action, "worker:<id>", detail. */
static bool
audit_worker(const jz_ctx *ctx, const char *action, int64_t worker_id, json_t *detail, jz_err *err)
{
	char target[40];
	snprintf(target, sizeof target, "worker:%" PRId64, worker_id);
	char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(detail);
	bool ok = jz_svc_audit(ctx, action, target, text, err);
	free(text);
	return ok;
}

typedef struct enroll_job {
	const jz_worker_clean *clean;
	jz_enroll_result *res;
} enroll_job;

static bool
enroll_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	enroll_job *job = arg;
	if (!jz_svc_worker_enroll_tx(ctx, ctx->user->company_id, job->clean, job->res, err))
		return false;
	return audit_worker(ctx, "worker.enroll", job->res->worker_id,
	                    json_pack("{s:I, s:b, s:b}", "company", (json_int_t)ctx->user->company_id,
	                              "new_person", job->res->created_worker, "new_employment",
	                              job->res->created_employment),
	                    err);
}

bool
jz_svc_worker_enroll(const jz_ctx *ctx, const jz_worker_input *in, jz_enroll_result *res, jz_err *err)
{
	char date[11];
	jz_worker_clean clean;
	if (!jz_svc_require_active_company(ctx, err))
		return false;
	today(ctx, date);
	if (!jz_svc_worker_clean(in, date, &clean, err)) {
		jz_worker_clean_free(&clean);
		return false;
	}
	enroll_job job = {&clean, res};
	bool ok = jz_svc_transaction(ctx, enroll_work, &job, err);
	jz_worker_clean_free(&clean);
	return ok;
}

typedef struct action {
	int64_t worker_id;
	const char *a, *b, *c; /* the action's own arguments */
	const jz_credential_input *cred;
	char *code;
} action;

static bool
credential_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	action *x = arg;
	char date[11];
	jz_worker_clean clean = {0};
	if (!jz_svc_require_employer(ctx, x->worker_id, err))
		return false;
	today(ctx, date);
	if (!clean_credential(x->cred, date, &clean, err))
		return false;
	jz_credential c = {
	    .worker_id = x->worker_id,
	    .company_id = ctx->user->company_id,
	    .kind = clean.credentials[0].kind,
	    .number = clean.credentials[0].number,
	    .issuer = clean.credentials[0].issuer,
	    .issued = clean.credentials[0].issued,
	    .expires = clean.credentials[0].expires,
	};
	bool created;
	jz_db_status s = jz_store_credential_add(ctx->db, &c, ctx->now, &created);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return audit_worker(ctx, "worker.credential", x->worker_id,
	                    json_pack("{s:s, s:s, s:b}", "kind", c.kind, "expires", c.expires, "new", created), err);
}

bool
jz_svc_worker_add_credential(const jz_ctx *ctx, int64_t worker_id, const jz_credential_input *c, jz_err *err)
{
	action x = {.worker_id = worker_id, .cred = c};
	return jz_svc_transaction(ctx, credential_work, &x, err);
}

static bool
equipment_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	action *x = arg;
	char date[11];
	if (!jz_svc_require_employer(ctx, x->worker_id, err))
		return false;
	if (!x->a || (strcmp(x->a, "uniform") != 0 && strcmp(x->a, "toolkit") != 0))
		return jz_err_set(err, JZ_E_INVALID_FIELD, "kind", "应为工作服或工具包", "must be uniform or toolkit");
	if (!clean_date(x->b, "issued", false, date, err))
		return false;
	if (!*date)
		today(ctx, date);
	bool created;
	jz_db_status s = jz_store_equipment_issue(ctx->db, x->worker_id, ctx->user->company_id, x->a,
	                                          date, ctx->now, &created);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return audit_worker(ctx, "worker.equipment", x->worker_id, json_pack("{s:s, s:s}", "kind", x->a, "issued", date), err);
}

bool
jz_svc_worker_issue_equipment(const jz_ctx *ctx, int64_t worker_id, const char *kind, const char *issued,
                              jz_err *err)
{
	action x = {.worker_id = worker_id, .a = kind, .b = issued};
	return jz_svc_transaction(ctx, equipment_work, &x, err);
}

/* The built-in identity verifier: the staff member checked the original ID card in person.
 * An external verification service is another entry in this table. */
typedef struct verifier {
	const char *method;
	bool (*verify)(const jz_ctx *ctx, const jz_worker *w, jz_err *err);
} verifier;

static bool
document_check(const jz_ctx *ctx, const jz_worker *w, jz_err *err)
{
	(void)ctx, (void)w, (void)err;
	return true; /* the attestation is the signed-in staff member's, recorded with the date */
}

static const verifier verifiers[] = {{"document", document_check}};

static bool
verify_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	action *x = arg;
	if (!jz_svc_require_employer(ctx, x->worker_id, err))
		return false;
	const verifier *v = NULL;
	for (size_t i = 0; i < sizeof verifiers / sizeof verifiers[0]; i++)
		if (x->a && !strcmp(x->a, verifiers[i].method))
			v = &verifiers[i];
	if (!v)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "method", "核验方式无效", "unknown verification method");
	jz_worker w = {0};
	jz_db_status s = jz_store_worker_get(ctx->db, x->worker_id, &w);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	bool ok = v->verify(ctx, &w, err);
	jz_worker_clear(&w);
	if (!ok)
		return false;
	char *by = jz_svc_actor(ctx);
	s = jz_store_worker_set_id_check(ctx->db, x->worker_id, v->method, ctx->now, by);
	free(by);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return audit_worker(ctx, "worker.identity", x->worker_id, json_pack("{s:s}", "method", v->method), err);
}

bool
jz_svc_worker_verify_identity(const jz_ctx *ctx, int64_t worker_id, const char *method, jz_err *err)
{
	action x = {.worker_id = worker_id, .a = method};
	return jz_svc_transaction(ctx, verify_work, &x, err);
}

static bool
background_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	action *x = arg;
	if (!jz_svc_require_employer(ctx, x->worker_id, err))
		return false;
	if (!x->a || (strcmp(x->a, "clear") != 0 && strcmp(x->a, "flagged") != 0 && strcmp(x->a, "pending") != 0))
		return jz_err_set(err, JZ_E_INVALID_FIELD, "status", "应为 pending、clear 或 flagged",
		                  "must be pending, clear or flagged");
	if (!present(x->b) || jz_text_check(x->b, 2, 100, false) != JZ_TEXT_OK)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "source", "请填写核查来源（如：派出所无犯罪记录证明）",
		                  "the source is required (2 to 100 characters)");
	char *source = jz_text_trim(x->b);
	jz_db_status s = jz_store_worker_set_background(ctx->db, x->worker_id, x->a, ctx->now, source);
	free(source);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return audit_worker(ctx, "worker.background", x->worker_id, json_pack("{s:s}", "status", x->a), err);
}

bool
jz_svc_worker_set_background(const jz_ctx *ctx, int64_t worker_id, const char *status, const char *source,
                             jz_err *err)
{
	action x = {.worker_id = worker_id, .a = status, .b = source};
	return jz_svc_transaction(ctx, background_work, &x, err);
}

static bool
paper_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	action *x = arg;
	char date[11], now[11];
	if (!jz_svc_require_employer(ctx, x->worker_id, err) || !clean_date(x->a, "consent_date", true, date, err))
		return false;
	today(ctx, now);
	if (strcmp(date, now) > 0)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "consent_date", "授权日期不能晚于今天", "in the future");
	jz_db_status s = jz_store_worker_set_consent(ctx->db, x->worker_id, "paper", date_time(date), NULL);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return audit_worker(ctx, "worker.consent", x->worker_id, json_pack("{s:s, s:s}", "method", "paper", "date", date), err);
}

bool
jz_svc_worker_paper_consent(const jz_ctx *ctx, int64_t worker_id, const char *date, jz_err *err)
{
	action x = {.worker_id = worker_id, .a = date};
	return jz_svc_transaction(ctx, paper_work, &x, err);
}

static bool
code_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	action *x = arg;
	if (!jz_svc_require_employer(ctx, x->worker_id, err))
		return false;
	/* Eight digits: easy to type on a basic phone; seven days and one use keep guessing
	 * useless (the confirm page is throttled like sign-in). */
	char hash[65];
	uint32_t n = randombytes_uniform(100000000u);
	snprintf(x->code, 16, "%08u", n);
	jz_crypto_token_hash(x->code, hash);
	jz_db_status s = jz_store_worker_set_consent_code(ctx->db, x->worker_id, hash, ctx->now + 7 * 24 * 3600);
	if (s == JZ_DB_CONFLICT)
		return jz_err_set(err, JZ_E_UNAVAILABLE, NULL, NULL, NULL); /* a collision: try again */
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return audit_worker(ctx, "worker.consent_code", x->worker_id, NULL, err);
}

bool
jz_svc_worker_consent_code(const jz_ctx *ctx, int64_t worker_id, char code[16], jz_err *err)
{
	action x = {.worker_id = worker_id, .code = code};
	return jz_svc_transaction(ctx, code_work, &x, err);
}

static bool
end_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	action *x = arg;
	char date[11];
	if (!jz_svc_require_employer(ctx, x->worker_id, err) || !clean_date(x->a, "ended", false, date, err))
		return false;
	if (!*date)
		today(ctx, date);
	jz_db_status s = jz_store_employment_end(ctx->db, x->worker_id, ctx->user->company_id, date);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	/* The card this company issued no longer speaks for the worker. */
	if (!jz_svc_card_employment_ended_tx(ctx, x->worker_id, ctx->user->company_id, err))
		return false;
	return audit_worker(ctx, "worker.employment_end", x->worker_id, json_pack("{s:s}", "ended", date), err);
}

bool
jz_svc_worker_end_employment(const jz_ctx *ctx, int64_t worker_id, const char *date, jz_err *err)
{
	action x = {.worker_id = worker_id, .a = date};
	return jz_svc_transaction(ctx, end_work, &x, err);
}

static bool
notes_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	action *x = arg;
	if (!jz_svc_require_employer(ctx, x->worker_id, err))
		return false;
	if (x->a && jz_text_check(x->a, 0, 1000, true) != JZ_TEXT_OK)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "notes", "备注最多1000字", "at most 1000 characters");
	jz_db_status s = jz_store_employment_set_notes(ctx->db, x->worker_id, ctx->user->company_id, x->a ? x->a : "");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return audit_worker(ctx, "worker.notes", x->worker_id, NULL, err);
}

bool
jz_svc_worker_set_notes(const jz_ctx *ctx, int64_t worker_id, const char *notes, jz_err *err)
{
	action x = {.worker_id = worker_id, .a = notes};
	return jz_svc_transaction(ctx, notes_work, &x, err);
}

typedef struct readiness_walk {
	const jz_ctx *ctx;
	bool only_problems;
	bool (*each)(const jz_worker *w, const jz_readiness *r, void *arg);
	void *arg;
	char today[11];
	jz_db_status status;
	int64_t shown, limit;
} readiness_walk;

void
jz_svc_worker_readiness(const jz_worker *w, const jz_worker_facts *f, const char *today, jz_readiness *out)
{
	/* Credit certification (诚信认证) is the three checks together. */
	jz_ready_input in = {
	    .id_verified = *w->id_check_method != '\0',
	    .background_clear = !strcmp(w->bg_status, "clear"),
	    .consented = *w->consent_method != '\0',
	    .insurance_expires = f->insurance,
	    .work_permit_expires = f->work_permit,
	    .health_expires = f->health,
	    .uniform = f->uniform,
	    .toolkit = f->toolkit,
	};
	jz_readiness_eval(&in, today, out);
}

static bool
readiness_row(const jz_worker *w, const jz_worker_facts *f, void *arg)
{
	readiness_walk *rw = arg;
	jz_readiness r;
	jz_svc_worker_readiness(w, f, rw->today, &r);
	bool more = true;
	if (!rw->only_problems || !r.ready || r.expiring) {
		/* Problems are counted to the end but listed only up to the page's limit. */
		if (!rw->only_problems || rw->shown < rw->limit)
			more = rw->each(w, &r, rw->arg);
		rw->shown++;
	}
	return more;
}

bool
jz_svc_company_readiness(const jz_ctx *ctx, bool only_problems, int limit, int offset,
                         bool (*each)(const jz_worker *w, const jz_readiness *r, void *arg), void *arg,
                         int64_t *total, jz_err *err)
{
	if (!company_user(ctx, err))
		return false;
	readiness_walk rw = {ctx, only_problems, each, arg, "", JZ_DB_OK, 0, limit > 0 ? limit : 50};
	today(ctx, rw.today);
	/* Problems are found by looking at every worker, so that list is not paged. */
	jz_db_status s = jz_store_company_workers(ctx->db, ctx->user->company_id,
	                                          only_problems ? 100000000 : limit, only_problems ? 0 : offset,
	                                          readiness_row, &rw, total);
	if (s == JZ_DB_OK)
		s = rw.status;
	if (only_problems)
		*total = rw.shown;
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}
