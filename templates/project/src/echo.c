/*
 * echo.c: the payload. A UNIX stream socket server that sends each line back to its client
 * (the client-server model of APUE 13.1).
 *
 * Every client is served from the same loop, with non-blocking descriptors: a client that
 * stops reading, sends a huge line or vanishes mid-line costs only its own descriptor and
 * buffer, never the daemon's attention. A line is echoed once complete, so a client may send
 * it whole before reading; a line longer than ECHO_LINE_MAX is echoed in pieces as it arrives.
 * While a client's echo waits to be sent, nothing more is read from it: a client that never
 * reads is throttled by its own socket buffer, and memory stays bounded per client.
 *
 * The socket file: a stale one (left by kill -9: nobody listens) is replaced; a live one, or
 * anything that is not a socket, is never removed. At exit only the file this process created
 * is removed. "@name" binds a Linux abstract socket, which has no file at all.
 *
 * It forks no children. Work that needs one must reap it without blocking the loop: a
 * waitpid(-1, &status, WNOHANG) loop each time the loop wakes up after SIGCHLD.
 */
#include "compat.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "errstr.h"
#include "fd.h"
#include "log.h"
#include "payload.h"
#include "timespec.h"

#define ECHO_LINE_MAX	(2 * 1024 * 1024)	/* longest line echoed whole */
#define ECHO_BUF_MIN	4096			/* first buffer of a client */
#define ECHO_CLIENTS	16			/* first size of the client table */

/*
 * MSG_NOSIGNAL turns a client's hang-up mid-reply into EPIPE instead of SIGPIPE. macOS lacks it
 * (SO_NOSIGPIPE is its per-socket twin); none is needed there, since main.c ignores SIGPIPE for
 * the whole process from the moment it detaches. PORTABLE=1 goes without, so that make check
 * proves the process-wide ignore alone suffices.
 */
#if defined(HAVE_MSG_NOSIGNAL)
#define ECHO_SEND_FLAGS	MSG_NOSIGNAL
#else
#define ECHO_SEND_FLAGS	0
#endif

struct client {
	char	*buf;
	size_t	 cap;		/* bytes allocated; 0 while idle */
	size_t	 len;		/* bytes received and not yet echoed */
	size_t	 ready;		/* of those, the ones to echo: through the last newline */
	size_t	 sent;		/* of those, the ones already sent */
	int	 eof;		/* the client has shut down its sending side */
};

struct payload {
	struct pollfd	*fds;	/* [0] the loop's, [1] the listener, [2...] the clients */
	struct client	*cl;	/* cl[i] goes with fds[i], for i >= 2 */
	nfds_t		 n, cap;
	struct config	 cf;
	struct stat	 st;	/* the socket file this process created */
	int		 paused;	/* out of descriptors: stop accepting until a client leaves */
	struct timespec	 retry;	/* paused by an accept error: try again then (CLOCK_MONOTONIC) */
};

/* How long the listener rests after accept(2) fails for want of a resource (EMFILE, ENOBUFS...). */
#define ECHO_RETRY_SEC	1

static void
echo_syserr(char *err, size_t errlen, const char *what, const char *path)
{
	char	why[128];
	int	saved = errno;

	(void)snprintf(err, errlen, "cannot %s %s: %s", what, path,
	    errstr(saved, why, sizeof(why)));
	errno = saved;
}

/* 1 when path is a socket nobody listens on (a kill -9 leftover); else 0 or -1, err filled. */
static int
echo_stale(const char *path, const struct sockaddr_un *sun, socklen_t len, char *err,
    size_t errlen)
{
	struct stat	st;
	int		fd, rc;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 1;	/* gone meanwhile: bind again */
		echo_syserr(err, errlen, "check", path);
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		(void)snprintf(err, errlen, "cannot listen on %s: it exists and is not a socket",
		    path);
		return 0;
	}
	if ((fd = socket_cloexec(SOCK_STREAM, 1)) == -1) {
		echo_syserr(err, errlen, "check", path);
		return -1;
	}
	/* Non-blocking: a live server with a full backlog answers EAGAIN instead of hanging us. */
	if (connect(fd, (const struct sockaddr *)sun, len) == 0 || errno == EAGAIN ||
	    errno == EINPROGRESS) {
		(void)snprintf(err, errlen, "cannot listen on %s: another process is listening "
		    "on it", path);
		rc = 0;
	} else if (errno == ECONNREFUSED) {
		rc = 1;
	} else {
		echo_syserr(err, errlen, "check", path);
		rc = -1;
	}
	(void)close(fd);
	return rc;
}

