/* Dashboards and open data: who may see which region, the figures rolled up from the
 * per-county aggregates, the audited lists behind them, and the recount. See
 * services/dashboard.h for the counting rule. */
#include "services/dashboard.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/readiness.h"
#include "services/audit.h"
#include "services/checkins.h"
#include "util/xmalloc.h"

void
jz_dashboard_clear(jz_dashboard *d)
{
	free(d->children);
	free(d->child);
	memset(d, 0, sizeof *d);
}

double
jz_figures_rate(int64_t part, int64_t whole)
{
	return whole > 0 ? (double)part / (double)whole : 0.0;
}

double
jz_figures_stars(const jz_county_counts *c)
{
	return c->reviews > 0 ? (double)c->review_points / (4.0 * (double)c->reviews) : 0.0;
}

static const char *const stage_names[JZ_STAGE_COUNT] = {"entered", "verified", "consented",
                                                        "carded",  "ready",    "checked_in"};

int
jz_stats_stage_parse(const char *name)
{
	for (int i = 0; name && i < JZ_STAGE_COUNT; i++)
		if (!strcmp(name, stage_names[i]))
			return i;
	return -1;
}

const char *
jz_stats_stage_name(jz_stats_stage stage)
{
	return (unsigned)stage < JZ_STAGE_COUNT ? stage_names[stage] : "";
}

const char *
jz_stats_stage_label(jz_stats_stage stage, bool english)
{
	static const char *const zh[] = {"已录入", "已实名核验", "已授权", "已持卡", "六无上岗", "本月已打卡"};
	static const char *const en[] = {"Entered", "Identity verified", "Consented", "Carded", "Duty-ready",
	                                 "Checked in this month"};
	return (unsigned)stage < JZ_STAGE_COUNT ? (english ? en : zh)[stage] : "";
}

/* ---- who may see what ---- */

static bool
official(const jz_ctx *ctx)
{
	return ctx->user && (!strcmp(ctx->user->role, "regulator") || !strcmp(ctx->user->role, "association"));
}

const char *
jz_svc_dashboard_home(const jz_ctx *ctx)
{
	return official(ctx) ? ctx->user->region : NULL;
}

/* The region of `code`, if the caller may see its dashboard (open data: anyone). */
static const jz_region *
region_for(const jz_ctx *ctx, const char *code, bool open_data, jz_err *err)
{
	const jz_region *r = code && strlen(code) == 6 ? jz_region_find(code) : NULL;
	if (!r) {
		jz_err_set(err, JZ_E_UNKNOWN_REGION, "region", "应为现行的省、市或县级行政区划代码（6位数字）",
		           "a current province, prefecture or county code (6 digits)");
		return NULL;
	}
	if (open_data)
		return r;
	if (!ctx->user) {
		jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
		return NULL;
	}
	if (!strcmp(ctx->user->role, "admin"))
		return r;
	if (!official(ctx)) {
		jz_err_set(err, JZ_E_FORBIDDEN, NULL, "仪表盘供主管部门和协会使用；公开数据见 /open-data",
		           "dashboards are for regulators and associations; see /open-data for the public figures");
		return NULL;
	}
	const jz_region *mine = ctx->user->region ? jz_region_find(ctx->user->region) : NULL;
	if (!mine || !jz_region_within(r, mine)) {
		jz_err_set(err, JZ_E_OUT_OF_SCOPE, "region", NULL, NULL);
		return NULL;
	}
	return r;
}

/* The region of a list behind the figures (named workers and companies, pending
 * applications among them): for the offices in scope only. The platform admin sees every
 * region's figures but, as everywhere else, no worker's or applicant's particulars. */
static const jz_region *
list_region_for(const jz_ctx *ctx, const char *code, jz_err *err)
{
	if (ctx->user && !strcmp(ctx->user->role, "admin")) {
		jz_err_set(err, JZ_E_FORBIDDEN, NULL, "名单仅供辖区内的主管部门和协会查看",
		           "the lists are for the regulators and associations of the region");
		return NULL;
	}
	return region_for(ctx, code, false, err);
}

/* The county codes of a region are those in [lo, hi): a province's share its first two
 * digits, a prefecture's its first four (GB/T 2260). */
