/*
 * daemonize.h: detach from the terminal and the starter, with a readiness pipe back to it.
 */
#ifndef DAEMONIZE_H
#define DAEMONIZE_H

#include <sys/types.h>

int	daemonize(const char *name, mode_t mask, int *ready_fd);
int	daemon_report(int ready_fd, int status, const char *message);
int	close_inherited(int keep);

#endif /* DAEMONIZE_H */
