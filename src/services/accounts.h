/* Accounts, sign-in and sessions. Passwords are Argon2id hashes; a session is a random
 * token that only its holder knows (the database keeps its hash). Sign-in failures are
 * counted per account and per address, and past a limit sign-in is refused for a while. */
#ifndef JZ_SERVICES_ACCOUNTS_H
#define JZ_SERVICES_ACCOUNTS_H

#include "services/service.h"

enum {
	JZ_SESSION_TTL = 12 * 3600,
	JZ_THROTTLE_WINDOW = 15 * 60,
	JZ_THROTTLE_PER_ACCOUNT = 5,
	JZ_THROTTLE_PER_ADDRESS = 20,
	JZ_TOKEN_SIZE = 48,
};

/* Checks the password and opens a session: token (to send as a cookie) and the user.
 * `address` is the client's IP address, for throttling. */
bool jz_svc_login(const jz_ctx *ctx, const char *username, const char *password,
                  const char *address, char token[JZ_TOKEN_SIZE], jz_user *out, jz_err *err);
/* The user of a session token; false when unknown or expired. */
bool jz_svc_session_user(jz_db *db, const char *token, int64_t now, jz_user *out);
bool jz_svc_logout(const jz_ctx *ctx, const char *token, jz_err *err);

/* A new account as an operator asks for it: role one of admin, regulator, association,
 * company_admin, company_staff; region for regulator and association; company (USCC) for
 * company roles. When password is NULL one is generated and written to new_password. */
typedef struct jz_new_user {
	const char *username, *role, *region, *company_uscc, *display_name, *password;
} jz_new_user;

bool jz_svc_user_add(const jz_ctx *ctx, const jz_new_user *nu, jz_user *out, char new_password[32],
                     jz_err *err);

/* Checks a password against an Argon2id hash; with hash NULL (no such account) it does
 * the same work against a dummy, so the time taken reveals nothing. */
bool jz_svc_password_check(const char *hash, const char *password);

/* The Chinese and English names of a role. */
const char *jz_role_name(const char *role, int english);

#endif
