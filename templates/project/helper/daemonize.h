/*
 * daemonize.h: detach from the terminal and the starter, with a readiness pipe back to it; and
 * close-on-exec descriptors where the system cannot create them so (macOS, the BSDs).
 */
#ifndef DAEMONIZE_H
#define DAEMONIZE_H

#include <sys/types.h>

int	daemonize(const char *name, mode_t mask, int *ready_fd);
int	daemon_report(int ready_fd, int status, const char *message);
int	fd_cloexec(int fd, int nonblock);
int	pipe_cloexec(int fds[2]);
int	wakeup_pair(int sv[2]);

#endif /* DAEMONIZE_H */
