/*
 * step-pidfile.c: pidfile_open() (helper/pidfile.c) on its own, without a daemon: the
 * single-instance lock of APUE 13.5 and the file's properties. Linked with helper/pidfile.c and
 * the complete helpers it needs; pidfile_write() is not an exercise, and checks the pair.
 *
 *   step-pidfile create DIR   a new file: mode 0600 whatever the umask, close-on-exec, empty
 *   step-pidfile lock DIR     a second open (another process) is refused with EAGAIN, naming
 *                             the pid that holds the lock (not the decoy the file holds), and
 *                             leaves the holder's file alone
 *   step-pidfile stale DIR    an unlocked file left by kill -9 is taken over, its contents kept
 *                             until pidfile_write() replaces them whole
 *   step-pidfile refuse DIR   a symbolic link, a FIFO and a file with a second hard link are
 *                             refused, and no descriptor is left open by a refusal
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pidfile.h"
#include "step.h"

static char	path[PATH_MAX];

/* The pid file's contents, at most len - 1 bytes: "" when it cannot be read. */
static const char *
contents(char *buf, size_t len)
{
	return step_file(path, buf, len);
}

/* pidfile_open(), reported when it fails: the descriptor, or -1. */
static int
open_ok(const char *what)
{
	struct pidfile_holder	held;
	int			fd;

	if ((fd = pidfile_open(path, &held)) == -1)
		step_bad("pidfile_open(\"%s\") on %s failed: %s", path, what, strerror(errno));
	return fd;
}

static void
check_create(void)
{
	struct stat	st;
	char		buf[64];
	int		fd, fl;

	/* A umask that would allow more: the mode must come from the open(2) call, 0600. */
	(void)umask(0);
	if ((fd = open_ok("a new file")) == -1)
		return;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		step_bad("the descriptor is not a regular file");
	else if ((st.st_mode & 07777) != 0600)
		step_bad("the new file has mode %04o, want 0600 (anyone who can open it can "
		    "read-lock it and block every start)", (unsigned)(st.st_mode & 07777));
	if ((fl = fcntl(fd, F_GETFD)) == -1 || !(fl & FD_CLOEXEC))
		step_bad("the descriptor is not close-on-exec (open it with O_CLOEXEC)");
	if ((fl = fcntl(fd, F_GETFL)) != -1 && (fl & O_ACCMODE) != O_RDWR)
		step_bad("the descriptor is not open read-write (a write lock needs it)");
	if (*contents(buf, sizeof(buf)) != '\0')
		step_bad("pidfile_open() wrote \"%s\" into the file: only pidfile_write() may", buf);
}

/* In a child: a second instance's pidfile_open(); exits 0 when refused as it should be. */
static _Noreturn void
second_instance(pid_t holder)
{
	struct pidfile_holder	held;
	int			fd;

	held.pid = -2;
	held.reader = -2;
	if ((fd = pidfile_open(path, &held)) != -1) {
		step_bad("a second pidfile_open() of a locked file succeeded (descriptor %d): two "
		    "instances", fd);
	} else if (errno != EAGAIN) {
		step_bad("a second pidfile_open() failed with \"%s\", want EAGAIN (%s)",
		    strerror(errno), strerror(EAGAIN));
	} else if (held.pid != holder || held.reader != 0) {
		step_bad("the refusal names pid %ld (reader %d), want the holder %ld (reader 0), "
		    "which holds the lock (the file says %ld): fill *held with pidfile_holder()",
		    (long)held.pid, held.reader, (long)holder, (long)holder + 1000000L);
	}
	_exit(step_failed() ? 1 : 0);
}

