/* Field encryption and lookup hashes for the personal data the platform keeps secret
 * (workers' ID numbers and phones): sealed values are stored instead of the clear text,
 * and keyed hashes find a record by its value without decrypting anything.
 *
 * A sealed value is "v<version>." followed by unpadded base64url of nonce || ciphertext:
 * XChaCha20-Poly1305 with data key <version>, a random 24-byte nonce and `context` (the
 * field's name, e.g. "worker.id_number") as additional data, so a value moved to another
 * field or row context fails to open. Sealed values are ASCII and safe in SQL text, URLs
 * and logs; clear values must never be logged.
 *
 * All functions take keys from util/keys.h and are safe to call from several threads at
 * once with the same keys. `context` is a NUL-terminated field name, never NULL. */
#ifndef JZ_UTIL_SEAL_H
#define JZ_UTIL_SEAL_H

#include "util/keys.h"

/* Seals `plaintext` with the current data key. Returns a string the caller frees. */
char *jz_seal(const jz_keys *k, const char *plaintext, const char *context);

/* Opens a sealed value. Returns the clear text (caller wipes if it cares, and frees), or
 * NULL when the format is wrong, the version is not in the key file, or the value was
 * altered or sealed for another context or with another key. */
char *jz_unseal(const jz_keys *k, const char *sealed, const char *context);

/* The data-key version a sealed value names, or -1 when it is not a sealed value.
 * Re-encryption after a rotation picks the values whose version is not current. */
int jz_sealed_version(const char *sealed);

/* The 16-byte BLAKE2b, keyed with the lookup key, of context '\0' value: equal values
 * in the same context give equal hashes, so the hash can be indexed and searched; the
 * context keeps the same digits in different fields from matching. Stored as 16 raw
 * bytes (a BLOB / bytea column), not as hex: the unique indexes on it, which every
 * imported row inserts into at a random place, are then half the size. */
enum { JZ_LOOKUP_HASH_LEN = 16 };
void jz_lookup_hash(const jz_keys *k, const char *value, const char *context,
                    unsigned char out[JZ_LOOKUP_HASH_LEN]);

/* The same hash as 32 lowercase hex digits (out holds 33 bytes), for text columns such as
 * the workers' share codes. */
void jz_lookup_hash_hex(const jz_keys *k, const char *value, const char *context, char out[33]);

#endif
