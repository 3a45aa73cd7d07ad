/* Dropping root after binding the port (serve --user). See privileges.h. */
#include "util/privileges.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool
jz_privileges_lookup(const char *user, const char *group, jz_identity *out, char *why, size_t size)
{
	errno = 0;
	const struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(why, size, "--user: no account '%s' on this system", user);
		return false;
	}
	if (strlen(user) >= sizeof out->name) {
		snprintf(why, size, "--user: the name '%s' is too long", user);
		return false;
	}
	snprintf(out->name, sizeof out->name, "%s", user);
	out->uid = pw->pw_uid;
	out->gid = pw->pw_gid;
	if (group) {
		const struct group *gr = getgrnam(group);
		if (!gr) {
			snprintf(why, size, "--group: no group '%s' on this system", group);
			return false;
		}
		out->gid = gr->gr_gid;
	}
	return true;
}

bool
jz_privileges_drop(const jz_identity *id, char *why, size_t size)
{
	if (initgroups(id->name, id->gid) != 0) {
		snprintf(why, size, "initgroups(%s): %s", id->name, strerror(errno));
		return false;
	}
	if (setgid(id->gid) != 0) {
		snprintf(why, size, "setgid(%u): %s", (unsigned)id->gid, strerror(errno));
		return false;
	}
	if (setuid(id->uid) != 0) {
		snprintf(why, size, "setuid(%u): %s", (unsigned)id->uid, strerror(errno));
		return false;
	}
	if (getuid() != id->uid || geteuid() != id->uid || getgid() != id->gid || getegid() != id->gid) {
		snprintf(why, size, "the process is not %s after setuid", id->name);
		return false;
	}
	/* setuid from root changes the saved uid too; prove that root is gone for good. */
	if (id->uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(why, size, "root could be regained after switching to %s", id->name);
		return false;
	}
	return true;
}
