/* Fuzz target: card tokens (src/core/card.c): what a scanned QR code or a /v/TOKEN URL
 * hands the server, decoded by jz_card_token_parse and checked by jz_card_token_verify
 * against a fixed test key; and card serials.
 *
 * The first byte picks the mode. 'T' (and anything else): the rest is a token. 'C': the
 * rest is a claim (17 bytes, as in the token's payload) that is signed, then verified and
 * parsed back. Invariants: verify refuses as MALFORMED or UNSUPPORTED exactly where parse
 * does (card.h); a token that parses is exactly the canonical base64url of 81 bytes
 * (decoding with libsodium and encoding again gives the same string) and its claim is the
 * payload's bytes; a genuine token is the one jz_card_token_make makes for its claim; a
 * valid serial is the one jz_card_serial makes for its number. */
#include <sodium.h>

#include "core/card.h"
#include "fuzz.h"

enum { RAW = JZ_CARD_PAYLOAD_LEN + JZ_CARD_SIG_LEN, NOW = 1795000000 };

static unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	/* The seed the corpus tokens were signed with (tests/fuzz/corpus/card/). */
	unsigned char seed[crypto_sign_SEEDBYTES];
	if (sodium_init() < 0)
		abort();
	for (size_t i = 0; i < sizeof seed; i++)
		seed[i] = (unsigned char)i;
	crypto_sign_seed_keypair(pk, sk, seed);
	return 0;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
check_token(const char *token)
{
	jz_card_claim parsed, verified;
	jz_card_fault p = jz_card_token_parse(token, &parsed);
	jz_card_fault v = jz_card_token_verify(token, pk, NOW, &verified);
	FUZZ_CHECK(p == JZ_CARD_OK || p == JZ_CARD_MALFORMED || p == JZ_CARD_UNSUPPORTED, "parse %d", p);
	if (p != JZ_CARD_OK)
		FUZZ_CHECK(v == p, "parse says %d, verify %d", p, v);
	FUZZ_CHECK(v != JZ_CARD_TOO_BIG, "verify says too big");

	/* libsodium's decoder as the reference for what the token's bytes are, given only
	 * the alphabet (1.0.18 takes any byte from 0x80 up for '_'). */
	bool alphabet = strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
	                strlen(token);
	unsigned char raw[RAW + 1];
	size_t len = 0;
	const char *end = NULL;
	bool decodes = alphabet && sodium_base642bin(raw, sizeof raw, token, strlen(token), NULL, &len, &end,
	                                 sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
	               *end == '\0';
	bool whole = decodes && len == RAW && raw[0] == JZ_CARD_VERSION;
	FUZZ_CHECK(whole == (p == JZ_CARD_OK), "libsodium decodes %d (%zu bytes), parse says %d",
	           decodes, len, p);
	if (p != JZ_CARD_OK) {
		FUZZ_CHECK(!parsed.card_id && !parsed.worker_id && !parsed.issued_at && !parsed.expires_at,
		           "claim left filled in");
		return;
	}
	char again[JZ_CARD_TOKEN_MAX];
	sodium_bin2base64(again, sizeof again, raw, RAW, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	FUZZ_CHECK(!strcmp(again, token), "re-encodes as %s", again);
	FUZZ_CHECK(parsed.card_id == be32(raw + 1) && parsed.worker_id == be32(raw + 5) &&
	               parsed.issued_at == be32(raw + 9) && parsed.expires_at == be32(raw + 13),
	           "claim differs from the payload");

	char mac[JZ_CARD_MAC_MAX];
	jz_card_token_mac(token, sk, mac);
	FUZZ_CHECK(strlen(mac) == 2 * JZ_CARD_MAC_LEN, "check value %s", mac);

	if (v == JZ_CARD_OK || v == JZ_CARD_EXPIRED) {
		FUZZ_CHECK(!memcmp(&verified, &parsed, sizeof parsed), "verify and parse disagree");
		char made[JZ_CARD_TOKEN_MAX];
		FUZZ_CHECK(jz_card_token_make(&verified, sk, made) == JZ_CARD_OK, "genuine claim not signable");
		FUZZ_CHECK(!strcmp(made, token), "a genuine token that make does not give");
		FUZZ_CHECK((v == JZ_CARD_EXPIRED) == (verified.expires_at && NOW >= verified.expires_at),
		           "expiry");
	}
}

static void
check_claim(const uint8_t *d, size_t n)
{
	unsigned char b[17] = {0};
	memcpy(b, d, n < sizeof b ? n : sizeof b);
	jz_card_claim c = {.card_id = be32(b + 1), .worker_id = be32(b + 5), .issued_at = be32(b + 9),
	                   .expires_at = be32(b + 13)};
	char token[JZ_CARD_TOKEN_MAX];
	jz_card_fault f = jz_card_token_make(&c, sk, token);
	if (!c.card_id || !c.worker_id) {
		FUZZ_CHECK(f == JZ_CARD_TOO_BIG && token[0] == '\0', "zero ids signed");
		return;
	}
	FUZZ_CHECK(f == JZ_CARD_OK, "make %d", f);
	FUZZ_CHECK(strlen(token) == JZ_CARD_TOKEN_LEN, "token length %zu", strlen(token));
	jz_card_claim back;
	jz_card_fault v = jz_card_token_verify(token, pk, NOW, &back);
	FUZZ_CHECK(v == JZ_CARD_OK || v == JZ_CARD_EXPIRED, "own token refused: %d", v);
	FUZZ_CHECK(!memcmp(&back, &c, sizeof c), "claim changed on the way");
	check_token(token);
}

static void
check_serial(const char *s)
{
	if (!jz_card_serial_valid(s))
		return;
	uint32_t number = (uint32_t)(strtoul(s + 2, NULL, 10) / 10);
	char made[JZ_CARD_SERIAL_MAX];
	jz_card_serial(number, made);
	FUZZ_CHECK(!strcmp(made, s), "serial %s made as %s", s, made);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == 'C') {
		check_claim(data + 1, size - 1);
		return 0;
	}
	char *s = fuzz_cstr(size ? data + 1 : data, size ? size - 1 : 0);
	check_token(s);
	check_serial(s);
	free(s);
	return 0;
}
