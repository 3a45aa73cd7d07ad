/* Worker cards: issuing, revoking and reissuing by the employing company, the operator's
 * card URLs, and the public check of a scanned card (see cards.h). */
#include "services/cards.h"

#include "core/credit.h"

#include "core/mask.h"

#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idcard.h"
#include "core/regions.h"
#include "services/audit.h"
#include "services/governance.h"
#include "services/checkins.h"
#include "services/reviews.h"
#include "services/workers.h"
#include "util/buf.h"
#include "util/seal.h"
#include "util/xmalloc.h"

bool
jz_card_reason_valid(const char *reason)
{
	return reason &&
	       (!strcmp(reason, "left") || !strcmp(reason, "lost") || !strcmp(reason, "other"));
}

const char *
jz_card_reason_name(const char *reason, bool english)
{
	if (!strcmp(reason, "left"))
		return english ? "the worker left the company" : "离职";
	if (!strcmp(reason, "lost"))
		return english ? "lost" : "遗失";
	return english ? "other" : "其他";
}

bool
jz_svc_card_token(const jz_ctx *ctx, const jz_card *c, char out[JZ_CARD_TOKEN_MAX], jz_err *err)
{
	const unsigned char *secret = ctx->keys ? jz_keys_card_secret(ctx->keys) : NULL;
	if (!secret)
		return jz_err_set(err, JZ_E_INTERNAL, NULL, NULL,
		                  "the key file has no card-sign-key");
	jz_card_claim claim = {
	    .card_id = (uint32_t)c->id,
	    .worker_id = (uint32_t)c->worker_id,
	    .issued_at = c->issued_at,
	    .expires_at = c->expires_at,
	};
	if (c->id > (int64_t)UINT32_MAX || c->worker_id > (int64_t)UINT32_MAX ||
	    jz_card_token_make(&claim, secret, out) != JZ_CARD_OK)
		return jz_err_set(err, JZ_E_INTERNAL, NULL, NULL,
		                  "the card does not fit the token format");
	return true;
}

char *
jz_svc_card_url(const char *base, const char *token)
{
	size_t n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	return jz_xasprintf("%.*s/v/%s", (int)n, base, token);
}

static bool
audit_card(const jz_ctx *ctx, const char *action, int64_t worker_id, json_t *detail, jz_err *err)
{
	char target[40];
	snprintf(target, sizeof target, "worker:%" PRId64, worker_id);
	char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	bool ok = jz_svc_audit(ctx, action, target, text, err);
	free(text);
	return ok;
}

/* A company account that employs the worker now. */
static bool
require_employer(const jz_ctx *ctx, int64_t worker_id, jz_err *err)
{
	if (!ctx->user)
		return jz_err_set(err, JZ_E_UNAUTHENTICATED, NULL, NULL, NULL);
	if (!ctx->user->company_id)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	bool current, ever;
	jz_db_status s =
	    jz_store_employment_status(ctx->db, worker_id, ctx->user->company_id, &current, &ever);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!current)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, "不是本企业在职的家政服务员",
		                  "not a current worker of your company");
	return true;
}

/* Stores the check value of the card's token, so that scans recognise it without an
 * Ed25519 verification. Without a card key there is no token yet, and nothing to store. */
static jz_db_status
store_mac(const jz_ctx *ctx, const jz_card *c)
{
	char token[JZ_CARD_TOKEN_MAX], mac[JZ_CARD_MAC_MAX];
	jz_err ignored;
	const unsigned char *secret = ctx->keys ? jz_keys_card_secret(ctx->keys) : NULL;
	if (!secret || !jz_svc_card_token(ctx, c, token, &ignored))
		return JZ_DB_OK;
	jz_card_token_mac(token, secret, mac);
	return jz_store_card_set_mac(ctx->db, c->id, mac);
}

/* Inside a transaction: the active card of the worker, or a new one issued by company_id
 * (consent required). */
