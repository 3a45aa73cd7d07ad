/* `jiazheng demo --workers N`: generates N realistic workers for the demo companies and
 * enrols them, many per transaction, so that N = 1,000,000 stays practical. */
#ifndef JZ_CLI_DEMO_WORKERS_H
#define JZ_CLI_DEMO_WORKERS_H

#include <stdint.h>

#include "services/service.h"
#include "util/buf.h"

/* An active demo company that employs workers. */
typedef struct jz_demo_employer {
	int64_t id;
	char actor[64];     /* its admin account as the audit log names it: "user:<id>:<uscc>" */
	const char *county; /* region code (static storage) */
} jz_demo_employer;

/* Creates `count` workers spread over the employers, deterministically from `seed` (except
 * the random nonces of sealed values and the consent codes). ctx->keys must be set. Each
 * batch is one transaction with one audit entry "demo.workers". Appends to `out` one line
 * "worker  <masked name>  phone <phone>  consent code <8 digits>" for each of (at most)
 * two workers left unconsented with a one-time code valid 7 days. Shows progress on
 * stderr when it is a terminal. On failure prints why on stderr and returns false. */
bool jz_demo_workers(const jz_ctx *ctx, const jz_demo_employer *employers, size_t n_employers,
                     uint64_t seed, uint64_t count, jz_buf *out);

#endif
