/*
 * pidfile.h: the single-instance lock (APUE 13.5) and the pid file, one file for both.
 */
#ifndef PIDFILE_H
#define PIDFILE_H

#include <sys/types.h>

/*
 * Who holds the lock on a pid file, as fcntl(F_GETLK) reports it. An instance holds a write
 * lock on the whole file; a read lock is someone else's (it still blocks a start).
 */
struct pidfile_holder {
	pid_t	pid;	/* > 0; 0 when it cannot be known (an OFD lock, a lock from another host) */
	int	reader;	/* 1: a read lock, so not an instance */
};

int	pidfile_open(const char *path, struct pidfile_holder *held);
int	pidfile_write(int fd);
int	pidfile_query(const char *path, struct pidfile_holder *held);
int	pidfile_remove(const char *path, int fd);

#endif /* PIDFILE_H */