/* Returns a listening descriptor on path, and in *st the file it created. */
static int
echo_listen(const char *path, struct stat *st, char *err, size_t errlen)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	int			fd, saved;

	memset(st, 0, sizeof(*st));
	if (unix_addr(path, &sun, &len) == -1 || (fd = socket_cloexec(SOCK_STREAM, 1)) == -1) {
		echo_syserr(err, errlen, "listen on", path);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sun, len) == -1) {
		if (errno != EADDRINUSE || path[0] == '@') {
			echo_syserr(err, errlen, "bind", path);
			goto fail;
		}
		if (echo_stale(path, &sun, len, err, errlen) != 1)
			goto fail;
		if ((unlink(path) == -1 && errno != ENOENT) ||
		    bind(fd, (struct sockaddr *)&sun, len) == -1) {
			echo_syserr(err, errlen, "replace stale socket", path);
			goto fail;
		}
	}
	if ((path[0] != '@' && lstat(path, st) == -1) || listen(fd, SOMAXCONN) == -1) {
		echo_syserr(err, errlen, "listen on", path);
		if (path[0] != '@')
			(void)unlink(path);
		goto fail;
	}
	return fd;
fail:
	saved = errno;
	(void)close(fd);
	errno = saved;
	return -1;
}

/* Removes the socket file, if it is still the one this process created. */
static void
echo_unlink(const char *path, const struct stat *st)
{
	struct stat	now;

	if (path[0] == '@')
		return;
	if (lstat(path, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino &&
	    unlink(path) == -1)
		log_warn("cannot remove %s", path);
}

static void
client_drop(struct payload *p, nfds_t i)
{
	(void)close(p->fds[i].fd);
	free(p->cl[i].buf);
	p->n--;
	p->fds[i] = p->fds[p->n];
	p->cl[i] = p->cl[p->n];
	p->paused = 0;
	p->retry.tv_sec = 0;
}

/* Room for one more client in the tables. */
static int
echo_grow(struct payload *p)
{
	struct pollfd	*fds;
	struct client	*cl;
	nfds_t		 cap;

	if (p->n < p->cap)
		return 0;
	cap = p->cap * 2;
	if ((fds = realloc(p->fds, cap * sizeof(*fds))) == NULL)
		return -1;
	p->fds = fds;
	if ((cl = realloc(p->cl, cap * sizeof(*cl))) == NULL)
		return -1;
	p->cl = cl;
	p->cap = cap;
	return 0;
}

static void
echo_accept(struct payload *p)
{
	int	fd;

	for (;;) {
		if (echo_grow(p) == -1) {
			log_warn("cannot accept more clients on %s", p->cf.socket);
			p->paused = 1;
			return;
		}
		fd = accept_cloexec(p->fds[1].fd);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				/*
				 * EMFILE and friends: the connection stays queued and the listener
				 * readable, so retrying now would spin (and flood the log). Rest
				 * until a client leaves or ECHO_RETRY_SEC pass, whichever is first:
				 * with no client connected, none would ever leave.
				 */
				log_warn("cannot accept a client on %s; retrying in %d s",
				    p->cf.socket, ECHO_RETRY_SEC);
				p->paused = 1;
				if (clock_gettime(CLOCK_MONOTONIC, &p->retry) == 0)
					p->retry.tv_sec += ECHO_RETRY_SEC;
			}
			return;
		}
		p->fds[p->n].fd = fd;
		memset(&p->cl[p->n], 0, sizeof(p->cl[p->n]));
		p->n++;
	}
}

/* Returns -1 when the client must go. */
static int
client_read(struct client *c, int fd)
{
	size_t	 cap, i;
	ssize_t	 n;
	char	*buf;

	if (c->len == c->cap) {
		cap = c->cap == 0 ? ECHO_BUF_MIN : c->cap * 2;
		if (cap > ECHO_LINE_MAX)
			cap = ECHO_LINE_MAX;
		if ((buf = realloc(c->buf, cap)) == NULL)
			return -1;
		c->buf = buf;
		c->cap = cap;
	}
	n = read(fd, c->buf + c->len, c->cap - c->len);
	if (n == -1)
		return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
	if (n == 0) {
		/* The client is done sending: what is left of a line cut short goes back too. */
		c->eof = 1;
		c->ready = c->len;
		return 0;
	}
	for (i = c->len + (size_t)n; i > c->len; i--) {
		if (c->buf[i - 1] == '\n') {
			c->ready = i;
			break;
		}
	}
	c->len += (size_t)n;
	if (c->len == ECHO_LINE_MAX)
		c->ready = c->len;	/* a line too long to hold: echo what we have */
	return 0;
}

