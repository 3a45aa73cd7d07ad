/* Dashboards for associations and regulators (issue #6) and the public open data: the
 * figures of a region and of each of its child regions, a twelve-month trend, the lists
 * behind the figures, and the recount of the aggregates (`jiazheng stats rebuild`).
 *
 * Counting rule: a worker counts once per CURRENT employment, in the county of the
 * employing company; a worker employed by two companies counts in both companies'
 * counties (and twice in a region holding both). Every figure is therefore a count of
 * employments, and a region's figure is the sum of its children's. */
#ifndef JZ_SERVICES_DASHBOARD_H
#define JZ_SERVICES_DASHBOARD_H

#include "core/regions.h"
#include "services/service.h"

enum { JZ_TREND_MONTHS = 12 };

/* The figures of one region. */
typedef struct jz_region_figures {
	jz_county_counts c;  /* companies, funnel, reviews, records, appeals */
	int64_t checked_in;  /* employments whose worker checked in this month */
	int64_t model, benchmark; /* companies with a current designation (this or last year) */
} jz_region_figures;

typedef struct jz_trend_month {
	char month[8];
	jz_month_counts m;
} jz_trend_month;

typedef struct jz_dashboard {
	const jz_region *region;       /* static storage */
	jz_region_figures total;
	size_t n_children;
	const jz_region **children;    /* the child regions, by code (static storage) */
	jz_region_figures *child;      /* their figures, same order */
	jz_trend_month trend[JZ_TREND_MONTHS]; /* oldest first; the last is this month */
	char month[8];                 /* this month */
	char rebuilt_on[11];           /* day of the last full recount ("" none) */
} jz_dashboard;

void jz_dashboard_clear(jz_dashboard *d);

/* The dashboard of region `code`. Officials: regulators and associations for regions
 * within theirs (else OUT_OF_SCOPE), the admin for any; others FORBIDDEN, anonymous
 * UNAUTHENTICATED. With open_data anyone may read it (aggregates only). An unknown code
 * is UNKNOWN_REGION (field "region"). */
bool jz_svc_dashboard(const jz_ctx *ctx, const char *code, bool open_data, jz_dashboard *out, jz_err *err);

/* The region an official's /dashboard opens: their own; NULL for the admin (all provinces). */
const char *jz_svc_dashboard_home(const jz_ctx *ctx);

/* Shares and averages, 0 when the base is 0. */
double jz_figures_rate(int64_t part, int64_t whole);
double jz_figures_stars(const jz_county_counts *c);

/* Parses a stage name: entered verified consented carded ready checked_in; -1 if none. */
int jz_stats_stage_parse(const char *name);
const char *jz_stats_stage_name(jz_stats_stage stage);
const char *jz_stats_stage_label(jz_stats_stage stage, bool english);

/* The workers behind a funnel figure of region `code` (officials in scope), `limit` from
 * `offset`; written to the audit log (dashboard.workers) as a read of a list of people. */
bool jz_svc_dashboard_workers(const jz_ctx *ctx, const char *code, const char *stage, int limit, int offset,
                              bool (*each)(const jz_stats_worker *w, void *arg), void *arg, jz_err *err);
/* The companies of region `code` with a status (officials in scope), audited. */
bool jz_svc_dashboard_companies(const jz_ctx *ctx, const char *code, const char *status, int limit, int offset,
                                bool (*each)(const jz_company *c, void *arg), void *arg, int64_t *total,
                                jz_err *err);

/* Recounts every aggregate from the data (months: the last JZ_TREND_MONTHS when `full`,
 * else this month and the last). One transaction with its audit entry. */
bool jz_svc_stats_rebuild(const jz_ctx *ctx, bool full, jz_err *err);
/* Runs the short rebuild when none ran today (serve: at start and then hourly). Sets
 * *ran when it did. */
bool jz_svc_stats_refresh(const jz_ctx *ctx, bool *ran, jz_err *err);

/* The bulk loaders' hook, inside a batch's transaction: begin right after BEGIN, end
 * before the batch's audit entry (see jz_store_stats_batch_begin). */
bool jz_svc_stats_batch_begin(const jz_ctx *ctx, jz_stats_batch *b, jz_err *err);
bool jz_svc_stats_batch_end(const jz_ctx *ctx, const jz_stats_batch *b, jz_err *err);

#endif
