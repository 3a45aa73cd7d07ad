/* Dashboards for associations and regulators, and the public open data (issue #6): a
 * region's figures, its child regions ranked, the funnel, bars and a twelve-month trend
 * as SVG, CSV (with a BOM, for Excel) and XLSX exports, the JSON API, and the audited
 * lists behind the figures. Open data shows the same aggregates without any list. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "pages/charts.h"
#include "pages/html.h"
#include "services/dashboard.h"
#include "util/xlsx.h"
#include "util/xmalloc.h"

/* ---- the columns ---- */

typedef enum { K_COUNT, K_RATE, K_STARS } col_kind;

typedef struct column {
	const char *key, *zh, *en;
	col_kind kind;
	const char *stage;  /* the workers list behind it, or NULL */
	const char *status; /* the companies list behind it, or NULL */
} column;

enum {
	C_APPLIED, C_ACTIVE, C_SUSPENDED, C_ENTERED, C_VERIFIED, C_CONSENTED, C_CARDED, C_READY, C_CHECKED,
	C_CHECKIN_RATE, C_REVIEWS, C_STARS, C_NEGATIVE, C_APPEALS, C_MODEL, C_BENCHMARK, N_COLS
};

static const column cols[N_COLS] = {
	{"companies_applied", "申请企业", "Companies applied", K_COUNT, NULL, "pending"},
	{"companies_active", "在营企业", "Active companies", K_COUNT, NULL, "active"},
	{"companies_suspended", "暂停企业", "Suspended companies", K_COUNT, NULL, "suspended"},
	{"workers_entered", "已录入", "Entered", K_COUNT, "entered", NULL},
	{"workers_verified", "已实名核验", "Identity verified", K_COUNT, "verified", NULL},
	{"workers_consented", "已授权", "Consented", K_COUNT, "consented", NULL},
	{"workers_carded", "已持卡", "Carded", K_COUNT, "carded", NULL},
	{"workers_ready", "六无上岗", "Duty-ready", K_COUNT, "ready", NULL},
	{"checked_in", "本月打卡", "Checked in this month", K_COUNT, "checked_in", NULL},
	{"checkin_rate", "本月打卡率", "Check-in rate", K_RATE, NULL, NULL},
	{"reviews", "评价数", "Reviews", K_COUNT, NULL, NULL},
	{"average_stars", "平均星级", "Average stars", K_STARS, NULL, NULL},
	{"negative_records", "失信记录", "Confirmed negative records", K_COUNT, NULL, NULL},
	{"open_appeals", "待决异议", "Open appeals", K_COUNT, NULL, NULL},
	{"model_companies", "诚信示范企业", "Model companies", K_COUNT, NULL, NULL},
	{"benchmark_companies", "标杆企业", "Benchmark companies", K_COUNT, NULL, NULL},
};

static double
value(const jz_region_figures *f, int col)
{
	const jz_county_counts *c = &f->c;
	switch (col) {
	case C_APPLIED: return (double)(c->c_pending + c->c_active + c->c_rejected + c->c_suspended + c->c_revoked);
	case C_ACTIVE: return (double)c->c_active;
	case C_SUSPENDED: return (double)c->c_suspended;
	case C_ENTERED: return (double)c->w_entered;
	case C_VERIFIED: return (double)c->w_verified;
	case C_CONSENTED: return (double)c->w_consented;
	case C_CARDED: return (double)c->w_carded;
	case C_READY: return (double)c->w_ready;
	case C_CHECKED: return (double)f->checked_in;
	case C_CHECKIN_RATE: return jz_figures_rate(f->checked_in, c->w_entered);
	case C_REVIEWS: return (double)c->reviews;
	case C_STARS: return jz_figures_stars(c);
	case C_NEGATIVE: return (double)c->neg_records;
	case C_APPEALS: return (double)c->open_appeals;
	case C_MODEL: return (double)f->model;
	case C_BENCHMARK: return (double)f->benchmark;
	default: return 0;
	}
}

static void
format_value(double v, col_kind kind, char out[32])
{
	if (kind == K_RATE)
		snprintf(out, 32, "%.1f%%", 100.0 * v);
	else if (kind == K_STARS)
		snprintf(out, 32, "%.2f", v);
	else
		snprintf(out, 32, "%.0f", v);
}

static int
column_parse(const char *key)
{
	for (int i = 0; key && i < N_COLS; i++)
		if (!strcmp(key, cols[i].key))
			return i;
	return -1;
}

