/*
 * echo.c: the payload. A UNIX stream socket server that sends each line back to its client
 * (the client-server model of APUE 13.1).
 *
 * Every client is served from the same loop, with non-blocking descriptors: a client that
 * stops reading, sends a huge line or vanishes mid-line costs only its own descriptor and
 * buffer, never the daemon's attention. A line is echoed once complete, so a client may send
 * it whole before reading; a line longer than a client's share is echoed in pieces as it
 * arrives. While a client's echo waits to be sent, nothing more is read from it: a client that
 * never reads is throttled by its own socket buffer.
 *
 * Memory is bounded by the config: at most max_clients are served at once (the others wait in
 * the listen backlog, since the listener is not polled while the table is full). Half of
 * max_buffered is split into equal shares, one per client, that no other client can take; the
 * other half is a pool from which a client's buffer may grow past its share, up to
 * ECHO_LINE_MAX, while the pool lasts. All of them together never hold more than max_buffered.
 *
 * The socket file: a stale one (left by kill -9: nobody listens) is replaced; a live one, or
 * anything that is not a socket, is never removed. Its mode is set by chmod(2) between bind(2)
 * and listen(2), so no client connects while the umask's mode is in force. At exit only the
 * file this process created (same device and inode) is removed; a reload that finds it gone or
 * replaced binds a new one.
 *
 * It forks no children. Work that needs one must reap it without blocking the loop: a
 * waitpid(-1, &status, WNOHANG) loop each time the loop wakes up after SIGCHLD.
 */
#include "compat.h"

#include <sys/resource.h>
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
#define ECHO_FD_SPARE	16	/* descriptors kept for 0-2, the listener, the log, the loop */

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
	size_t	 pooled;	/* of cap, the bytes beyond the share, taken from the pool */
	int	 eof;		/* the client has shut down its sending side */
};

