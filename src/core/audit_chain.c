/* Hash of one audit entry, chained to the one before. */
#include "core/audit_chain.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Each field goes in with its length first, so no two different entries hash the same
 * bytes ("ab"+"c" vs "a"+"bc"). */
static void
absorb(crypto_generichash_state *st, const char *field)
{
	uint64_t n = strlen(field);
	unsigned char len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	crypto_generichash_update(st, len, sizeof len);
	crypto_generichash_update(st, (const unsigned char *)field, n);
}

void
jz_audit_chain_hash(const char *prev_hash, int64_t id, int64_t at, const char *actor,
                    const char *action, const char *target, const char *detail, char out[65])
{
	char num[48];
	unsigned char digest[32];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof digest);
	absorb(&st, "jiazheng-audit-v1");
	absorb(&st, prev_hash);
	snprintf(num, sizeof num, "%" PRId64 ":%" PRId64, id, at);
	absorb(&st, num);
	absorb(&st, actor);
	absorb(&st, action);
	absorb(&st, target);
	absorb(&st, detail);
	crypto_generichash_final(&st, digest, sizeof digest);
	sodium_bin2hex(out, 65, digest, sizeof digest);
}
