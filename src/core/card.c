/* Card tokens, card serials and the masked name shown on cards (see card.h). */
#include "core/card.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

enum { DOMAIN_LEN = sizeof JZ_CARD_DOMAIN - 1, RAW_LEN = JZ_CARD_PAYLOAD_LEN + JZ_CARD_SIG_LEN };

#define B64URL_ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

static void
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The signed message: the domain string followed by the payload. */
static void
message(const unsigned char payload[JZ_CARD_PAYLOAD_LEN],
        unsigned char msg[DOMAIN_LEN + JZ_CARD_PAYLOAD_LEN])
{
	memcpy(msg, JZ_CARD_DOMAIN, DOMAIN_LEN);
	memcpy(msg + DOMAIN_LEN, payload, JZ_CARD_PAYLOAD_LEN);
}

static bool
fits(int64_t v)
{
	return v >= 0 && v <= (int64_t)UINT32_MAX;
}

jz_card_fault
jz_card_token_make(const jz_card_claim *claim, const unsigned char secret[64],
                   char out[JZ_CARD_TOKEN_MAX])
{
	unsigned char raw[RAW_LEN], msg[DOMAIN_LEN + JZ_CARD_PAYLOAD_LEN];
	out[0] = '\0';
	if (!claim->card_id || !claim->worker_id || !fits(claim->issued_at) ||
	    !fits(claim->expires_at))
		return JZ_CARD_TOO_BIG;
	raw[0] = JZ_CARD_VERSION;
	put_u32(raw + 1, claim->card_id);
	put_u32(raw + 5, claim->worker_id);
	put_u32(raw + 9, (uint32_t)claim->issued_at);
	put_u32(raw + 13, (uint32_t)claim->expires_at);
	message(raw, msg);
	crypto_sign_detached(raw + JZ_CARD_PAYLOAD_LEN, NULL, msg, sizeof msg, secret);
	sodium_bin2base64(out, JZ_CARD_TOKEN_MAX, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return JZ_CARD_OK;
}

/* The value of a base64url character, -1 for any other. */
static int
b64url_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '-' ? 62 : c == '_' ? 63 : -1;
}

_Static_assert(JZ_CARD_TOKEN_LEN % 4 == 0 && JZ_CARD_TOKEN_LEN / 4 * 3 == RAW_LEN,
               "a version-1 token is whole groups of 4 characters, 3 bytes each");

/* The common case, without libsodium's constant-time decoder (a token is no secret):
 * JZ_CARD_TOKEN_LEN characters of the alphabet are exactly RAW_LEN bytes with no bits
 * left over, which sodium_base642bin would decode the same. False for anything else. */
static bool
decode_exact(const char *token, unsigned char raw[RAW_LEN])
{
	for (int i = 0, j = 0; i < JZ_CARD_TOKEN_LEN; i += 4, j += 3) {
		int a = b64url_value((unsigned char)token[i]), b = b64url_value((unsigned char)token[i + 1]),
		    c = b64url_value((unsigned char)token[i + 2]), d = b64url_value((unsigned char)token[i + 3]);
		if ((a | b | c | d) < 0)
			return false;
		raw[j] = (unsigned char)(a << 2 | b >> 4);
		raw[j + 1] = (unsigned char)((b & 15) << 4 | c >> 2);
		raw[j + 2] = (unsigned char)((c & 3) << 6 | d);
	}
	return true;
}

/* Decodes a token's bytes into raw (RAW_LEN bytes) and checks the version and length:
 * the part of the check that needs no key. */
