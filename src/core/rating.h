/* Company credit rating (企业信用等级) A/B/C/D: documented, explainable rules
 * (docs/credit-model.md) from the share of workers carded, duty-ready and checked in,
 * reviews, designations and confirmed negative records. Pure: the caller gathers the
 * facts (jz_store_company_rating_facts and the readiness rules). */
#ifndef JZ_CORE_RATING_H
#define JZ_CORE_RATING_H

#include <stdbool.h>
#include <stdint.h>

enum {
	/* Below this many current workers the worker shares say little: they are left out
	 * and the company is rated on what it has (reviews, records, designations). */
	JZ_RATING_MIN_WORKERS = 5,
	JZ_RATING_A = 85, /* lowest score of each grade */
	JZ_RATING_B = 70,
	JZ_RATING_C = 50,
};

typedef struct jz_rating_input {
	bool active;            /* false: suspended or revoked, which rates D */
	int64_t employed;       /* current workers */
	int64_t carded;         /* of them, with an active card */
	int64_t ready;          /* of them, duty-ready (六无不上岗) */
	int64_t checked_in;     /* of them, with a check-in this month or last */
	int64_t reviews;        /* counted reviews of the company's services (hidden excluded) */
	double review_sum;      /* sum of each review's mean of its four dimensions */
	int64_t company_negative[3]; /* confirmed counting records about the company, by severity */
	int64_t worker_negative;     /* confirmed counting records about its current workers */
	int64_t model, benchmark;    /* current 诚信示范企业 / 标杆企业 designations */
} jz_rating_input;

typedef enum {
	JZ_CRIT_CARDS,           /* share carded, up to 20 */
	JZ_CRIT_READY,           /* share duty-ready, up to 30 */
	JZ_CRIT_CHECKINS,        /* share checked in, up to 20 */
	JZ_CRIT_REVIEWS,         /* Bayesian review average, up to 30 */
	JZ_CRIT_DESIGNATIONS,    /* bonus: model +10, benchmark +5 */
	JZ_CRIT_COMPANY_RECORDS, /* minus 10 per minor, 25 per serious record; grave: D */
	JZ_CRIT_WORKER_RECORDS,  /* minus 3 per record about a current worker, at most 15 */
	JZ_CRIT_COUNT,
} jz_rating_criterion;

typedef struct jz_rating_item {
	bool applies;  /* false: left out (too few workers) */
	double value;  /* the share (0–1), the review average, or the number of records/designations */
	double points; /* as counted, rounded to 0.1; negative for penalties */
	double max;    /* most points it can give (0 for penalties) */
} jz_rating_item;

typedef struct jz_rating {
	char grade;         /* 'A' 'B' 'C' 'D' */
	double score;       /* 0–100, the sum the grade comes from */
	double base;        /* the criteria that apply, scaled to 100 */
	bool few_workers;   /* fewer than JZ_RATING_MIN_WORKERS: worker criteria left out */
	bool grave;         /* a grave record about the company: D */
	bool inactive;      /* suspended or revoked: D */
	jz_rating_item item[JZ_CRIT_COUNT];
} jz_rating;

void jz_rating_compute(const jz_rating_input *in, jz_rating *out);
/* Stable code ("cards", "ready", …) and the criterion's name in words. */
const char *jz_rating_criterion_code(jz_rating_criterion c);
const char *jz_rating_criterion_name(jz_rating_criterion c, bool english);

#endif
