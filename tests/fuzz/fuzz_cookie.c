/* Fuzz target: the tokens a request presents (src/http/params.c): the session token
 * from the jz_session or jz_worker cookie or, on API routes, "Authorization: Bearer", and
 * the form token from the jz_csrf cookie. libmicrohttpd splits the Cookie header; these
 * functions get each cookie's value as it hands them over.
 *
 * Input: a flag byte (bit 0: an API route), then NUL-separated: the session cookie, the
 * authorization header, the csrf cookie. Invariants: a session token is the cookie (or
 * on the API the bearer token, which then wins) and fits the request's buffer whole; a
 * form token is 20 to 47 base64url characters, so it can go into a Set-Cookie header or
 * an HTML attribute as it is; the token's hash, the database key, is 64 hex digits. */
#include "http/params.h"
#include "util/crypto.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	return jz_crypto_init() ? 0 : 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	bool api = data[0] & 1;
	char *f[3];
	bool present[3];
	size_t had = fuzz_fields(data + 1, size - 1, f, 3);
	for (size_t i = 0; i < 3; i++)
		present[i] = i < had && (data[0] >> (1 + i) & 1);
	const char *cookie = present[0] ? f[0] : NULL, *auth = present[1] ? f[1] : NULL;
	const char *csrf = present[2] ? f[2] : NULL;

	const char *t = jz_params_session_token(api, cookie, auth);
	bool bearer = api && auth && !strncmp(auth, "Bearer ", 7);
	const char *want = bearer ? auth + 7 : cookie;
	if (t) {
		FUZZ_CHECK(t == want, "token from the wrong place");
		jz_req req;
		snprintf(req.session_token, sizeof req.session_token, "%s", t);
		FUZZ_CHECK(!strcmp(req.session_token, t), "token cut short");
		char hash[65];
		jz_crypto_token_hash(t, hash);
		FUZZ_CHECK(strlen(hash) == 64 && strspn(hash, "0123456789abcdef") == 64, "hash %s", hash);
	} else {
		FUZZ_CHECK(!want || strlen(want) >= JZ_SESSION_TOKEN_MAX, "a short token dropped");
	}

	const char *c = jz_params_csrf_cookie(csrf);
	if (c) {
		size_t n = strlen(c);
		FUZZ_CHECK(c == csrf && n >= JZ_CSRF_MIN && n < JZ_CSRF_MAX, "form token length %zu", n);
		FUZZ_CHECK(strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n,
		           "form token characters");
		jz_req req;
		snprintf(req.csrf, sizeof req.csrf, "%s", c);
		FUZZ_CHECK(!strcmp(req.csrf, c), "form token cut short");
	}
	fuzz_fields_free(f, 3);
	return 0;
}
