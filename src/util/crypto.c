/* libsodium wrappers. */
#include "util/crypto.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

bool
jz_crypto_init(void)
{
	return sodium_init() >= 0;
}

void
jz_crypto_token(char *out, size_t out_size, size_t bytes)
{
	unsigned char raw[64];
	if (bytes > sizeof raw)
		bytes = sizeof raw;
	randombytes_buf(raw, bytes);
	sodium_bin2base64(out, out_size, raw, bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void
jz_crypto_token_hash(const char *token, char out[65])
{
	unsigned char digest[32];
	crypto_generichash(digest, sizeof digest, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, digest, sizeof digest);
}

/* An Argon2id hash takes 64 MiB and a CPU for a tenth of a second or more. More of them
 * at once than there are CPUs finish no sooner and only add memory (each of serve's
 * threads signing someone in would hold 64 MiB), so they take turns: one slot per CPU. */
static sem_t argon2_slots;

static void
argon2_slots_init(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	sem_init(&argon2_slots, 0, cpus < 1 ? 1u : cpus > 16 ? 16u : (unsigned)cpus);
}

static void
argon2_slot_take(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, argon2_slots_init);
	while (sem_wait(&argon2_slots) != 0 && errno == EINTR)
		;
}

static void
argon2_slot_give(void)
{
	sem_post(&argon2_slots);
}

bool
jz_crypto_password_hash(const char *password, char out[128])
{
	argon2_slot_take();
	bool ok = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                            crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
	argon2_slot_give();
	return ok;
}

bool
jz_crypto_password_verify(const char *hash, const char *password)
{
	argon2_slot_take();
	bool ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	argon2_slot_give();
	return ok;
}

void
jz_crypto_password_new(char *out, size_t len)
{
	/* No 0/O, 1/l/I: these passwords are read aloud and copied by hand. */
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (size_t i = 0; i + 1 < len; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[len ? len - 1 : 0] = '\0';
}

bool
jz_crypto_equal(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}
