/*
 * signals.c, single-threaded model: the handlers only set flags; the main loop does the work.
 *
 * SIGHUP, SIGTERM and SIGINT stay blocked except inside ppoll(2), which unblocks them
 * atomically for exactly as long as it sleeps. A signal can therefore only be taken while the
 * loop sleeps, and ppoll returns EINTR at once: no window between testing a flag and going to
 * sleep (the race sigsuspend closes in APUE 10.16), no polling, no wakeup while idle.
 *
 * Unlike APUE Figure 13.8, whose SIGHUP handler re-reads the config itself, the handler here
 * only sets a volatile sig_atomic_t flag: the stricter rule of signal-safety(7), since the
 * reload calls malloc, stdio and syslog, none of them async-signal-safe.
 */
#if defined(__linux__)
#define _GNU_SOURCE		/* ppoll(2) in glibc */
#endif

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "log.h"
#include "notify.h"
#include "payload.h"
#include "reload.h"
#include "signals.h"

static volatile sig_atomic_t	got_reload;	/* SIGHUP */
static volatile sig_atomic_t	got_stop;	/* SIGTERM, SIGINT */
static sigset_t			wait_mask;	/* the mask in force while ppoll sleeps */

static void
on_signal(int sig)
{
	int	saved = errno;	/* signal-safety(7): leave errno as the interrupted code had it */

	if (sig == SIGHUP)
		got_reload = 1;
	else
		got_stop = 1;
	errno = saved;
}

int
signals_init(void)
{
	struct sigaction	sa;
	sigset_t		block;

	/* A client that hangs up mid-reply must cost an EPIPE, not the daemon. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	(void)sigemptyset(&sa.sa_mask);
	if (sigaction(SIGPIPE, &sa, NULL) == -1)
		return -1;

	(void)sigemptyset(&block);
	(void)sigaddset(&block, SIGHUP);
	(void)sigaddset(&block, SIGTERM);
	(void)sigaddset(&block, SIGINT);
	if (sigprocmask(SIG_BLOCK, &block, &wait_mask) == -1)
		return -1;
	(void)sigdelset(&wait_mask, SIGHUP);
	(void)sigdelset(&wait_mask, SIGTERM);
	(void)sigdelset(&wait_mask, SIGINT);

	/* No SA_RESTART: ppoll must return to the loop. The handler runs with all else blocked. */
	sa.sa_handler = on_signal;
	(void)sigfillset(&sa.sa_mask);
	if (sigaction(SIGHUP, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1)
		return -1;
	return 0;
}

static int
apply_here(const struct config *cf, char *err, size_t errlen, void *arg)
{
	return payload_apply(arg, cf, err, errlen);
}

/* Runs until SIGTERM or SIGINT: 0, or -1 with errno set if waiting itself failed. */
int
signals_run(struct payload *p, const char *config_path, void (*ready)(void *), void *arg)
{
	struct pollfd	*fds;
	struct timespec	 left;
	nfds_t		 n;
	int		 timed;

	ready(arg);
	while (!got_stop) {
		fds = payload_pollfds(p, &n);
		fds[0].fd = -1;
		timed = payload_timeout(p, &left);
		if (ppoll(fds, n, timed ? &left : NULL, &wait_mask) >= 0)
			payload_dispatch(p);
		else if (errno != EINTR)
			return -1;
		if (got_reload && !got_stop) {
			got_reload = 0;
			(void)reload_config(config_path, apply_here, p);
		}
	}
	(void)notify_stopping();
	return 0;
}