static void
code_range(const jz_region *r, char lo[8], char hi[8])
{
	int digits = r->level == JZ_REGION_PROVINCE ? 2 : r->level == JZ_REGION_PREFECTURE ? 4 : 6;
	snprintf(lo, 8, "%.*s", digits, r->code);
	unsigned next = ((unsigned)atoi(lo) + 1u) % 1000000u;
	snprintf(hi, 8, "%0*u", digits, next);
}

/* ---- the figures ---- */

typedef struct rollup {
	jz_dashboard *d;
	const char *since;
} rollup;

/* The child of d->region that holds county `code`, or -1. */
static int
child_index(const jz_dashboard *d, const char *code)
{
	const jz_region *r = jz_region_find(code);
	while (r && strcmp(r->parent, d->region->code) != 0)
		r = *r->parent ? jz_region_find(r->parent) : NULL;
	if (!r)
		return -1;
	for (size_t i = 0; i < d->n_children; i++)
		if (d->children[i] == r)
			return (int)i;
	return -1;
}

static void
add_counts(jz_county_counts *to, const jz_county_counts *c)
{
	int64_t *t = &to->c_pending;
	const int64_t *f = &c->c_pending;
	for (size_t i = 0; i < sizeof *c / sizeof(int64_t); i++)
		t[i] += f[i];
}

static void
on_county(const char *county, const jz_county_counts *c, void *arg)
{
	jz_dashboard *d = ((rollup *)arg)->d;
	add_counts(&d->total.c, c);
	int i = child_index(d, county);
	if (i >= 0)
		add_counts(&d->child[i].c, c);
}

static void
on_month(const char *month, const jz_month_counts *m, void *arg)
{
	jz_dashboard *d = ((rollup *)arg)->d;
	for (int k = 0; k < JZ_TREND_MONTHS; k++)
		if (!strcmp(d->trend[k].month, month))
			d->trend[k].m = *m;
}

static void
on_checked_in(const char *county, int64_t n, void *arg)
{
	jz_dashboard *d = ((rollup *)arg)->d;
	d->total.checked_in += n;
	int i = child_index(d, county);
	if (i >= 0)
		d->child[i].checked_in += n;
}

static void
on_designation(const char *county, bool model, int64_t n, void *arg)
{
	jz_dashboard *d = ((rollup *)arg)->d;
	int i = child_index(d, county);
	if (model) {
		d->total.model += n;
		if (i >= 0)
			d->child[i].model += n;
	} else {
		d->total.benchmark += n;
		if (i >= 0)
			d->child[i].benchmark += n;
	}
}

bool
jz_svc_dashboard(const jz_ctx *ctx, const char *code, bool open_data, jz_dashboard *out, jz_err *err)
{
	memset(out, 0, sizeof *out);
	const jz_region *r = region_for(ctx, code, open_data, err);
	if (!r)
		return false;
	out->region = r;
	size_t n = 0;
	for (size_t i = 0; i < jz_region_count(); i++)
		n += !strcmp(jz_region_at(i)->parent, r->code);
	out->children = jz_xcalloc(n ? n : 1, sizeof *out->children);
	out->child = jz_xcalloc(n ? n : 1, sizeof *out->child);
	for (size_t i = 0; i < jz_region_count(); i++)
		if (!strcmp(jz_region_at(i)->parent, r->code))
			out->children[out->n_children++] = jz_region_at(i);
	jz_month_of(ctx->now, out->month);
	snprintf(out->trend[JZ_TREND_MONTHS - 1].month, 8, "%s", out->month);
	for (int k = JZ_TREND_MONTHS - 2; k >= 0; k--)
		jz_month_before(out->trend[k + 1].month, out->trend[k].month);
	char lo[8], hi[8], today[11];
	code_range(r, lo, hi);
	jz_date_of(ctx->now, today);
	rollup ru = {out, out->trend[0].month};
	/* One snapshot, so the figures of the region and of its children add up. */
	jz_db_status s = jz_db_read_begin(ctx->db);
	if (s == JZ_DB_OK) {
		s = jz_store_stats_counties(ctx->db, lo, hi, on_county, &ru);
		if (s == JZ_DB_OK)
			s = jz_store_stats_months(ctx->db, lo, hi, ru.since, on_month, &ru);
		if (s == JZ_DB_OK)
			s = jz_store_stats_checked_in(ctx->db, lo, hi, out->month, on_checked_in, &ru);
		if (s == JZ_DB_OK)
			s = jz_store_stats_designations(ctx->db, lo, hi, atoi(today) - 1, on_designation, &ru);
		if (s == JZ_DB_OK)
			s = jz_store_stats_rebuilt_on(ctx->db, out->rebuilt_on);
		jz_db_read_end(ctx->db);
	}
	if (s != JZ_DB_OK) {
		jz_dashboard_clear(out);
		return jz_svc_db_failed(s, err);
	}
	/* This month's trend point is the live count, not last night's snapshot. */
	jz_month_counts *now = &out->trend[JZ_TREND_MONTHS - 1].m;
	now->w_entered = out->total.c.w_entered;
	now->w_consented = out->total.c.w_consented;
	now->w_carded = out->total.c.w_carded;
	return true;
}