struct payload {
	struct pollfd	*fds;	/* [0] the loop's, [1] the listener, [2...] the clients */
	struct client	*cl;	/* cl[i] goes with fds[i], for i >= 2 */
	nfds_t		 n, cap;
	struct config	 cf;
	struct stat	 st;	/* the socket file this process created */
	nfds_t		 clients;	/* max_clients, clamped to what RLIMIT_NOFILE allows */
	size_t		 share;		/* bytes each client is sure to have */
	size_t		 pool, pooled;	/* bytes beyond the shares: the limit, and those taken */
	struct timespec	 retry;	/* resting after an accept error until then (CLOCK_MONOTONIC) */
	struct log_every accept_warn;
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

/*
 * Whether ECONNREFUSED proves that nobody listens. Linux answers EAGAIN when a live listener's
 * queue is full, but the BSD kernels (and macOS) answer ECONNREFUSED, so there a refusal is
 * asked again a few times, ECHO_STALE_TRIES over about half a second, before the socket is
 * called stale. PORTABLE=1 takes the careful path on Linux too, so that make check proves it.
 */
#if !defined(__linux__) || CD_PORTABLE
#define ECHO_STALE_TRIES	5
#else
#define ECHO_STALE_TRIES	1
#endif
#define ECHO_STALE_NSEC		125000000L	/* between two tries */

/* One connect(2) to sun: 0 it was accepted or queued, 1 refused, -1 another error. */
static int
echo_knock(const struct sockaddr_un *sun, socklen_t len)
{
	int	fd, rc, saved;

	if ((fd = socket_cloexec(SOCK_STREAM, 1)) == -1)
		return -1;
	/* Non-blocking: a live server with a full backlog answers EAGAIN instead of hanging us. */
	if (connect(fd, (const struct sockaddr *)sun, len) == 0 || errno == EAGAIN ||
	    errno == EINPROGRESS)
		rc = 0;
	else
		rc = errno == ECONNREFUSED ? 1 : -1;
	saved = errno;
	(void)close(fd);
	errno = saved;
	return rc;
}

/* 1 when path is a socket nobody listens on (a kill -9 leftover); else 0 or -1, err filled. */
static int
echo_stale(const char *path, const struct sockaddr_un *sun, socklen_t len, char *err,
    size_t errlen)
{
	struct timespec	pause = { 0, ECHO_STALE_NSEC };
	struct stat	st;
	int		rc, tries;

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
	for (tries = 1;; tries++) {
		if ((rc = echo_knock(sun, len)) != 1 || tries == ECHO_STALE_TRIES)
			break;
		(void)nanosleep(&pause, NULL);
	}
	if (rc == 0)
		(void)snprintf(err, errlen, "cannot listen on %s: another process is listening "
		    "on it", path);
	else if (rc == -1)
		echo_syserr(err, errlen, "check", path);
	return rc;
}

/* Returns a listening descriptor on path, with the given mode, and in *st the file it created. */
static int
echo_listen(const char *path, mode_t mode, struct stat *st, char *err, size_t errlen)
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
		if (errno != EADDRINUSE) {
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
	/* Before listen(2): until then a connect is refused, so the umask's mode admits nobody. */
	if (chmod(path, mode) == -1) {
		echo_syserr(err, errlen, "set the mode of", path);
		(void)unlink(path);
		goto fail;
	}
	if (lstat(path, st) == -1 || listen(fd, SOMAXCONN) == -1) {
		echo_syserr(err, errlen, "listen on", path);
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

	if (lstat(path, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino &&
	    unlink(path) == -1)
		log_warn("cannot remove %s", path);
}

/* Frees a client's buffer, giving back what it took from the pool. */
static void
client_free(struct payload *p, struct client *c)
{
	free(c->buf);
	c->buf = NULL;
	c->cap = 0;
	p->pooled -= c->pooled;
	c->pooled = 0;
}

static void
client_drop(struct payload *p, nfds_t i)
{
	(void)close(p->fds[i].fd);
	client_free(p, &p->cl[i]);
	p->n--;
	p->fds[i] = p->fds[p->n];
	p->cl[i] = p->cl[p->n];
	/*
	 * An accept rest (p->retry) is not ended here: a departing client frees a descriptor for
	 * one waiting connection at most, and ending the rest at each departure would retry, fail
	 * and log at the rate clients come and go.
	 */
}

/* Rests the listener for ECHO_RETRY_SEC after an accept error, saying so at most every 10 s. */
static void
echo_rest(struct payload *p, const char *what)
{
	log_warn_every(&p->accept_warn, "cannot %s on %s; retrying in %d s", what, p->cf.socket,
	    ECHO_RETRY_SEC);
	if (clock_gettime(CLOCK_MONOTONIC, &p->retry) == 0)
		p->retry.tv_sec += ECHO_RETRY_SEC;
	else
		p->retry.tv_sec = 0;
}

/*
 * Sets the client limit and each client's share from cf. The limit is clamped to the
 * descriptors RLIMIT_NOFILE leaves (logged once per change), and the share follows the clamped
 * limit: fewer clients, each holding more, still within max_buffered.
 */
static void
echo_limits(struct payload *p, const struct config *cf)
{
	struct rlimit	rl;
	nfds_t		clients = cf->max_clients;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)clients + ECHO_FD_SPARE > rl.rlim_cur) {
		clients = rl.rlim_cur > ECHO_FD_SPARE ? (nfds_t)(rl.rlim_cur - ECHO_FD_SPARE) : 1;
		if (clients != p->clients)
			log_warnx("max_clients %u is more than the descriptor limit (RLIMIT_NOFILE "
			    "%llu) allows: serving at most %lu clients at once", cf->max_clients,
			    (unsigned long long)rl.rlim_cur, (unsigned long)clients);
	}
	p->clients = clients;
	p->pool = cf->max_buffered / 2;
	p->share = (cf->max_buffered - p->pool) / clients;
	if (p->share > ECHO_LINE_MAX)
		p->share = ECHO_LINE_MAX;
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

	while (p->n - 2 < p->clients) {
		if (echo_grow(p) == -1) {
			echo_rest(p, "make room for more clients");
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
				 * for ECHO_RETRY_SEC, whether or not clients leave meanwhile.
				 */
				echo_rest(p, "accept a client");
			}
			return;
		}
		p->fds[p->n].fd = fd;
		memset(&p->cl[p->n], 0, sizeof(p->cl[p->n]));
		p->n++;
	}
}

