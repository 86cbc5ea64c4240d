/*
 * signals.c, single-threaded model: the handlers only set flags; the main loop does the work.
 *
 * The loop must never test the flags, find them clear, and then sleep through a signal that
 * arrived in between (the race sigsuspend closes in APUE 10.16). Two ways, chosen at compile time:
 *
 * - With ppoll(2) (Linux, FreeBSD: helper/have.h says): the daemon's signals (signals.h)
 *   stay blocked except inside ppoll, which unblocks them atomically for exactly as long as it
 *   sleeps, so a signal can only be taken while the loop sleeps, and ppoll returns EINTR at once.
 * - Without it (macOS; pselect's atomicity is not guaranteed on every libc): the self-pipe. The handler also writes one byte to a non-blocking socketpair whose
 *   other end is polled with plain poll(2), so a signal taken anywhere, even just before poll,
 *   wakes it.
 *   make PORTABLE=1 (CD_PORTABLE) forces this on Linux too, so that make check proves it.
 *
 * Either way: no polling, no wakeup while idle. Unlike APUE Figure 13.8, whose SIGHUP handler
 * re-reads the config itself, the handler here only sets a volatile sig_atomic_t flag (and
 * writes the byte): the stricter rule of signal-safety(7), since the reload calls malloc, stdio
 * and syslog, none of them async-signal-safe; write(2) is.
 */
#include "compat.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fd.h"
#include "log.h"
#include "notify.h"
#include "signals.h"
#include "timespec.h"
<% if (starter) { -%>
#include "todo.h"
<% } -%>

static volatile sig_atomic_t	got_reload;	/* SIG<%- reloadSig %> */
static volatile sig_atomic_t	got_stop;	/* SIGTERM, SIGINT */
/* SIGUSR1, SIG<%- spareSig %>, SIGALRM: logged, ignored. One flag each: two may arrive in one wait. */
static volatile sig_atomic_t	got_spare[SIGNALS_MAX];
#if defined(HAVE_PPOLL)
static sigset_t			wait_mask;	/* the mask in force while ppoll sleeps */
#else
static int			self_pipe[2] = { -1, -1 };	/* [1] written by the handler */
#endif

/*
 * Unlike APUE Figure 13.8, whose SIGHUP handler re-reads the config, the handler only records
 * what arrived (signal-safety(7)); the loop in signals_run() does the work.
 */
static void
on_signal(int sig)
{
<% if (starter) { -%>
	/*
	 * TODO (signal-safety(7); APUE 10.6): the handler for the signals of signals.h. It only
	 * records what arrived: set got_reload for SIG<%- reloadSig %>, got_stop for SIGTERM and SIGINT, and
	 * got_spare[sig] for a spare signal (SIGUSR1, SIG<%- spareSig %>, SIGALRM). Nothing else
	 * may happen here: no syslog, no stdio, no malloc, no config reading, no exit(3); the
	 * loop in signals_run() does the work. Save errno on entry and restore it on the way out,
	 * since the code you interrupted may be about to read it.
	 * Where HAVE_PPOLL is not defined, also write(2) one byte to self_pipe[1] (write is
	 * async-signal-safe, and the pipe is non-blocking), so that poll(2) wakes up.
	 *
	 * make check: "SIGTERM stops it within 3 s", "SIG<%- reloadSig %> applies the changed config".
	 */
	(void)sig;
<% } else { -%>
	int	saved = errno;	/* signal-safety(7): leave errno as the interrupted code had it */

	if (sig == SIG<%- reloadSig %>)
		got_reload = 1;
	else if (sig == SIGTERM || sig == SIGINT)
		got_stop = 1;
	else if (sig > 0 && sig < SIGNALS_MAX)
		got_spare[sig] = 1;
#if !defined(HAVE_PPOLL)
	{
		char	c = 0;

		/* EAGAIN: the pipe is full, so the loop will wake anyway. */
		(void)write(self_pipe[1], &c, 1);
	}
#endif
	errno = saved;
<% } -%>
}