/* ---- the lists behind the figures ---- */

typedef struct list_job {
	const jz_region *r;
	jz_stats_stage stage;
	const char *status;
	int limit, offset;
	bool (*each_worker)(const jz_stats_worker *w, void *arg);
	bool (*each_company)(const jz_company *c, void *arg);
	void *arg;
	int64_t *total;
	int64_t shown;
} list_job;

static bool
count_worker(const jz_stats_worker *w, void *arg)
{
	list_job *job = arg;
	job->shown++;
	return job->each_worker(w, job->arg);
}

static bool
workers_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	list_job *job = arg;
	char lo[8], hi[8], today[11], month[8];
	code_range(job->r, lo, hi);
	jz_date_of(ctx->now, today);
	jz_month_of(ctx->now, month);
	job->shown = 0;
	jz_db_status s = jz_store_stats_workers(ctx->db, lo, hi, job->stage, today, ctx->now, month, job->limit,
	                                        job->offset, count_worker, job);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	char target[32], detail[120];
	snprintf(target, sizeof target, "region:%s", job->r->code);
	snprintf(detail, sizeof detail, "{\"stage\":\"%s\",\"offset\":%d,\"rows\":%" PRId64 "}",
	         jz_stats_stage_name(job->stage), job->offset, job->shown);
	return jz_svc_audit(ctx, "dashboard.workers", target, detail, err);
}

bool
jz_svc_dashboard_workers(const jz_ctx *ctx, const char *code, const char *stage, int limit, int offset,
                         bool (*each)(const jz_stats_worker *w, void *arg), void *arg, jz_err *err)
{
	const jz_region *r = list_region_for(ctx, code, err);
	if (!r)
		return false;
	int st = jz_stats_stage_parse(stage ? stage : "entered");
	if (st < 0)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "stage",
		                  "应为 entered、verified、consented、carded、ready 或 checked_in",
		                  "stage: entered, verified, consented, carded, ready or checked_in");
	list_job job = {.r = r, .stage = (jz_stats_stage)st, .limit = limit, .offset = offset,
	                .each_worker = each, .arg = arg};
	/* The read and its audit entry in one transaction: no list without its entry. */
	return jz_svc_transaction(ctx, workers_work, &job, err);
}

static bool
companies_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	list_job *job = arg;
	jz_company_filter f = {job->status, job->r->code, NULL, job->limit, job->offset};
	jz_db_status s = jz_store_company_count(ctx->db, &f, job->total);
	if (s == JZ_DB_OK)
		s = jz_store_company_list(ctx->db, &f, job->each_company, job->arg);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	char target[32], detail[120];
	snprintf(target, sizeof target, "region:%s", job->r->code);
	snprintf(detail, sizeof detail, "{\"status\":\"%s\",\"offset\":%d}", job->status, job->offset);
	return jz_svc_audit(ctx, "dashboard.companies", target, detail, err);
}

