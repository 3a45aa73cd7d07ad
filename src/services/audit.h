/* Writing and checking the audit log. */
#ifndef JZ_SERVICES_AUDIT_H
#define JZ_SERVICES_AUDIT_H

#include "services/service.h"

/* Appends an entry for the acting user; call inside the use case's transaction. detail is
 * compact JSON without personal data. */
bool jz_svc_audit(const jz_ctx *ctx, const char *action, const char *target, const char *detail,
                  jz_err *err);

typedef struct jz_audit_check {
	int64_t entries;   /* entries read */
	int64_t broken_id; /* first broken entry, 0 when the chain is whole */
	char problem[160]; /* what is wrong with it */
} jz_audit_check;

/* Recomputes the chain from the first entry to the head. Returns false only when the
 * database cannot be read; a broken chain is reported in *out. */
bool jz_svc_audit_verify(jz_db *db, jz_audit_check *out);

#endif
