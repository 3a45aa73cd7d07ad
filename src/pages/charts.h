/* Charts as server-rendered SVG, inline in the page: no JavaScript, text labels for
 * every value, <title> and <desc> for screen readers, presentation attributes only (the
 * Content-Security-Policy allows no inline styles), black-on-white friendly to print. */
#ifndef JZ_PAGES_CHARTS_H
#define JZ_PAGES_CHARTS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* A funnel: one bar per stage, widths in proportion to the first, each with its label,
 * its count and its share of the first. */
void jz_svg_funnel(jz_buf *b, const char *title, const char *desc, const char *const *labels,
                   const int64_t *values, size_t n);
/* Horizontal bars, one per label, for values in [0, max]; `text` holds each value as
 * it should be printed (e.g. "82%"). */
void jz_svg_bars(jz_buf *b, const char *title, const char *desc, const char *const *labels,
                 const double *values, const char *const *text, size_t n, double max);

typedef struct jz_svg_series {
	const char *name;
	const double *values; /* n_x of them */
	const char *colour;   /* an SVG colour keyword or #rrggbb of ours */
	const char *dash;     /* stroke-dasharray, "" for a solid line (tells lines apart in print) */
} jz_svg_series;

/* Lines over x labels (months), with a legend and the last value printed. */
void jz_svg_lines(jz_buf *b, const char *title, const char *desc, const char *const *x_labels, size_t n_x,
                  const jz_svg_series *series, size_t n_series);

#endif
