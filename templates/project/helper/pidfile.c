/*
 * pidfile.c: the single-instance lock (APUE 13.5) and the pid file (after FreeBSD's pidfile(3)).
 *
 * The lock, not the file's existence, says whether a daemon runs: a pid file left behind by
 * kill -9 is simply taken over by the next start. The file is opened O_CLOEXEC|O_NOFOLLOW (a
 * symlink planted in the pid directory cannot redirect the write), locked with an fcntl(2)
 * write lock held until the process exits, then truncated and written.
 *
 * fcntl locks belong to the process, and closing *any* descriptor of the file drops them. So the
 * descriptor returned here is the only one the daemon ever opens on the pid file, and it stays
 * open for the daemon's whole life.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

<% if (starter) { -%>
#include "todo.h"
<% } -%>
#include "pidfile.h"

/* How many times the file may be replaced between open and lock before pidfile_open gives up. */
#define PIDFILE_TRIES	16

/*
 * Who holds a lock that conflicts with a write lock on fd: 1 with *held filled in, 0 when no one
 * does (any more), -1 with errno. Only F_GETLK, never the file's contents: between another
 * start's lock and its write, and whenever the holder is not an instance, they are a dead
 * daemon's pid. An OFD lock reports l_pid -1 and a lock from another NFS host 0: unknown.
 */
static int
pidfile_holder(int fd, struct pidfile_holder *held)
{
	struct flock	fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) == -1)
		return -1;
	if (fl.l_type == F_UNLCK)
		return 0;
	held->pid = fl.l_pid > 0 ? fl.l_pid : 0;
	held->reader = fl.l_type == F_RDLCK;
	return 1;
}

/*
 * Opens and locks path; returns the descriptor. When another process holds the lock, fails with
 * errno EAGAIN and *held saying who (an instance's write lock, or someone's read lock). EINVAL:
 * path is not a regular file; EMLINK: it has other hard links; EBUSY: it kept being replaced.
 * Other failures keep their errno.
 *
 * The file is created 0600, as FreeBSD's daemon(8) and syslogd create theirs: anyone who can
 * open it can hold a read lock on it, which blocks every start. Readers of the pid ask -s as
 * root, as init systems do.
 */
