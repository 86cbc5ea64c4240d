/*
 * daemonize.c: the SysV start-up dance (APUE 13.3, daemon(7) "SysV Daemons"), with a readiness
 * pipe so that the original process exits only when the daemon is really serving (libdaemon's
 * daemon_retval). Where APUE and daemon(7) differ, the stricter rule wins; each step says which.
 *
 * The original process forks and then waits on the pipe; it never returns from daemonize(). The
 * daemon reports with daemon_report(): status 0 means ready, anything else is an exit status
 * plus a message, which the original process prints and exits with. If the daemon dies without
 * reporting, the pipe reads EOF and the original process says so.
 */
#include "compat.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemonize.h"
#include "exitcodes.h"
#include "fd.h"
<% if (starter) { -%>
#include "todo.h"
<% } -%>

/* One report is one write(2) of at most PIPE_BUF bytes, which POSIX makes atomic. */
#define REPORT_MAX	512
/* The last resort walk never goes past this many descriptors. */
#define CLOSE_WALK_MAX	65536

#ifndef NSIG
#define NSIG		65
#endif

/*
 * daemon(7) step 15: the original process exits only once the daemon has reported, with the
 * daemon's status; on failure it prints the daemon's reason first.
 */
static _Noreturn void
original_wait(const char *name, int rfd, pid_t child)
{
	char	buf[REPORT_MAX + 1];
	size_t	len = 0;
	ssize_t	n;
	int	status;

	/*
	 * One report, as libdaemon's daemon_retval_wait(): a status byte and a NUL-terminated
	 * message. Not EOF: a process the daemon forks (a helper started by payload_open) inherits
	 * the write end and may keep it open long after the daemon has reported.
	 */
	while (len < sizeof(buf) - 1 && (len < 2 || memchr(buf + 1, '\0', len - 1) == NULL)) {
		n = read(rfd, buf + len, sizeof(buf) - 1 - len);
		if (n == 0)
			break;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)n;
	}
	buf[len] = '\0';
	/* Reap the intermediate process, which exits as soon as the daemon is forked. */
	while (waitpid(child, NULL, 0) == -1 && errno == EINTR)
		continue;
	if (len == 0) {
		(void)fprintf(stderr, "%s: the daemon exited before reporting that it was ready\n",
		    name);
		exit(EXIT_OSERR);
	}
	status = (unsigned char)buf[0];
	if (status != 0 && len > 1)
		(void)fprintf(stderr, "%s: %s\n", name, buf + 1);
	exit(status);
}

/*
 * The directory that lists every open descriptor of this process: Linux's /proc/self/fd, or
 * /dev/fd, which lists them all on macOS (devfs) and on Linux (a link to /proc/self/fd). Not on
 * the other BSDs: FreeBSD's /dev/fd shows only 0-2 unless fdescfs is mounted, and a walk of it
 * would silently close nothing, so they take the bounded walk below.
 */
#if defined(__linux__) && !CD_PORTABLE
#define FD_DIR		"/proc/self/fd"
#elif defined(__linux__) || defined(__APPLE__)
#define FD_DIR		"/dev/fd"
#endif

/* Closes every descriptor >= 3 except keep, by walking the ones that are actually open. */
static int
close_walk(int keep)
{
<% if (starter) { -%>
	/*
	 * TODO (APUE 13.3 rule 5, daemon(7) step 1): close every descriptor >= 3 except keep (the
	 * readiness pipe), and return 0.
	 *
	 * A shell, a test harness or a supervisor may have left any descriptor open, at any
	 * number. Two ways to find them, portable and bounded:
	 * - FD_DIR (defined above where it exists) lists the descriptors that are open: read it with
	 *   opendir(3)/readdir(3), skip names that are not numbers, 0-2, keep, and the directory's
	 *   own descriptor (dirfd(3)), and close the others;
	 * - otherwise, or when FD_DIR cannot be opened: every number from 3 up to the soft limit
	 *   of getrlimit(RLIMIT_NOFILE), but never past CLOSE_WALK_MAX (the limit may be huge or
	 *   infinite).
	 * Ignore close() errors here: most numbers in the second walk are not open at all.
	 *
	 * make check: "no inherited descriptor survives (the canary fd 9 is closed)".
	 */
	(void)keep;
	return todo("close_walk", "helper/daemonize.c");
<% } else { -%>
	struct rlimit	 rl;
	long		 fd, max;
#if defined(FD_DIR)
	struct dirent	*e;
	DIR		*d;
	char		*end;

	if ((d = opendir(FD_DIR)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			fd = strtol(e->d_name, &end, 10);
			if (end == e->d_name || *end != '\0' || fd < 3 || fd == keep ||
			    fd == dirfd(d))
				continue;
			(void)close((int)fd);
		}
		(void)closedir(d);
		return 0;
	}
#endif
	/* No fd directory: walk up to the descriptor limit, bounded. */
	max = CLOSE_WALK_MAX;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)max)
		max = (long)rl.rlim_cur;
	for (fd = 3; fd < max; fd++)
		if (fd != keep)
			(void)close((int)fd);
	return 0;
