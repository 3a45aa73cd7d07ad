/* Sealing fields with XChaCha20-Poly1305 and hashing them for lookups with keyed BLAKE2b.
 * Built for bulk import: no allocation besides the result for values of ordinary size,
 * and no key derivation per call. */
#include "util/seal.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING
/* Values up to this size (nonce, text and tag) are handled on the stack. */
#define STACK_BYTES 512

/* Nonces come from the system's random source (libsodium's randombytes) fetched in blocks
 * per thread: one getrandom call per nonce costs more than the encryption itself. A child
 * process must never reuse the nonces its parent holds (a repeated nonce under one key
 * leaks the XOR of two values and lets Poly1305 tags be forged), so fork empties the pool:
 * in the child only the forking thread exists, and the handler runs on it. */
#define POOL_NONCES 170
static _Thread_local struct {
	unsigned char bytes[POOL_NONCES * NONCE_BYTES];
	size_t used; /* bytes of bytes[] already handed out */
	bool filled;
} pool;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static void
pool_forget(void)
{
	pool.filled = false;
}

static void
pool_register(void)
{
	pthread_atfork(NULL, NULL, pool_forget);
}

static void
new_nonce(unsigned char out[NONCE_BYTES])
{
	pthread_once(&pool_once, pool_register);
	if (!pool.filled || pool.used == sizeof pool.bytes) {
		randombytes_buf(pool.bytes, sizeof pool.bytes);
		pool.used = 0;
		pool.filled = true;
	}
	memcpy(out, pool.bytes + pool.used, NONCE_BYTES);
	pool.used += NONCE_BYTES;
}

/* Parses "v<version>." at the start of s: returns the version and sets *rest to what
 * follows the dot, or returns -1. Versions have no leading zero and at most 9 digits. */
static int
parse_prefix(const char *s, const char **rest)
{
	if (s[0] != 'v' || s[1] < '1' || s[1] > '9')
		return -1;
	int v = 0;
	size_t i = 1;
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		if (i > 9)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (s[i] != '.')
		return -1;
	*rest = s + i + 1;
	return v;
}

/* Writes "v<version>." into out (at least 12 bytes) and returns its length. */
static size_t
put_prefix(char *out, int version)
{
	char digits[10];
	size_t n = 0;
	do {
		digits[n++] = (char)('0' + version % 10);
		version /= 10;
	} while (version > 0 && n < sizeof digits);
	out[0] = 'v';
	for (size_t i = 0; i < n; i++)
		out[1 + i] = digits[n - 1 - i];
	out[1 + n] = '.';
	return n + 2;
}

/* URL-safe base64 without padding, as sodium_bin2base64 with VARIANT writes it (out has
 * room for sodium_base64_ENCODED_LEN). Not constant-time, and needs not be: it encodes the
 * nonce and the ciphertext, which are public; libsodium's constant-time encoder took as
 * long as the encryption on the bulk-import path. */
static void
base64url(char *out, const unsigned char *in, size_t len)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i = 0;
	for (; i + 3 <= len; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		*out++ = abc[v >> 18];
		*out++ = abc[(v >> 12) & 63];
		*out++ = abc[(v >> 6) & 63];
		*out++ = abc[v & 63];
	}
	if (len - i == 1) {
		unsigned v = (unsigned)in[i] << 16;
		*out++ = abc[v >> 18];
		*out++ = abc[(v >> 12) & 63];
	} else if (len - i == 2) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		*out++ = abc[v >> 18];
		*out++ = abc[(v >> 12) & 63];
		*out++ = abc[(v >> 6) & 63];
	}
	*out = '\0';
}

char *
jz_seal(const jz_keys *k, const char *plaintext, const char *context)
{
	int version = jz_keys_current_version(k);
	const unsigned char *key = jz_keys_data_key(k, version);
	size_t mlen = strlen(plaintext);
	size_t blen = NONCE_BYTES + mlen + TAG_BYTES;
	unsigned char stack[STACK_BYTES];
	unsigned char *box = blen <= sizeof stack ? stack : jz_xmalloc(blen);

	new_nonce(box);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
	    box + NONCE_BYTES, NULL, (const unsigned char *)plaintext, mlen,
	    (const unsigned char *)context, strlen(context), NULL, box, key);
	size_t b64len = sodium_base64_ENCODED_LEN(blen, VARIANT);
	char *out = jz_xmalloc(12 + b64len);
	size_t plen = put_prefix(out, version);
	base64url(out + plen, box, blen);
	/* box holds only nonce and ciphertext: nothing secret to wipe. */
	if (box != stack)
		free(box);
	return out;
}

char *
jz_unseal(const jz_keys *k, const char *sealed, const char *context)
{
	const char *b64 = NULL;
	int version = parse_prefix(sealed, &b64);
	if (version < 0)
		return NULL;
	const unsigned char *key = jz_keys_data_key(k, version);
	if (!key)
		return NULL;
	size_t b64len = strlen(b64);
	/* Unpadded base64 decodes to at most 3 bytes per 4 characters, rounded down. */
	size_t cap = b64len / 4 * 3 + 2;
	if (cap < NONCE_BYTES + TAG_BYTES)
		return NULL;
	unsigned char stack[STACK_BYTES];
	unsigned char *box = cap <= sizeof stack ? stack : jz_xmalloc(cap);
	char *out = NULL;
	size_t blen = 0;
	const char *end = NULL;
	if (sodium_base642bin(box, cap, b64, b64len, NULL, &blen, &end, VARIANT) != 0 ||
	    end != b64 + b64len || blen < NONCE_BYTES + TAG_BYTES)
		goto out;
	unsigned long long mlen = 0;
	out = jz_xmalloc(blen - NONCE_BYTES - TAG_BYTES + 1);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
	        (unsigned char *)out, &mlen, NULL, box + NONCE_BYTES, blen - NONCE_BYTES,
	        (const unsigned char *)context, strlen(context), box, key) != 0) {
		free(out);
		out = NULL;
		goto out;
	}
	out[mlen] = '\0';
out:
	if (box != stack)
		free(box);
	return out;
}

int
jz_sealed_version(const char *sealed)
{
	const char *rest = NULL;
	int version = parse_prefix(sealed, &rest);
	if (version < 0 || !*rest)
		return -1;
	for (const char *p = rest; *p; p++) {
		char c = *p;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return -1;
	}
	return version;
}

void
jz_lookup_hash(const jz_keys *k, const char *value, const char *context,
               unsigned char out[JZ_LOOKUP_HASH_LEN])
{
	crypto_generichash_state st;
	/* 16 bytes: the hash is keyed, so 128 bits only have to keep distinct values apart. */
	static const unsigned char nul = 0;

	crypto_generichash_init(&st, jz_keys_lookup_key(k), 32, JZ_LOOKUP_HASH_LEN);
	crypto_generichash_update(&st, (const unsigned char *)context, strlen(context));
	crypto_generichash_update(&st, &nul, 1);
	crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
	crypto_generichash_final(&st, out, JZ_LOOKUP_HASH_LEN);
	sodium_memzero(&st, sizeof st);
}

void
jz_lookup_hash_hex(const jz_keys *k, const char *value, const char *context, char out[33])
{
	unsigned char raw[JZ_LOOKUP_HASH_LEN];
	jz_lookup_hash(k, value, context, raw);
	sodium_bin2hex(out, 33, raw, sizeof raw);
}
