/* Worker cards (诚信一卡通): the employing company issues, revokes and reissues a card
 * for a worker who consented to the record; anyone checks a card by its token and sees
 * the public view of DESIGN.md ("Views"): masked name, age band, native province, service
 * types, verification with dates, duty readiness, current company, published negative
 * records — never the full name, ID number, phone or address.
 *
 * Each change runs in one transaction with its audit entry. Public checks are not
 * audited: they read nothing private, and card scans are the platform's hottest path. */
#ifndef JZ_SERVICES_CARDS_H
#define JZ_SERVICES_CARDS_H

#include "core/card.h"
#include "core/readiness.h"
#include "services/service.h"

/* The token on card c, signed with the key file's card key (ctx->keys). */
bool jz_svc_card_token(const jz_ctx *ctx, const jz_card *c, char out[JZ_CARD_TOKEN_MAX],
                       jz_err *err);
/* base + "/v/" + token; caller frees. */
char *jz_svc_card_url(const char *base, const char *token);

/* Company accounts, for a worker they employ now. Issue: the worker's active card, a
 * new one (*created true) when there is none; WRONG_STATE before the worker consented. */
bool jz_svc_card_issue(const jz_ctx *ctx, int64_t worker_id, jz_card *out, bool *created,
                       jz_err *err);
/* The worker's active card; out->id is 0 when there is none. */
bool jz_svc_card_current(const jz_ctx *ctx, int64_t worker_id, jz_card *out, jz_err *err);
/* Revokes the active card the company issued; reason: left, lost or other. */
bool jz_svc_card_revoke(const jz_ctx *ctx, int64_t worker_id, const char *reason, jz_err *err);
/* Revokes the active card (reason as above, default lost) and issues a new one. */
bool jz_svc_card_reissue(const jz_ctx *ctx, int64_t worker_id, const char *reason, jz_card *out,
                         jz_err *err);

/* Operators (`jiazheng card url`, ctx->user NULL): the active card of the worker with
 * this ID number, issued now in the name of a current employer when there is none.
 * NOT_FOUND for an unknown number, WRONG_STATE without consent or without an employer.
 * The ID number is never logged. */
bool jz_svc_card_for_id_number(const jz_ctx *ctx, const char *id_number, jz_card *out,
                               bool *created, jz_err *err);

/* Inside the caller's transaction: the company's employment of the worker ended, so the
 * card it issued (if any) is revoked with reason "left". */
bool jz_svc_card_employment_ended_tx(const jz_ctx *ctx, int64_t worker_id, int64_t company_id,
                                     jz_err *err);

/* Operators (`jiazheng init`): stores the check value of every card that has none (cards
 * issued before migration 007), in transactions of 1,000; *filled counts them. Nothing to
 * do without a card key. */
bool jz_svc_card_fill_macs(const jz_ctx *ctx, int64_t *filled, jz_err *err);

typedef enum {
	JZ_CARDV_GENUINE,     /* signed, active: the public view is filled in */
	JZ_CARDV_NOT_GENUINE, /* malformed, bad signature, unknown version, or no such card */
	JZ_CARDV_EXPIRED,     /* signed, past its expiry */
	JZ_CARDV_REVOKED,     /* signed, revoked: card.revoke_reason says why */
} jz_card_verdict;

enum { JZ_CARD_NEGATIVES = 10 };

/* A published, unexpired negative credit record as the card shows it. */
typedef struct jz_card_negative {
	char category[24], severity[8];
	int64_t published, until;
	bool disputed; /* an appeal is pending */
} jz_card_negative;

/* What a card scan shows. Owns its strings; free with jz_card_public_free. */
typedef struct jz_card_public {
	jz_card_verdict verdict;
	jz_card_fault fault;  /* the token check */
	jz_card card;         /* for GENUINE, EXPIRED (when known) and REVOKED */
	char masked_name[96]; /* 张*芳 */
	int age_lo;           /* the age band: age_lo .. age_lo + 9 */
	const char *province; /* native province name, static; "" when unknown */
	char *service_types;  /* codes separated by '|' */
	bool id_verified;
	int64_t id_check_at;
	char *bg_status; /* pending clear flagged */
	int64_t bg_at;
	char *company;   /* the issuing company's name */
	char *employers; /* names of every current employer, separated by 、 */
	jz_readiness readiness;
	jz_worker_facts facts; /* owns the dates readiness.expires points to */
	int negative_records;  /* published, unexpired negative credit records */
	jz_card_negative negatives[JZ_CARD_NEGATIVES]; /* the newest of them */
	double stars;          /* shown stars (docs/credit-model.md) */
	int64_t reviews;       /* reviews counted in them */
	bool active;           /* a check-in this month or last */
	char last_checkin[8];  /* YYYY-MM, "" when never */
} jz_card_public;

void jz_card_public_free(jz_card_public *p);
/* Checks a token and fills the view. False only on a database or key error (err set):
 * a forged, expired or revoked card is a verdict, not an error. */
bool jz_svc_card_check(const jz_ctx *ctx, const char *token, jz_card_public *out, jz_err *err);

/* Reason codes and words. */
bool jz_card_reason_valid(const char *reason);
const char *jz_card_reason_name(const char *reason, bool english);

#endif