/* ---- what a request asks for ---- */

typedef enum { OUT_PAGE, OUT_CSV, OUT_XLSX } out_kind;

/* Splits "430000.csv" into the code and the kind of output; false when the suffix is
 * unknown. */
static bool
split_arg(const char *arg, char code[16], out_kind *kind)
{
	const char *dot = strchr(arg, '.');
	size_t n = dot ? (size_t)(dot - arg) : strlen(arg);
	snprintf(code, 16, "%.*s", (int)(n < 15 ? n : 15), arg);
	*kind = OUT_PAGE;
	if (!dot)
		return true;
	if (!strcmp(dot, ".csv"))
		*kind = OUT_CSV;
	else if (!strcmp(dot, ".xlsx"))
		*kind = OUT_XLSX;
	else
		return false;
	return true;
}

/* order[k] = index of the child ranked k+1 by column `col`. Caller frees. */
static size_t *
rank_children(const jz_dashboard *d, int col)
{
	size_t *order = jz_xcalloc(d->n_children ? d->n_children : 1, sizeof *order);
	for (size_t i = 0; i < d->n_children; i++)
		order[i] = i;
	/* By `col`, highest first, ties by code. Insertion sort: qsort has no context
	 * argument, and a region has at most a few dozen children. */
	for (size_t i = 1; i < d->n_children; i++) {
		size_t v = order[i], k = i;
		while (k > 0) {
			double x = value(&d->child[v], col), y = value(&d->child[order[k - 1]], col);
			bool before = x > y || (x == y && strcmp(d->children[v]->code, d->children[order[k - 1]]->code) < 0);
			if (!before)
				break;
			order[k] = order[k - 1];
			k--;
		}
		order[k] = v;
	}
	return order;
}

static int
sort_column(jz_req *req)
{
	int col = column_parse(jz_req_param(req, "sort"));
	return col < 0 ? C_ENTERED : col;
}

/* ---- JSON ---- */

static json_t *
figures_json(const jz_region_figures *f)
{
	json_t *o = json_object();
	for (int i = 0; i < N_COLS; i++) {
		double v = value(f, i);
		json_object_set_new(o, cols[i].key,
		                    cols[i].kind == K_COUNT ? json_integer((json_int_t)v) : json_real((double)((int64_t)(v * 10000 + 0.5)) / 10000));
	}
	json_object_set_new(o, "companies_pending", json_integer(f->c.c_pending));
	json_object_set_new(o, "companies_revoked", json_integer(f->c.c_revoked));
	json_object_set_new(o, "companies_rejected", json_integer(f->c.c_rejected));
	return o;
}

static json_t *
dashboard_json(jz_req *req, const jz_dashboard *d)
{
	static const char *const levels[] = {"province", "prefecture", "county"};
	int col = sort_column(req);
	size_t *order = rank_children(d, col);
	json_t *children = json_array();
	for (size_t k = 0; k < d->n_children; k++) {
		size_t i = order[k];
		json_array_append_new(children, json_pack("{s:s, s:s, s:I, s:o}", "code", d->children[i]->code, "name",
		                                          d->children[i]->name, "rank", (json_int_t)(k + 1), "figures",
		                                          figures_json(&d->child[i])));
	}
	free(order);
	json_t *trend = json_array();
	for (int k = 0; k < JZ_TREND_MONTHS; k++) {
		const jz_month_counts *m = &d->trend[k].m;
		json_array_append_new(trend, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:f}", "month", d->trend[k].month,
		                                       "workers_entered", (json_int_t)m->w_entered, "workers_consented",
		                                       (json_int_t)m->w_consented, "workers_carded",
		                                       (json_int_t)m->w_carded, "checked_in", (json_int_t)m->checked_in,
		                                       "reviews", (json_int_t)m->reviews, "average_stars",
		                                       m->reviews ? (double)m->review_points / (4.0 * (double)m->reviews)
		                                                  : 0.0));
	}
	return json_pack("{s:{s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "region", "code", d->region->code,
	                 "name", d->region->name, "level", levels[d->region->level], "month", d->month, "rebuilt_on",
	                 d->rebuilt_on, "sort", cols[col].key, "counting", "employments", "figures",
	                 figures_json(&d->total), "children", children, "trend", trend);
}

/* ---- tables: CSV and XLSX ---- */

