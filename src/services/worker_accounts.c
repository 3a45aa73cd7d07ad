/* Workers' own access: confirming the record with the company's one-time code (which also
 * sets up their sign-in), signing in with phone and password, and their sessions. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "services/accounts.h"
#include "services/audit.h"
#include "services/workers.h"
#include "util/crypto.h"
#include "util/seal.h"
#include "util/xmalloc.h"

/* Counts a failure against key; true when key is already over its limit. */
static bool
over_limit(const jz_ctx *ctx, const char *key, int64_t limit, jz_err *err, bool *over)
{
	int64_t failures;
	jz_db_status s = jz_store_throttle_failures(ctx->db, key, ctx->now, JZ_THROTTLE_WINDOW, &failures);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	*over = failures >= limit;
	if (*over)
		jz_err_set(err, JZ_E_RATE_LIMITED, NULL, NULL, NULL);
	return true;
}

static bool
fail_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	const char *const *keys = arg;
	for (int i = 0; keys[i]; i++) {
		jz_db_status s = jz_store_throttle_fail(ctx->db, keys[i], ctx->now, JZ_THROTTLE_WINDOW);
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
	}
	return true;
}

/* Records a failed attempt against the keys and reports `code`. */
static bool
failed(const jz_ctx *ctx, const char *const *keys, jz_err_code code, const char *zh, const char *en, jz_err *err)
{
	jz_err scratch;
	jz_svc_transaction(ctx, fail_work, (void *)keys, &scratch);
	return jz_err_set(err, code, NULL, zh, en);
}

typedef struct confirm_job {
	const char *code_hash, *phone, *password_hash;
	int64_t worker_id;
} confirm_job;

static bool
confirm_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	confirm_job *job = arg;
	jz_worker w = {0};
	jz_db_status s = jz_store_worker_by_consent_code(ctx->db, job->code_hash, ctx->now, &w);
	if (s == JZ_DB_NOT_FOUND)
		return jz_err_set(err, JZ_E_NOT_FOUND, "code", "授权码无效或已过期", "the code is wrong or has expired");
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	unsigned char hash[JZ_LOOKUP_HASH_LEN];
	jz_lookup_hash(ctx->keys, job->phone, "worker.phone", hash);
	bool ok = true;
	if (w.phone_sealed && memcmp(w.phone_hash, hash, sizeof hash) != 0) {
		ok = jz_err_set(err, JZ_E_INVALID_PHONE, "phone", "手机号与企业登记的号码不一致",
		                "not the phone number your company registered");
	} else if (!w.phone_sealed) {
		char *sealed = jz_seal(ctx->keys, job->phone, "worker.phone");
		s = jz_store_worker_set_contact(ctx->db, w.id, hash, sealed, ctx->now);
		free(sealed);
		if (s == JZ_DB_CONFLICT)
			ok = jz_err_set(err, JZ_E_INVALID_PHONE, "phone", "该手机号已登记在另一位家政服务员名下",
			                "this phone number belongs to another worker");
		else if (s != JZ_DB_OK)
			ok = jz_svc_db_failed(s, err);
	}
	if (ok) {
		s = jz_store_worker_set_consent(ctx->db, w.id, "code", ctx->now, job->password_hash);
		ok = s == JZ_DB_OK || jz_svc_db_failed(s, err);
	}
	job->worker_id = w.id;
	jz_worker_clear(&w);
	if (!ok)
		return false;
	jz_ctx self = *ctx;
	self.actor = "worker";
	char target[40];
	snprintf(target, sizeof target, "worker:%" PRId64, job->worker_id);
	return jz_svc_audit(&self, "worker.consent", target, "{\"method\":\"code\"}", err);
}

bool
jz_svc_worker_confirm(const jz_ctx *ctx, const char *code, const char *phone, const char *password,
                      const char *address, int64_t *worker_id, jz_err *err)
{
	char phone_n[24], code_hash[65], hash[128];
	char *address_key = jz_xasprintf("consent:%s", address ? address : "?");
	const char *keys[] = {address_key, NULL};
	bool over, ok = false;
	if (!over_limit(ctx, address_key, JZ_THROTTLE_PER_ADDRESS, err, &over) || over)
		goto out;
	if (!code || strlen(code) != 8 || strspn(code, "0123456789") != 8) {
		failed(ctx, keys, JZ_E_NOT_FOUND, "授权码为8位数字", "the code has 8 digits", err);
		snprintf(err->field, sizeof err->field, "code");
		goto out;
	}
	if (!phone || !jz_phone_normalise(phone, phone_n, sizeof phone_n)) {
		jz_err_set(err, JZ_E_INVALID_PHONE, "phone", NULL, NULL);
		goto out;
	}
	if (!password || strlen(password) < 6 || strlen(password) > 256) {
		jz_err_set(err, JZ_E_INVALID_FIELD, "password", "密码至少6位", "at least 6 characters");
		goto out;
	}
	jz_crypto_token_hash(code, code_hash);
	if (!jz_crypto_password_hash(password, hash)) {
		jz_err_set(err, JZ_E_INTERNAL, NULL, NULL, NULL);
		goto out;
	}
	confirm_job job = {code_hash, phone_n, hash, 0};
	ok = jz_svc_transaction(ctx, confirm_work, &job, err);
	if (!ok && err->code == JZ_E_NOT_FOUND)
		failed(ctx, keys, JZ_E_NOT_FOUND, "授权码无效或已过期", "the code is wrong or has expired", err);
	*worker_id = job.worker_id;
out:
	free(address_key);
	return ok;
}

