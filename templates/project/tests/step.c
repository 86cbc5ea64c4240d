/*
 * step.c: the step drivers' verdict and bounded waits (see step.h). A driver reports on the
 * descriptor step_output() names (stdout by default, a copy of it when the function under test
 * may move descriptors 0-2), and never waits for a child without a deadline: a half-written
 * exercise may hang, and the check must still end.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "step.h"

static int	step_fd = STDOUT_FILENO;
static int	step_problems;

void
step_output(int fd)
{
	step_fd = fd;
}

/* One thing found wrong: one line on the report. */
void
step_bad(const char *fmt, ...)
{
	va_list	ap;

	step_problems++;
	va_start(ap, fmt);
	(void)vdprintf(step_fd, fmt, ap);
	va_end(ap);
	(void)dprintf(step_fd, "\n");
}

/* A line of context that is not a failure by itself. */
void
step_note(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)vdprintf(step_fd, fmt, ap);
	va_end(ap);
	(void)dprintf(step_fd, "\n");
}

int
step_failed(void)
{
	return step_problems != 0;
}

/*
 * The driver's exit status: 0 only when no problem was reported. Its last line says that it got
 * here: a function under test that exits the driver (exit(0) in close_walk()) leaves no such
 * line, and check.sh counts that as a failure, not as "nothing found wrong".
 */
int
step_verdict(void)
{
	(void)dprintf(step_fd, "%s %d %s\n", STEP_DONE, step_problems,
	    step_problems == 1 ? "problem" : "problems");
	return step_problems == 0 ? 0 : 1;
}

void
step_nap(long ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/*
 * Waits at most ms milliseconds for the child pid; 0 with *status, or -1 when it was still
 * running (it is then killed and reaped, so that nothing outlives the check).
 */
int
step_wait(pid_t pid, long ms, int *status)
{
	long	waited;
	pid_t	r;

	for (waited = 0;; waited += 10) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r == -1 && errno != EINTR)
			return -1;
		if (waited >= ms)
			break;
		step_nap(10);
	}
	(void)kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) == -1 && errno == EINTR)
		continue;
	return -1;
}

/* The number the next open(2) gets: a function that leaks a descriptor moves it up. */
int
step_lowest_fd(void)
{
	int	fd;

	if ((fd = dup(STDERR_FILENO)) == -1 && (fd = open("/dev/null", O_RDONLY)) == -1)
		return -1;
	(void)close(fd);
	return fd;
}

/* 1 when fd is open on /dev/null itself (the same device and inode). */
int
step_is_devnull(int fd)
{
	struct stat	a, b;

	return fstat(fd, &a) == 0 && stat("/dev/null", &b) == 0 && S_ISCHR(a.st_mode) &&
	    a.st_rdev == b.st_rdev && a.st_ino == b.st_ino;
}

/*
 * stderr onto DIR/stderr, whose name goes to path, so that what the code under test logs there
 * can be read back with step_file(); -1, reported, when it cannot be.
 */
int
step_capture_stderr(const char *dir, char *path, size_t len)
{
	int	fd;

	(void)snprintf(path, len, "%s/stderr", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1 ||
	    dup2(fd, STDERR_FILENO) == -1) {
		step_bad("cannot put stderr on %s: %s", path, strerror(errno));
		return -1;
	}
	(void)close(fd);
	return 0;
}

/*
 * A file's contents, at most len - 1 bytes, NUL-terminated: "" when it cannot be read. stderr is
 * flushed first (it may be the file); a link or a FIFO is not followed nor waited on.
 */
const char *
step_file(const char *path, char *buf, size_t len)
{
	ssize_t	n;
	int	fd;

	(void)fflush(stderr);
	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) == -1)
		return buf;
	if ((n = read(fd, buf, len - 1)) >= 0)
		buf[n] = '\0';
	(void)close(fd);
	return buf;
}

int
step_usage(const char *prog, const char *checks)
{
	(void)fprintf(stderr, "usage: %s %s DIR\n", prog, checks);
	return 64;
}

/*
 * The signal that reloads, SIGHUP unless tests/variant says SIGUSR2 (tests/check.sh passes it
 * as STEP_RELOAD), with its name in *name; spare: the other one of the two, a spare signal.
 */
int
step_reload_signal(int spare, const char **name)
{
	const char	*v = getenv("STEP_RELOAD");
	int		 usr2 = (v != NULL && strcmp(v, "USR2") == 0) != (spare != 0);

	*name = usr2 ? "SIGUSR2" : "SIGHUP";
	return usr2 ? SIGUSR2 : SIGHUP;
}
