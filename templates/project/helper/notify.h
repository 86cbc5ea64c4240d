/*
 * notify.h: sd_notify(3) readiness and status messages, without libsystemd.
 * Each returns 0 (also when NOTIFY_SOCKET is unset), or -errno.
 */
#ifndef NOTIFY_H
#define NOTIFY_H

int	notify_send(const char *state);
int	notify_ready(const char *status);
int	notify_reloading(void);
int	notify_stopping(void);

#endif /* NOTIFY_H */
