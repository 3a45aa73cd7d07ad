/* Service records (上户) and reviews: the employing company records a service and ends
 * it, which gives the consumer a one-time review code (a link and its QR code); the
 * consumer rates skill, attitude, punctuality and honesty once; the company and the worker
 * may reply; abusive reviews are reported and moderated by the association or regulator
 * in scope. Reviews feed the stars (docs/credit-model.md). */
#ifndef JZ_SERVICES_REVIEWS_H
#define JZ_SERVICES_REVIEWS_H

#include "core/stars.h"
#include "services/service.h"

enum { JZ_REVIEW_CODE_DAYS = 30 };

bool jz_svc_service_start(const jz_ctx *ctx, int64_t worker_id, const char *service_type,
                          const char *started, const char *county, int64_t *service_id, jz_err *err);
/* Ends the service and issues its review code (code[32], shown once). */
bool jz_svc_service_end(const jz_ctx *ctx, int64_t service_id, const char *ended, char code[32],
                        jz_err *err);
/* The services of a worker whose record the caller has opened. */
bool jz_svc_service_list(const jz_ctx *ctx, int64_t worker_id,
                         bool (*each)(const jz_service *sv, void *arg), void *arg, jz_err *err);

/* What the consumer sees before reviewing: the service, the worker's masked name and the
 * company's name (masked[64], company[256]). NOT_FOUND for an unknown or spent code. */
bool jz_svc_review_open(const jz_ctx *ctx, const char *code, jz_service *out, char masked[64],
                        char company[256], jz_err *err);
typedef struct jz_review_input {
	const char *skill, *attitude, *punctuality, *honesty; /* "1" … "5" */
	const char *comment;
} jz_review_input;
/* Records the review and spends the code; also counts a check-in for the worker. */
bool jz_svc_review_submit(const jz_ctx *ctx, const char *code, const jz_review_input *in,
                          int64_t *review_id, jz_err *err);
/* The reviews of a worker whose record the caller has opened (hidden ones left out). */
bool jz_svc_review_list(const jz_ctx *ctx, int64_t worker_id,
                        bool (*each)(const jz_review *r, void *arg), void *arg, jz_err *err);
/* The company of the review, or the worker reviewed. */
bool jz_svc_review_reply(const jz_ctx *ctx, int64_t review_id, const char *text, jz_err *err);
bool jz_svc_review_report(const jz_ctx *ctx, int64_t review_id, const char *reason, jz_err *err);
/* Associations and regulators: reported reviews of companies in their region, and the
 * decision (keep or hide). */
bool jz_svc_reviews_reported(const jz_ctx *ctx, bool (*each)(const jz_review *r, void *arg),
                             void *arg, jz_err *err);
bool jz_svc_review_moderate(const jz_ctx *ctx, int64_t review_id, const char *decision, jz_err *err);

/* The stars of a worker and their breakdown, from the record and facts the caller has
 * loaded; *reviews counts the reviews in them. */
bool jz_svc_worker_stars_of(const jz_ctx *ctx, const jz_worker *w, const jz_worker_facts *facts,
                            jz_stars *out, int64_t *reviews, jz_err *err);
/* The same from totals the caller has read too: the visible reviews and the sum of their
 * scores, the first employment's start ("" when none) and today (YYYY-MM-DD). */
void jz_svc_worker_stars_from(const jz_worker *w, const jz_worker_facts *facts, int64_t reviews,
                              double review_sum, const char *first_employment, const char *today,
                              const int negative[3], jz_stars *out);

#endif
