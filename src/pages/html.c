/* HTML escaping, the page layout and the stylesheet. */
#include "pages/html.h"

#include "core/readiness.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

void
jz_html_esc(jz_buf *b, const char *s)
{
	if (!s)
		return;
	/* strpbrk skips the long runs that need no escaping at once. */
	for (const char *c; (c = strpbrk(s, "&<>\"'")); s = c + 1) {
		const char *rep = *c == '&' ? "&amp;" : *c == '<' ? "&lt;" : *c == '>' ? "&gt;"
		                : *c == '"' ? "&quot;" : "&#39;";
		jz_buf_append(b, s, (size_t)(c - s));
		jz_buf_puts(b, rep);
	}
	jz_buf_puts(b, s);
}

void
jz_html(jz_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *run = fmt;
	for (const char *p; (p = strchr(run, '%')); run = p + 1) {
		jz_buf_append(b, run, (size_t)(p - run));
		switch (*++p) {
		case 's': jz_html_esc(b, va_arg(ap, const char *)); break;
		case 'r': jz_buf_puts(b, va_arg(ap, const char *)); break;
		case 'd': jz_buf_printf(b, "%d", va_arg(ap, int)); break;
		case 'L': jz_buf_printf(b, "%" PRId64, va_arg(ap, int64_t)); break;
		case '%': jz_buf_putc(b, '%'); break;
		default: p--; jz_buf_putc(b, '%'); break;
		}
	}
	jz_buf_puts(b, run);
	va_end(ap);
}