static jz_card_fault
decode(const char *token, unsigned char raw[RAW_LEN + 1])
{
	size_t len = 0;
	const char *end = NULL;
	if (!token || strlen(token) > JZ_CARD_TOKEN_MAX)
		return JZ_CARD_MALFORMED;
	/* libsodium 1.0.18 (Debian 12) decodes any byte from 0x80 up as '_', so a token
	 * with such a byte in place of an '_' would pass as genuine: only the alphabet goes
	 * to it. */
	if (strspn(token, B64URL_ALPHABET) != strlen(token))
		return JZ_CARD_MALFORMED;
	if (strlen(token) == JZ_CARD_TOKEN_LEN && decode_exact(token, raw))
		len = RAW_LEN;
	/* One byte more than a version-1 token decodes to, so longer input is seen. */
	else if (sodium_base642bin(raw, RAW_LEN + 1, token, strlen(token), NULL, &len, &end,
	                           sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	         *end != '\0' || len == 0)
		return JZ_CARD_MALFORMED;
	if (raw[0] != JZ_CARD_VERSION)
		return JZ_CARD_UNSUPPORTED;
	if (len != RAW_LEN)
		return JZ_CARD_MALFORMED;
	return JZ_CARD_OK;
}

static void
read_claim(const unsigned char raw[RAW_LEN], jz_card_claim *c)
{
	c->card_id = get_u32(raw + 1);
	c->worker_id = get_u32(raw + 5);
	c->issued_at = get_u32(raw + 9);
	c->expires_at = get_u32(raw + 13);
}

jz_card_fault
jz_card_token_parse(const char *token, jz_card_claim *out)
{
	unsigned char raw[RAW_LEN + 1];
	memset(out, 0, sizeof *out);
	jz_card_fault f = decode(token, raw);
	if (f == JZ_CARD_OK)
		read_claim(raw, out);
	return f;
}

jz_card_fault
jz_card_token_verify(const char *token, const unsigned char public_key[32], int64_t now,
                     jz_card_claim *out)
{
	unsigned char raw[RAW_LEN + 1], msg[DOMAIN_LEN + JZ_CARD_PAYLOAD_LEN];
	jz_card_claim c = {0};
	if (out)
		memset(out, 0, sizeof *out);
	jz_card_fault f = decode(token, raw);
	if (f != JZ_CARD_OK)
		return f;
	message(raw, msg);
	if (crypto_sign_verify_detached(raw + JZ_CARD_PAYLOAD_LEN, msg, sizeof msg, public_key) !=
	    0)
		return JZ_CARD_BAD_SIGNATURE;
	read_claim(raw, &c);
	if (!c.card_id || !c.worker_id)
		return JZ_CARD_MALFORMED;
	if (out)
		*out = c;
	if (c.expires_at && now >= c.expires_at)
		return JZ_CARD_EXPIRED;
	return JZ_CARD_OK;
}

void
jz_card_token_mac(const char *token, const unsigned char secret[64], char out[JZ_CARD_MAC_MAX])
{
	/* A key of its own, derived from the signing key's seed (the first 32 bytes of a
	 * libsodium secret key), so the key file needs no new line. */
	static const char domain[] = "jiazheng-card-mac-v1";
	unsigned char key[crypto_generichash_KEYBYTES], mac[JZ_CARD_MAC_LEN];
	crypto_generichash(key, sizeof key, (const unsigned char *)domain, sizeof domain - 1, secret,
	                   32);
	crypto_generichash(mac, sizeof mac, (const unsigned char *)token, strlen(token), key,
	                   sizeof key);
	sodium_memzero(key, sizeof key);
	sodium_bin2hex(out, JZ_CARD_MAC_MAX, mac, sizeof mac);
}

const char *
jz_card_fault_name(jz_card_fault f)
{
	switch (f) {
	case JZ_CARD_OK:
		return "genuine";
	case JZ_CARD_MALFORMED:
		return "malformed token";
	case JZ_CARD_BAD_SIGNATURE:
		return "bad signature (forged or altered)";
	case JZ_CARD_UNSUPPORTED:
		return "unsupported token version";
	case JZ_CARD_EXPIRED:
		return "expired";
	case JZ_CARD_TOO_BIG:
		return "a field does not fit the token format";
	}
	return "unknown";
}

const char *
jz_card_fault_zh(jz_card_fault f)
{
	switch (f) {
	case JZ_CARD_OK:
		return "真实有效";
	case JZ_CARD_MALFORMED:
		return "卡片编码格式错误";
	case JZ_CARD_BAD_SIGNATURE:
		return "签名不符（伪造或被篡改）";
	case JZ_CARD_UNSUPPORTED:
		return "不支持的卡片版本";
	case JZ_CARD_EXPIRED:
		return "卡片已过期";
	case JZ_CARD_TOO_BIG:
		return "卡片信息超出格式范围";
	}
	return "未知";
}

/* The Luhn check digit of a string of digits. */
static int
luhn(const char *digits, size_t n)
{
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		int d = digits[n - 1 - i] - '0';
		if (i % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (10 - sum % 10) % 10;
}

void
jz_card_serial(uint32_t number, char out[JZ_CARD_SERIAL_MAX])
{
	char digits[10];
	snprintf(digits, sizeof digits, "%09u", (unsigned)(number % 1000000000u));
	snprintf(out, JZ_CARD_SERIAL_MAX, "JZ%s%d", digits, luhn(digits, 9));
}

bool
jz_card_serial_valid(const char *s)
{
	if (!s || strlen(s) != 12 || s[0] != 'J' || s[1] != 'Z')
		return false;
	for (int i = 2; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return luhn(s + 2, 9) == s[11] - '0';
}

int
jz_card_age_band(int age)
{
	return age < 0 ? 0 : age / 10 * 10;
}