/* The next size of a full buffer: twice, within the share or what the pool has left. */
static size_t
client_room(const struct payload *p, const struct client *c)
{
	size_t	cap, over;

	cap = c->cap == 0 ? ECHO_BUF_MIN : c->cap * 2;
	if (cap > ECHO_LINE_MAX)
		cap = ECHO_LINE_MAX;
	if (cap <= p->share)
		return cap;
	over = cap - p->share;
	if (over > c->pooled && p->pooled - c->pooled + over > p->pool)
		return c->cap > p->share ? c->cap : p->share;
	return cap;
}

/* Returns -1 when the client must go. */
static int
client_read(struct payload *p, struct client *c, int fd)
{
	size_t	 cap, i;
	ssize_t	 n;
	char	*buf;

	if (c->len == c->cap && (cap = client_room(p, c)) > c->cap) {
		if ((buf = realloc(c->buf, cap)) == NULL)
			return -1;
		c->buf = buf;
		c->cap = cap;
		p->pooled -= c->pooled;
		c->pooled = cap > p->share ? cap - p->share : 0;
		p->pooled += c->pooled;
	}
	if (c->len == c->cap) {
		c->ready = c->len;	/* a line too long to hold: echo what we have */
		return 0;
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
	if (c->len == c->cap && client_room(p, c) == c->cap)
		c->ready = c->len;	/* a line too long to hold: echo what we have */
	return 0;
}

static int
client_write(struct payload *p, struct client *c, int fd)
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
		client_free(p, c);
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
	if ((p->fds[1].fd = echo_listen(cf->socket, (mode_t)cf->socket_mode, &p->st, err,
	    errlen)) == -1)
		goto fail;
	echo_limits(p, cf);
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

/*
 * A new socket is bound before the old one is let go: a failure changes nothing. It is needed
 * when the path changed, and when the file at the path is no longer the one bound (removed, or
 * replaced): the same device and inode, not the same name, mean the same socket.
 */
int
payload_apply(struct payload *p, const struct config *cf, char *err, size_t errlen)
{
	struct stat	st;
	int		fd;

	if (strcmp(cf->socket, p->cf.socket) != 0 || lstat(cf->socket, &st) == -1 ||
	    st.st_dev != p->st.st_dev || st.st_ino != p->st.st_ino) {
		if ((fd = echo_listen(cf->socket, (mode_t)cf->socket_mode, &st, err,
		    errlen)) == -1)
			return -1;
		echo_unlink(p->cf.socket, &p->st);
		(void)close(p->fds[1].fd);
		p->fds[1].fd = fd;
		p->st = st;
		p->retry.tv_sec = 0;
	} else if ((st.st_mode & 07777) != cf->socket_mode) {
		if (chmod(cf->socket, (mode_t)cf->socket_mode) == -1) {
			echo_syserr(err, errlen, "set the mode of", cf->socket);
			return -1;
		}
		p->st.st_mode = (st.st_mode & ~(mode_t)07777) | (mode_t)cf->socket_mode;
	}
	p->cf = *cf;
	echo_limits(p, cf);
	return 0;
}

struct pollfd *
payload_pollfds(struct payload *p, nfds_t *n)
{
	struct client	*c;
	struct timespec	 now;
	nfds_t		 i;

	if (p->retry.tv_sec != 0 && clock_gettime(CLOCK_MONOTONIC, &now) == 0 &&
	    !ts_before(&now, &p->retry))
		p->retry.tv_sec = 0;
	p->fds[0].revents = 0;
	/* Resting, or full: the listener is not watched, and new connections wait in its backlog. */
	p->fds[1].events = p->retry.tv_sec != 0 || p->n - 2 >= p->clients ? 0 : POLLIN;
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
	if (p->retry.tv_sec == 0 || clock_gettime(CLOCK_MONOTONIC, &now) == -1)
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
		/*
		 * A hang-up or error without the event asked for (POLLHUP for a client awaiting
		 * POLLOUT, whose peer shut down both ways) is final: reading would return 0 again
		 * and again, and the loop would spin.
		 */
		if ((re & POLLNVAL) ||
		    ((re & (POLLHUP | POLLERR)) && !(re & p->fds[i].events)))
			rc = -1;
		else if (re & POLLOUT)
			rc = client_write(p, c, p->fds[i].fd);
		else
			rc = client_read(p, c, p->fds[i].fd);
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
		client_free(p, &p->cl[i]);
	}
	echo_unlink(p->cf.socket, &p->st);
	(void)close(p->fds[1].fd);
	free(p->fds);
	free(p->cl);
	free(p);
}