int
signals_init(void)
{
<% if (starter) { -%>
	/*
	 * TODO (APUE 10.14, 10.16): install the handlers; return 0, or -1 with errno set.
	 *
	 * (SIGPIPE is already ignored: main() does it as soon as the daemon has detached.)
	 * 1. signals_set() (signals.h) fills a set with the daemon's signals: SIG<%- reloadSig %>, SIGTERM,
	 *    SIGINT and the three spare ones;
	 * 2. with HAVE_PPOLL (helper/have.h): block the set with sigprocmask(2), and keep in
	 *    wait_mask the previous mask minus the set: signals_wait() hands it to
	 *    ppoll(2), so the signals can arrive only while the loop sleeps (the race of APUE
	 *    10.16: a flag tested, found clear, then a sleep through the signal). No SA_RESTART.
	 *    Without HAVE_PPOLL: create self_pipe with wakeup_pair(), and use SA_RESTART;
	 * 3. install on_signal() for each signal of the set with sigaction(2), with every other
	 *    signal blocked while it runs (sa_mask full);
	 * 4. without HAVE_PPOLL only: unblock the set (main() blocks it before writing the pid
	 *    file, so that no signal can kill a half-started daemon).
	 *
	 * make check: "only SIGPIPE is ignored", "SIG<%- reloadSig %> sends RELOADING=1 ...", "SIGTERM in the
	 * foreground: exit status 0", "SIGINT is a clean exit too".
	 */
	(void)on_signal;
	return todo("signals_init", "helper/signals.c");
<% } else { -%>
	struct sigaction	sa;
	sigset_t		block;
	int			sig;

	signals_set(&block);
#if defined(HAVE_PPOLL)
	if (sigprocmask(SIG_BLOCK, &block, &wait_mask) == -1)
		return -1;
	for (sig = 1; sig < SIGNALS_MAX; sig++)
		if (sigismember(&block, sig) == 1)
			(void)sigdelset(&wait_mask, sig);
	/* No SA_RESTART: ppoll must return to the loop. */
	memset(&sa, 0, sizeof(sa));
#else
	/*
	 * Non-blocking, so a full pipe never blocks the handler; close-on-exec (APUE 13.7). The
	 * process is single-threaded here, so wakeup_pair's fallback leaves no window to leak it.
	 * SA_RESTART: a handler may now run anywhere in the loop, and the calls it interrupts
	 * (a read of the config, a send to syslog) resume; the byte in the pipe wakes poll anyway.
	 */
	if (wakeup_pair(self_pipe) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_flags = SA_RESTART;
#endif
	/* The handler runs with every other signal blocked. */
	sa.sa_handler = on_signal;
	(void)sigfillset(&sa.sa_mask);
	for (sig = 1; sig < SIGNALS_MAX; sig++)
		if (sigismember(&block, sig) == 1 && sigaction(sig, &sa, NULL) == -1)
			return -1;
#if !defined(HAVE_PPOLL)
	/* main() held them blocked until now: with the handlers in place they may arrive anywhere. */
	if (sigprocmask(SIG_UNBLOCK, &block, NULL) == -1)
		return -1;
#endif
	return 0;
<% } -%>
}

/*
 * Sleeps until a descriptor is ready, the deadline passes or a signal arrives: returns 1 when
 * the source has something to dispatch, 0 for a signal, -1 with errno set on failure.
 */
static int
signals_wait(struct pollfd *fds, nfds_t n, const struct timespec *left)
{
#if defined(HAVE_PPOLL)
	static const struct timespec	at_once = { 0, 0 };

	fds[0].fd = -1;
	if (ppoll(fds, n, left, &wait_mask) >= 0) {
		/*
		 * When ppoll reports ready descriptors, Linux puts the old mask back without
		 * delivering a signal that arrived meanwhile: let it in now, or a payload that is
		 * always busy would hold SIGTERM and SIG<%- reloadSig %> off for ever.
		 */
		(void)ppoll(NULL, 0, &at_once, &wait_mask);
		return 1;
	}
	return errno == EINTR ? 0 : -1;
#else
	char	buf[64];

	fds[0].fd = self_pipe[0];
	fds[0].events = POLLIN;
	if (poll(fds, n, ts_poll_ms(left)) == -1)
		return errno == EINTR ? 0 : -1;
	if (fds[0].revents & POLLIN)
		while (read(self_pipe[0], buf, sizeof(buf)) > 0)
			continue;
	return 1;
#endif
}

/* signals_in_loop_fn: in this model the reload already runs in the loop, between two events. */
static int
in_loop_here(void *loop, signals_change_fn *fn, void *change, char *err, size_t errlen)
{
	(void)loop;
	return fn(change, err, errlen);
}

/* Runs src until SIGTERM or SIGINT: 0, or -1 with errno set if waiting itself failed. */
int
signals_run(const struct signals_source *src)
{
<% if (starter) { -%>
	/*
	 * TODO (APUE 13.6): the main loop; return 0 after SIGTERM or SIGINT, or -1 with errno set
	 * if waiting itself failed.
	 *
	 * src (signals.h) is the payload; each of its functions takes src->arg. First call
	 * src->ready: start-up is complete (daemon(7) step 14, sd_notify READY=1).
	 * Then, until got_stop is set:
	 * 1. ask the payload what to wait for: src->pollfds (&n of them; entry 0 is yours, set
	 *    by signals_wait()) and src->timeout (non-zero, with left set, for a deadline);
	 * 2. sleep in signals_wait(); -1 ends the loop with an error, 1 means call
	 *    src->dispatch, 0 means a signal arrived;
	 * 3. for each signal whose got_spare[] flag is set, clear it and log that it was
	 *    ignored (signals_spare_name());
	 * 4. if got_reload is set (and got_stop is not), clear it and re-read the config here,
	 *    outside any handler: src->reload(src->arg, in_loop_here, NULL).
	 * After the loop, tell the service manager with notify_stopping().
	 *
	 * make check: "it sends READY=1 once started", "SIG<%- reloadSig %> applies the changed config",
	 * "a broken config on SIG<%- reloadSig %> is logged as file:line, and the previous one kept",
	 * "it sends STOPPING=1", "SIGTERM in the foreground: exit status 0".
	 */
	(void)src;
	(void)got_reload;
	(void)got_stop;
	(void)got_spare;
	(void)signals_wait;
	(void)in_loop_here;
	return todo("signals_run", "helper/signals.c");
<% } else { -%>
	struct pollfd	*fds;
	struct timespec	 left;
	nfds_t		 n;
	int		 timed, rc, sig;

	src->ready(src->arg);
	while (!got_stop) {
		fds = src->pollfds(src->arg, &n);
		timed = src->timeout(src->arg, &left);
		if ((rc = signals_wait(fds, n, timed ? &left : NULL)) == -1)
			return -1;
		if (rc == 1)
			src->dispatch(src->arg);
		for (sig = 1; sig < SIGNALS_MAX; sig++) {
			if (got_spare[sig]) {
				got_spare[sig] = 0;
				log_info("ignoring %s: it has no meaning for this daemon",
				    signals_spare_name(sig));
			}
		}
		if (got_reload && !got_stop) {
			got_reload = 0;
			(void)src->reload(src->arg, in_loop_here, NULL);
		}
	}
	(void)notify_stopping();
	return 0;
<% } -%>
}