static int
client_write(struct client *c, int fd)
{
	ssize_t	n;

	n = send(fd, c->buf + c->sent, c->ready - c->sent, ECHO_SEND_FLAGS);
	if (n == -1)
		return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
	c->sent += (size_t)n;
	if (c->sent < c->ready)
		return 0;
	memmove(c->buf, c->buf + c->ready, c->len - c->ready);
	c->len -= c->ready;
	c->ready = c->sent = 0;
	if (c->len == 0) {
		/* Idle clients hold no buffer: a thousand of them cost a thousand descriptors. */
		free(c->buf);
		c->buf = NULL;
		c->cap = 0;
	}
	return 0;
}

int
payload_open(struct payload **pp, const struct config *cf, char *err, size_t errlen)
{
	struct payload	*p;
	int		 saved;

#if defined(__GLIBC__)
	/*
	 * A long line's buffer gets its own mapping, returned to the system when freed. Left to
	 * itself, glibc raises this threshold after the first big free, and a daemon that once
	 * echoed a 1 MiB line would keep megabytes resident for the rest of its life.
	 */
	(void)mallopt(M_MMAP_THRESHOLD, 64 * 1024);
#endif
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->fds = calloc(ECHO_CLIENTS, sizeof(*p->fds))) == NULL ||
	    (p->cl = calloc(ECHO_CLIENTS, sizeof(*p->cl))) == NULL) {
		echo_syserr(err, errlen, "listen on", cf->socket);
		goto fail;
	}
	p->cap = ECHO_CLIENTS;
	p->cf = *cf;
	p->fds[0].fd = -1;
	if ((p->fds[1].fd = echo_listen(cf->socket, &p->st, err, errlen)) == -1)
		goto fail;
	p->n = 2;
	*pp = p;
	return 0;
fail:
	saved = errno;
	if (p != NULL) {
		free(p->fds);
		free(p->cl);
		free(p);
	}
	errno = saved;
	return -1;
}

/* A new socket path is bound before the old one is let go: a failure changes nothing. */
int
payload_apply(struct payload *p, const struct config *cf, char *err, size_t errlen)
{
	struct stat	st;
	int		fd;

	if (strcmp(cf->socket, p->cf.socket) != 0) {
		if ((fd = echo_listen(cf->socket, &st, err, errlen)) == -1)
			return -1;
		echo_unlink(p->cf.socket, &p->st);
		(void)close(p->fds[1].fd);
		p->fds[1].fd = fd;
		p->st = st;
		p->paused = 0;
		p->retry.tv_sec = 0;
	}
	p->cf = *cf;
	return 0;
}

struct pollfd *
payload_pollfds(struct payload *p, nfds_t *n)
{
	struct client	*c;
	struct timespec	 now;
	nfds_t		 i;

	if (p->paused && p->retry.tv_sec != 0 && clock_gettime(CLOCK_MONOTONIC, &now) == 0 &&
	    !ts_before(&now, &p->retry)) {
		p->paused = 0;
		p->retry.tv_sec = 0;
	}
	p->fds[0].revents = 0;
	p->fds[1].events = p->paused ? 0 : POLLIN;
	p->fds[1].revents = 0;
	for (i = 2; i < p->n; i++) {
		c = &p->cl[i];
		p->fds[i].events = c->sent < c->ready ? POLLOUT : c->eof ? 0 : POLLIN;
		p->fds[i].revents = 0;
	}
	*n = p->n;
	return p->fds;
}

int
payload_timeout(const struct payload *p, struct timespec *left)
{
	struct timespec	now;

	/* No deadline, but the end of a rest after an accept error: sleep until then at most. */
	if (!p->paused || p->retry.tv_sec == 0 || clock_gettime(CLOCK_MONOTONIC, &now) == -1)
		return 0;
	ts_left(&p->retry, &now, left);
	return 1;
}

void
payload_dispatch(struct payload *p)
{
	struct client	*c;
	nfds_t		 i;
	short		 re;
	int		 rc;

	/* Backwards: dropping client i moves the last one, already handled, into its place. */
	for (i = p->n; i-- > 2;) {
		c = &p->cl[i];
		if ((re = p->fds[i].revents) == 0)
			continue;
		if (re & POLLNVAL)
			rc = -1;
		else if (re & POLLOUT)
			rc = client_write(c, p->fds[i].fd);
		else
			rc = client_read(c, p->fds[i].fd);
		if (rc == -1 || (c->eof && c->sent == c->ready && c->len == 0))
			client_drop(p, i);
	}
	if (p->fds[1].revents & POLLIN)
		echo_accept(p);
}

void
payload_close(struct payload *p)
{
	nfds_t	i;

	for (i = 2; i < p->n; i++) {
		(void)close(p->fds[i].fd);
		free(p->cl[i].buf);
	}
	echo_unlink(p->cf.socket, &p->st);
	(void)close(p->fds[1].fd);
	free(p->fds);
	free(p->cl);
	free(p);
}
