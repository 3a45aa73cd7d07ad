/* The audit log's hash chain: each entry's hash covers the previous entry's hash and all
 * of its own fields, so changing, removing or reordering any entry breaks every hash after
 * it. Pure computation (BLAKE2b-256 via libsodium). */
#ifndef JZ_CORE_AUDIT_CHAIN_H
#define JZ_CORE_AUDIT_CHAIN_H

#include <stdint.h>

#define JZ_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Writes the lowercase hex hash (64 characters + NUL) of an entry into out. */
void jz_audit_chain_hash(const char *prev_hash, int64_t id, int64_t at, const char *actor,
                         const char *action, const char *target, const char *detail,
                         char out[65]);

#endif