void
jz_page_open(jz_buf *b, jz_req *req, const char *title)
{
	jz_buf_reserve(b, 4096); /* a page is a few KB: grown once, not six times */
	jz_html(b, "<!doctype html><html lang=\"%r\"><head><meta charset=\"utf-8\">"
	           "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	           "<title>%s · %r</title><link rel=\"stylesheet\" href=\"/static/site.css\">"
	           "</head><body><header><a class=\"brand\" href=\"/\">%r</a><nav>",
	        L(req, "zh-CN", "en"), title, L(req, "家政信用", "Jiazheng"),
	        L(req, "家政信用", "Jiazheng"));
	jz_html(b, "<a href=\"/companies\">%r</a>", L(req, "企业查询", "Companies"));
	jz_html(b, "<a href=\"/dishonesty\">%r</a>", L(req, "失信名单", "Dishonesty list"));
	if (req->signed_in && req->user.company_id) {
		jz_html(b, "<a href=\"/company/workers\">%r</a>", L(req, "服务员", "Workers"));
		jz_html(b, "<a href=\"/credit-check\">%r</a>", L(req, "信用查询", "Credit check"));
		jz_html(b, "<a href=\"/company/inbox\">%r</a>", L(req, "消息", "Inbox"));
	}
	if (req->signed_in && !strcmp(req->user.role, "regulator"))
		jz_html(b, "<a href=\"/regulator/applications\">%r</a>", L(req, "入驻审核", "Applications"));
	if (req->signed_in && (!strcmp(req->user.role, "regulator") || !strcmp(req->user.role, "association"))) {
		jz_html(b, "<a href=\"/moderation\">%r</a><a href=\"/regulator/credit\">%r</a>", L(req, "评价举报", "Reports"),
		        L(req, "信用记录", "Credit records"));
		jz_html(b, "<a href=\"/regulator/companies\">%r</a>", L(req, "辖区企业", "Region's companies"));
	}
	if (!req->signed_in && req->ctx.worker_id) {
		jz_html(b, "<a href=\"/worker\">%r</a>", L(req, "我的记录", "My record"));
	} else if (req->signed_in) {
		jz_html(b, "<a href=\"/me\">%s</a>", req->user.username);
		jz_html(b, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
		jz_page_csrf(b, req);
		jz_html(b, "<button>%r</button></form>", L(req, "退出", "Sign out"));
	} else {
		jz_html(b, "<a href=\"/login\">%r</a>", L(req, "登录", "Sign in"));
	}
	/* The switch keeps the current path; query parameters are dropped on purpose. */
	jz_html(b, "<a href=\"%s?lang=%r\" lang=\"%r\">%r</a></nav></header><main>", req->path,
	        L(req, "en", "zh"), L(req, "en", "zh-CN"), L(req, "English", "中文"));
	jz_html(b, "<h1>%s</h1>", title);
}

void
jz_page_close(jz_buf *b, jz_req *req)
{
	jz_html(b, "</main><footer>%r</footer></body></html>",
	        L(req, "家政服务信用信息平台 · 个人信息加密保存，查询留痕",
	          "Household-service credit platform · personal data encrypted, every read logged"));
}

void
jz_page_csrf(jz_buf *b, jz_req *req)
{
	jz_html(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", jz_req_csrf(req));
}

void
jz_page_err_box(jz_buf *b, jz_req *req, const jz_err *err)
{
	const char *detail = req->english ? err->detail_en : err->detail_zh;
	if (err->code == JZ_E_UNAVAILABLE) {
		/* Chinese, then English, as on the outage page: the form was not saved. */
		jz_html(b, "<div class=\"error\" role=\"alert\"><strong>%s</strong><br><strong lang=\"en\">%s</strong></div>",
		        jz_err_message(err->code, false), jz_err_message(err->code, true));
		return;
	}
	jz_html(b, "<div class=\"error\" role=\"alert\"><strong>%s</strong>",
	        jz_err_message(err->code, req->english));
	if (*detail)
		jz_html(b, "<br>%s", detail);
	jz_html(b, "</div>");
}

/* The database is down or full: the same words in Chinese and English whatever the
 * language chosen, as the visitor may not know why a page they use daily fails. */
static void
unavailable_page(jz_buf *b, jz_req *req)
{
	jz_page_open(b, req, "服务暂不可用 Service unavailable");
	jz_html(b, "<div class=\"error\" role=\"alert\"><p lang=\"zh\"><strong>%r</strong><br>%r</p>"
	           "<p lang=\"en\"><strong>%r</strong><br>%r</p></div>",
	        "服务暂不可用，请稍后再试。",
	        "数据库暂时繁忙或无法访问（维护或故障）。刚才提交的内容未能确认保存：请过一分钟刷新页面，查看后再试。",
	        "Service unavailable; try again later.",
	        "The database is busy or cannot be reached just now (maintenance or a fault). What you just "
	        "submitted could not be confirmed as saved: reload in a minute and check before "
	        "trying again.");
	jz_html(b, "<p><a href=\"/\">%r</a></p>", "返回首页 Home page");
	jz_page_close(b, req);
}

void
jz_page_error(jz_buf *b, jz_req *req, const jz_err *err)
{
	if (err->code == JZ_E_UNAVAILABLE) {
		unavailable_page(b, req);
		return;
	}
	jz_page_open(b, req, L(req, "出错了", "Something went wrong"));
	jz_page_err_box(b, req, err);
	jz_html(b, "<p><a href=\"/\">%r</a></p>", L(req, "返回首页", "Back to the home page"));
	jz_page_close(b, req);
}

void
jz_page_date(int64_t t, char out[11])
{
	jz_date_of(t, out);
}

const char jz_site_css[] =
    "*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,'PingFang SC',"
    "'Microsoft YaHei',sans-serif;color:#222;background:#f6f6f3}"
    "header{background:#8b1a1a;color:#fff;padding:.5em 1em;display:flex;flex-wrap:wrap;"
    "gap:.5em;align-items:center;justify-content:space-between}"
    "header a,header button{color:#fff;margin-right:.8em}.brand{font-weight:bold}"
    "nav{display:flex;flex-wrap:wrap;align-items:center}"
    "main{max-width:46em;margin:0 auto;padding:1em}h1{font-size:1.4em}"
    "form.inline{display:inline}button,input[type=submit]{background:#8b1a1a;color:#fff;"
    "border:0;padding:.5em 1em;border-radius:4px;font-size:1em}"
    "header button{background:none;padding:0;text-decoration:underline}"
    "label{display:block;margin:.7em 0 .2em;font-weight:bold}"
    "input[type=text],input[type=password],input[type=tel],select,textarea{width:100%;"
    "padding:.5em;font-size:1em;border:1px solid #999;border-radius:4px}"
    "fieldset{border:1px solid #ccc;margin:.7em 0}fieldset label{display:inline;font-weight:normal;"
    "margin-right:1em}.error{background:#fde8e8;border:1px solid #c33;padding:.7em;margin:.7em 0}"
    ".ok{background:#e8f6e8;border:1px solid #393;padding:.7em;margin:.7em 0}"
    ".hint{color:#666;font-size:.9em}table{border-collapse:collapse;width:100%}"
    "td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}"
    ".secret{font:1.3em monospace;background:#fff;border:2px dashed #8b1a1a;padding:.3em .6em}"
    ".status-pending{color:#a60}.status-active{color:#070}.status-rejected{color:#c00}"
    ".status-suspended{color:#a60}.status-revoked{color:#c00}.grade strong{font-size:1.6em}"
    ".warn{color:#c00}.grade-A,.grade-B{color:#070}.grade-C{color:#a60}.grade-D{color:#c00}.disputed{color:#a60}"
    ".ready-1{color:#a60}.ready-2,.ready-3{color:#c00;font-weight:bold}"
    ".review-qr svg{width:12em;height:12em}"
    "footer{color:#777;font-size:.8em;text-align:center;padding:2em 1em}"
    ".serial,.jzcard-serial{font-family:monospace}"
    ".jzcard{width:85.6mm;height:54mm;border:1px solid #8b1a1a;border-radius:3mm;background:#fff;"
    "padding:2mm 3mm;display:flex;flex-direction:column;overflow:hidden;font-size:9pt;line-height:1.3}"
    ".jzcard-head{background:#8b1a1a;color:#fff;margin:-2mm -3mm 1.5mm;padding:1mm 3mm;font-weight:bold}"
    ".jzcard-body{display:flex;gap:2mm;flex:1}.jzcard-info{flex:1;min-width:0}.jzcard-info p{margin:0 0 .8mm}"
    ".jzcard-name{font-size:13pt;font-weight:bold}.jzcard .qr{width:31mm;height:31mm;display:block}"
    ".jzcard-foot{font-size:7pt;color:#555}"
    "@media print{@page{size:85.6mm 54mm;margin:0}header,footer,h1,.no-print{display:none}"
    "body{background:#fff}main{margin:0;padding:0}.jzcard{border:0;border-radius:0}}"
    /* dashboards (issue #6): wider than the text pages, figures as tiles, A4 landscape
     * when printed (a named page, so the card's print size stays the card's) */
    ".dashboard{width:min(96vw,84em);position:relative;left:50%;transform:translateX(-50%)}"
    ".figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(9em,1fr));gap:.5em}"
    ".figures div{background:#fff;border:1px solid #ddd;padding:.4em .6em}.figures dt{font-size:.85em;color:#555}"
    ".figures dd{margin:0;font-size:1.4em;font-weight:bold}.dashboard table{font-size:.85em;border-collapse:collapse}"
    ".dashboard td,.dashboard th{padding:.2em .4em;border-bottom:1px solid #ddd;text-align:right}"
    ".dashboard td:nth-child(2),.dashboard th:nth-child(2){text-align:left}.wide{overflow-x:auto}"
    ".chart{max-width:100%;height:auto;background:#fff}"
    "@page dashboard{size:A4 landscape;margin:10mm}"
    "@media print{.dashboard{page:dashboard;width:auto;left:0;transform:none}.dashboard h1{display:block}"
    ".exports{display:none}}";
const size_t jz_site_css_len = sizeof jz_site_css - 1;