static bool
issue_tx(const jz_ctx *ctx, int64_t worker_id, int64_t company_id, jz_card *out, bool *created,
         jz_err *err)
{
	jz_worker w = {0};
	*created = false;
	memset(out, 0, sizeof *out);
	jz_db_status s = jz_store_worker_get(ctx->db, worker_id, &w);
	bool consented = s == JZ_DB_OK && *w.consent_method;
	jz_worker_clear(&w);
	if (s != JZ_DB_OK)
		return s == JZ_DB_NOT_FOUND ? jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL)
		                            : jz_svc_db_failed(s, err);
	if (!consented)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "服务员本人授权后才能制卡",
		                  "the worker has not consented to the record yet");
	for (int attempt = 0; attempt < 8; attempt++) {
		s = jz_store_card_active(ctx->db, worker_id, out);
		if (s == JZ_DB_OK)
			return true;
		if (s != JZ_DB_NOT_FOUND)
			return jz_svc_db_failed(s, err);
		char serial[JZ_CARD_SERIAL_MAX];
		jz_card_serial(randombytes_uniform(1000000000u), serial);
		jz_card c = {.serial = serial,
		             .worker_id = worker_id,
		             .company_id = company_id,
		             .issued_at = ctx->now};
		s = jz_store_card_insert(ctx->db, &c);
		if (s == JZ_DB_CONFLICT)
			continue; /* serial taken, or a card issued meanwhile: look again */
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
		s = jz_store_card_get(ctx->db, c.id, out);
		if (s == JZ_DB_OK)
			s = store_mac(ctx, out);
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
		*created = true;
		return audit_card(ctx, "card.issue", worker_id,
		                  json_pack("{s:I, s:s, s:I}", "card", (json_int_t)c.id, "serial",
		                            serial, "company", (json_int_t)company_id),
		                  err);
	}
	return jz_err_set(err, JZ_E_INTERNAL, NULL, NULL, "no free card serial found");
}

typedef struct card_job {
	int64_t worker_id;
	const char *reason;
	jz_card *out;
	bool created;
	const char *id_number;
} card_job;

static bool
issue_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	card_job *j = arg;
	jz_card_clear(j->out);
	return jz_svc_require_active_company(ctx, err) && require_employer(ctx, j->worker_id, err) &&
	       issue_tx(ctx, j->worker_id, ctx->user->company_id, j->out, &j->created, err);
}

bool
jz_svc_card_issue(const jz_ctx *ctx, int64_t worker_id, jz_card *out, bool *created, jz_err *err)
{
	card_job j = {.worker_id = worker_id, .out = out};
	memset(out, 0, sizeof *out);
	bool ok = jz_svc_transaction(ctx, issue_work, &j, err);
	if (!ok)
		jz_card_clear(out);
	*created = ok && j.created;
	return ok;
}

bool
jz_svc_card_current(const jz_ctx *ctx, int64_t worker_id, jz_card *out, jz_err *err)
{
	memset(out, 0, sizeof *out);
	if (!require_employer(ctx, worker_id, err))
		return false;
	jz_db_status s = jz_store_card_active(ctx->db, worker_id, out);
	if (s == JZ_DB_NOT_FOUND)
		return true;
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return true;
}

/* Revokes the active card that the caller's company issued. */
static bool
revoke_tx(const jz_ctx *ctx, int64_t worker_id, const char *reason, jz_err *err)
{
	jz_card c;
	if (!jz_card_reason_valid(reason))
		return jz_err_set(err, JZ_E_INVALID_FIELD, "reason",
		                  "作废原因应为 left（离职）、lost（遗失）或 other（其他）",
		                  "must be left, lost or other");
	jz_db_status s = jz_store_card_active(ctx->db, worker_id, &c);
	if (s == JZ_DB_OK && c.company_id != ctx->user->company_id)
		s = JZ_DB_NOT_FOUND;
	if (s == JZ_DB_OK)
		s = jz_store_card_revoke(ctx->db, c.id, reason, ctx->now);
	json_t *detail = s == JZ_DB_OK ? json_pack("{s:I, s:s, s:s}", "card", (json_int_t)c.id,
	                                           "serial", c.serial, "reason", reason)
	                               : NULL;
	jz_card_clear(&c);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_NOT_FOUND, NULL, "没有本企业发放的有效卡片",
		                  "no active card issued by your company");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return audit_card(ctx, "card.revoke", worker_id, detail, err);
}

static bool
revoke_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	card_job *j = arg;
	return require_employer(ctx, j->worker_id, err) &&
	       revoke_tx(ctx, j->worker_id, j->reason, err);
}

