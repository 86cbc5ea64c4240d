/*
 * pidfile.h: the single-instance lock (APUE 13.5) and the pid file, one file for both.
 */
#ifndef PIDFILE_H
#define PIDFILE_H

#include <sys/types.h>

int	pidfile_open(const char *path, pid_t *running);
int	pidfile_write(int fd);
int	pidfile_query(const char *path, pid_t *holder);
int	pidfile_remove(const char *path, int fd);

#endif /* PIDFILE_H */
