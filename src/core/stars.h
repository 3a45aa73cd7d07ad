/* Star rating (星级) of a worker: a documented, explainable formula (docs/credit-model.md)
 * from reviews, verification completeness, tenure and confirmed negative records. Pure. */
#ifndef JZ_CORE_STARS_H
#define JZ_CORE_STARS_H

#include <stdbool.h>

enum {
	JZ_STARS_PRIOR_WEIGHT = 5, /* pseudo-reviews at the prior mean */
};
#define JZ_STARS_PRIOR_MEAN 3.0

typedef enum { JZ_SEVERITY_MINOR, JZ_SEVERITY_SERIOUS, JZ_SEVERITY_GRAVE } jz_severity;

typedef struct jz_stars_input {
	int reviews;          /* number of reviews */
	double review_sum;    /* sum over reviews of each review's mean of its four dimensions */
	bool id_verified, background_clear, consented, health_valid, work_permit_valid;
	int tenure_months;    /* since the first employment on the platform */
	int negative[3];      /* confirmed, published, unexpired negative records by severity */
} jz_stars_input;

typedef struct jz_stars {
	double review_part;   /* Bayesian average of reviews, 1–5 */
	double verification;  /* bonus for completeness, 0–0.3 */
	double tenure;        /* bonus for tenure, 0–0.2 */
	double penalty;       /* subtracted for negative records */
	double value;         /* the sum, clamped to 1–5 */
	double stars;         /* shown: value rounded down to a half star */
	bool capped;          /* a grave record caps the rating at one star */
} jz_stars;

void jz_stars_compute(const jz_stars_input *in, jz_stars *out);

#endif