/* The regions table (children, then the region's total; a county alone) as cells. */
static jz_cell *
regions_cells(jz_req *req, const jz_dashboard *d, size_t *n_rows, char ***strings)
{
	size_t rows = d->n_children + 1;
	jz_cell *cells = jz_xcalloc(rows * (N_COLS + 2), sizeof *cells);
	*strings = jz_xcalloc(rows * 2, sizeof **strings);
	for (size_t r = 0; r < rows; r++) {
		bool total = r == d->n_children;
		const jz_region *reg = total ? d->region : d->children[r];
		const jz_region_figures *f = total ? &d->total : &d->child[r];
		(*strings)[2 * r] = jz_xstrdup(reg->code);
		(*strings)[2 * r + 1] = total && d->n_children ? jz_xasprintf("%s（%s）", reg->name, L(req, "合计", "total"))
		                                               : jz_xstrdup(reg->name);
		jz_cell *row = &cells[r * (N_COLS + 2)];
		row[0].text = (*strings)[2 * r];
		row[1].text = (*strings)[2 * r + 1];
		for (int c = 0; c < N_COLS; c++) {
			double v = value(f, c);
			row[c + 2].number = cols[c].kind == K_COUNT ? v : (double)((int64_t)(v * 10000 + 0.5)) / 10000;
		}
	}
	*n_rows = rows;
	return cells;
}

static const char **
regions_header(jz_req *req)
{
	const char **h = jz_xcalloc(N_COLS + 2, sizeof *h);
	h[0] = L(req, "区划代码", "Code");
	h[1] = L(req, "地区", "Region");
	for (int c = 0; c < N_COLS; c++)
		h[c + 2] = L(req, cols[c].zh, cols[c].en);
	return h;
}

enum { TREND_COLS = 7 };

static jz_cell *
trend_cells(const jz_dashboard *d)
{
	jz_cell *cells = jz_xcalloc(JZ_TREND_MONTHS * TREND_COLS, sizeof *cells);
	for (int k = 0; k < JZ_TREND_MONTHS; k++) {
		const jz_month_counts *m = &d->trend[k].m;
		jz_cell *row = &cells[k * TREND_COLS];
		row[0].text = d->trend[k].month;
		row[1].number = (double)m->w_entered;
		row[2].number = (double)m->w_consented;
		row[3].number = (double)m->w_carded;
		row[4].number = (double)m->checked_in;
		row[5].number = (double)m->reviews;
		row[6].number = m->reviews ? (double)(int64_t)(10000.0 * (double)m->review_points / (4.0 * (double)m->reviews) + 0.5) / 10000 : 0;
	}
	return cells;
}

static const char *const *
trend_header(jz_req *req)
{
	static const char *const zh[TREND_COLS] = {"月份", "已录入", "已授权", "已持卡", "打卡", "评价数", "平均星级"};
	static const char *const en[TREND_COLS] = {"Month", "Entered", "Consented", "Carded", "Checked in", "Reviews",
	                                           "Average stars"};
	return req->english ? en : zh;
}

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
csv_table(jz_buf *b, size_t n_cols, const char *const *header, const jz_cell *cells, size_t n_rows)
{
	for (size_t c = 0; c < n_cols; c++) {
		if (c)
			jz_buf_putc(b, ',');
		csv_field(b, header[c]);
	}
	jz_buf_puts(b, "\r\n");
	for (size_t r = 0; r < n_rows; r++) {
		for (size_t c = 0; c < n_cols; c++) {
			const jz_cell *cell = &cells[r * n_cols + c];
			if (c)
				jz_buf_putc(b, ',');
			if (cell->text) {
				csv_field(b, cell->text);
			} else {
				char num[32];
				if (cell->number == (double)(int64_t)cell->number)
					snprintf(num, sizeof num, "%" PRId64, (int64_t)cell->number);
				else
					snprintf(num, sizeof num, "%.4f", cell->number);
				jz_buf_puts(b, num);
			}
		}
		jz_buf_puts(b, "\r\n");
	}
}

static enum MHD_Result
reply_download(jz_req *req, jz_buf *body, const char *type, const char *filename)
{
	size_t len = body->len;
	char *data = jz_buf_steal(body);
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, data ? data : jz_xstrdup(""),
	                                                            MHD_RESPMEM_MUST_FREE);
	char disposition[160];
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", filename);
	MHD_add_response_header(resp, "Content-Disposition", disposition);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	return jz_reply_response(req, MHD_HTTP_OK, resp, type);
}

