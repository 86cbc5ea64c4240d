/*
 * step.h: what the step drivers (tests/step-*.c) share. Each driver checks one exercise file's
 * functions on their own, one subcommand per check of tests/check.sh: it prints what it found
 * wrong, one line each, and exits 0 only when nothing was.
 */
#ifndef STEP_H
#define STEP_H

#include <sys/types.h>

#if defined(__GNUC__) || defined(__clang__)
#define STEP_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#else
#define STEP_PRINTF(f, a)
#endif

/* How long a driver waits for a process it started, in milliseconds: every wait is bounded. */
#define STEP_WAIT_MS	3000

/* The start of a driver's last line, "step: done, N problems" (tests/check.sh looks for it). */
#define STEP_DONE	"step: done,"

void	step_output(int fd);
void	step_bad(const char *fmt, ...) STEP_PRINTF(1, 2);
void	step_note(const char *fmt, ...) STEP_PRINTF(1, 2);
int	step_failed(void);
int	step_verdict(void);
int	step_wait(pid_t pid, long ms, int *status);
void	step_nap(long ms);
int	step_lowest_fd(void);
int	step_is_devnull(int fd);
int	step_usage(const char *prog, const char *checks);
int	step_capture_stderr(const char *dir, char *path, size_t len);
const char *step_file(const char *path, char *buf, size_t len);
int	step_reload_signal(int spare, const char **name);

#endif /* STEP_H */
