/*
 * signals.c, multithreaded model (APUE 12.8 and Figure 13.7): the daemon's signals (signals.h:
 * SIG<%- reloadSig %>, SIGTERM, SIGINT and the spare ones) are blocked in every thread, and one thread takes
 * them synchronously with sigwait(3). No handler ever runs, so nothing here needs to be
 * async-signal-safe. Every other signal keeps its default action and is never blocked: not
 * all of them, as APUE's figure does, since a fault (SIGSEGV, SIGBUS) while blocked is undefined
 * behaviour and a blocked SIGQUIT would never dump core.
 *
 * The payload runs in its own thread, in a loop like the single-threaded model's. The signal
 * thread (main) parses a new config on SIG<%- reloadSig %>; if it is good, it hands it to the payload
 * thread through a mailbox and waits for the verdict. The payload thread swaps it in between
 * two events, so no reader ever sees half of one config and half of the other, and a
 * config that cannot be put in force (an echo socket that cannot be bound) changes nothing.
 *
 * The payload thread sleeps in ppoll(2) on Linux, with its nanosecond timeout; elsewhere (macOS,
 * the BSDs) in plain poll(2), its timeout rounded up to milliseconds. Either way no signal can
 * interrupt it, since the daemon's signals are blocked there: no sigmask needs swapping, so poll
 * loses nothing (APUE 10.16's race cannot arise). make PORTABLE=1 (CD_PORTABLE) forces poll on Linux too.
 */
#include "compat.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
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

struct mailbox {
	pthread_mutex_t		 lock;
	pthread_cond_t		 done_cv;
	int			 wake[2];	/* [1] written by the signal thread, [0] polled */
	const struct signals_source *src;	/* the payload */
	signals_change_fn	*pending;	/* a change waiting to be put in force */
	void			*change;	/* its argument (a new config) */
	char			*err;
	size_t			 errlen;
	int			 result;
	int			 done;		/* the payload thread has answered */
	int			 stop;		/* the payload thread must return */
	int			 failed;	/* the payload thread gave up */
};

static sigset_t	handled;	/* signals_set(): the ones sigwait() takes */

/*
 * APUE 12.8: the daemon's signals are blocked before the first thread exists, and one thread
 * (signals_run()) takes them with sigwait(); no handler runs anywhere.
 */
int
signals_init(void)
{
<% if (starter) { -%>
	/*
	 * TODO (APUE 12.8, Figure 13.7): prepare the sigwait model; return 0, or -1 with errno set.
	 *
	 * (SIGPIPE is already ignored: main() does it as soon as the daemon has detached.)
	 * 1. fill the file's `handled` set with signals_set() (signals.h): SIG<%- reloadSig %>, SIGTERM, SIGINT
	 *    and the spare signals; signals_run() waits for those;
	 * 2. block that set (and only that set: a blocked SIGSEGV is undefined behaviour) in this
	 *    thread with pthread_sigmask(3), before any thread is created: threads inherit the
	 *    mask, so no thread will ever be interrupted by one. pthread_sigmask returns an error
	 *    number instead of setting errno.
	 *
	 * make check: "only SIGPIPE is ignored", "SIGTERM stops it within 3 s", "SIGINT is a clean
	 * exit too".
	 */
	return todo("signals_init", "helper/signals.c");
<% } else { -%>
	int	e;

	/*
	 * Before the first pthread_create(): threads inherit the mask, so no thread can be
	 * interrupted by one of these signals. Only sigwait() takes them.
	 */
	signals_set(&handled);
	if ((e = pthread_sigmask(SIG_BLOCK, &handled, NULL)) != 0) {
		errno = e;
		return -1;
	}
	return 0;
<% } -%>
}

static void
mailbox_poke(struct mailbox *mb)
{
	char	c = 0;

	/* Non-blocking; EAGAIN: a poke is already pending, which is all that is needed. */
	(void)send(mb->wake[1], &c, 1, 0);
}

static void
mailbox_drain(struct mailbox *mb)
{
	char	buf[64];

	while (recv(mb->wake[0], buf, sizeof(buf), 0) > 0)
		continue;
}

static int
payload_wait(struct pollfd *fds, nfds_t n, const struct timespec *left)
{
#if defined(HAVE_PPOLL)
	return ppoll(fds, n, left, NULL);
#else
	return poll(fds, n, ts_poll_ms(left));
#endif
}

/* Waits for the payload's descriptors or its deadline; the wake-up socket is entry 0. */
static void *
payload_thread(void *arg)
{
	struct mailbox	*mb = arg;
	struct pollfd	*fds;
	struct timespec	 left;
	nfds_t		 n;
	int		 timed;

	for (;;) {
		fds = mb->src->pollfds(mb->src->arg, &n);
		fds[0].fd = mb->wake[0];
		fds[0].events = POLLIN;
		timed = mb->src->timeout(mb->src->arg, &left);
		if (payload_wait(fds, n, timed ? &left : NULL) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("payload thread: cannot wait");
			break;
		}
		if (fds[0].revents & POLLIN) {
			mailbox_drain(mb);
			(void)pthread_mutex_lock(&mb->lock);
			if (mb->stop) {
				(void)pthread_mutex_unlock(&mb->lock);
				return NULL;
			}
			if (mb->pending != NULL) {
				mb->result = mb->pending(mb->change, mb->err, mb->errlen);
				mb->pending = NULL;
				mb->done = 1;
				(void)pthread_cond_signal(&mb->done_cv);
			}
			(void)pthread_mutex_unlock(&mb->lock);
			continue;	/* the descriptors may have changed */
		}
		mb->src->dispatch(mb->src->arg);
	}
	/* Give up: tell the signal thread, which then shuts the daemon down. */
	(void)pthread_mutex_lock(&mb->lock);
	mb->failed = 1;
	(void)pthread_cond_signal(&mb->done_cv);
	(void)pthread_mutex_unlock(&mb->lock);
	(void)kill(getpid(), SIGTERM);
	return NULL;
}

