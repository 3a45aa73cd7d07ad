/* Unit tests for core/card (tokens, serials, masked names, age bands) and util/qr (the
 * card's QR code as SVG). Hermetic, except that when zbarimg (Debian zbar-tools) is
 * installed the SVG's path is drawn into an image and decoded by it, to prove a scanner
 * reads what we draw. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/card.h"
#include "core/mask.h"
#include "util/qr.h"

static unsigned char pk[32], sk[64], other_pk[32], other_sk[64];

static int
keys_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(other_pk, other_sk);
	return 0;
}

static const jz_card_claim claim = {
    .card_id = 42, .worker_id = 7, .issued_at = 1764000000, .expires_at = 0};

static void
test_round_trip(void **state)
{
	(void)state;
	char token[JZ_CARD_TOKEN_MAX];
	jz_card_claim got;
	assert_int_equal(jz_card_token_make(&claim, sk, token), JZ_CARD_OK);
	assert_int_equal(strlen(token), JZ_CARD_TOKEN_LEN);
	assert_true(strlen(token) < 120);
	/* URL-safe: base64url without padding, nothing a URL must escape. */
	assert_int_equal(
	    strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
	    strlen(token));
	assert_int_equal(jz_card_token_verify(token, pk, 1764000001, &got), JZ_CARD_OK);
	assert_int_equal(got.card_id, 42);
	assert_int_equal(got.worker_id, 7);
	assert_int_equal(got.issued_at, 1764000000);
	assert_int_equal(got.expires_at, 0);
	/* Deterministic: the same card always gets the same token. */
	char again[JZ_CARD_TOKEN_MAX];
	jz_card_token_make(&claim, sk, again);
	assert_string_equal(token, again);
}

static void
test_expiry(void **state)
{
	(void)state;
	char token[JZ_CARD_TOKEN_MAX];
	jz_card_claim c = claim, got;
	c.expires_at = 1764086400;
	assert_int_equal(jz_card_token_make(&c, sk, token), JZ_CARD_OK);
	assert_int_equal(jz_card_token_verify(token, pk, 1764086399, &got), JZ_CARD_OK);
	assert_int_equal(jz_card_token_verify(token, pk, 1764086400, &got), JZ_CARD_EXPIRED);
	/* An expired card is still genuine: its claim is filled in. */
	assert_int_equal(got.card_id, 42);
	assert_int_equal(got.expires_at, 1764086400);
}

static void
test_every_altered_byte(void **state)
{
	(void)state;
	char token[JZ_CARD_TOKEN_MAX];
	jz_card_token_make(&claim, sk, token);
	size_t n = strlen(token);
	for (size_t i = 0; i < n; i++) {
		char t[JZ_CARD_TOKEN_MAX];
		memcpy(t, token, n + 1);
		t[i] = t[i] == 'A' ? 'B' : 'A';
		jz_card_fault f = jz_card_token_verify(t, pk, 1764000001, NULL);
		/* The last character carries 2 unused bits in base64; changing it either breaks
		 * the signature or is refused as non-canonical. Never OK. */
		assert_int_not_equal(f, JZ_CARD_OK);
		if (i >= 2 && i < n - 1)
			assert_int_equal(f, JZ_CARD_BAD_SIGNATURE);
	}
}