bool
jz_svc_card_revoke(const jz_ctx *ctx, int64_t worker_id, const char *reason, jz_err *err)
{
	card_job j = {.worker_id = worker_id, .reason = reason};
	return jz_svc_transaction(ctx, revoke_work, &j, err);
}

static bool
reissue_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	card_job *j = arg;
	jz_card_clear(j->out);
	return jz_svc_require_active_company(ctx, err) && require_employer(ctx, j->worker_id, err) &&
	       revoke_tx(ctx, j->worker_id, j->reason, err) &&
	       issue_tx(ctx, j->worker_id, ctx->user->company_id, j->out, &j->created, err);
}

bool
jz_svc_card_reissue(const jz_ctx *ctx, int64_t worker_id, const char *reason, jz_card *out,
                    jz_err *err)
{
	card_job j = {
	    .worker_id = worker_id, .reason = reason && *reason ? reason : "lost", .out = out};
	memset(out, 0, sizeof *out);
	bool ok = jz_svc_transaction(ctx, reissue_work, &j, err);
	if (!ok)
		jz_card_clear(out);
	return ok;
}

/* The first current employer of the worker, 0 when none. */
static bool
first_employer(const jz_employment *e, void *arg)
{
	if (e->ended)
		return true;
	*(int64_t *)arg = e->company_id;
	return false;
}

static bool
operator_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	card_job *j = arg;
	jz_card_clear(j->out);
	jz_card c;
	jz_db_status s = jz_store_card_active(ctx->db, j->worker_id, &c);
	if (s == JZ_DB_OK) {
		*j->out = c;
		return true;
	}
	if (s != JZ_DB_NOT_FOUND)
		return jz_svc_db_failed(s, err);
	int64_t company = 0;
	s = jz_store_employment_list(ctx->db, j->worker_id, first_employer, &company);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!company)
		return jz_err_set(err, JZ_E_WRONG_STATE, NULL, "该服务员目前没有在职企业，无法制卡",
		                  "the worker has no current employer to issue the card");
	return issue_tx(ctx, j->worker_id, company, j->out, &j->created, err);
}

bool
jz_svc_card_for_id_number(const jz_ctx *ctx, const char *id_number, jz_card *out, bool *created,
                          jz_err *err)
{
	jz_id id;
	memset(out, 0, sizeof *out);
	*created = false;
	if (!id_number || !*id_number)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "id_number", "空行", "empty line");
	jz_id_fault f = jz_idcard_parse(id_number, jz_today(), &id);
	if (f != JZ_ID_OK)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "id_number", jz_idcard_reason_zh(f),
		                  jz_idcard_reason(f));
	unsigned char hash[JZ_LOOKUP_HASH_LEN];
	int64_t worker_id = 0;
	jz_lookup_hash(ctx->keys, id.number, "worker.id_number", hash);
	sodium_memzero(&id, sizeof id);
	jz_db_status s = jz_store_worker_id(ctx->db, hash, &worker_id);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	if (!worker_id)
		return jz_err_set(err, JZ_E_NOT_FOUND, "id_number",
		                  "平台上没有该身份证号的家政服务员",
		                  "no worker with this ID number");
	card_job j = {.worker_id = worker_id, .out = out};
	bool ok = jz_svc_transaction(ctx, operator_work, &j, err);
	if (!ok)
		jz_card_clear(out);
	*created = ok && j.created;
	return ok;
}

bool
jz_svc_card_employment_ended_tx(const jz_ctx *ctx, int64_t worker_id, int64_t company_id,
                                jz_err *err)
{
	jz_card c;
	jz_db_status s = jz_store_card_active(ctx->db, worker_id, &c);
	if (s == JZ_DB_NOT_FOUND)
		return true;
	if (s == JZ_DB_OK && c.company_id != company_id) {
		jz_card_clear(&c);
		return true;
	}
	if (s == JZ_DB_OK)
		s = jz_store_card_revoke(ctx->db, c.id, "left", ctx->now);
	json_t *detail = s == JZ_DB_OK ? json_pack("{s:I, s:s, s:s}", "card", (json_int_t)c.id,
	                                           "serial", c.serial, "reason", "left")
	                               : NULL;
	jz_card_clear(&c);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return audit_card(ctx, "card.revoke", worker_id, detail, err);
}

typedef struct mac_fill {
	const jz_ctx *ctx;
	jz_db_status status;
	int64_t from;  /* the batch starts above this card */
	int64_t after; /* the last card seen */
	int64_t seen;  /* cards in this batch */
} mac_fill;

