/* Worker cards: issuing, revoking and reissuing by the employing company, the operator's
 * card URLs, and the public check of a scanned card (see cards.h). */
#include "services/cards.h"

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

static bool
employer_name(const jz_employment *e, void *arg)
{
	jz_buf *b = arg;
	if (e->ended)
		return true;
	if (b->len)
		jz_buf_puts(b, "、");
	jz_buf_puts(b, e->company_name);
	return true;
}

/* Tokens whose signature this thread has already checked. A scan of the same card again
 * skips the Ed25519 check, the costliest part of a scan; expiry is still checked against
 * the clock and revocation against the database every time. */
enum { VERIFIED_SLOTS = 512 };

typedef struct verified {
	char token[JZ_CARD_TOKEN_MAX];
	jz_card_claim claim;
} verified;

static _Thread_local verified verified_tokens[VERIFIED_SLOTS];

static jz_card_fault
verify_token(const char *token, const unsigned char pk[32], int64_t now, jz_card_claim *claim)
{
	size_t n = strnlen(token, JZ_CARD_TOKEN_MAX);
	if (n >= JZ_CARD_TOKEN_MAX)
		return jz_card_token_verify(token, pk, now, claim);
	uint64_t h = 1469598103934665603ull; /* FNV-1a: a slot for the token */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)token[i]) * 1099511628211ull;
	verified *v = &verified_tokens[h % VERIFIED_SLOTS];
	if (v->token[0] && !strcmp(v->token, token)) {
		*claim = v->claim;
		return claim->expires_at && now >= claim->expires_at ? JZ_CARD_EXPIRED : JZ_CARD_OK;
	}
	jz_card_fault f = jz_card_token_verify(token, pk, now, claim);
	if (f == JZ_CARD_OK || f == JZ_CARD_EXPIRED) {
		memcpy(v->token, token, n + 1);
		v->claim = *claim;
	}
	return f;
}

static bool
card_check(const jz_ctx *ctx, const char *token, jz_card_public *out, jz_err *err)
{
	unsigned char pk[32];
	jz_card_claim claim;
	memset(out, 0, sizeof *out);
	out->verdict = JZ_CARDV_NOT_GENUINE;
	out->province = "";
	if (!ctx->keys || !jz_keys_card_secret(ctx->keys))
		return jz_err_set(err, JZ_E_INTERNAL, NULL, NULL,
		                  "the key file has no card-sign-key");
	jz_keys_card_public(ctx->keys, pk);
	out->fault = verify_token(token, pk, ctx->now, &claim);
	if (out->fault != JZ_CARD_OK && out->fault != JZ_CARD_EXPIRED)
		return true;
	jz_db_status s = jz_store_card_get(ctx->db, claim.card_id, &out->card);
	if (s == JZ_DB_OK && out->card.worker_id != (int64_t)claim.worker_id)
		s = JZ_DB_NOT_FOUND; /* signed by us, but not for this row: another database */
	if (s == JZ_DB_NOT_FOUND) {
		jz_card_clear(&out->card);
		return true;
	}
	if (s != JZ_DB_OK)
		goto failed;
	if (!strcmp(out->card.status, "revoked")) {
		out->verdict = JZ_CARDV_REVOKED;
		return true;
	}
	if (out->fault == JZ_CARD_EXPIRED) {
		out->verdict = JZ_CARDV_EXPIRED;
		return true;
	}
	jz_worker w = {0};
	s = jz_store_worker_get(ctx->db, out->card.worker_id, &w);
	if (s != JZ_DB_OK)
		goto failed;
	jz_mask_name(w.name, out->masked_name, sizeof out->masked_name);
	char today[11];
	jz_date_of(ctx->now, today);
	out->age_lo = jz_card_age_band(jz_age_on(w.birth_date, today));
	const jz_region *r = jz_region_find(w.native_region);
	const jz_region *prov = r ? jz_region_find(r->province) : NULL;
	out->province = prov ? prov->name : "";
	out->service_types = jz_xstrdup(w.service_types);
	out->id_verified = *w.id_check_method != '\0';
	out->id_check_at = w.id_check_at;
	/* A company's flag shows only once a regulator confirms it. */
	bool unconfirmed = !strcmp(w.bg_status, "flagged") && !w.bg_confirmed_at;
	out->bg_status = jz_xstrdup(unconfirmed ? "pending" : w.bg_status);
	out->bg_at = w.bg_at;
	if (!jz_svc_worker_active(ctx, out->card.worker_id, &out->active, out->last_checkin, err)) {
		jz_worker_clear(&w);
		goto out_err;
	}
	jz_company c = {0};
	s = jz_store_company_get(ctx->db, out->card.company_id, &c);
	if (s == JZ_DB_OK)
		out->company = jz_xstrdup(c.name);
	jz_company_clear(&c);
	if (s != JZ_DB_OK) {
		jz_worker_clear(&w);
		goto failed;
	}
	jz_buf names = JZ_BUF_INIT;
	s = jz_store_employment_list(ctx->db, out->card.worker_id, employer_name, &names);
	out->employers = names.len ? jz_buf_steal(&names) : jz_xstrdup("");
	jz_buf_free(&names);
	if (s == JZ_DB_OK)
		s = jz_store_worker_facts(ctx->db, out->card.worker_id, &out->facts);
	if (s != JZ_DB_OK) {
		jz_worker_clear(&w);
		goto failed;
	}
	jz_svc_worker_readiness(&w, &out->facts, today, &out->readiness);
	jz_stars stars;
	bool rated = jz_svc_worker_stars_of(ctx, &w, &out->facts, &stars, &out->reviews, err);
	jz_worker_clear(&w);
	if (!rated)
		goto out_err;
	out->stars = stars.stars;
	out->verdict = JZ_CARDV_GENUINE;
	return true;
failed:
	jz_svc_db_failed(s, err);
out_err:
	jz_card_public_free(out);
	return false;
}

bool
jz_svc_card_check(const jz_ctx *ctx, const char *token, jz_card_public *out, jz_err *err)
{
	/* The card's ten look-ups as one read: on SQLite the file's locks are taken and the
	 * WAL checked once, not once per statement. */
	bool tx = jz_db_read_begin(ctx->db) == JZ_DB_OK;
	bool ok = card_check(ctx, token, out, err);
	if (tx)
		jz_db_read_end(ctx->db);
	return ok;
}