typedef struct login_job {
	const char *token_hash;
	int64_t worker_id;
	const char *phone_key;
} login_job;

static bool
login_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	login_job *job = arg;
	jz_db_status s = jz_store_throttle_clear(ctx->db, job->phone_key);
	if (s == JZ_DB_OK)
		s = jz_store_worker_session_insert(ctx->db, job->token_hash, job->worker_id, ctx->now,
		                                   ctx->now + JZ_SESSION_TTL);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	jz_ctx self = *ctx;
	self.actor = "worker";
	char target[40];
	snprintf(target, sizeof target, "worker:%" PRId64, job->worker_id);
	return jz_svc_audit(&self, "worker.login", target, NULL, err);
}

bool
jz_svc_worker_login(const jz_ctx *ctx, const char *phone, const char *password, const char *address,
                    char token[48], int64_t *worker_id, jz_err *err)
{
	char phone_n[24], phone_hex[2 * JZ_LOOKUP_HASH_LEN + 1], token_hash[65];
	unsigned char phone_hash[JZ_LOOKUP_HASH_LEN];
	if (!phone || !*phone)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "phone", "请填写手机号", "required");
	if (!password || !*password || strlen(password) > 256)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "password", "请填写密码", "required");
	if (!jz_phone_normalise(phone, phone_n, sizeof phone_n))
		return jz_err_set(err, JZ_E_BAD_CREDENTIALS, NULL, "手机号或密码错误", "wrong phone number or password");
	jz_lookup_hash(ctx->keys, phone_n, "worker.phone", phone_hash);
	sodium_bin2hex(phone_hex, sizeof phone_hex, phone_hash, sizeof phone_hash);
	char *phone_key = jz_xasprintf("worker:%s", phone_hex);
	char *address_key = jz_xasprintf("address:%s", address ? address : "?");
	const char *keys[] = {phone_key, address_key, NULL};
	bool over1, over2, ok = false;
	if (!over_limit(ctx, phone_key, JZ_THROTTLE_PER_ACCOUNT, err, &over1) || over1 ||
	    !over_limit(ctx, address_key, JZ_THROTTLE_PER_ADDRESS, err, &over2) || over2)
		goto out;
	jz_worker w = {0};
	char *stored = NULL;
	jz_db_status s = jz_store_worker_by_phone_hash(ctx->db, phone_hash, &w);
	if (s == JZ_DB_OK)
		s = jz_store_worker_password(ctx->db, w.id, &stored);
	bool good = jz_svc_password_check(stored, password);
	free(stored);
	if (s != JZ_DB_OK && s != JZ_DB_NOT_FOUND) {
		jz_worker_clear(&w);
		jz_svc_db_failed(s, err);
		goto out;
	}
	if (s != JZ_DB_OK || !good) {
		jz_worker_clear(&w);
		failed(ctx, keys, JZ_E_BAD_CREDENTIALS, "手机号或密码错误", "wrong phone number or password", err);
		goto out;
	}
	jz_crypto_token(token, 48, 32);
	jz_crypto_token_hash(token, token_hash);
	login_job job = {token_hash, w.id, phone_key};
	jz_worker_clear(&w);
	ok = jz_svc_transaction(ctx, login_work, &job, err);
	*worker_id = job.worker_id;
out:
	free(phone_key);
	free(address_key);
	return ok;
}

bool
jz_svc_worker_session(jz_db *db, const char *token, int64_t now, int64_t *worker_id)
{
	char hash[65];
	if (!token || strlen(token) < 20 || strlen(token) >= 48)
		return false;
	jz_crypto_token_hash(token, hash);
	return jz_store_worker_session(db, hash, now, worker_id) == JZ_DB_OK;
}

static bool
logout_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	jz_db_status s = jz_store_worker_session_delete(ctx->db, arg);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

bool
jz_svc_worker_logout(const jz_ctx *ctx, const char *token, jz_err *err)
{
	char hash[65];
	jz_crypto_token_hash(token, hash);
	return jz_svc_transaction(ctx, logout_work, hash, err);
}