static bool
fill_one_mac(const jz_card *c, void *arg)
{
	mac_fill *m = arg;
	m->status = store_mac(m->ctx, c);
	m->after = c->id;
	m->seen++;
	return m->status == JZ_DB_OK;
}

static bool
fill_macs_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	mac_fill *m = arg;
	m->status = JZ_DB_OK;
	m->seen = 0;
	m->after = m->from; /* also when the transaction is retried */
	jz_db_status s = jz_store_cards_without_mac(ctx->db, m->from, 1000, fill_one_mac, m);
	if (s == JZ_DB_OK)
		s = m->status;
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

bool
jz_svc_card_fill_macs(const jz_ctx *ctx, int64_t *filled, jz_err *err)
{
	*filled = 0;
	if (!ctx->keys || !jz_keys_card_secret(ctx->keys))
		return true;
	mac_fill m = {.ctx = ctx};
	do {
		if (!jz_svc_transaction(ctx, fill_macs_work, &m, err))
			return false;
		m.from = m.after;
		*filled += m.seen;
	} while (m.seen > 0);
	return true;
}

/* ---- the public check ---- */

void
jz_card_public_free(jz_card_public *p)
{
	if (!p)
		return;
	jz_card_clear(&p->card);
	free(p->service_types);
	free(p->bg_status);
	free(p->company);
	free(p->employers);
	jz_worker_facts_clear(&p->facts);
	memset(p, 0, sizeof *p);
}

/* Whether the token is the very one this server issued for the card: its check value
 * (core/card.h) equals the one stored at issue, compared in constant time. Such a token
 * is byte for byte one the server signed, so its Ed25519 signature is known to verify. */
static bool
issued_here(const jz_ctx *ctx, const char *token, const char *stored)
{
	char mac[JZ_CARD_MAC_MAX];
	if (!stored || strlen(stored) != JZ_CARD_MAC_MAX - 1)
		return false;
	jz_card_token_mac(token, jz_keys_card_secret(ctx->keys), mac);
	return sodium_memcmp(mac, stored, JZ_CARD_MAC_MAX - 1) == 0;
}

/* The token check, with the card's row read into *v on the way (*s: NOT_FOUND when the
 * token names no card). A token the server issued is recognised by its stored check value;
 * any other (forged, altered, another key or database, a card from before check values)
 * has its Ed25519 signature verified, so it gets the verdict and fault it always had. */
static jz_card_fault
check_token(const jz_ctx *ctx, const char *token, jz_card_claim *claim, jz_card_view *v,
            jz_db_status *s)
{
	unsigned char pk[32];
	*s = JZ_DB_NOT_FOUND;
	jz_card_fault f = jz_card_token_parse(token, claim);
	if (f != JZ_CARD_OK)
		return f;
	*s = jz_store_card_view(ctx->db, claim->card_id, v);
	if (*s == JZ_DB_OK && issued_here(ctx, token, v->token_mac))
		return claim->expires_at && ctx->now >= claim->expires_at ? JZ_CARD_EXPIRED
		                                                          : JZ_CARD_OK;
	if (*s != JZ_DB_OK && *s != JZ_DB_NOT_FOUND)
		return f; /* a database error: the caller reports it */
	jz_keys_card_public(ctx->keys, pk);
	return jz_card_token_verify(token, pk, ctx->now, claim);
}