int
pidfile_open(const char *path, struct pidfile_holder *held)
{
<% if (starter) { -%>
	/*
	 * TODO (APUE 13.5, daemon(7) step 12): the single-instance lock. Return the open, locked
	 * descriptor. When another process holds the lock, fail with errno EAGAIN and *held
	 * saying who (pidfile_holder() above fills it in): main then prints "already running
	 * (pid N)" and exits 1. Any other failure: -1 with that errno.
	 *
	 * 1. Clear *held. open(2) path read-write, creating it with mode 0600 (anyone who can
	 *    open it could read-lock it and block every start), and with the
	 *    flags that make it close-on-exec, refuse to follow a symbolic link, never block on
	 *    a FIFO planted there, and never make it a controlling terminal;
	 * 2. fstat(2) it and refuse anything but a regular file (EINVAL: main then says so);
	 * 3. take an fcntl(2) write lock on the whole file (struct flock, zeroed: l_start and
	 *    l_len 0 mean all of it), without waiting for it. EACCES or EAGAIN means another
	 *    instance holds it: find its pid, and report EAGAIN;
	 * 4. FreeBSD's flopen(3): the daemon that held the lock may have removed the file between
	 *    your open and your lock, leaving you a lock on a file without a name. lstat(2) the
	 *    path: if it is gone, or names another file (st_dev and st_ino differ from your
	 *    fstat), close and start over (at most PIDFILE_TRIES times, then EBUSY). If it has
	 *    more than one link (st_nlink), fail with EMLINK: the pid would overwrite the other;
	 * 5. on any failure close the descriptor, keeping the errno you are about to return.
	 *
	 * Never truncate or write the file here: a refused second instance must leave the
	 * running daemon's pid in place (pidfile_write() runs only after the lock is yours). And
	 * never open the file a second time anywhere: closing any descriptor of it drops the lock.
	 *
	 * make check: "the pid file holds the live daemon's pid", "a second instance is refused
	 * with exit 1, naming pid N", "the refused instances leave the daemon and its pid file
	 * alone", "a new start takes over the stale pid file".
	 */
	(void)path;
	(void)held;
	(void)pidfile_holder;
	(void)PIDFILE_TRIES;
	return todo("pidfile_open", "helper/pidfile.c");
<% } else { -%>
	struct flock	fl;
	struct stat	st, now;
	int		fd, saved, tries, rc;

	memset(held, 0, sizeof(*held));
	for (tries = 0; tries < PIDFILE_TRIES; tries++) {
		/* O_NONBLOCK: a FIFO planted at the path must not hang the start; it is refused below. */
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,
		    0600);
		if (fd == -1)
			return -1;
		if (fstat(fd, &st) == -1)
			goto fail;
		if (!S_ISREG(st.st_mode)) {
			errno = EINVAL;
			goto fail;
		}
		/* APUE 13.5: a write lock on the whole file (l_start = l_len = 0), never waited for. */
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(fd, F_SETLK, &fl) == -1) {
			if (errno != EACCES && errno != EAGAIN)
				goto fail;
			/* Released since: try again. Else report who holds it. */
			if ((rc = pidfile_holder(fd, held)) == 1)
				errno = EAGAIN;
			if (rc != 0)
				goto fail;
			(void)close(fd);
			continue;
		}
		/*
		 * FreeBSD's flopen(3): open and lock are two steps. If the daemon that held the lock
		 * removed the file in between, the lock is on an inode that no longer has the name,
		 * and the next start would create and lock a new file: two instances. The lock
		 * counts only while the path still names the locked file; otherwise, start over.
		 */
		if (lstat(path, &now) == -1) {
			if (errno != ENOENT)
				goto fail;
		} else if (now.st_dev == st.st_dev && now.st_ino == st.st_ino) {
			/* A second name would be overwritten with the pid: refuse it. */
			if (now.st_nlink != 1) {
				errno = EMLINK;
				goto fail;
			}
			return fd;
		}
		(void)close(fd);
	}
	errno = EBUSY;	/* replaced under us PIDFILE_TRIES times: someone is playing games */
	return -1;
fail:
	saved = errno;
	(void)close(fd);
	errno = saved;
	return -1;
<% } -%>
}

/*
 * Who holds the lock on path, for `-s` and the init scripts' status: the lock is the truth, not
 * the file's existence or its contents, nor /proc/PID/exe (a package upgrade replaces the
 * binary under a running daemon). Returns 1 with *held filled in, 0 when no process holds it
 * (or there is no file), -1 with errno set (EINVAL: not a regular file). Opens the file
 * read-only and never creates, locks or changes it.
 */
int
pidfile_query(const char *path, struct pidfile_holder *held)
{
	struct stat	st;
	int		fd, saved, rc = -1;

	memset(held, 0, sizeof(*held));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)) == -1)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) == -1)
		goto out;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto out;
	}
	rc = pidfile_holder(fd, held);
out:
	saved = errno;
	(void)close(fd);
	errno = saved;
	return rc;
}

/* Replaces the file's contents with our pid: truncate first, so no old digits survive. */
int
pidfile_write(int fd)
{
	char	buf[32];
	int	len;
	ssize_t	n;

	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1)
		return -1;
	if ((n = pwrite(fd, buf, (size_t)len, 0)) != len) {
		if (n >= 0)
			errno = EIO;	/* a short write to a regular file: the disk is full */
		return -1;
	}
	return 0;
}

/*
 * Removes the file while the lock is still held, then closes it (so no other instance can lock
 * the file between the two and lose it to the unlink). A file at path that is no longer ours
 * (removed and recreated by someone else) is left alone.
 */
int
pidfile_remove(const char *path, int fd)
{
	struct stat	ours, now;
	int		rc = 0, saved = 0;

	if (fstat(fd, &ours) == 0 && lstat(path, &now) == 0 &&
	    ours.st_dev == now.st_dev && ours.st_ino == now.st_ino && unlink(path) == -1) {
		rc = -1;
		saved = errno;
	}
	(void)close(fd);
	if (rc == -1)
		errno = saved;
	return rc;
}
