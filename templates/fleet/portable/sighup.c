/*
 * sighup.c: the portable service's ExecReload= (fleet/portable/<%- name %>.service): sends SIGHUP to
 * the pid given, as `kill -HUP PID` would on a host. The image holds the static daemon and nothing
 * else, no /bin/kill; systemd 252 has no Type=notify-reload, which would send the signal itself.
 *
 * usage: sighup pid     exit 0 sent, 64 usage, 1 kill(2) failed (the reason on stderr)
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

int
main(int argc, char *argv[])
{
	char	*end;
	long	 pid;

	if (argc != 2) {
		(void)fprintf(stderr, "usage: sighup pid\n");
		return 64;
	}
	errno = 0;
	pid = strtol(argv[1], &end, 10);
	/* Never 0, -1 or a negative number: kill(2) would signal a process group or everyone. */
	if (errno != 0 || end == argv[1] || *end != '\0' || pid < 1 || pid > INT_MAX) {
		(void)fprintf(stderr, "sighup: not a process id: \"%s\"\n", argv[1]);
		return 64;
	}
	if (kill((pid_t)pid, SIGHUP) == -1) {
		(void)fprintf(stderr, "sighup: kill %ld: %s\n", pid, strerror(errno));
		return 1;
	}
	return 0;
}
