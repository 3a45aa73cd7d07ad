/* Duty readiness rules and the date arithmetic they need. */
#include "core/readiness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool
parse_date(const char *s, int *y, int *m, int *d)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1900 || *m < 1 || *m > 12 || *d < 1)
		return false;
	return *d <= days[*m - 1] + (*m == 2 && leap(*y));
}

bool
jz_date_valid(const char *s)
{
	int y, m, d;
	return parse_date(s, &y, &m, &d);
}

bool
jz_date_add_days(const char *date, int days, char out[11])
{
	int y, m, d;
	if (!parse_date(date, &y, &m, &d))
		return false;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + days, .tm_hour = 12};
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
	return true;
}

int
jz_age_on(const char *birth, const char *today)
{
	int age = atoi(today) - atoi(birth);
	if (strcmp(today + 5, birth + 5) < 0)
		age--;
	return age;
}

void
jz_date_of(int64_t t, char out[11])
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void
jz_date_today(char out[11])
{
	jz_date_of((int64_t)time(NULL), out);
}

/* A dated item: missing, expired, expiring soon or fine. "" never expires. */
static jz_ready_state
dated(const char *expires, const char *today, const char *soon)
{
	if (!expires)
		return JZ_READY_MISSING;
	if (!*expires)
		return JZ_READY_OK;
	if (strcmp(expires, today) < 0)
		return JZ_READY_EXPIRED;
	return strcmp(expires, soon) <= 0 ? JZ_READY_EXPIRING : JZ_READY_OK;
}

void
jz_readiness_eval(const jz_ready_input *in, const char *today, jz_readiness *out)
{
	char soon[11];
	if (!jz_date_add_days(today, JZ_EXPIRY_WARNING_DAYS, soon))
		snprintf(soon, sizeof soon, "%s", today);
	memset(out, 0, sizeof *out);
	out->state[JZ_ITEM_INSURANCE] = dated(in->insurance_expires, today, soon);
	out->expires[JZ_ITEM_INSURANCE] = in->insurance_expires;
	out->state[JZ_ITEM_CREDIT] = in->id_verified && in->background_clear && in->consented
	                                 ? JZ_READY_OK
	                                 : JZ_READY_MISSING;
	out->state[JZ_ITEM_UNIFORM] = in->uniform ? JZ_READY_OK : JZ_READY_MISSING;
	out->state[JZ_ITEM_WORK_PERMIT] = dated(in->work_permit_expires, today, soon);
	out->expires[JZ_ITEM_WORK_PERMIT] = in->work_permit_expires;
	out->state[JZ_ITEM_HEALTH] = dated(in->health_expires, today, soon);
	out->expires[JZ_ITEM_HEALTH] = in->health_expires;
	out->state[JZ_ITEM_TOOLKIT] = in->toolkit ? JZ_READY_OK : JZ_READY_MISSING;
	out->ready = true;
	for (int i = 0; i < JZ_ITEM_COUNT; i++) {
		if (out->state[i] == JZ_READY_MISSING || out->state[i] == JZ_READY_EXPIRED)
			out->ready = false;
		if (out->state[i] == JZ_READY_EXPIRING)
			out->expiring = true;
	}
}

const char *
jz_ready_item_name(jz_ready_item item, bool english)
{
	static const char *const zh[] = {"家政服务险", "诚信认证", "工作服", "上岗证", "健康证", "工具包"};
	static const char *const en[] = {"Service insurance", "Credit certification", "Uniform",
	                                 "Work permit",       "Health certificate",   "Tool kit"};
	return item < JZ_ITEM_COUNT ? (english ? en : zh)[item] : "";
}

const char *
jz_ready_state_name(jz_ready_state state, bool english)
{
	static const char *const zh[] = {"齐全", "即将到期", "缺少", "已过期"};
	static const char *const en[] = {"In place", "Expires soon", "Missing", "Expired"};
	return (english ? en : zh)[state];
}
