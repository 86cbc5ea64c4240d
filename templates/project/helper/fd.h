/*
 * fd.h: descriptors made right at creation (close-on-exec, APUE 13.7), the standard descriptors
 * made safe, and UNIX socket addresses. Used by the helper and the payload alike.
 */
#ifndef FD_H
#define FD_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

int	stdio_sanitise(void);
int	fd_cloexec(int fd, int nonblock);
int	pipe_cloexec(int fds[2]);
int	wakeup_pair(int sv[2]);
int	socket_cloexec(int type, int nonblock);
int	accept_cloexec(int lfd);
int	unix_addr(const char *path, struct sockaddr_un *sun, socklen_t *len);

#endif /* FD_H */