static enum MHD_Result
export(jz_req *req, const jz_dashboard *d, out_kind kind, const char *prefix)
{
	size_t n_rows;
	char **strings;
	jz_cell *cells = regions_cells(req, d, &n_rows, &strings);
	const char **header = regions_header(req);
	jz_cell *tcells = trend_cells(d);
	const char *table = jz_req_param(req, "table");
	bool months = table && !strcmp(table, "months");
	jz_buf body = JZ_BUF_INIT;
	char filename[80];
	enum MHD_Result rc;
	if (kind == OUT_CSV) {
		/* With a BOM, Excel reads the UTF-8 file with its Chinese intact. */
		jz_buf_puts(&body, "\xEF\xBB\xBF");
		if (months)
			csv_table(&body, TREND_COLS, trend_header(req), tcells, JZ_TREND_MONTHS);
		else
			csv_table(&body, N_COLS + 2, header, cells, n_rows);
		snprintf(filename, sizeof filename, "%s-%s%s.csv", prefix, d->region->code, months ? "-months" : "");
		rc = reply_download(req, &body, "text/csv; charset=utf-8", filename);
	} else {
		jz_table tables[2] = {
		    {L(req, "按地区", "By region"), N_COLS + 2, n_rows, header, cells},
		    {L(req, "月度趋势", "By month"), TREND_COLS, JZ_TREND_MONTHS, trend_header(req), tcells},
		};
		if (!jz_xlsx_write(tables, 2, &body)) {
			jz_buf_free(&body);
			rc = jz_reply_code(req, JZ_E_INTERNAL);
		} else {
			snprintf(filename, sizeof filename, "%s-%s.xlsx", prefix, d->region->code);
			rc = reply_download(req, &body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			                    filename);
		}
	}
	for (size_t i = 0; i < 2 * n_rows; i++)
		free(strings[i]);
	free(strings);
	free(cells);
	free(header);
	free(tcells);
	return rc;
}

/* ---- the page ---- */

/* A number, linked to the list behind it when there is one and the reader may open it. */
static void
figure_cell(jz_buf *b, const jz_region *r, const jz_region_figures *f, int c, bool links, const char *tag)
{
	char text[32];
	format_value(value(f, c), cols[c].kind, text);
	jz_html(b, "<%r>", tag);
	if (links && cols[c].stage)
		jz_html(b, "<a href=\"/dashboard/%s/workers?stage=%s\">%s</a>", r->code, cols[c].stage, text);
	else if (links && cols[c].status)
		jz_html(b, "<a href=\"/dashboard/%s/companies?status=%s\">%s</a>", r->code, cols[c].status, text);
	else if (links && c == C_NEGATIVE)
		jz_html(b, "<a href=\"/dishonesty?region=%s\">%s</a>", r->code, text);
	else if (links && c == C_APPEALS)
		jz_html(b, "<a href=\"/regulator/credit\">%s</a>", text);
	else
		jz_html(b, "%s", text);
	jz_html(b, "</%r>", tag);
}

