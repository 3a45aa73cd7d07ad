/* Credit records (信用记录): the categories of positive and negative conduct, the
 * severities of negative records and how long each counts before credit repair
 * (信用修复, docs/credit-model.md). Pure data and rules; no I/O. */
#ifndef JZ_CORE_CREDIT_H
#define JZ_CORE_CREDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/stars.h"

typedef struct jz_credit_category {
	const char *code;  /* stable, in the database and the API */
	bool negative;     /* else positive */
	const char *zh, *en;
	const char *least; /* negative: the lowest severity this conduct may have ("minor"…) */
} jz_credit_category;

size_t jz_credit_category_count(void);
const jz_credit_category *jz_credit_category_at(size_t i);
/* By code; NULL when unknown. */
const jz_credit_category *jz_credit_category_find(const char *code);

/* "minor" "serious" "grave" → 0 1 2, -1 otherwise. */
int jz_severity_parse(const char *name);
const char *jz_severity_name(jz_severity s);
const char *jz_severity_label(jz_severity s, bool english);
/* How long a published negative record of this severity counts, in days. */
int jz_severity_days(jz_severity s);

/* Days an appeal may stay open before it shows as overdue on the regulator's list. */
enum { JZ_APPEAL_DAYS = 20, JZ_CHECK_NOTIFY_DAYS = 90, JZ_SHARE_CODE_DAYS = 30 };

/* Record and appeal statuses in words. */
const char *jz_credit_status_label(const char *status, bool english);

#endif
