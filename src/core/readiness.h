/* Duty readiness (六无不上岗): no worker goes on duty without service insurance, credit
 * certification, uniform, work permit, health certificate and tool kit, each in place and
 * unexpired. Pure rules on dates written YYYY-MM-DD; no I/O. */
#ifndef JZ_CORE_READINESS_H
#define JZ_CORE_READINESS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
	JZ_ITEM_INSURANCE,   /* 家政服务险 */
	JZ_ITEM_CREDIT,      /* 诚信认证: identity verified, background clear, consent given */
	JZ_ITEM_UNIFORM,     /* 工作服 */
	JZ_ITEM_WORK_PERMIT, /* 上岗证 (or a skill certificate) */
	JZ_ITEM_HEALTH,      /* 健康证 */
	JZ_ITEM_TOOLKIT,     /* 工具包 */
	JZ_ITEM_COUNT,
} jz_ready_item;

typedef enum {
	JZ_READY_OK,
	JZ_READY_EXPIRING, /* in place, but expires within JZ_EXPIRY_WARNING_DAYS */
	JZ_READY_MISSING,
	JZ_READY_EXPIRED,
} jz_ready_state;

enum { JZ_EXPIRY_WARNING_DAYS = 30 };

/* What is known about one worker. An expiry is the latest expiry date among the
 * credentials of that kind: NULL when there is none, "" when one never expires. */
typedef struct jz_ready_input {
	bool id_verified, background_clear, consented;
	const char *insurance_expires, *work_permit_expires, *health_expires;
	bool uniform, toolkit;
} jz_ready_input;

typedef struct jz_readiness {
	jz_ready_state state[JZ_ITEM_COUNT];
	const char *expires[JZ_ITEM_COUNT]; /* borrowed from the input; NULL when none */
	bool ready;                         /* every item OK or EXPIRING */
	bool expiring;                      /* some item expires soon */
} jz_readiness;

/* Evaluates readiness on `today` (YYYY-MM-DD). */
void jz_readiness_eval(const jz_ready_input *in, const char *today, jz_readiness *out);
const char *jz_ready_item_name(jz_ready_item item, bool english);
const char *jz_ready_state_name(jz_ready_state state, bool english);
/* Writes the date `days` after `date` (YYYY-MM-DD) into out[11]; false if date is not a date. */
bool jz_date_add_days(const char *date, int days, char out[11]);
/* True when s is a real calendar date written YYYY-MM-DD. */
bool jz_date_valid(const char *s);
/* Full years from birth to today (both YYYY-MM-DD). */
int jz_age_on(const char *birth, const char *today);
/* The local date (the server's time zone: set TZ=Asia/Shanghai) of Unix time t, and
 * today's, as YYYY-MM-DD into out[11]. ID numbers are checked against the same date. */
void jz_date_of(int64_t t, char out[11]);
void jz_date_today(char out[11]);

#endif