<% } -%>
}

/*
 * APUE 13.3 rule 5, daemon(7) step 1: close every inherited descriptor >= 3 (keep is the
 * readiness pipe). Test harnesses, shells and supervisors leak descriptors into children.
 * Also for a program that execs another after setting up its descriptors (-1 keeps none).
 */
int
close_inherited(int keep)
{
<% if (starter) { -%>
	/*
	 * TODO, optional (APUE 13.3 rule 5): where helper/have.h defines HAVE_CLOSE_RANGE
	 * (Linux with glibc 2.34 or later, FreeBSD), close_range(2) closes a whole range of
	 * descriptors in one system call; try it first (twice: below keep and above it), and fall
	 * back to close_walk() when it fails (ENOSYS on kernels before 5.9). The walk alone is
	 * correct, only slower.
	 */
	return close_walk(keep);
<% } else { -%>
#if defined(HAVE_CLOSE_RANGE)
	/* One system call however high RLIMIT_NOFILE is; ENOSYS before Linux 5.9: walk then. */
	if ((keep <= 3 || close_range(3, (unsigned)keep - 1, 0) == 0) &&
	    close_range((unsigned)keep + 1, ~0U, 0) == 0)
		return 0;
#endif
#if defined(HAVE_CLOSEFROM)
	{
		int	fd;

		/* closefrom(2): the kernel's own walk (FreeBSD, glibc 2.34); keep is a low number. */
		for (fd = 3; fd < keep; fd++)
			(void)close(fd);
		closefrom(keep + 1);
		return 0;
	}
#endif
	return close_walk(keep);
<% } -%>
}

/*
 * APUE 13.3 rule 6, daemon(7) step 9: fds 0-2 on /dev/null, so that library code that reads
 * stdin or writes stderr neither blocks nor writes into a file that reuses the number. dup2()
 * onto each, never "stdin = fopen(...)". Not O_CLOEXEC: the copies on 0-2 must survive exec.
 */
static int
null_stdio(void)
{
<% if (starter) { -%>
	/*
	 * TODO (APUE 13.3 rule 6, daemon(7) step 9): make descriptors 0, 1 and 2 refer to
	 * /dev/null, and return 0, or -1 with errno set.
	 *
	 * Open /dev/null once, read-write, without letting it become a controlling terminal;
	 * dup2(2) it onto each of 0, 1 and 2 (unless it already got that number), then close the
	 * descriptor you opened if it is not one of the three. Do not reassign the stdio FILE
	 * pointers: the numbers are what library code and exec'd programs use. On an error, do
	 * not leak the descriptor, and keep the errno of the call that failed.
	 *
	 * make check: "fds 0, 1 and 2 are /dev/null".
	 */
	return todo("null_stdio", "helper/daemonize.c");
<% } else { -%>
	int	fd, i, saved;

	if ((fd = open("/dev/null", O_RDWR | O_NOCTTY)) == -1)
		return -1;
	for (i = 0; i <= 2; i++) {
		if (fd != i && dup2(fd, i) == -1) {
			saved = errno;
			if (fd > 2)
				(void)close(fd);
			errno = saved;
			return -1;
		}
	}
	if (fd > 2)
		(void)close(fd);
	return 0;
<% } -%>
}

/*
 * daemon(7) steps 2 and 3: every signal back to its default disposition and an empty signal
 * mask. A starter that ignores SIGTERM or blocks SIGHUP (nohup, some shells) passes that on.
 */
static int
reset_signals(void)
{
<% if (starter) { -%>
	/*
	 * TODO (daemon(7) steps 2 and 3): put every signal back to its default disposition, and
	 * empty the signal mask; return 0, or -1 with errno set.
	 *
	 * The starter of the daemon may ignore or block signals (nohup ignores SIGHUP), and both
	 * survive fork and exec. Loop over the signal numbers 1 .. NSIG-1 with sigaction(2) and
	 * SIG_DFL, skipping the two that cannot be caught; some numbers are kept by libc and give
	 * EINVAL, which is not an error here. Then set the mask to the empty set with
	 * sigprocmask(2), and return its result.
	 *
	 * make check: "only SIGPIPE is ignored (the starter's ignored SIGUSR1 was reset)"; the
	 * self-test starts the daemon with SIGUSR1 ignored.
	 */
	return todo("reset_signals", "helper/daemonize.c");
<% } else { -%>
	struct sigaction	sa;
	sigset_t		none;
	int			sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	(void)sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		/* EINVAL for the numbers libc keeps for itself: nothing to reset there. */
		(void)sigaction(sig, &sa, NULL);
	}
	(void)sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL);
<% } -%>
}

/*
 * Returns 0 in the daemon, with *ready_fd the write end of the readiness pipe; the original
 * and the intermediate process never return. Returns -1 with errno set on failure: in the
 * original process with *ready_fd -1, or in a child with *ready_fd valid, so that the caller can
 * report the failure to the waiting original process.
 */
