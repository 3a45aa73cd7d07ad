/* Writing HTML: every value is escaped unless the call says the fragment is ours, and
 * every page shares one layout (language switch, navigation, stylesheet). */
#ifndef JZ_PAGES_HTML_H
#define JZ_PAGES_HTML_H

#include <stdint.h>

#include "http/request.h"

/* Appends s with & < > " ' escaped. */
void jz_html_esc(jz_buf *b, const char *s);
/* printf-like: %s is an escaped string, %r a raw fragment of ours, %d an int, %L an
 * int64_t, %% a percent sign. Nothing else. */
void jz_html(jz_buf *b, const char *fmt, ...);

/* Opens a page: doctype, head, header with navigation and the language switch. */
void jz_page_open(jz_buf *b, jz_req *req, const char *title);
void jz_page_close(jz_buf *b, jz_req *req);
/* The hidden CSRF field every form carries. */
void jz_page_csrf(jz_buf *b, jz_req *req);
/* A box saying what went wrong, in the page's language. */
void jz_page_err_box(jz_buf *b, jz_req *req, const jz_err *err);
/* A whole error page. */
void jz_page_error(jz_buf *b, jz_req *req, const jz_err *err);
/* A date (the server's local date) as YYYY-MM-DD into out[11]. */
void jz_page_date(int64_t t, char out[11]);

/* The stylesheet served at /static/site.css. */
extern const char jz_site_css[];
extern const size_t jz_site_css_len;

#endif
