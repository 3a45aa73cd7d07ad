/* Thin wrappers over libsodium for what the platform needs: random tokens, token hashes,
 * Argon2id password hashes and generated passwords. jz_crypto_init must run first. */
#ifndef JZ_UTIL_CRYPTO_H
#define JZ_UTIL_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

/* Returns false when libsodium cannot start. */
bool jz_crypto_init(void);
/* A URL-safe random token of `bytes` random bytes, written to out (size >= 2 * bytes). */
void jz_crypto_token(char *out, size_t out_size, size_t bytes);
/* Lowercase hex BLAKE2b-256 of a token, as stored in the database (out: 65 bytes). */
void jz_crypto_token_hash(const char *token, char out[65]);
/* Argon2id hash string of a password (out: 128 bytes); false if out of memory. */
bool jz_crypto_password_hash(const char *password, char out[128]);
bool jz_crypto_password_verify(const char *hash, const char *password);
/* Writes a random password of len - 1 characters (alphabet without look-alikes) and a NUL. */
void jz_crypto_password_new(char *out, size_t len);
/* Constant-time comparison of two NUL-terminated strings. */
bool jz_crypto_equal(const char *a, const char *b);

#endif
