/*
 * privdrop.c: become an unprivileged account, for good (daemon(7) step 13).
 *
 * The account is looked up in a short-lived child process: the account database (NSS) loads
 * shared modules (libnss_systemd and what it pulls in), and done in the daemon they would stay
 * mapped and resident for its whole life. The child sends back the uid, the gid and the
 * supplementary groups.
 *
 * Then the order matters: supplementary groups first (setgroups), then the group, then the
 * user; once the uid is gone the other two can no longer be changed. Last, the proof: root
 * cannot be regained, setuid(0) must fail.
 *
 * When the daemon is not started as root there is nothing to give up: a supervisor already
 * started it as the account (systemd User=, runit chpst -u), or someone runs it unprivileged
 * to try it out. privdrop() then returns 1 and changes nothing.
 */
/* setgroups(2) and getgrouplist(3) are in every Unix and in no standard: compat.h shows them. */
#include "compat.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fd.h"
#include "errstr.h"
#include "log.h"
#include "privdrop.h"

#define PRIVDROP_GROUPS_MAX	256

/* What the lookup child reports. */
struct account {
	int	found;
	uid_t	uid;
	gid_t	gid;
	int	ngroups;
	gid_t	groups[PRIVDROP_GROUPS_MAX];
	char	why[160];
};

static void
privdrop_error(char *err, size_t errlen, const char *what, const char *user)
{
	char	why[128];
	int	saved = errno;

	(void)snprintf(err, errlen, "cannot %s %s: %s", what, user,
	    errstr(saved, why, sizeof(why)));
	errno = saved;
}

/* getgrouplist(3) fills gid_t on Linux and the BSDs, int on macOS. */
static int
group_list(const char *user, gid_t base, gid_t *groups, int *n)
{
#if defined(__APPLE__)
	int	list[PRIVDROP_GROUPS_MAX], i, rc;

	if (*n > PRIVDROP_GROUPS_MAX)
		*n = PRIVDROP_GROUPS_MAX;
	rc = getgrouplist(user, (int)base, list, n);
	for (i = 0; i < *n && i < PRIVDROP_GROUPS_MAX; i++)
		groups[i] = (gid_t)list[i];
	return rc;
#else
	return getgrouplist(user, base, groups, n);
#endif
}

/* The child's side: look the account up and write the answer. */
static _Noreturn void
account_child(const char *user, int fd)
{
	struct account	 a;
	struct passwd	*pw;

	memset(&a, 0, sizeof(a));
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		(void)snprintf(a.why, sizeof(a.why), "no account %s%s%s", user,
		    errno != 0 ? ": " : "", errno != 0 ? strerror(errno) : "");
	} else {
		a.uid = pw->pw_uid;
		a.gid = pw->pw_gid;
		a.ngroups = PRIVDROP_GROUPS_MAX;
		if (group_list(user, pw->pw_gid, a.groups, &a.ngroups) == -1)
			(void)snprintf(a.why, sizeof(a.why), "%s is in more than %d groups", user,
			    PRIVDROP_GROUPS_MAX);
		else
			a.found = 1;
	}
	(void)write(fd, &a, sizeof(a));
	_exit(0);
}

static int
account_lookup(const char *user, struct account *a, char *err, size_t errlen)
{
	int	fds[2], status;
	size_t	got = 0;
	ssize_t	n;
	pid_t	pid;

	/* Single-threaded still: pipe_cloexec's fallback leaves no window for a leak. */
	if (pipe_cloexec(fds) == -1) {
		privdrop_error(err, errlen, "look up account", user);
		return -1;
	}
	if ((pid = fork()) == -1) {
		privdrop_error(err, errlen, "look up account", user);
		(void)close(fds[0]);
		(void)close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		(void)close(fds[0]);
		account_child(user, fds[1]);
	}
	(void)close(fds[1]);
	while (got < sizeof(*a)) {
		n = read(fds[0], (char *)a + got, sizeof(*a) - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	(void)close(fds[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		continue;
	if (got != sizeof(*a)) {
		(void)snprintf(err, errlen, "cannot look up account %s: the lookup process died",
		    user);
		return -1;
	}
	if (!a->found) {
		(void)snprintf(err, errlen, "cannot drop privileges: %s", a->why);
		return -1;
	}
	return 0;
}

/*
 * Returns 0 once dropped, 1 when not root (nothing to drop), -1 with err filled. handover, when
 * not NULL, is a file the daemon created as root and must still serve as the account (the echo
 * socket): it is given to the account first, so that the account's clients can connect to it
 * whichever init system started the daemon, and so that a later socket (after a reload) and
 * this one have the same owner.
 */
int
privdrop(const char *user, const char *handover, char *err, size_t errlen)
{
	struct account	a;

	if (geteuid() != 0)
		return 1;
	if (account_lookup(user, &a, err, errlen) == -1)
		return -1;
	if (handover != NULL && handover[0] == '/' && lchown(handover, a.uid, a.gid) == -1) {
		char	why[128];

		(void)snprintf(err, errlen, "cannot give %s to %s: %s", handover, user,
		    errstr(errno, why, sizeof(why)));
		return -1;
	}
	if (setgroups((size_t)a.ngroups, a.groups) == -1) {
		privdrop_error(err, errlen, "set the supplementary groups of", user);
		return -1;
	}
	if (setgid(a.gid) == -1) {
		privdrop_error(err, errlen, "set the group id of", user);
		return -1;
	}
	if (setuid(a.uid) == -1) {
		privdrop_error(err, errlen, "set the user id of", user);
		return -1;
	}
	/* The proof: with real, effective and saved ids all changed, root is out of reach. */
	if (a.uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		(void)snprintf(err, errlen, "dropped to %s but could regain root", user);
		return -1;
	}
	if (getuid() != a.uid || geteuid() != a.uid || getgid() != a.gid ||
	    getegid() != a.gid) {
		(void)snprintf(err, errlen, "dropped to %s but the ids did not all change", user);
		return -1;
	}
	return 0;
}