/*
 * signals_in_loop_fn, called by the reload in the signal thread: hand the change over to the
 * payload thread, which runs it between two events, and wait for the verdict.
 */
static int
apply_in_payload_thread(void *loop, signals_change_fn *fn, void *change, char *err,
    size_t errlen)
{
	struct mailbox	*mb = loop;
	int		 rc;

	(void)pthread_mutex_lock(&mb->lock);
	mb->pending = fn;
	mb->change = change;
	mb->err = err;
	mb->errlen = errlen;
	mb->done = 0;
	(void)pthread_mutex_unlock(&mb->lock);
	mailbox_poke(mb);
	(void)pthread_mutex_lock(&mb->lock);
	while (!mb->done && !mb->failed)
		(void)pthread_cond_wait(&mb->done_cv, &mb->lock);
	if (mb->done) {
		rc = mb->result;
	} else {
		mb->pending = NULL;
		(void)snprintf(err, errlen, "the payload thread has stopped");
		rc = -1;
	}
	(void)pthread_mutex_unlock(&mb->lock);
	return rc;
}

/*
 * Starts the payload thread, reports ready, then takes signals until SIGTERM or SIGINT and
 * joins the thread. Returns 0, or -1 with errno set if the thread could not start or failed.
 */
int
signals_run(const struct signals_source *src)
{
<% if (starter) { -%>
	/*
	 * TODO (APUE 13.6, Figure 13.7): start the payload thread, report ready, take the signals
	 * one at a time with sigwait(3), and stop cleanly. Return 0, or -1 with errno set if the
	 * thread could not start or failed.
	 *
	 * src (signals.h) is the payload; each of its functions takes src->arg.
	 * 1. Zero a struct mailbox, set its src; create its wake-up pair with wakeup_pair()
	 *    (before pthread_create), then init its mutex and condition variable;
	 * 2. pthread_create() payload_thread() with the mailbox (on failure: close the pair, set
	 *    errno from the returned number, return -1); then call src->ready;
	 * 3. loop on sigwait(&handled, &sig): SIG<%- reloadSig %> re-reads the config in this thread with
	 *    src->reload(src->arg, apply_in_payload_thread, &mailbox), which hands the new
	 *    config to the payload thread; SIGTERM or SIGINT ends the loop; a spare signal is
	 *    logged as ignored (signals_spare_name());
	 * 4. notify_stopping(); set the mailbox's stop under its lock, poke it (mailbox_poke()),
	 *    join the thread, destroy the mutex and condition variable, close the pair;
	 * 5. if the payload thread gave up (failed), return -1 with errno EIO.
	 *
	 * make check: "it sends READY=1 once started", "SIG<%- reloadSig %> applies the changed config",
	 * "a broken config on SIG<%- reloadSig %> is logged as file:line, and the previous one kept",
	 * "it sends STOPPING=1", "SIGTERM in the foreground: exit status 0".
	 */
	(void)src;
	(void)handled;
	(void)payload_thread;
	(void)apply_in_payload_thread;
	return todo("signals_run", "helper/signals.c");
<% } else { -%>
	struct mailbox	mb;
	pthread_t	tid;
	int		e, sig;

	memset(&mb, 0, sizeof(mb));
	mb.src = src;
	/* Before pthread_create: no other thread can fork while wakeup_pair's fallback runs. */
	if (wakeup_pair(mb.wake) == -1)
		return -1;
	(void)pthread_mutex_init(&mb.lock, NULL);
	(void)pthread_cond_init(&mb.done_cv, NULL);
	if ((e = pthread_create(&tid, NULL, payload_thread, &mb)) != 0) {
		(void)close(mb.wake[0]);
		(void)close(mb.wake[1]);
		errno = e;
		return -1;
	}
	src->ready(src->arg);
	for (;;) {
		if (sigwait(&handled, &sig) != 0)
			continue;	/* only EINVAL, for a bad set: cannot happen */
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIG<%- reloadSig %>)
			(void)src->reload(src->arg, apply_in_payload_thread, &mb);
		else
			log_info("ignoring %s: it has no meaning for this daemon",
			    signals_spare_name(sig));
	}
	(void)notify_stopping();
	(void)pthread_mutex_lock(&mb.lock);
	mb.stop = 1;
	(void)pthread_mutex_unlock(&mb.lock);
	mailbox_poke(&mb);
	(void)pthread_join(tid, NULL);
	(void)pthread_mutex_destroy(&mb.lock);
	(void)pthread_cond_destroy(&mb.done_cv);
	(void)close(mb.wake[0]);
	(void)close(mb.wake[1]);
	if (mb.failed) {
		errno = EIO;
		return -1;
	}
	return 0;
<% } -%>
}
