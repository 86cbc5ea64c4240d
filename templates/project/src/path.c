/*
 * path.c: turns a path as written into one the daemon can use for its whole life.
 *
 * "$XDG_RUNTIME_DIR/..." (per-user services) is expanded from the environment at run time; a
 * relative path is made absolute against the start-up directory, because the daemon moves to
 * "/" (APUE 13.3 rule 4) and re-reads its config there on SIGHUP. "@name" (a Linux abstract
 * socket) is kept as it is. macOS has no XDG_RUNTIME_DIR: there a LaunchAgent's per-user run-time
 * files go to its TMPDIR, which launchd sets to a directory only that user can enter.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path.h"

#define XDG_PREFIX	"$XDG_RUNTIME_DIR/"

/* Returns 0 with out filled, or -1 with err saying why (never both out and err touched). */
int
path_expand(const char *in, char *out, size_t outlen, char *err, size_t errlen)
{
	char		 cwd[PATH_MAX];
	const char	*dir;
	int		 n;

	if (strncmp(in, XDG_PREFIX, sizeof(XDG_PREFIX) - 1) == 0) {
		dir = getenv("XDG_RUNTIME_DIR");
#ifdef __APPLE__
		if (dir == NULL)
			dir = getenv("TMPDIR");
#endif
		if (dir == NULL || dir[0] != '/') {
			(void)snprintf(err, errlen, "%s: XDG_RUNTIME_DIR is %s; a per-user service "
			    "needs it (systemd --user and pam_systemd set it)", in,
			    dir == NULL ? "not set" : "not an absolute path");
			return -1;
		}
		n = snprintf(out, outlen, "%s/%s", dir, in + sizeof(XDG_PREFIX) - 1);
	} else if (in[0] == '/' || in[0] == '@') {
		n = snprintf(out, outlen, "%s", in);
	} else {
		if (getcwd(cwd, sizeof(cwd)) == NULL) {
			(void)snprintf(err, errlen, "%s: cannot make it absolute: %s", in,
			    strerror(errno));
			return -1;
		}
		n = snprintf(out, outlen, "%s/%s", cwd, in);
	}
	if (n < 0 || (size_t)n >= outlen) {
		(void)snprintf(err, errlen, "%.64s...: path too long (at most %zu bytes)", in,
		    outlen - 1);
		return -1;
	}
	return 0;
}
