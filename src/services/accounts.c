/* Sign-in, sessions and account creation. */
#include "services/accounts.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "core/text.h"
#include "core/uscc.h"
#include "services/audit.h"
#include "util/crypto.h"
#include "util/xmalloc.h"

/* Compared against when the account does not exist, so that a wrong username costs the
 * same time as a wrong password and does not reveal which accounts exist. */
static char dummy[128];

static void
make_dummy(void)
{
	jz_crypto_password_hash("not a password of anyone", dummy);
}

static const char *
dummy_hash(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, make_dummy);
	return dummy;
}

bool
jz_svc_password_check(const char *hash, const char *password)
{
	bool good = jz_crypto_password_verify(hash ? hash : dummy_hash(), password);
	return hash && good;
}

static jz_db_status
throttled(jz_db *db, const char *key, int64_t now, int64_t limit, bool *over)
{
	int64_t failures = 0;
	jz_db_status s = jz_store_throttle_failures(db, key, now, JZ_THROTTLE_WINDOW, &failures);
	*over = failures >= limit;
	return s;
}

typedef struct login_job {
	const char *account_key, *address_key;
	bool success;
	const jz_user *user;
	const char *username;
	char token_hash[65];
} login_job;

/* Records the outcome: counters, session, audit entry — one transaction. */
static bool
login_record(const jz_ctx *ctx, void *arg, jz_err *err)
{
	login_job *job = arg;
	jz_db_status s;
	if (job->success) {
		s = jz_store_throttle_clear(ctx->db, job->account_key);
		if (s == JZ_DB_OK)
			s = jz_store_session_insert(ctx->db, job->token_hash, job->user->id, ctx->now,
			                            ctx->now + JZ_SESSION_TTL);
	} else {
		s = jz_store_throttle_fail(ctx->db, job->account_key, ctx->now, JZ_THROTTLE_WINDOW);
		if (s == JZ_DB_OK)
			s = jz_store_throttle_fail(ctx->db, job->address_key, ctx->now, JZ_THROTTLE_WINDOW);
	}
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	jz_ctx as_user = *ctx;
	as_user.user = job->success ? job->user : NULL;
	as_user.actor = "public";
	json_t *d = json_pack("{s:s}", "username", job->username);
	char *detail = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	bool ok = jz_svc_audit(&as_user, job->success ? "session.login" : "session.login_failed",
	                       "session", detail, err);
	free(detail);
	return ok;
}

bool
jz_svc_login(const jz_ctx *ctx, const char *username, const char *password, const char *address,
             char token[JZ_TOKEN_SIZE], jz_user *out, jz_err *err)
{
	if (!username || !*username)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "username", "请填写用户名", "required");
	if (!password || !*password)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "password", "请填写密码", "required");
	if (jz_text_check(username, 1, 64, false) != JZ_TEXT_OK || strlen(password) > 256)
		return jz_err_set(err, JZ_E_BAD_CREDENTIALS, NULL, NULL, NULL);

	char *account_key = jz_xasprintf("account:%s", username);
	char *address_key = jz_xasprintf("address:%s", address ? address : "?");
	bool over_account, over_address, ok = false;
	jz_db_status s = throttled(ctx->db, account_key, ctx->now, JZ_THROTTLE_PER_ACCOUNT, &over_account);
	if (s == JZ_DB_OK)
		s = throttled(ctx->db, address_key, ctx->now, JZ_THROTTLE_PER_ADDRESS, &over_address);
	if (s != JZ_DB_OK) {
		jz_svc_db_failed(s, err);
		goto out;
	}
	if (over_account || over_address) {
		jz_err_set(err, JZ_E_RATE_LIMITED, NULL, NULL, NULL);
		goto out;
	}

	jz_user user = {0};
	s = jz_store_user_get_by_username(ctx->db, username, &user);
	if (s != JZ_DB_OK && s != JZ_DB_NOT_FOUND) {
		jz_svc_db_failed(s, err);
		goto out;
	}
	bool found = s == JZ_DB_OK;
	bool good = jz_svc_password_check(found ? user.password_hash : NULL, password);
	login_job job = {account_key, address_key, found && good && !user.disabled, &user, username, ""};
	if (job.success) {
		jz_crypto_token(token, JZ_TOKEN_SIZE, 32);
		jz_crypto_token_hash(token, job.token_hash);
	}
	if (!jz_svc_transaction(ctx, login_record, &job, err)) {
		jz_user_clear(&user);
		goto out;
	}
	if (!job.success) {
		jz_user_clear(&user);
		jz_err_set(err, JZ_E_BAD_CREDENTIALS, NULL, NULL, NULL);
		goto out;
	}
	*out = user;
	ok = true;
out:
	free(account_key);
	free(address_key);
	return ok;
}

bool
jz_svc_session_user(jz_db *db, const char *token, int64_t now, jz_user *out)
{
	if (!token || strlen(token) < 20 || strlen(token) >= JZ_TOKEN_SIZE)
		return false;
	char hash[65];
	jz_crypto_token_hash(token, hash);
	return jz_store_session_user(db, hash, now, out) == JZ_DB_OK;
}

static bool
logout_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	jz_db_status s = jz_store_session_delete(ctx->db, arg);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	return jz_svc_audit(ctx, "session.logout", "session", NULL, err);
}

