/*
 * privdrop.c: become an unprivileged account, for good (daemon(7) step 13).
 *
 * The order matters: supplementary groups first (initgroups), then the group, then the user;
 * once the uid is gone the other two can no longer be changed. Then a check that root cannot be
 * regained: setuid(0) must fail.
 *
 * When the daemon is not started as root there is nothing to give up: a supervisor already
 * started it as the account (systemd User=, runit chpst -u), or someone runs it unprivileged
 * to try it out. privdrop() then returns 1 and changes nothing.
 */
#if defined(__linux__)
#define _DEFAULT_SOURCE		/* initgroups(3) in glibc */
#endif

#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "privdrop.h"

static void
privdrop_error(char *err, size_t errlen, const char *what, const char *user)
{
	char	why[128];
	int	saved = errno;

	if (strerror_r(saved, why, sizeof(why)) != 0)
		(void)snprintf(why, sizeof(why), "error %d", saved);
	(void)snprintf(err, errlen, "cannot %s %s: %s", what, user, why);
	errno = saved;
}

/* Returns 0 once dropped, 1 when not root (nothing to drop), -1 with err filled. */
int
privdrop(const char *user, char *err, size_t errlen)
{
	struct passwd	*pw;
	uid_t		 uid;
	gid_t		 gid;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		if (errno == 0)
			(void)snprintf(err, errlen, "cannot drop privileges: no account %s", user);
		else
			privdrop_error(err, errlen, "look up account", user);
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (geteuid() != 0)
		return 1;

	if (initgroups(user, gid) == -1) {
		privdrop_error(err, errlen, "set the supplementary groups of", user);
		return -1;
	}
	if (setgid(gid) == -1) {
		privdrop_error(err, errlen, "set the group id of", user);
		return -1;
	}
	if (setuid(uid) == -1) {
		privdrop_error(err, errlen, "set the user id of", user);
		return -1;
	}
	/* The proof: with real, effective and saved ids all changed, root is out of reach. */
	if (uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		(void)snprintf(err, errlen, "dropped to %s but could regain root", user);
		return -1;
	}
	if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid) {
		(void)snprintf(err, errlen, "dropped to %s but the ids did not all change", user);
		return -1;
	}
	return 0;
}