int
daemonize(const char *name, mode_t mask, int *ready_fd)
{
<% if (starter) { -%>
	/*
	 * TODO: detach from the starter and the terminal. Return 0 in the daemon with *ready_fd
	 * the write end of the readiness pipe; the original and the intermediate process never
	 * return. On failure return -1 with errno set: in the original process with *ready_fd -1,
	 * in a child with *ready_fd set (main then reports the failure through it).
	 *
	 * In this order, checking every call:
	 * 1. set *ready_fd to -1; create the readiness pipe with pipe_cloexec(), and flush stdio
	 *    (fflush(NULL)), so that no buffered output is written twice, by two processes;
	 * 2. APUE 13.3 rule 2, daemon(7) step 5: fork(2). The parent closes the write end and
	 *    calls original_wait(name, read end, child pid), which returns only by exiting, with
	 *    the daemon's status (daemon(7) step 15). The child closes the read end, keeps the
	 *    write end in *ready_fd;
	 * 3. APUE 13.3 rule 3, daemon(7) step 6: setsid(2): a new session, no controlling terminal;
	 * 4. daemon(7) steps 7-8: fork again; the session leader leaves with _exit(0) (never
	 *    exit(3), which would flush stdio and run atexit handlers a second time);
	 * 5. APUE 13.3 rule 1, daemon(7) step 10: umask(mask), the chosen one, not 0;
	 * 6. APUE 13.3 rule 4, daemon(7) step 11: chdir to the root directory;
	 * 7. close_inherited(write end), null_stdio(), reset_signals(), in that order.
	 *
	 * make check: "the start command exits 0 once the daemon is ready", "its parent is neither
	 * the starter nor the shell", "it is not a session leader", "it runs in a new session of
	 * its own", "it has no controlling terminal", "its working directory is /", "its umask is
	 * ..." and the three checks of the helpers above.
	 */
	(void)name;
	(void)mask;
	(void)ready_fd;
	(void)original_wait;
	(void)close_inherited;
	(void)null_stdio;
	(void)reset_signals;
	return todo("daemonize", "helper/daemonize.c");
<% } else { -%>
	int	fds[2], saved;
	pid_t	pid;

	*ready_fd = -1;
	/* Before the first fork, single-threaded: no fallback window can leak the pipe. */
	if (pipe_cloexec(fds) == -1)
		return -1;
	/* Buffered output must not be written twice, once by each process. */
	(void)fflush(NULL);

	/* APUE 13.3 rule 2, daemon(7) step 5: fork; the child is not a process group leader. */
	if ((pid = fork()) == -1) {
		saved = errno;
		(void)close(fds[0]);
		(void)close(fds[1]);
		errno = saved;
		return -1;
	}
	if (pid > 0) {
		(void)close(fds[1]);
		original_wait(name, fds[0], pid);
	}
	(void)close(fds[0]);
	*ready_fd = fds[1];

	/* APUE 13.3 rule 3, daemon(7) step 6: a new session, with no controlling terminal. */
	if (setsid() == -1)
		return -1;

	/*
	 * daemon(7) steps 7-8, APUE 13.3 (System V): fork again and let the session leader exit.
	 * The daemon is then not a session leader, so opening a terminal can never make it the
	 * daemon's controlling terminal.
	 */
	if ((pid = fork()) == -1)
		return -1;
	if (pid > 0)
		_exit(0);

	/* APUE 13.3 rule 1, daemon(7) step 10: a known file mode creation mask (the chosen one). */
	(void)umask(mask);

	/* APUE 13.3 rule 4, daemon(7) step 11: do not keep a file system busy. */
	if (chdir("/") == -1)
		return -1;

	if (close_inherited(fds[1]) == -1 || null_stdio() == -1 || reset_signals() == -1)
		return -1;
	return 0;
<% } -%>
}

/*
 * Tells the original process how start-up ended: status 0 (ready) or an exit status and a
 * message, in one write(2) of at most PIPE_BUF bytes, which POSIX makes atomic. Closes the pipe
 * either way; call it once. A caller that may outlive the original process ignores SIGPIPE first
 * (main does, as soon as it has detached): the write then fails with EPIPE.
 */
int
daemon_report(int ready_fd, int status, const char *message)
{
	char	buf[REPORT_MAX];
	size_t	len;
	ssize_t	n;
	int	saved;

	buf[0] = (char)status;
	len = strlen(message);
	if (len > sizeof(buf) - 2)
		len = sizeof(buf) - 2;
	memcpy(buf + 1, message, len);
	buf[len + 1] = '\0';	/* the end of the report: original_wait() reads up to here */
	do
		n = write(ready_fd, buf, len + 2);
	while (n == -1 && errno == EINTR);
	saved = errno;
	(void)close(ready_fd);
	if (n != (ssize_t)(len + 2)) {
		errno = n == -1 ? saved : EIO;
		return -1;
	}
	return 0;
}