static void
charts(jz_buf *b, jz_req *req, const jz_dashboard *d, int col)
{
	const char *stage_labels[5];
	int64_t funnel[5] = {d->total.c.w_entered, d->total.c.w_verified, d->total.c.w_consented, d->total.c.w_carded,
	                     d->total.c.w_ready};
	for (int i = 0; i < 5; i++)
		stage_labels[i] = jz_stats_stage_label((jz_stats_stage)i, req->english);
	jz_html(b, "<h2>%r</h2>", L(req, "服务员录入漏斗", "Worker funnel"));
	jz_svg_funnel(b, L(req, "服务员录入漏斗", "Worker funnel"),
	              L(req, "从录入到实名核验、授权、持卡和六无上岗的人数", "Workers entered, verified, consented, carded and duty-ready"),
	              stage_labels, funnel, 5);
	if (d->n_children) {
		size_t *order = rank_children(d, col);
		const char **labels = jz_xcalloc(d->n_children, sizeof *labels);
		double *values = jz_xcalloc(d->n_children, sizeof *values);
		char **texts = jz_xcalloc(d->n_children, sizeof *texts);
		double max = 0;
		for (size_t k = 0; k < d->n_children; k++) {
			size_t i = order[k];
			labels[k] = d->children[i]->name;
			values[k] = value(&d->child[i], col);
			texts[k] = jz_xcalloc(32, 1);
			format_value(values[k], cols[col].kind, texts[k]);
			if (values[k] > max)
				max = values[k];
		}
		if (cols[col].kind == K_RATE)
			max = 1;
		else if (cols[col].kind == K_STARS)
			max = 5;
		char title[160];
		snprintf(title, sizeof title, "%s%s", L(req, cols[col].zh, cols[col].en), L(req, "（按下级地区）", " by region"));
		jz_html(b, "<h2>%s</h2>", title);
		jz_svg_bars(b, title, L(req, "各下级地区的数值，从高到低", "Each child region, highest first"), labels, values,
		            (const char *const *)texts, d->n_children, max);
		for (size_t k = 0; k < d->n_children; k++)
			free(texts[k]);
		free(texts);
		free(values);
		free(labels);
		free(order);
	}
	const char *months[JZ_TREND_MONTHS];
	double entered[JZ_TREND_MONTHS], carded[JZ_TREND_MONTHS], checked[JZ_TREND_MONTHS];
	for (int k = 0; k < JZ_TREND_MONTHS; k++) {
		months[k] = d->trend[k].month;
		entered[k] = (double)d->trend[k].m.w_entered;
		carded[k] = (double)d->trend[k].m.w_carded;
		checked[k] = (double)d->trend[k].m.checked_in;
	}
	jz_svg_series series[3] = {
	    {L(req, "已录入", "Entered"), entered, "#1d4766", ""},
	    {L(req, "已持卡", "Carded"), carded, "#3b5e25", "6 3"},
	    {L(req, "当月打卡", "Checked in"), checked, "#9a4b00", "2 3"},
	};
	jz_html(b, "<h2>%r</h2>", L(req, "近12个月趋势", "The last 12 months"));
	jz_svg_lines(b, L(req, "近12个月趋势", "The last 12 months"),
	             L(req, "每月月末的录入、持卡人数和当月打卡人数", "Workers entered and carded at each month's end, and check-ins in the month"),
	             months, JZ_TREND_MONTHS, series, 3);
}

static void
regions_table(jz_buf *b, jz_req *req, const jz_dashboard *d, int col, bool official, const char *base)
{
	size_t *order = rank_children(d, col);
	jz_html(b, "<h2>%r</h2><div class=\"wide\"><table id=\"regions\"><thead><tr><th>%r</th><th>%r</th>",
	        L(req, "按下级地区", "By region"), L(req, "排名", "Rank"), L(req, "地区", "Region"));
	for (int c = 0; c < N_COLS; c++)
		jz_html(b, "<th%r><a href=\"%r/%s?sort=%s\">%s</a></th>", c == col ? " aria-sort=\"descending\"" : "", base,
		        d->region->code, cols[c].key, L(req, cols[c].zh, cols[c].en));
	jz_html(b, "</tr></thead><tbody>");
	for (size_t k = 0; k < d->n_children; k++) {
		size_t i = order[k];
		const jz_region *r = d->children[i];
		jz_html(b, "<tr data-code=\"%s\"><td>%L</td><td><a href=\"%r/%s\">%s</a></td>", r->code, (int64_t)(k + 1), base,
		        r->code, r->name);
		for (int c = 0; c < N_COLS; c++)
			figure_cell(b, r, &d->child[i], c, official, "td");
		jz_html(b, "</tr>");
	}
	jz_html(b, "</tbody><tfoot><tr><td></td><th>%r</th>", L(req, "合计", "Total"));
	for (int c = 0; c < N_COLS; c++)
		figure_cell(b, d->region, &d->total, c, official, "td");
	jz_html(b, "</tr></tfoot></table></div>");
	free(order);
}

static void
breadcrumbs(jz_buf *b, jz_req *req, const jz_region *r, const char *base, const char *scope)
{
	const jz_region *chain[4];
	int n = 0;
	for (const jz_region *p = r; p && n < 4; p = *p->parent ? jz_region_find(p->parent) : NULL)
		chain[n++] = p;
	jz_html(b, "<nav class=\"crumbs\" aria-label=\"%r\"><p>", L(req, "上级地区", "Regions above"));
	for (int i = n - 1; i >= 0; i--) {
		bool reachable = !scope || jz_region_within(chain[i], jz_region_find(scope));
		if (i != n - 1)
			jz_html(b, " › ");
		if (i && reachable)
			jz_html(b, "<a href=\"%r/%s\">%s</a>", base, chain[i]->code, chain[i]->name);
		else
			jz_html(b, "%s", chain[i]->name);
	}
	jz_html(b, "</p></nav>");
}