static void
check_lock(void)
{
	char	buf[64], want[32];
	pid_t	pid;
	int	fd, status;

	if ((fd = open_ok("a new file")) == -1)
		return;
	if (pidfile_write(fd) == -1) {
		step_bad("pidfile_write() failed: %s", strerror(errno));
		return;
	}
	/*
	 * Then a decoy in the file: the holder is the one the lock names (F_GETLK), whatever the
	 * file says, and the loser must leave the file as it is.
	 */
	(void)snprintf(want, sizeof(want), "%ld\n", (long)getpid() + 1000000L);
	if (ftruncate(fd, 0) == -1 || pwrite(fd, want, strlen(want), 0) != (ssize_t)strlen(want)) {
		step_bad("cannot write the decoy pid: %s", strerror(errno));
		return;
	}
	(void)fflush(NULL);
	if ((pid = fork()) == -1) {
		step_bad("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0)
		second_instance(getppid());
	if (step_wait(pid, STEP_WAIT_MS, &status) == -1)
		step_bad("a second pidfile_open() still had not returned after %d ms (it must "
		    "never wait for the lock: F_SETLK, not F_SETLKW)", STEP_WAIT_MS);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		step_bad("so the lock does not keep a second instance out, as it should");
	if (strcmp(contents(buf, sizeof(buf)), want) != 0)
		step_bad("after the refused open the file holds \"%s\", want the holder's \"%.*s\": "
		    "a loser must not truncate or write", buf, (int)strlen(want) - 1, want);
}

static void
check_stale(void)
{
	static const char	old[] = "1234567890123\n";
	char			buf[64], want[32];
	int			fd;

	/* What a daemon killed with kill -9 leaves: a file with a pid, and no lock on it. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1 ||
	    write(fd, old, sizeof(old) - 1) != (ssize_t)(sizeof(old) - 1)) {
		step_bad("cannot write %s: %s", path, strerror(errno));
		return;
	}
	(void)close(fd);
	if ((fd = open_ok("a stale file nobody holds")) == -1)
		return;
	if (strcmp(contents(buf, sizeof(buf)), old) != 0)
		step_bad("pidfile_open() changed the stale file to \"%s\": it must not truncate "
		    "or write (a refused instance would erase the winner's pid)", buf);
	if (pidfile_write(fd) == -1) {
		step_bad("pidfile_write() failed: %s", strerror(errno));
		return;
	}
	(void)snprintf(want, sizeof(want), "%ld\n", (long)getpid());
	if (strcmp(contents(buf, sizeof(buf)), want) != 0)
		step_bad("after pidfile_write() the file holds \"%s\", want \"%.*s\" and nothing "
		    "of the longer old pid", buf, (int)strlen(want) - 1, want);
}

/* pidfile_open() on what is at path must fail with errno want (0: any errno), leaking nothing. */
static void
refused(const char *what, int want)
{
	struct pidfile_holder	held;
	int			fd, low = step_lowest_fd();

	if ((fd = pidfile_open(path, &held)) != -1)
		step_bad("pidfile_open() accepted %s (descriptor %d)", what, fd);
	else if (errno == ENOSYS)
		step_bad("pidfile_open() on %s: %s", what, strerror(errno));
	else if (want != 0 && errno != want)
		step_bad("pidfile_open() on %s failed with \"%s\", want \"%s\"", what,
		    strerror(errno), strerror(want));
	else if (step_lowest_fd() != low)
		step_bad("pidfile_open() left a descriptor open when it refused %s", what);
	(void)unlink(path);
}

static void
check_refuse(const char *dir)
{
	char	target[PATH_MAX], link2[PATH_MAX];
	int	fd;

	(void)snprintf(target, sizeof(target), "%s/target", dir);
	(void)snprintf(link2, sizeof(link2), "%s/second-name", dir);
	/* O_NOFOLLOW: a link planted at the path must not redirect the pid write. */
	if (symlink(target, path) == -1)
		step_bad("symlink: %s", strerror(errno));
	else
		refused("a symbolic link", ELOOP);
	if (access(target, F_OK) == 0)
		step_bad("pidfile_open() created %s through the symbolic link", target);
	/* O_NONBLOCK, then the S_ISREG test: a FIFO must neither hang the start nor be used. */
	if (mkfifo(path, 0600) == -1)
		step_bad("mkfifo: %s", strerror(errno));
	else
		refused("a FIFO", EINVAL);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) == -1 || close(fd) == -1 ||
	    link(path, link2) == -1)
		step_bad("cannot make a file with two names: %s", strerror(errno));
	else
		refused("a file with a second hard link (its other name would get the pid)", EMLINK);
	(void)unlink(link2);
}

int
main(int argc, char *argv[])
{
	if (argc != 3)
		return step_usage("step-pidfile", "create|lock|stale|refuse");
	(void)snprintf(path, sizeof(path), "%s/step.pid", argv[2]);
	(void)unlink(path);
	if (strcmp(argv[1], "create") == 0)
		check_create();
	else if (strcmp(argv[1], "lock") == 0)
		check_lock();
	else if (strcmp(argv[1], "stale") == 0)
		check_stale();
	else if (strcmp(argv[1], "refuse") == 0)
		check_refuse(argv[2]);
	else
		return step_usage("step-pidfile", "create|lock|stale|refuse");
	return step_verdict();
}
