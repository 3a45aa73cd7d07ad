/* Card tokens (诚信一卡通): what the QR code on a worker's card carries, signed by the
 * platform's Ed25519 key so that forged or altered cards fail, and checkable offline with
 * the published public key. docs/card.md gives the format byte by byte.
 *
 *   payload = version (1 byte, 1) | card id (u32 BE) | worker id (u32 BE)
 *             | issued (u32 BE, Unix seconds) | expires (u32 BE, Unix seconds, 0 = never)
 *   signature = Ed25519(secret key, "jiazheng-card-v1" || payload)       (64 bytes)
 *   token = base64url without padding (payload || signature)             (108 characters)
 *
 * Also the card's serial number: "JZ", 9 digits and a Luhn check digit. Pure: no I/O.
 * libsodium must be initialised (jz_crypto_init or sodium_init) before these are used. */
#ifndef JZ_CORE_CARD_H
#define JZ_CORE_CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	JZ_CARD_VERSION = 1,
	JZ_CARD_PAYLOAD_LEN = 17,
	JZ_CARD_SIG_LEN = 64,
	JZ_CARD_TOKEN_LEN = 108, /* characters of a version-1 token */
	JZ_CARD_TOKEN_MAX = 112, /* buffer size for a token and its NUL */
	JZ_CARD_SERIAL_MAX = 13, /* "JZ" + 10 digits + NUL */
	JZ_CARD_MAC_LEN = 16,    /* bytes of a token's check value */
	JZ_CARD_MAC_MAX = 33,    /* its hex and NUL */
};

/* The signed message starts with this, so a card signature is never valid for anything
 * else the key might sign. */
#define JZ_CARD_DOMAIN "jiazheng-card-v1"

typedef struct jz_card_claim {
	uint32_t card_id, worker_id;
	int64_t issued_at;  /* Unix seconds, 0 .. UINT32_MAX */
	int64_t expires_at; /* Unix seconds; 0 = never */
} jz_card_claim;

typedef enum {
	JZ_CARD_OK,
	JZ_CARD_MALFORMED,     /* not base64url, wrong length, or zero ids */
	JZ_CARD_BAD_SIGNATURE, /* forged, altered, or signed by another key */
	JZ_CARD_UNSUPPORTED,   /* a version this program does not know */
	JZ_CARD_EXPIRED,       /* genuine, but past its expiry */
	JZ_CARD_TOO_BIG,       /* make: an id or time does not fit the format */
} jz_card_fault;

/* Writes the token for `claim` signed with the 64-byte libsodium Ed25519 secret key into
 * out (JZ_CARD_TOKEN_MAX bytes). JZ_CARD_TOO_BIG when a field does not fit 32 bits. */
jz_card_fault jz_card_token_make(const jz_card_claim *claim, const unsigned char secret[64],
                                 char out[JZ_CARD_TOKEN_MAX]);
/* Checks `token` against the 32-byte public key at time `now`; fills *out (when not NULL)
 * for JZ_CARD_OK and for JZ_CARD_EXPIRED (a genuine card), zeroes it otherwise. */
jz_card_fault jz_card_token_verify(const char *token, const unsigned char public_key[32],
                                   int64_t now, jz_card_claim *out);
/* The key-free part of the check: base64url, version, length. Fills *out from the payload
 * for JZ_CARD_OK (ids may be zero; nothing is verified), zeroes it otherwise. Returns
 * MALFORMED or UNSUPPORTED exactly where jz_card_token_verify would. */
jz_card_fault jz_card_token_parse(const char *token, jz_card_claim *out);
/* The token's check value, in hex: a keyed BLAKE2b-128 of the token text under a key
 * derived from the 64-byte card-signing secret. The server stores it with each card it
 * issues; a scanned token whose value equals the stored one is byte for byte the token the
 * server signed, so its Ed25519 signature need not be verified again. Without the key file
 * nobody, not even someone who can write to the database, can make a matching value. */
void jz_card_token_mac(const char *token, const unsigned char secret[64],
                       char out[JZ_CARD_MAC_MAX]);
/* English and Chinese words for a fault. */
const char *jz_card_fault_name(jz_card_fault f);
const char *jz_card_fault_zh(jz_card_fault f);

/* The serial for a number below 10^9: "JZ", the 9 digits, a Luhn check digit. */
void jz_card_serial(uint32_t number, char out[JZ_CARD_SERIAL_MAX]);
/* True when s is a well-formed serial with a correct check digit. */
bool jz_card_serial_valid(const char *s);

/* The lower bound of the ten-year band of an age (47 → 40); the band is lo .. lo + 9. */
int jz_card_age_band(int age);

#endif