static enum MHD_Result
render_page(jz_req *req, const jz_dashboard *d, bool open_data)
{
	const char *base = open_data ? "/open-data" : "/dashboard";
	int col = sort_column(req);
	jz_buf b = JZ_BUF_INIT;
	char title[200];
	snprintf(title, sizeof title, "%s · %s", d->region->name,
	         open_data ? L(req, "公开数据", "Open data") : L(req, "推进情况", "Dashboard"));
	jz_page_open(&b, req, title);
	jz_html(&b, "<div class=\"dashboard\">");
	breadcrumbs(&b, req, d->region, base,
	            !open_data && req->ctx.user && strcmp(req->ctx.user->role, "admin") ? req->ctx.user->region : NULL);
	jz_html(&b,
	        "<p class=\"note\">%r%s%r%s%r</p>",
	        L(req, "本月：", "This month: "), d->month, L(req, "。服务员按当前劳动关系计入所在企业的区县（在两家企业任职的计两次）；六无上岗人数每日重算，最近一次：",
	                                                    ". Workers count per current employment, in the county of the employing company (one employed by two companies counts twice); duty-readiness is recounted daily, last on "),
	        *d->rebuilt_on ? d->rebuilt_on : "—", L(req, "。", "."));
	if (open_data)
		jz_html(&b, "<p>%r</p>",
		        L(req, "公开数据只含地区汇总数字，不含任何个人或企业的信息。", "Open data holds region totals only, nothing about any person or company."));
	jz_html(&b, "<p class=\"exports\">%r<a href=\"%r/%s.csv\" download>CSV</a> · <a href=\"%r/%s.csv?table=months\" download>%r</a>"
	            " · <a href=\"%r/%s.xlsx\" download>XLSX</a></p>",
	        L(req, "导出：", "Export: "), base, d->region->code, base, d->region->code,
	        L(req, "CSV（月度）", "CSV (months)"), base, d->region->code);
	/* Figures link to the lists behind them for the offices only (the admin sees figures). */
	bool official = !open_data && req->ctx.user && strcmp(req->ctx.user->role, "admin") != 0;
	jz_html(&b, "<dl id=\"figures\" class=\"figures\">");
	for (int c = 0; c < N_COLS; c++) {
		jz_html(&b, "<div data-key=\"%s\"><dt>%s</dt>", cols[c].key, L(req, cols[c].zh, cols[c].en));
		figure_cell(&b, d->region, &d->total, c, official, "dd");
		jz_html(&b, "</div>");
	}
	jz_html(&b, "</dl>");
	charts(&b, req, d, col);
	if (d->n_children)
		regions_table(&b, req, d, col, official, base);
	jz_html(&b, "<h2>%r</h2><table id=\"months\"><thead><tr>", L(req, "月度数据", "By month"));
	const char *const *th = trend_header(req);
	for (int c = 0; c < TREND_COLS; c++)
		jz_html(&b, "<th>%s</th>", th[c]);
	jz_html(&b, "</tr></thead><tbody>");
	for (int k = JZ_TREND_MONTHS - 1; k >= 0; k--) {
		const jz_month_counts *m = &d->trend[k].m;
		char stars[32];
		snprintf(stars, sizeof stars, "%.2f", m->reviews ? (double)m->review_points / (4.0 * (double)m->reviews) : 0.0);
		jz_html(&b, "<tr><td>%s</td><td>%L</td><td>%L</td><td>%L</td><td>%L</td><td>%L</td><td>%s</td></tr>",
		        d->trend[k].month, m->w_entered, m->w_consented, m->w_carded, m->checked_in, m->reviews, stars);
	}
	jz_html(&b, "</tbody></table></div>");
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

static enum MHD_Result
serve_dashboard(jz_req *req, bool open_data, bool api)
{
	char code[16];
	out_kind kind;
	if (!split_arg(req->args[0], code, &kind) || (api && kind != OUT_PAGE))
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	jz_dashboard d;
	if (!jz_svc_dashboard(&req->ctx, code, open_data, &d, &req->err))
		return api || kind != OUT_PAGE ? jz_reply_error(req, &req->err) : jz_h_page_error(req);
	enum MHD_Result rc;
	if (api)
		rc = jz_reply_json(req, MHD_HTTP_OK, dashboard_json(req, &d));
	else if (kind != OUT_PAGE)
		rc = export(req, &d, kind, open_data ? "open-data" : "dashboard");
	else
		rc = render_page(req, &d, open_data);
	jz_dashboard_clear(&d);
	return rc;
}

enum MHD_Result
jz_h_dashboard(jz_req *req)
{
	return serve_dashboard(req, false, false);
}

enum MHD_Result
jz_h_api_dashboard(jz_req *req)
{
	return serve_dashboard(req, false, true);
}

enum MHD_Result
jz_h_open_data(jz_req *req)
{
	return serve_dashboard(req, true, false);
}

enum MHD_Result
jz_h_api_open_data(jz_req *req)
{
	return serve_dashboard(req, true, true);
}

/* A list of the provinces, each linked to `base`/CODE. */
static void
province_list(jz_buf *b, const char *base)
{
	jz_html(b, "<ul id=\"provinces\">");
	for (size_t i = 0; i < jz_region_count(); i++) {
		const jz_region *r = jz_region_at(i);
		if (r->level == JZ_REGION_PROVINCE)
			jz_html(b, "<li><a href=\"%r/%s\">%s</a></li>", base, r->code, r->name);
	}
	jz_html(b, "</ul>");
}

enum MHD_Result
jz_h_dashboard_home(jz_req *req)
{
	if (!req->ctx.user) {
		req->err = (jz_err){.code = JZ_E_UNAUTHENTICATED};
		return jz_h_page_error(req);
	}
	const char *home = jz_svc_dashboard_home(&req->ctx);
	if (home) {
		char path[64];
		snprintf(path, sizeof path, "/dashboard/%s", home);
		return jz_reply_redirect(req, path);
	}
	if (strcmp(req->ctx.user->role, "admin") != 0) {
		req->err = (jz_err){.code = JZ_E_FORBIDDEN};
		return jz_h_page_error(req);
	}
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "推进情况", "Dashboard"));
	province_list(&b, "/dashboard");
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_open_data_home(jz_req *req)
{
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "公开数据", "Open data"));
	jz_html(&b, "<p>%r</p>",
	        L(req, "各地区家政企业入驻、服务员录入与持卡、打卡、评价和失信记录的汇总数字，可导出 CSV 和 XLSX。只有地区汇总，不含任何个人或企业的信息。",
	          "Region totals of companies, workers entered and carded, check-ins, reviews and negative records, "
	          "exportable as CSV and XLSX. Totals only: nothing about any person or company."));
	province_list(&b, "/open-data");
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

