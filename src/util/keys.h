/* The key file: the secrets that protect workers' ID numbers and phones (data keys and the
 * lookup key) and sign worker cards (the Ed25519 card-signing key). docs/keys.md says where
 * it lives and how to back it up and rotate it.
 *
 * Format: UTF-8 text, one key per line, blank lines and lines starting with '#' ignored:
 *     data-key <version> <base64 of 32 bytes>      one or more; the highest version encrypts
 *     lookup-key <base64 of 32 bytes>              exactly one; fixed for the deployment
 *     card-sign-key <base64 of 64 bytes>           at most one; libsodium Ed25519 secret key
 * The file must be mode 0600 (no group or other bits); loading refuses anything else.
 *
 * Errors: functions taking `char **err` set it on failure to a message the caller frees;
 * messages name the file and, for a malformed file, the line, never a key. */
#ifndef JZ_UTIL_KEYS_H
#define JZ_UTIL_KEYS_H

#include <stdbool.h>

typedef struct jz_keys jz_keys;

/* Creates the key file at `path` (refusing if anything exists there) with data-key 1, a
 * lookup key and a card-signing key pair, mode 0600, synced to disk; returns the keys. */
jz_keys *jz_keys_create(const char *path, char **err);

/* Loads and checks the key file: mode 0600, well-formed lines, a lookup key, at least one
 * data key, no duplicate versions or names, a card key consistent with its public half. */
jz_keys *jz_keys_load(const char *path, char **err);

/* Appends data-key <highest + 1> to the file atomically (path.tmp, 0600, fsync, rename);
 * the temporary file is also the lock against a concurrent rotation. Sets *new_version.
 * Processes that loaded the file before keep using the old keys until they reload it. */
bool jz_keys_rotate(const char *path, int *new_version, char **err);

/* Wipes and frees the keys; NULL is fine. */
void jz_keys_free(jz_keys *k);

/* Where the key file is: explicit_path if given, else $JZ_KEYS if set, else "<db_url>.keys"
 * for a SQLite file, else NULL (PostgreSQL and in-memory SQLite need --keys or JZ_KEYS).
 * Returns a string the caller frees, or NULL. */
char *jz_keys_path_for(const char *db_url, const char *explicit_path);

/* The version of the data key that encrypts (the highest in the file). */
int jz_keys_current_version(const jz_keys *k);
/* True when the file holds data-key `version`. */
bool jz_keys_has_version(const jz_keys *k, int version);
/* The 64-byte Ed25519 secret key for card tokens, borrowed for the lifetime of k; NULL
 * when the file has no card-sign-key line. */
const unsigned char *jz_keys_card_secret(const jz_keys *k);
/* Writes the 32-byte Ed25519 public key (zeros when there is no card key). */
void jz_keys_card_public(const jz_keys *k, unsigned char out[32]);

/* For util/seal.c: the 32-byte data key of `version` (NULL if absent) and the 32-byte
 * lookup key, borrowed for the lifetime of k. Nothing else should need raw keys. */
const unsigned char *jz_keys_data_key(const jz_keys *k, int version);
const unsigned char *jz_keys_lookup_key(const jz_keys *k);

#endif
