/*
 * signals.h: the signals the daemon takes, and the loop that waits for them and for the payload.
<% if (reload === 'single') { -%>
 * This project uses the single-threaded model: handlers set flags, the loop does the work.
<% } else { -%>
 * This project uses the multithreaded model: one sigwait thread, the payload in its own thread.
<% } -%>
 *
 * One policy for both models:
 * - SIGHUP re-reads the config; SIGTERM and SIGINT are a clean exit;
 * - SIGUSR1, SIGUSR2 and SIGALRM (the spare signals) are logged and otherwise ignored: a stray
 *   `kill -USR1` must not kill a daemon and leave its pid file and socket behind;
 * - SIGPIPE is ignored from the moment the daemon detaches (main.c);
 * - every other signal keeps its default action and is never blocked: SIGQUIT still dumps core,
 *   and a fault (SIGSEGV, SIGBUS, SIGFPE, SIGILL) is never held pending, which POSIX leaves
 *   undefined.
 */
#ifndef SIGNALS_H
#define SIGNALS_H

#include <signal.h>

struct payload;

/* Above every signal of signals_set(): the classic numbers, which every system shares. */
#define SIGNALS_MAX	32

/* The signals the daemon takes: main() blocks them before the pid file exists. */
static inline void
signals_set(sigset_t *set)
{
	(void)sigemptyset(set);
	(void)sigaddset(set, SIGHUP);
	(void)sigaddset(set, SIGTERM);
	(void)sigaddset(set, SIGINT);
	(void)sigaddset(set, SIGUSR1);
	(void)sigaddset(set, SIGUSR2);
	(void)sigaddset(set, SIGALRM);
}

/* The name of a spare signal, for the log line that says it was ignored. */
static inline const char *
signals_spare_name(int sig)
{
	return sig == SIGUSR1 ? "SIGUSR1" : sig == SIGUSR2 ? "SIGUSR2" : "SIGALRM";
}

int	signals_init(void);
int	signals_run(struct payload *p, const char *config_path, void (*ready)(void *),
	    void *arg);

#endif /* SIGNALS_H */
