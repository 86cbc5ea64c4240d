/*
 * fd.c: descriptors made right at creation, after APUE 13.7 (every descriptor the daemon opens
 * is close-on-exec) and OpenSSH's sanitise_stdfd().
 *
 * Where the system has the atomic calls (pipe2, SOCK_CLOEXEC, accept4: have.h says), they
 * are used; elsewhere (macOS) fcntl() sets the flags right after creation. Between the two,
 * another thread's fork+exec would inherit the descriptor; this daemon never execs, and is
 * single-threaded wherever it creates descriptors before its threads start.
 * make PORTABLE=1 forces the fallbacks on Linux too, so that make check proves them.
 */
#include "compat.h"

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "fd.h"

/*
 * Makes sure descriptors 0, 1 and 2 are open, on /dev/null where they are not (OpenSSH's
 * sanitise_stdfd). Started as `prog >&- 2>&-`, the next descriptors the daemon opens (the
 * readiness pipe, the pid file) would otherwise get those numbers: dup2 of /dev/null onto 0-2
 * would then overwrite the pipe, and stderr output would land in the pid file. The first thing
 * main() does. Returns 0, or -1 with errno set (no /dev/null).
 */
int
stdio_sanitise(void)
{
	int	fd;

	while (fcntl(STDERR_FILENO, F_GETFD) == -1 || fcntl(STDOUT_FILENO, F_GETFD) == -1 ||
	    fcntl(STDIN_FILENO, F_GETFD) == -1) {
		/* open() returns the lowest free number: one of the closed ones. */
		if ((fd = open("/dev/null", O_RDWR | O_NOCTTY)) == -1)
			return -1;
		if (fd > STDERR_FILENO) {
			(void)close(fd);	/* cannot happen: some number below 3 was free */
			break;
		}
	}
	return 0;
}

/*
 * The fallback for the atomic calls: ORs FD_CLOEXEC (and O_NONBLOCK if asked) into the flags of
 * a descriptor just created. Returns fd, or -1 with errno set and fd closed; fd -1 (a failed
 * creation) is passed through.
 */
int
fd_cloexec(int fd, int nonblock)
{
	int	flags, saved;

	if (fd == -1)
		return -1;
	if ((flags = fcntl(fd, F_GETFD)) == -1 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == -1)
		goto fail;
	if (nonblock &&
	    ((flags = fcntl(fd, F_GETFL)) == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1))
		goto fail;
	return fd;
fail:
	saved = errno;
	(void)close(fd);
	errno = saved;
	return -1;
}

#if !defined(HAVE_PIPE2) || !defined(HAVE_SOCK_CLOEXEC)
/* fd_cloexec() on both ends of a new pair; on failure both are closed. */
static int
pair_cloexec(int fds[2], int nonblock)
{
	int	saved;

	if (fd_cloexec(fds[0], nonblock) == -1) {
		saved = errno;
		(void)close(fds[1]);
		errno = saved;
		return -1;
	}
	if (fd_cloexec(fds[1], nonblock) == -1) {
		saved = errno;
		(void)close(fds[0]);
		errno = saved;
		return -1;
	}
	return 0;
}
#endif

/* A pipe, both ends close-on-exec. */
int
pipe_cloexec(int fds[2])
{
#if defined(HAVE_PIPE2)
	return pipe2(fds, O_CLOEXEC);
#else
	if (pipe(fds) == -1)
		return -1;
	return pair_cloexec(fds, 0);
#endif
}

/*
 * A connected pair of UNIX stream sockets, both ends non-blocking and close-on-exec: a wake-up
 * channel (a self-pipe). A socketpair rather than a pipe, so that the self-test can tell the
 * daemon's own descriptors from a leaked pipe.
 */
int
wakeup_pair(int sv[2])
{
#if defined(HAVE_SOCK_CLOEXEC)
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv);
#else
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	return pair_cloexec(sv, 1);
#endif
}

/* An AF_UNIX socket of the given type, close-on-exec, and non-blocking if asked. */
int
socket_cloexec(int type, int nonblock)
{
#if defined(HAVE_SOCK_CLOEXEC)
	return socket(AF_UNIX, type | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
#else
	return fd_cloexec(socket(AF_UNIX, type, 0), nonblock);
#endif
}

/* The next connection on lfd, non-blocking and close-on-exec. */
int
accept_cloexec(int lfd)
{
#if defined(HAVE_ACCEPT4)
	return accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
	/* POSIX leaves it open whether O_NONBLOCK is inherited from the listener: set it. */
	return fd_cloexec(accept(lfd, NULL, NULL), 1);
#endif
}

/*
 * The address of the UNIX socket at path, and its length. On Linux, a path that starts with '@'
 * names an abstract socket (sd_notify(3)'s NOTIFY_SOCKET may be one): the name is the bytes after
 * a leading NUL, with no NUL at the end; elsewhere '@' is an ordinary character. Fails with
 * ENAMETOOLONG when the path does not fit.
 */
int
unix_addr(const char *path, struct sockaddr_un *sun, socklen_t *len)
{
	size_t	plen = strlen(path);

	if (plen >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, plen);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen + 1);
#if defined(__linux__)
	if (path[0] == '@') {
		sun->sun_path[0] = '\0';
		*len -= 1;
	}
#endif
	return 0;
}
