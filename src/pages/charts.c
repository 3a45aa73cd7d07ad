/* SVG charts for the dashboards (see charts.h). Every string from outside goes through
 * jz_html's %s (escaped); numbers are formatted here. */
#include "pages/charts.h"

#include <inttypes.h>
#include <stdio.h>

#include "pages/html.h"

enum { WIDTH = 640, LABEL_W = 150, ROW_H = 26, BAR_H = 18 };

static void
open_svg(jz_buf *b, int height, const char *title, const char *desc)
{
	char dims[96];
	snprintf(dims, sizeof dims, "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"", WIDTH, height, WIDTH, height);
	jz_html(b,
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" %r font-size=\"13\""
	        " font-family=\"sans-serif\"><title>%s</title><desc>%s</desc>",
	        dims, title, desc);
}

void
jz_svg_funnel(jz_buf *b, const char *title, const char *desc, const char *const *labels, const int64_t *values,
              size_t n)
{
	open_svg(b, (int)n * ROW_H + 8, title, desc);
	double top = n && values[0] > 0 ? (double)values[0] : 1.0;
	int span = WIDTH - LABEL_W - 140;
	for (size_t i = 0; i < n; i++) {
		int w = (int)((double)span * (double)values[i] / top + 0.5);
		if (w < 1 && values[i] > 0)
			w = 1;
		int x = LABEL_W + (span - w) / 2, y = (int)i * ROW_H + 4;
		char geo[160], num[64];
		snprintf(geo, sizeof geo, "x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"", x, y, w, BAR_H);
		snprintf(num, sizeof num, "%" PRId64 " (%.0f%%)", values[i], 100.0 * (double)values[i] / top);
		jz_html(b, "<text x=\"%d\" y=\"%d\">%s</text>", 4, y + 14, labels[i]);
		jz_html(b, "<rect %r fill=\"#2f6f9f\" stroke=\"#1d4766\"/>", geo);
		jz_html(b, "<text x=\"%d\" y=\"%d\">%s</text>", LABEL_W + span + 8, y + 14, num);
	}
	jz_buf_puts(b, "</svg>");
}

void
jz_svg_bars(jz_buf *b, const char *title, const char *desc, const char *const *labels, const double *values,
            const char *const *text, size_t n, double max)
{
	open_svg(b, (int)n * ROW_H + 8, title, desc);
	int span = WIDTH - LABEL_W - 80;
	for (size_t i = 0; i < n; i++) {
		double v = values[i] < 0 ? 0 : values[i];
		int w = max > 0 ? (int)((double)span * v / max + 0.5) : 0;
		int y = (int)i * ROW_H + 4;
		char geo[160];
		snprintf(geo, sizeof geo, "x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"", LABEL_W, y, w, BAR_H);
		jz_html(b, "<text x=\"4\" y=\"%d\">%s</text>", y + 14, labels[i]);
		jz_html(b, "<rect %r fill=\"#5b8c3a\" stroke=\"#3b5e25\"/>", geo);
		jz_html(b, "<text x=\"%d\" y=\"%d\">%s</text>", LABEL_W + w + 6, y + 14, text[i]);
	}
	jz_buf_puts(b, "</svg>");
}

void
jz_svg_lines(jz_buf *b, const char *title, const char *desc, const char *const *x_labels, size_t n_x,
             const jz_svg_series *series, size_t n_series)
{
	enum { H = 260, LEFT = 60, RIGHT = 20, TOP = 16, BOTTOM = 40 };
	int legend_h = (int)n_series * 18;
	open_svg(b, H + legend_h, title, desc);
	double max = 0;
	for (size_t s = 0; s < n_series; s++)
		for (size_t i = 0; i < n_x; i++)
			if (series[s].values[i] > max)
				max = series[s].values[i];
	if (max <= 0)
		max = 1;
	int plot_w = WIDTH - LEFT - RIGHT, plot_h = H - TOP - BOTTOM;
	/* Axes with the top value and zero. */
	char top[32];
	snprintf(top, sizeof top, "%.0f", max);
	jz_html(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>", LEFT, TOP, LEFT, TOP + plot_h);
	jz_html(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>", LEFT, TOP + plot_h,
	        LEFT + plot_w, TOP + plot_h);
	jz_html(b, "<text x=\"4\" y=\"%d\">%s</text><text x=\"4\" y=\"%d\">0</text>", TOP + 10, top, TOP + plot_h);
	for (size_t i = 0; i < n_x; i++) {
		int x = LEFT + (n_x > 1 ? (int)((double)plot_w * (double)i / (double)(n_x - 1)) : 0);
		/* Every other month, and the last, so the labels do not collide. */
		if (i % 2 == (n_x - 1) % 2)
			jz_html(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>", x,
			        TOP + plot_h + 16, x_labels[i]);
	}
	for (size_t s = 0; s < n_series; s++) {
		jz_buf pts = {0};
		for (size_t i = 0; i < n_x; i++) {
			double x = LEFT + (n_x > 1 ? (double)plot_w * (double)i / (double)(n_x - 1) : 0);
			double y = TOP + plot_h - (double)plot_h * series[s].values[i] / max;
			jz_buf_printf(&pts, "%s%.1f,%.1f", i ? " " : "", x, y);
		}
		jz_html(b, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\"/>",
		        jz_buf_str(&pts), series[s].colour, *series[s].dash ? series[s].dash : "none");
		jz_buf_free(&pts);
		int ly = H + (int)s * 18;
		char last[32];
		snprintf(last, sizeof last, "%.0f", n_x ? series[s].values[n_x - 1] : 0.0);
		jz_html(b,
		        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\"/>"
		        "<text x=\"%d\" y=\"%d\">%s: %s</text>",
		        LEFT, ly - 4, LEFT + 30, ly - 4, series[s].colour, *series[s].dash ? series[s].dash : "none",
		        LEFT + 36, ly, series[s].name, last);
	}
	jz_buf_puts(b, "</svg>");
}
