/* Giving up root: a server started as root binds its port, then becomes the account the
 * operator named (serve --user) for good, before it opens the database or starts a thread. */
#ifndef JZ_UTIL_PRIVILEGES_H
#define JZ_UTIL_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct jz_identity {
	char name[64]; /* the account's name, for initgroups */
	uid_t uid;
	gid_t gid;
} jz_identity;

/* Looks up account `user` and, when `group` is not NULL, that group instead of the
 * account's own. False with the reason in why[size] when either does not exist. */
bool jz_privileges_lookup(const char *user, const char *group, jz_identity *out, char *why, size_t size);

/* Becomes `id` for good: the account's supplementary groups, then its group, then its user
 * (this order: once the uid is not 0 the groups can no longer change). glibc applies each
 * change to every thread of the process. Checks afterwards that root cannot be regained.
 * False with the reason in why[size]; the caller must then stop. */
bool jz_privileges_drop(const jz_identity *id, char *why, size_t size);

#endif
