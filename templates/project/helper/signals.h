/*
 * signals.h: the signals the daemon takes, and the loop that waits for them and for the payload.
<% if (helperReload === 'single') { -%>
 * This project uses the single-threaded model: handlers set flags, the loop does the work.
<% } else { -%>
 * This project uses the multithreaded model: one sigwait thread, the payload in its own thread.
<% } -%>
 *
 * One policy for both models:
 * - SIG<%- reloadSig %> re-reads the config; SIGTERM and SIGINT are a clean exit;
 * - SIGUSR1, SIG<%- spareSig %> and SIGALRM (the spare signals) are logged and otherwise ignored: a stray
 *   `kill -USR1` must not kill a daemon and leave its pid file and socket behind;
 * - SIGPIPE is ignored from the moment the daemon detaches (main.c);
 * - every other signal keeps its default action and is never blocked: SIGQUIT still dumps core,
 *   and a fault (SIGSEGV, SIGBUS, SIGFPE, SIGILL) is never held pending, which POSIX leaves
 *   undefined.
 */
#ifndef SIGNALS_H
#define SIGNALS_H

#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <time.h>

/* A change to put in force where the source's events are handled: 0, or -1 with err filled. */
typedef int	signals_change_fn(void *change, char *err, size_t errlen);

/*
 * Runs fn(change, err, errlen) where the source's events are handled, between two of them (the
 * loop itself, or the payload thread of the multithreaded model), and returns its result.
 */
typedef int	signals_in_loop_fn(void *loop, signals_change_fn *fn, void *change, char *err,
		    size_t errlen);

/*
 * What signals_run() drives: an event source that never blocks and never sleeps (the daemon's
 * payload). The helper knows nothing else of it, so it serves any daemon main. Each function
 * gets arg.
 * - pollfds: the descriptors to wait for, *n of them; entry 0 belongs to the loop (its own
 *   wake-up descriptor, or fd -1), the source's own start at 1;
 * - timeout: non-zero, with *left set, when the source has a deadline;
 * - dispatch: handle what is ready (or the deadline that passed);
 * - ready: start-up is complete (daemon(7) step 14), called once, before the first wait;
 * - reload: SIG<%- reloadSig %>, called outside any handler; it puts a new config in force through
 *   in_loop(loop, ...), which runs the change where dispatch runs. -1: the reload failed,
 *   and the previous config is still in force (the loop goes on either way).
 */
struct signals_source {
	void		*arg;
	struct pollfd	*(*pollfds)(void *arg, nfds_t *n);
	int		 (*timeout)(void *arg, struct timespec *left);
	void		 (*dispatch)(void *arg);
	void		 (*ready)(void *arg);
	int		 (*reload)(void *arg, signals_in_loop_fn *in_loop, void *loop);
};

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
	return sig == SIGUSR1 ? "SIGUSR1" : sig == SIGUSR2 ? "SIGUSR2" : sig == SIGHUP ? "SIGHUP" :
	    "SIGALRM";
}

int	signals_init(void);
/* Runs src until SIGTERM or SIGINT: 0, or -1 with errno set if waiting itself failed. */
int	signals_run(const struct signals_source *src);

#endif /* SIGNALS_H */