/* ---- the lists behind the figures ---- */

enum { LIST_PAGE = 50 };

typedef struct list_rows {
	jz_req *req;
	jz_buf *b;
	json_t *json;
	int n;
} list_rows;

static bool
worker_row(const jz_stats_worker *w, void *arg)
{
	list_rows *lr = arg;
	char label[160];
	const jz_region *r = jz_region_find(w->county);
	snprintf(label, sizeof label, "%s", r ? r->name : w->county);
	if (lr->n++ >= LIST_PAGE)
		return false;
	if (lr->json) {
		json_array_append_new(lr->json, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)w->id, "name",
		                                          w->name, "company", w->company, "county", w->county, "started",
		                                          w->started));
		return true;
	}
	jz_html(lr->b, "<tr><td><a href=\"/workers/%L\">%s</a></td><td>%s</td><td>%s</td><td>%s</td></tr>", w->id,
	        w->name, w->company, label, w->started);
	return true;
}

static int
page_number(jz_req *req)
{
	const char *s = jz_req_param(req, "page");
	int page = s ? atoi(s) : 1;
	return page < 1 || page > 100000 ? 1 : page;
}

enum MHD_Result
jz_h_dashboard_workers(jz_req *req)
{
	const char *code = req->args[0], *stage = jz_req_param(req, "stage");
	int page = page_number(req);
	jz_buf b = JZ_BUF_INIT, rows = JZ_BUF_INIT;
	list_rows lr = {req, &rows, NULL, 0};
	/* One more than a page tells whether there is a next one. */
	if (!jz_svc_dashboard_workers(&req->ctx, code, stage, LIST_PAGE + 1, (page - 1) * LIST_PAGE, worker_row, &lr,
	                              &req->err)) {
		jz_buf_free(&rows);
		return jz_h_page_error(req);
	}
	const jz_region *r = jz_region_find(code);
	int st = jz_stats_stage_parse(stage ? stage : "entered");
	char title[200];
	snprintf(title, sizeof title, "%s · %s", r->name, jz_stats_stage_label((jz_stats_stage)st, req->english));
	jz_page_open(&b, req, title);
	jz_html(&b, "<p><a href=\"/dashboard/%s\">%r</a></p><p>%r</p>", code, L(req, "返回仪表盘", "Back to the dashboard"),
	        L(req, "按当前劳动关系列出（在两家企业任职的列两次）。本次查看已记入审计日志。",
	          "Listed per current employment (a worker of two companies appears twice). This view is in the audit log."));
	if (lr.n)
		jz_html(&b, "<table id=\"workers\"><tr><th>%r</th><th>%r</th><th>%r</th><th>%r</th></tr>%r</table>",
		        L(req, "姓名", "Name"), L(req, "企业", "Company"), L(req, "区县", "County"), L(req, "入职", "Since"),
		        jz_buf_str(&rows));
	else
		jz_html(&b, "<p id=\"workers-none\">%r</p>", L(req, "没有符合条件的服务员。", "No workers."));
	if (lr.n > LIST_PAGE)
		jz_html(&b, "<p><a href=\"/dashboard/%s/workers?stage=%s&amp;page=%d\">%r</a></p>", code,
		        jz_stats_stage_name((jz_stats_stage)st), page + 1, L(req, "下一页", "Next page"));
	jz_buf_free(&rows);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}