/* The public view of a genuine, active card from its row; takes over the view's strings. */
static void
fill_public(const jz_ctx *ctx, jz_card_view *v, jz_card_public *out)
{
	jz_worker *w = &v->worker;
	char today[11];
	jz_date_of(ctx->now, today);
	jz_mask_name(w->name, out->masked_name, sizeof out->masked_name);
	out->age_lo = jz_card_age_band(jz_age_on(w->birth_date, today));
	const jz_region *r = jz_region_find(w->native_region);
	const jz_region *prov = r ? jz_region_find(r->province) : NULL;
	out->province = prov ? prov->name : "";
	out->id_verified = *w->id_check_method != '\0';
	out->id_check_at = w->id_check_at;
	out->bg_at = w->bg_at;
	out->active = jz_svc_checkin_recent(v->last_checkin, ctx->now);
	snprintf(out->last_checkin, sizeof out->last_checkin, "%s", v->last_checkin);
	out->facts = v->facts;
	memset(&v->facts, 0, sizeof v->facts);
	jz_svc_worker_readiness(w, &out->facts, today, &out->readiness);
	jz_stars stars;
	jz_svc_worker_stars_from(w, &out->facts, v->reviews, v->review_sum, v->first_employment,
	                         today, v->negative, &stars);
	out->stars = stars.stars;
	out->reviews = v->reviews;
	out->service_types = w->service_types;
	/* A company's flag shows only once a regulator confirms it. */
	bool unconfirmed = !strcmp(w->bg_status, "flagged") && !w->bg_confirmed_at;
	out->bg_status = unconfirmed ? jz_xstrdup("pending") : w->bg_status;
	out->company = v->company_name;
	out->employers = v->employers;
	if (!unconfirmed)
		w->bg_status = NULL;
	w->service_types = v->company_name = v->employers = NULL;
}

typedef struct negatives_job {
	jz_card_view *v;
	jz_card_public *out;
} negatives_job;

static bool
count_negative(const jz_credit_record *r, void *arg)
{
	negatives_job *job = arg;
	int sev = jz_severity_parse(r->severity);
	if (sev >= 0)
		job->v->negative[sev]++;
	int i = job->out->negative_records++;
	if (i < JZ_CARD_NEGATIVES) {
		jz_card_negative *n = &job->out->negatives[i];
		snprintf(n->category, sizeof n->category, "%s", r->category);
		snprintf(n->severity, sizeof n->severity, "%s", r->severity);
		n->published = r->decided_at;
		n->until = r->expires_at;
		n->disputed = r->disputed;
	}
	return true;
}

/* The worker's counting negative records: listed on the card and counted for the stars,
 * from one look-up. */
static jz_db_status
public_negatives(const jz_ctx *ctx, jz_card_view *v, jz_card_public *out)
{
	jz_credit_filter f = {.worker_id = v->worker.id, .counting = true, .negative = true, .now = ctx->now, .limit = 100};
	negatives_job job = {v, out};
	/* Most workers have none: the card view counted them already. */
	return v->negative_records ? jz_store_credit_list(ctx->db, &f, count_negative, &job) : JZ_DB_OK;
}

/* No read transaction around it: a scan is one statement (the card with its face), and
 * the list of negative records, for the few who have any, is a look-up of its own. */
bool
jz_svc_card_check(const jz_ctx *ctx, const char *token, jz_card_public *out, jz_err *err)
{
	jz_card_claim claim;
	jz_card_view v = {0};
	jz_db_status s;
	memset(out, 0, sizeof *out);
	out->verdict = JZ_CARDV_NOT_GENUINE;
	out->province = "";
	if (!ctx->keys || !jz_keys_card_secret(ctx->keys))
		return jz_err_set(err, JZ_E_INTERNAL, NULL, NULL,
		                  "the key file has no card-sign-key");
	out->fault = check_token(ctx, token, &claim, &v, &s);
	if (s != JZ_DB_OK && s != JZ_DB_NOT_FOUND)
		goto failed;
	/* Signed by us but no such card, or not for this row: another database. */
	if ((out->fault != JZ_CARD_OK && out->fault != JZ_CARD_EXPIRED) || s == JZ_DB_NOT_FOUND ||
	    v.card.worker_id != (int64_t)claim.worker_id) {
		jz_card_view_clear(&v);
		return true;
	}
	out->card = v.card;
	memset(&v.card, 0, sizeof v.card);
	if (!strcmp(out->card.status, "revoked"))
		out->verdict = JZ_CARDV_REVOKED;
	else if (out->fault == JZ_CARD_EXPIRED)
		out->verdict = JZ_CARDV_EXPIRED;
	if (out->verdict != JZ_CARDV_NOT_GENUINE) {
		jz_card_view_clear(&v);
		return true;
	}
	s = public_negatives(ctx, &v, out);
	if (s != JZ_DB_OK)
		goto failed;
	fill_public(ctx, &v, out);
	jz_card_view_clear(&v);
	out->verdict = JZ_CARDV_GENUINE;
	return true;
failed:
	jz_card_view_clear(&v);
	jz_svc_db_failed(s, err);
	jz_card_public_free(out);
	return false;
}
