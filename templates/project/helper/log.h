/*
 * log.h: the daemon's messages. stderr until detached (and always with -f), syslog(3) always.
 * Every function preserves errno.
 */
#ifndef LOG_H
#define LOG_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define LOG_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#else
#define LOG_PRINTF(f, a)
#endif

void	log_open(const char *ident, int facility, int to_stderr);
void	log_reopen(void);
void	log_stderr(int on);
void	log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void	log_warn(const char *fmt, ...) LOG_PRINTF(1, 2);
void	log_warnx(const char *fmt, ...) LOG_PRINTF(1, 2);
_Noreturn void	fatal(const char *fmt, ...) LOG_PRINTF(1, 2);
_Noreturn void	fatalx(const char *fmt, ...) LOG_PRINTF(1, 2);
const char	*log_strerror(int errnum, char *buf, size_t len);
<% if (starter) { -%>
int	todo(const char *function, const char *file);
<% } -%>

#endif /* LOG_H */
