/*
 * notify.c: the sd_notify(3) datagram protocol, after systemd's self-contained MIT-0 example.
 *
 * A no-op when NOTIFY_SOCKET is unset, so the same code runs under every supervisor. The
 * socket is a path or, on Linux, an abstract name written with a leading '@'. Each message
 * uses a fresh close-on-exec datagram socket (fd.c), closed at once: nothing stays open while
 * idle.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fd.h"
#include "notify.h"

#define NOTIFY_MAX	1024

int
notify_send(const char *state)
{
	struct sockaddr_un	 sun;
	const char		*path;
	size_t			 slen;
	socklen_t		 alen;
	ssize_t			 n;
	int			 fd, rc = 0;

	path = getenv("NOTIFY_SOCKET");
	if (path == NULL || path[0] == '\0')
		return 0;
	if (path[0] != '/' && path[0] != '@')
		return -EAFNOSUPPORT;
	if (unix_addr(path, &sun, &alen) == -1)
		return -errno;
	if ((fd = socket_cloexec(SOCK_DGRAM, 0)) == -1)
		return -errno;
	slen = strlen(state);
	n = sendto(fd, state, slen, 0, (struct sockaddr *)&sun, alen);
	if (n == -1)
		rc = -errno;
	else if ((size_t)n != slen)
		rc = -EMSGSIZE;
	(void)close(fd);
	return rc;
}

/* READY=1, at start and after each reload, with a human-readable STATUS= line. */
int
notify_ready(const char *status)
{
	char	buf[NOTIFY_MAX];

	(void)snprintf(buf, sizeof(buf), "READY=1\nSTATUS=%s", status);
	return notify_send(buf);
}

/*
 * RELOADING=1 with MONOTONIC_USEC=, the clock reading systemd needs to match this reload to
 * the ExecReload= request that caused it. READY=1 follows once the reload has finished.
 */
int
notify_reloading(void)
{
	struct timespec	ts;
	char		buf[128];

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return -errno;
	(void)snprintf(buf, sizeof(buf), "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000ULL);
	return notify_send(buf);
}

int
notify_stopping(void)
{
	return notify_send("STOPPING=1\nSTATUS=stopping");
}
