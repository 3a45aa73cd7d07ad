/* Timestamped log lines on standard error. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static int quiet_info;

void
jz_log_quiet(int quiet)
{
	quiet_info = quiet;
}

static void
vlog(const char *level, const char *fmt, va_list ap)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	char line[1024];
	vsnprintf(line, sizeof line, fmt, ap);
	/* One fprintf per line keeps lines from different threads whole. */
	fprintf(stderr, "%s %s %s\n", stamp, level, line);
}

void
jz_log_info(const char *fmt, ...)
{
	if (quiet_info)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog("INFO", fmt, ap);
	va_end(ap);
}

void
jz_log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("ERROR", fmt, ap);
	va_end(ap);
}
