/* Audit entries for use cases, and verification of the hash chain. */
#include "services/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit_chain.h"

bool
jz_svc_audit(const jz_ctx *ctx, const char *action, const char *target, const char *detail,
             jz_err *err)
{
	char *actor = jz_svc_actor(ctx);
	jz_db_status s = jz_store_audit_append(ctx->db, ctx->now, actor, action, target ? target : "",
	                                       detail ? detail : "{}");
	free(actor);
	return s == JZ_DB_OK || jz_svc_db_failed(s, err);
}

typedef struct walk {
	jz_audit_check *out;
	char prev[65];
} walk;

static bool
check_entry(const jz_audit_entry *e, void *arg)
{
	walk *w = arg;
	jz_audit_check *out = w->out;
	char hash[65];
	out->entries++;
	if (e->id != out->entries) {
		out->broken_id = out->entries;
		snprintf(out->problem, sizeof out->problem,
		         "missing: the entry after %" PRId64 " has number %" PRId64, out->entries - 1, e->id);
		return false;
	}
	if (strcmp(e->prev_hash, w->prev) != 0) {
		out->broken_id = e->id;
		snprintf(out->problem, sizeof out->problem, "does not chain to the entry before it");
		return false;
	}
	jz_audit_chain_hash(e->prev_hash, e->id, e->at, e->actor, e->action, e->target, e->detail, hash);
	if (strcmp(hash, e->hash) != 0) {
		out->broken_id = e->id;
		snprintf(out->problem, sizeof out->problem, "altered: its content does not match its hash");
		return false;
	}
	memcpy(w->prev, e->hash, sizeof w->prev);
	return true;
}

bool
jz_svc_audit_verify(jz_db *db, jz_audit_check *out)
{
	memset(out, 0, sizeof *out);
	walk w = {out, JZ_AUDIT_GENESIS};
	if (jz_store_audit_each(db, check_entry, &w) != JZ_DB_OK)
		return false;
	if (out->broken_id)
		return true;
	int64_t seq;
	char head[65];
	if (jz_store_audit_head(db, &seq, head) != JZ_DB_OK)
		return false;
	/* Entries cut from the end leave the head pointing past the last one. */
	if (seq != out->entries || strcmp(head, w.prev) != 0) {
		out->broken_id = out->entries + 1;
		snprintf(out->problem, sizeof out->problem,
		         "missing: the log ends at %" PRId64 " but its head records %" PRId64,
		         out->entries, seq);
	}
	return true;
}