enum MHD_Result
jz_h_api_dashboard_workers(jz_req *req)
{
	int limit, offset;
	if (!jz_h_list_bounds(req, &limit, &offset))
		return jz_reply_error(req, &req->err);
	json_t *items = json_array();
	list_rows lr = {req, NULL, items, 0};
	if (limit > LIST_PAGE)
		limit = LIST_PAGE;
	if (!jz_svc_dashboard_workers(&req->ctx, req->args[0], jz_req_param(req, "stage"), limit, offset, worker_row, &lr,
	                              &req->err)) {
		json_decref(items);
		return jz_reply_error(req, &req->err);
	}
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:o}", "items", items));
}

static bool
company_row(const jz_company *c, void *arg)
{
	list_rows *lr = arg;
	const jz_region *r = jz_region_find(c->county);
	if (lr->json) {
		json_array_append_new(lr->json, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)c->id, "uscc", c->uscc,
		                                          "name", c->name, "county", c->county, "status", c->status));
		return true;
	}
	jz_html(lr->b, "<tr><td><a href=\"/companies/%s\">%s</a></td><td>%s</td><td>%s</td></tr>", c->uscc, c->name,
	        r ? r->name : c->county, c->uscc);
	return true;
}

enum MHD_Result
jz_h_dashboard_companies(jz_req *req)
{
	const char *code = req->args[0], *status = jz_req_param(req, "status");
	int page = page_number(req);
	jz_buf b = JZ_BUF_INIT, rows = JZ_BUF_INIT;
	list_rows lr = {req, &rows, NULL, 0};
	int64_t total = 0;
	if (!jz_svc_dashboard_companies(&req->ctx, code, status, LIST_PAGE, (page - 1) * LIST_PAGE, company_row, &lr,
	                                &total, &req->err)) {
		jz_buf_free(&rows);
		return jz_h_page_error(req);
	}
	const jz_region *r = jz_region_find(code);
	const char *st = status ? status : "active";
	char title[200];
	snprintf(title, sizeof title, "%s · %s", r->name, jz_h_status_label(req, st));
	jz_page_open(&b, req, title);
	jz_html(&b, "<p><a href=\"/dashboard/%s\">%r</a></p><p id=\"companies-total\">%r%L</p>", code,
	        L(req, "返回仪表盘", "Back to the dashboard"), L(req, "共 ", "Total: "), total);
	if (total)
		jz_html(&b, "<table id=\"companies\"><tr><th>%r</th><th>%r</th><th>%r</th></tr>%r</table>",
		        L(req, "企业", "Company"), L(req, "区县", "County"), L(req, "统一社会信用代码", "Credit code"),
		        jz_buf_str(&rows));
	if ((int64_t)page * LIST_PAGE < total)
		jz_html(&b, "<p><a href=\"/dashboard/%s/companies?status=%s&amp;page=%d\">%r</a></p>", code, st, page + 1,
		        L(req, "下一页", "Next page"));
	jz_buf_free(&rows);
	jz_page_close(&b, req);
	return jz_reply_html(req, MHD_HTTP_OK, &b);
}