bool
jz_svc_dashboard_companies(const jz_ctx *ctx, const char *code, const char *status, int limit, int offset,
                           bool (*each)(const jz_company *c, void *arg), void *arg, int64_t *total,
                           jz_err *err)
{
	static const char *const statuses[] = {"active", "suspended", "revoked", "pending", "rejected"};
	const jz_region *r = list_region_for(ctx, code, err);
	if (!r)
		return false;
	const char *st = NULL;
	for (size_t i = 0; i < 5; i++)
		if (!strcmp(status ? status : "active", statuses[i]))
			st = statuses[i];
	if (!st)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "status", "状态应为 active、suspended、revoked、pending 或 rejected",
		                  "status: active, suspended, revoked, pending or rejected");
	list_job job = {.r = r, .status = st, .limit = limit, .offset = offset, .each_company = each, .arg = arg,
	                .total = total};
	return jz_svc_transaction(ctx, companies_work, &job, err);
}

/* ---- the recount ---- */

/* Unix time of local midnight on the first day of month y-m (m may be 13). */
static int64_t
month_start(int y, int m)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = 1, .tm_isdst = -1};
	return (int64_t)mktime(&tm);
}

typedef struct rebuild_job {
	bool full;
} rebuild_job;

static bool
rebuild_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	rebuild_job *job = arg;
	jz_stats_month months[JZ_TREND_MONTHS];
	size_t n = job->full ? JZ_TREND_MONTHS : 2;
	char month[8], today[11];
	jz_month_of(ctx->now, month);
	jz_date_of(ctx->now, today);
	for (size_t i = 0; i < n; i++) {
		jz_stats_month *m = &months[n - 1 - i];
		memset(m, 0, sizeof *m);
		snprintf(m->month, sizeof m->month, "%s", month);
		int y = atoi(month), mo = atoi(month + 5);
		m->start = month_start(y, mo);
		m->current = i == 0;
		m->end = m->current ? ctx->now + 1 : month_start(y, mo + 1);
		jz_date_of(month_start(y, mo + 1) - 43200, m->last_day);
		jz_month_before(month, month);
	}
	jz_db_status s = jz_store_stats_rebuild(ctx->db, today, ctx->now, months, n);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	char detail[64];
	snprintf(detail, sizeof detail, "{\"months\":%zu}", n);
	return jz_svc_audit(ctx, "stats.rebuild", "region_stats", detail, err);
}

bool
jz_svc_stats_rebuild(const jz_ctx *ctx, bool full, jz_err *err)
{
	rebuild_job job = {full};
	/* Every current employment is read with its worker, cards, certificates and
	 * equipment: a large page cache turns most of those look-ups into memory reads. */
	jz_db_bulk(ctx->db, true);
	bool ok = jz_svc_transaction(ctx, rebuild_work, &job, err);
	jz_db_bulk(ctx->db, false);
	return ok;
}

/* The day's recount unless another process (every serve node starts one) did it first. */
static bool
refresh_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	bool *ran = arg;
	char on[11], today[11];
	*ran = false;
	jz_date_of(ctx->now, today);
	jz_db_status s = jz_store_stats_claim(ctx->db, on);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!strcmp(on, today))
		return true;
	/* A first recount (a database that never had one) takes the whole trend. */
	*ran = true;
	rebuild_job job = {!*on};
	return rebuild_work(ctx, &job, err);
}

bool
jz_svc_stats_refresh(const jz_ctx *ctx, bool *ran, jz_err *err)
{
	char on[11], today[11];
	*ran = false;
	jz_date_of(ctx->now, today);
	/* Most hourly calls end here, without taking a lock. */
	jz_db_status s = jz_store_stats_rebuilt_on(ctx->db, on);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!strcmp(on, today))
		return true;
	jz_db_bulk(ctx->db, true);
	bool ok = jz_svc_transaction(ctx, refresh_work, ran, err);
	jz_db_bulk(ctx->db, false);
	return ok;
}

bool
jz_svc_stats_batch_begin(const jz_ctx *ctx, jz_stats_batch *b, jz_err *err)
{
	jz_db_status s = jz_store_stats_batch_begin(ctx->db, b);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

bool
jz_svc_stats_batch_end(const jz_ctx *ctx, const jz_stats_batch *b, jz_err *err)
{
	char month[8];
	jz_month_of(ctx->now, month);
	jz_db_status s = jz_store_stats_batch_end(ctx->db, b, month);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}
