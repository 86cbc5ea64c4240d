/*
 * log.h: the daemon's messages. stderr until detached (and always with -f), the syslog socket
 * always, without ever waiting for it (log.c says why not syslog(3)). Every function preserves
 * errno. log_open() and log_reopen() (once detached) open the socket; log_close() at exit.
 * With <IDENT>_LOG=stderr in the environment (a container: no syslog), log_open() sends every
 * line to stderr alone, as sd-daemon(3)'s "<N>text", while stderr is the daemon's.
 */
#ifndef LOG_H
#define LOG_H

#include <stddef.h>
#include <time.h>

#if defined(__GNUC__) || defined(__clang__)
#define LOG_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#else
#define LOG_PRINTF(f, a)
#endif

void	log_open(const char *ident, int facility, int to_stderr);
void	log_reopen(void);
void	log_close(void);
void	log_stderr(int on);
int	log_syslog_check(const char *ident);
void	log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void	log_warn(const char *fmt, ...) LOG_PRINTF(1, 2);
void	log_warnx(const char *fmt, ...) LOG_PRINTF(1, 2);

/* At most one line every LOG_EVERY_SEC seconds; zero it before the first use. */
#define LOG_EVERY_SEC	10
struct log_every {
	struct timespec	next;		/* CLOCK_MONOTONIC: nothing more is logged before then */
	unsigned long	suppressed;	/* lines held back since the last one */
};
void	log_warn_every(struct log_every *le, const char *fmt, ...) LOG_PRINTF(2, 3);

#endif /* LOG_H */