bool
jz_svc_logout(const jz_ctx *ctx, const char *token, jz_err *err)
{
	char hash[65];
	jz_crypto_token_hash(token, hash);
	return jz_svc_transaction(ctx, logout_work, hash, err);
}

const char *
jz_role_name(const char *role, int english)
{
	static const struct {
		const char *role, *zh, *en;
	} names[] = {
	    {"admin", "平台管理员", "Platform admin"},
	    {"regulator", "商务主管部门", "Regulator"},
	    {"association", "家政协会", "Association"},
	    {"company_admin", "企业管理员", "Company admin"},
	    {"company_staff", "企业员工", "Company staff"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(role, names[i].role))
			return english ? names[i].en : names[i].zh;
	return role;
}

typedef struct add_job {
	jz_user *user;
} add_job;

static bool
add_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	add_job *job = arg;
	jz_db_status s = jz_store_user_insert(ctx->db, job->user);
	if (s == JZ_DB_CONFLICT)
		return jz_err_set(err, JZ_E_DUPLICATE_USERNAME, "username", NULL, NULL);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, err);
	json_t *d = json_pack("{s:s, s:s}", "username", job->user->username, "role", job->user->role);
	if (job->user->region)
		json_object_set_new(d, "region", json_string(job->user->region));
	char *detail = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	char target[48];
	snprintf(target, sizeof target, "user:%lld", (long long)job->user->id);
	bool ok = jz_svc_audit(ctx, "user.add", target, detail, err);
	free(detail);
	return ok;
}

/* The scope checks of a new account: a region for regulators and associations, an
 * active company for company roles. */
static bool
check_scope(const jz_ctx *ctx, const jz_new_user *nu, jz_user *u, jz_err *err)
{
	bool regional = !strcmp(nu->role, "regulator") || !strcmp(nu->role, "association");
	bool company = !strcmp(nu->role, "company_admin") || !strcmp(nu->role, "company_staff");
	if (!regional && !company && strcmp(nu->role, "admin") != 0)
		return jz_err_set(err, JZ_E_INVALID_FIELD, "role",
		                  "角色应为 admin、regulator、association、company_admin 或 company_staff",
		                  "role must be admin, regulator, association, company_admin or company_staff");
	if (regional) {
		if (!nu->region || !jz_region_find(nu->region))
			return jz_err_set(err, JZ_E_UNKNOWN_REGION, "region", "须指定现行行政区划代码",
			                  "a current region code is required for this role");
		u->region = jz_xstrdup(nu->region);
	}
	if (company) {
		char code[19];
		jz_company c = {0};
		if (!nu->company_uscc || jz_uscc_parse(nu->company_uscc, code) != JZ_USCC_OK)
			return jz_err_set(err, JZ_E_INVALID_USCC, "company", NULL,
			                  "a valid company credit code is required for this role");
		jz_db_status s = jz_store_company_get_by_uscc(ctx->db, code, &c);
		if (s == JZ_DB_OK && strcmp(c.status, "active") != 0)
			s = JZ_DB_NOT_FOUND;
		u->company_id = c.id;
		jz_company_clear(&c);
		if (s == JZ_DB_NOT_FOUND)
			return jz_err_set(err, JZ_E_NOT_FOUND, "company", "没有该统一社会信用代码的在营企业",
			                  "no active company has this credit code");
		if (s != JZ_DB_OK)
			return jz_svc_db_failed(s, err);
	}
	return true;
}

bool
jz_svc_user_add(const jz_ctx *ctx, const jz_new_user *nu, jz_user *out, char new_password[32],
                jz_err *err)
{
	if (!nu->username || jz_text_check(nu->username, 3, 64, false) != JZ_TEXT_OK ||
	    strpbrk(nu->username, " \t:"))
		return jz_err_set(err, JZ_E_INVALID_FIELD, "username", "用户名应为3至64个字符，不含空格和冒号",
		                  "username: 3 to 64 characters, no spaces or colons");
	if (!nu->role)
		return jz_err_set(err, JZ_E_MISSING_FIELD, "role", NULL, "role is required");
	if (nu->password && (strlen(nu->password) < 10 || strlen(nu->password) > 256))
		return jz_err_set(err, JZ_E_INVALID_FIELD, "password", "密码应为10至256个字符",
		                  "password: 10 to 256 characters");
	jz_user u = {0};
	if (!check_scope(ctx, nu, &u, err)) {
		jz_user_clear(&u);
		return false;
	}
	new_password[0] = '\0';
	if (!nu->password)
		jz_crypto_password_new(new_password, 15);
	char hash[128];
	if (!jz_crypto_password_hash(nu->password ? nu->password : new_password, hash)) {
		jz_user_clear(&u);
		return jz_err_set(err, JZ_E_INTERNAL, NULL, NULL, NULL);
	}
	u.username = jz_xstrdup(nu->username);
	u.password_hash = jz_xstrdup(hash);
	u.role = jz_xstrdup(nu->role);
	u.display_name = jz_xstrdup(nu->display_name ? nu->display_name : "");
	u.created_at = ctx->now;
	add_job job = {&u};
	if (!jz_svc_transaction(ctx, add_work, &job, err)) {
		jz_user_clear(&u);
		return false;
	}
	*out = u;
	return true;
}