static void
test_faults(void **state)
{
	(void)state;
	char token[JZ_CARD_TOKEN_MAX], t[JZ_CARD_TOKEN_MAX + 8];
	jz_card_claim got = {.card_id = 9};
	jz_card_token_make(&claim, sk, token);
	/* Wrong key: bad signature, and the claim is not returned. */
	assert_int_equal(jz_card_token_verify(token, other_pk, 1764000001, &got),
	                 JZ_CARD_BAD_SIGNATURE);
	assert_int_equal(got.card_id, 0);
	/* Signed by another key altogether. */
	char forged[JZ_CARD_TOKEN_MAX];
	jz_card_token_make(&claim, other_sk, forged);
	assert_int_equal(jz_card_token_verify(forged, pk, 1764000001, NULL), JZ_CARD_BAD_SIGNATURE);
	/* Malformed: empty, not base64url, padding, truncated, too long, NULL. */
	assert_int_equal(jz_card_token_verify("", pk, 0, NULL), JZ_CARD_MALFORMED);
	assert_int_equal(jz_card_token_verify(NULL, pk, 0, NULL), JZ_CARD_MALFORMED);
	assert_int_equal(jz_card_token_verify("abc+/def", pk, 0, NULL), JZ_CARD_MALFORMED);
	snprintf(t, sizeof t, "%s==", token);
	assert_int_equal(jz_card_token_verify(t, pk, 0, NULL), JZ_CARD_MALFORMED);
	snprintf(t, sizeof t, "%.100s", token);
	assert_int_equal(jz_card_token_verify(t, pk, 0, NULL), JZ_CARD_MALFORMED);
	snprintf(t, sizeof t, "%sAAAA", token);
	assert_int_equal(jz_card_token_verify(t, pk, 0, NULL), JZ_CARD_MALFORMED);
	/* A genuine token with a byte from 0x80 up in place of an '_' (found by
	 * tests/fuzz/fuzz_card.c: libsodium 1.0.18 decodes such bytes as '_', so the altered
	 * token passed as genuine). */
	char genuine[JZ_CARD_TOKEN_MAX];
	jz_card_claim c = claim;
	do {
		c.card_id++;
		jz_card_token_make(&c, sk, genuine);
	} while (!strchr(genuine, '_'));
	assert_int_equal(jz_card_token_verify(genuine, pk, 1764000001, NULL), JZ_CARD_OK);
	snprintf(t, sizeof t, "%s", genuine);
	*strchr(t, '_') = (char)0xB3;
	assert_int_equal(jz_card_token_verify(t, pk, 1764000001, NULL), JZ_CARD_MALFORMED);
	assert_int_equal(jz_card_token_parse(t, &got), JZ_CARD_MALFORMED);
	/* Random bytes of the right length: a forged card. */
	unsigned char raw[81];
	char rnd[JZ_CARD_TOKEN_MAX];
	randombytes_buf(raw, sizeof raw);
	raw[0] = JZ_CARD_VERSION;
	sodium_bin2base64(rnd, sizeof rnd, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	assert_int_equal(jz_card_token_verify(rnd, pk, 0, NULL), JZ_CARD_BAD_SIGNATURE);
	/* Another version byte. */
	raw[0] = 2;
	sodium_bin2base64(rnd, sizeof rnd, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	assert_int_equal(jz_card_token_verify(rnd, pk, 0, NULL), JZ_CARD_UNSUPPORTED);
	/* What make refuses. */
	jz_card_claim big = claim;
	big.issued_at = (int64_t)UINT32_MAX + 1;
	assert_int_equal(jz_card_token_make(&big, sk, token), JZ_CARD_TOO_BIG);
	big = claim;
	big.card_id = 0;
	assert_int_equal(jz_card_token_make(&big, sk, token), JZ_CARD_TOO_BIG);
	assert_string_equal(jz_card_fault_zh(JZ_CARD_BAD_SIGNATURE), "签名不符（伪造或被篡改）");
}

/* The message is domain-separated: a plain signature of the payload does not verify. */
static void
test_domain_separation(void **state)
{
	(void)state;
	unsigned char raw[81];
	char token[JZ_CARD_TOKEN_MAX];
	raw[0] = 1;
	memset(raw + 1, 0, 16);
	raw[4] = 42;
	raw[8] = 7;
	crypto_sign_detached(raw + 17, NULL, raw, 17, sk);
	sodium_bin2base64(token, sizeof token, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	assert_int_equal(jz_card_token_verify(token, pk, 0, NULL), JZ_CARD_BAD_SIGNATURE);
	unsigned char msg[16 + 17];
	memcpy(msg, "jiazheng-card-v1", 16);
	memcpy(msg + 16, raw, 17);
	crypto_sign_detached(raw + 17, NULL, msg, sizeof msg, sk);
	sodium_bin2base64(token, sizeof token, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	assert_int_equal(jz_card_token_verify(token, pk, 0, NULL), JZ_CARD_OK);
}

/* parse: the same faults as verify for what is malformed, the payload without any key. */
static void
test_parse(void **state)
{
	(void)state;
	char token[JZ_CARD_TOKEN_MAX], t[JZ_CARD_TOKEN_MAX + 8];
	jz_card_claim got;
	jz_card_token_make(&claim, sk, token);
	assert_int_equal(jz_card_token_parse(token, &got), JZ_CARD_OK);
	assert_int_equal(got.card_id, 42);
	assert_int_equal(got.worker_id, 7);
	assert_int_equal(got.issued_at, 1764000000);
	const char *bad[] = {"", NULL, "abc+/def", "x"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(jz_card_token_parse(bad[i], &got), JZ_CARD_MALFORMED);
		assert_int_equal(got.card_id, 0);
	}
	snprintf(t, sizeof t, "%.100s", token);
	assert_int_equal(jz_card_token_parse(t, &got), JZ_CARD_MALFORMED);
	snprintf(t, sizeof t, "%sAAAA", token);
	assert_int_equal(jz_card_token_parse(t, &got), JZ_CARD_MALFORMED);
	unsigned char raw[81];
	randombytes_buf(raw, sizeof raw);
	raw[0] = 2;
	sodium_bin2base64(t, sizeof t, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	assert_int_equal(jz_card_token_parse(t, &got), JZ_CARD_UNSUPPORTED);
	/* The decoder of well-formed tokens reads what libsodium encoded, byte for byte. */
	for (int i = 0; i < 1000; i++) {
		randombytes_buf(raw, sizeof raw);
		raw[0] = JZ_CARD_VERSION;
		sodium_bin2base64(t, sizeof t, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		assert_int_equal(jz_card_token_parse(t, &got), JZ_CARD_OK);
		assert_int_equal(got.card_id, (uint32_t)raw[1] << 24 | raw[2] << 16 | raw[3] << 8 | raw[4]);
		assert_int_equal(got.expires_at, (uint32_t)raw[13] << 24 | raw[14] << 16 | raw[15] << 8 | raw[16]);
		/* The same length with a character outside the alphabet. */
		t[i % JZ_CARD_TOKEN_LEN] = "+/=.~ "[i % 6];
		assert_int_equal(jz_card_token_parse(t, &got), JZ_CARD_MALFORMED);
	}
	/* Nothing is verified: a forged token parses (the check value or the signature decide). */
	raw[0] = JZ_CARD_VERSION;
	sodium_bin2base64(t, sizeof t, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	assert_int_equal(jz_card_token_parse(t, &got), JZ_CARD_OK);
	assert_int_equal(jz_card_token_verify(t, pk, 0, NULL), JZ_CARD_BAD_SIGNATURE);
}

/* The check value: fixed for a token and a key, different for any other token or key. */
static void
test_mac(void **state)
{
	(void)state;
	char token[JZ_CARD_TOKEN_MAX], mac[JZ_CARD_MAC_MAX], again[JZ_CARD_MAC_MAX];
	jz_card_token_make(&claim, sk, token);
	jz_card_token_mac(token, sk, mac);
	assert_int_equal(strlen(mac), 32);
	assert_int_equal(strspn(mac, "0123456789abcdef"), 32);
	jz_card_token_mac(token, sk, again);
	assert_string_equal(mac, again);
	jz_card_token_mac(token, other_sk, again);
	assert_string_not_equal(mac, again);
	size_t n = strlen(token);
	for (size_t i = 0; i < n; i++) {
		char t[JZ_CARD_TOKEN_MAX];
		memcpy(t, token, n + 1);
		t[i] = t[i] == 'A' ? 'B' : 'A';
		jz_card_token_mac(t, sk, again);
		assert_string_not_equal(mac, again);
	}
	/* Another card's token, same key. */
	jz_card_claim c = claim;
	c.card_id = 43;
	jz_card_token_make(&c, sk, token);
	jz_card_token_mac(token, sk, again);
	assert_string_not_equal(mac, again);
}

static void
test_serial(void **state)
{
	(void)state;
	char s[JZ_CARD_SERIAL_MAX];
	jz_card_serial(0, s);
	assert_string_equal(s, "JZ0000000000");
	jz_card_serial(123456789, s);
	assert_int_equal(strlen(s), 12);
	assert_true(jz_card_serial_valid(s));
	/* Luhn catches every single-digit change. */
	for (int i = 2; i < 12; i++) {
		char t[JZ_CARD_SERIAL_MAX];
		memcpy(t, s, sizeof t);
		t[i] = t[i] == '9' ? '0' : (char)(t[i] + 1);
		assert_false(jz_card_serial_valid(t));
	}
	assert_false(jz_card_serial_valid("JZ12345"));
	assert_false(jz_card_serial_valid("XZ0000000000"));
	assert_false(jz_card_serial_valid(NULL));
}

static void
test_mask_name(void **state)
{
	(void)state;
	char out[64];
	jz_mask_name("张秀芳", out, sizeof out);
	assert_string_equal(out, "张*芳");
	jz_mask_name("张芳", out, sizeof out);
	assert_string_equal(out, "张*");
	jz_mask_name("欧阳小明", out, sizeof out);
	assert_string_equal(out, "欧**明");
	jz_mask_name("阿依古丽·买买提", out, sizeof out);
	assert_string_equal(out, "阿******提");
	jz_mask_name("Li", out, sizeof out);
	assert_string_equal(out, "L*");
	jz_mask_name("", out, sizeof out);
	assert_string_equal(out, "");
	/* Too small for the first character and a star: nothing rather than half a name. */
	jz_mask_name("张秀芳", out, 4);
	assert_string_equal(out, "");
	jz_mask_name("张秀芳", out, 5);
	assert_string_equal(out, "张*");
	assert_int_equal(jz_card_age_band(47), 40);
	assert_int_equal(jz_card_age_band(40), 40);
	assert_int_equal(jz_card_age_band(39), 30);
}

/* Counts the modules of the SVG's viewBox: "0 0 N N". */
static int
viewbox_size(const char *svg)
{
	const char *v = strstr(svg, "viewBox=\"0 0 ");
	return v ? atoi(v + 13) : -1;
}

/* Draws the SVG's path back into pixels (our own path syntax: "Mx yhNv1h-Nz" per run),
 * writes them as a PGM at 4 pixels per module and has zbarimg decode it. True when it
 * reads `want`; this proves the geometry of the SVG, not just libqrencode. */
static bool
scan(const char *svg, const char *want)
{
	int size = viewbox_size(svg), scale = 4;
	unsigned char *px = malloc((size_t)size * (size_t)size);
	memset(px, 255, (size_t)size * (size_t)size);
	const char *d = strstr(svg, " d=\"");
	assert_non_null(d);
	d += 4;
	int x, y, n, used;
	while (sscanf(d, "M%d %dh%dv1h-%*dz%n", &x, &y, &n, &used) == 3) {
		for (int i = 0; i < n; i++)
			px[y * size + x + i] = 0;
		d += used;
	}
	assert_int_equal(*d, '"');
	char path[] = "/tmp/jz-qr-XXXXXX.pgm", cmd[256], got[512] = "";
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "P5\n%d %d\n255\n", size * scale, size * scale);
	for (int r = 0; r < size * scale; r++)
		for (int c = 0; c < size * scale; c++)
			fputc(px[(r / scale) * size + c / scale], f);
	fclose(f);
	free(px);
	snprintf(cmd, sizeof cmd, "zbarimg --quiet --raw %s 2>/dev/null", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t len = fread(got, 1, sizeof got - 1, p);
	got[len] = '\0';
	pclose(p);
	unlink(path);
	if (len && got[len - 1] == '\n')
		got[len - 1] = '\0';
	if (strcmp(got, want))
		fprintf(stderr, "zbarimg read '%s', expected '%s'\n", got, want);
	return !strcmp(got, want);
}

static void
test_qr_svg(void **state)
{
	(void)state;
	static const char *const texts[] = {
	    "http://127.0.0.1:8080/v/short",
	    "https://jz.example.cn/v/"
	    "AQAAACoAAAAHaSZqAAAAAAAPvtE5Wbu6lPfDRf2PKC3M4U5SgV8QEykgD2qMwKFvEfDklCyQ3-"
	    "8Ad8uGOP9qLt9fB5ZCwRhhnnXAXT7T0hQJmLsD",
	};
	for (size_t i = 0; i < 2; i++) {
		jz_buf b = JZ_BUF_INIT;
		int version = 0;
		assert_true(jz_qr_svg(&b, texts[i], &version));
		assert_true(version >= 1 && version <= 40);
		const char *svg = jz_buf_str(&b);
		assert_true(!strncmp(svg, "<svg ", 5));
		assert_non_null(strstr(svg, "</svg>"));
		assert_int_equal(viewbox_size(svg), 17 + 4 * version + 2 * JZ_QR_QUIET);
		/* The finder pattern's top row: 7 dark modules right after the quiet zone. */
		assert_non_null(strstr(svg, "M4 4h7v1h-7z"));
		/* Small enough to inline in a page. */
		assert_true(b.len < 12000);
		if (i == 1) /* a card URL with a full token: 134 characters at level M */
			assert_int_equal(version, 8);
		if (access("/usr/bin/zbarimg", X_OK) == 0)
			assert_true(scan(svg, texts[i]));
		jz_buf_free(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),         cmocka_unit_test(test_expiry),
	    cmocka_unit_test(test_every_altered_byte), cmocka_unit_test(test_faults),
	    cmocka_unit_test(test_domain_separation),  cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_mac),                cmocka_unit_test(test_serial),
	    cmocka_unit_test(test_mask_name),          cmocka_unit_test(test_qr_svg),
	};
	return cmocka_run_group_tests(tests, keys_setup, NULL);
}
