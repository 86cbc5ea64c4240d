/*
 * step-signals.c, single-threaded model: the functions of helper/signals.c, each on its own.
 * It includes signals.c itself, so that the handler and the flags can be reached without the
 * others: the handler is called directly, the loop is driven by a fake source (signals.h)
 * whose dispatch sets the flags a handler would. The source, its reload and the notification
 * are small fakes here, which count their calls.
 *
 *   step-signals handler DIR  on_signal() sets the right flag, wakes the loop, keeps errno
 *   step-signals init DIR     signals_init() installs on_signal() for the daemon's signals,
 *                             with the mask the model wants
 *   step-signals run DIR      signals_run() reports ready, dispatches, logs a spare signal,
 *                             reloads outside any handler, and returns 0 on the stop flag
 */
#include "../helper/signals.c"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "step.h"

/* The signal numbers run from 1 to NSIG - 1 (not in POSIX; the common value where it is missing). */
#ifndef NSIG
#define NSIG		65
#endif

/* 20 ms a turn; a loop that is still going after this many has missed the stop flag. */
#define TURN_NS		20000000L
#define TURNS_MAX	150

struct fake {
	struct pollfd	fds[1];
	int		dispatched;
	int		applied;
};

static struct fake	fake;
static int		fake_change;	/* the change the fake reload hands to in_loop */
/* The arguments the source's functions were last called with. */
static void		*ready_arg, *reload_arg, *applied_change;
static int		ready_calls, ready_late, reload_calls, apply_calls, stopping_calls;
static char		errpath[PATH_MAX];
/* When the first and the third dispatch came: a loop that waits takes a turn between each. */
static struct timespec	first_turn, third_turn;

static long long
ns_between(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec);
}


static struct pollfd *
fake_pollfds(void *arg, nfds_t *n)
{
	struct fake	*p = arg;

	p->fds[0].revents = 0;
	*n = 1;
	return p->fds;
}

static int
fake_timeout(void *arg, struct timespec *left)
{
	(void)arg;
	left->tv_sec = 0;
	left->tv_nsec = TURN_NS;
	return 1;
}

/* Each turn of the loop: sets the flag a signal would have, one per turn. */
static void
fake_dispatch(void *arg)
{
	struct fake	*p = arg;

	if (ready_calls == 0)
		ready_late = 1;
	switch (++p->dispatched) {
	case 1:
		(void)clock_gettime(CLOCK_MONOTONIC, &first_turn);
		got_spare[SIGUSR1] = 1;
		break;
	case 2:
		if (got_spare[SIGUSR1])
			step_bad("got_spare[SIGUSR1] is still set a turn later: clear it once logged");
		got_reload = 1;
		break;
	case 3:
		(void)clock_gettime(CLOCK_MONOTONIC, &third_turn);
		if (reload_calls != 1)
			step_bad("got_reload was set, and the next turn has seen %d reloads, want 1",
			    reload_calls);
		if (got_reload)
			step_bad("got_reload is still set after the reload: clear it");
		/* A reload and a stop at once: the stop wins, no reload. */
		got_reload = 1;
		got_stop = 1;
		break;
	default:
		if (p->dispatched > TURNS_MAX) {
			step_bad("signals_run() has not returned %d turns after got_stop was set",
			    TURNS_MAX);
			_exit(step_verdict());
		}
	}
}

/* The change the reload puts in force through in_loop. */
static int
fake_apply(void *change, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	apply_calls++;
	fake.applied++;
	applied_change = change;
	if (applied_change != &fake_change)
		step_bad("in_loop ran another change than the one the reload handed it");
	return 0;
}

static int
fake_reload(void *arg, signals_in_loop_fn *in_loop, void *loop)
{
	char	err[128];

	reload_calls++;
	reload_arg = arg;
	if (reload_arg != &fake)
		step_bad("src->reload got another argument than src->arg");
	return in_loop(loop, fake_apply, &fake_change, err, sizeof(err));
}

int
notify_stopping(void)
{
	stopping_calls++;
	return 0;
}

static void
on_ready(void *arg)
{
	ready_arg = arg;
	if (ready_arg != &fake)
		step_bad("src->ready got another argument than src->arg");
	ready_calls++;
}

static const struct signals_source	source = {
	.arg = &fake,
	.pollfds = fake_pollfds,
	.timeout = fake_timeout,
	.dispatch = fake_dispatch,
	.ready = on_ready,
	.reload = fake_reload,
};

/* One signal through the handler; want names the flag it must set, and only that one. */
static void
handler_sets(int sig, const char *name, const volatile sig_atomic_t *want)
{
	int	i, others = 0;

	got_reload = got_stop = 0;
	for (i = 0; i < SIGNALS_MAX; i++)
		got_spare[i] = 0;
	errno = EDOM;
	on_signal(sig);
	if (errno != EDOM)
		step_bad("on_signal(%s) changed errno to \"%s\": save and restore it", name,
		    strerror(errno));
	if (!*want)
		step_bad("on_signal(%s) did not set its flag", name);
	others = (want != &got_reload && got_reload) + (want != &got_stop && got_stop);
	for (i = 0; i < SIGNALS_MAX; i++)
		others += &got_spare[i] != want && got_spare[i];
	if (others)
		step_bad("on_signal(%s) set another flag as well", name);
#if !defined(HAVE_PPOLL)
	{
		char	c;

		if (read(self_pipe[0], &c, 1) != 1)
			step_bad("on_signal(%s) wrote no byte to self_pipe[1]: poll would sleep on",
			    name);
		while (read(self_pipe[0], &c, 1) == 1)
			continue;
	}
#endif
}

static void
check_handler(void)
{
	struct sigaction	sa;
	void			(*before[SIGNALS_MAX])(int);
	char			buf[4096];
	const char		*reload_name, *spare_name;
	int			sig, reload, spare;

	/*
	 * What on_signal() may not do: log (not async-signal-safe), or change an action. log.c
	 * writes to stderr before any log_open() (an exercise of its own, not called here).
	 */
	for (sig = 1; sig < SIGNALS_MAX; sig++)
		before[sig] = sigaction(sig, NULL, &sa) == 0 ? sa.sa_handler : SIG_DFL;
#if !defined(HAVE_PPOLL)
	/* signals_init() makes the pair; here, the handler alone is under test. */
	if (wakeup_pair(self_pipe) == -1) {
		step_bad("wakeup_pair: %s", strerror(errno));
		return;
	}
#endif
	reload = step_reload_signal(0, &reload_name);
	spare = step_reload_signal(1, &spare_name);
	handler_sets(reload, reload_name, &got_reload);
	handler_sets(SIGTERM, "SIGTERM", &got_stop);
	handler_sets(SIGINT, "SIGINT", &got_stop);
	handler_sets(SIGUSR1, "SIGUSR1", &got_spare[SIGUSR1]);
	handler_sets(spare, spare_name, &got_spare[spare]);
	handler_sets(SIGALRM, "SIGALRM", &got_spare[SIGALRM]);
	if (step_file(errpath, buf, sizeof(buf))[0] != '\0')
		step_bad("on_signal() logged \"%.*s\": a handler may only set flags (and write "
		    "the wake-up byte); the loop logs", (int)strcspn(buf, "\n"), buf);
	for (sig = 1; sig < SIGNALS_MAX; sig++)
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != before[sig])
			step_bad("on_signal() changed the action of %s: a handler only sets flags "
			    "(sigaction(2) handlers stay installed; no re-arming)", strsignal(sig));
}

/* Every signal that can be blocked is in set (the ones libc keeps for itself excepted). */
static int
mask_full(const sigset_t *set)
{
	struct sigaction	sa;
	int			sig;

	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &sa) == 0 &&
		    sigismember(set, sig) != 1)
			return 0;
	return 1;
}

static void
check_init(void)
{
	struct sigaction	sa;
	sigset_t		set, now;
	void			(*before[SIGNALS_MAX])(int);
	int			sig, rc;

	for (sig = 1; sig < SIGNALS_MAX; sig++)
		before[sig] = sigaction(sig, NULL, &sa) == 0 ? sa.sa_handler : SIG_DFL;
	/* As main() does before the pid file, plus a stranger that must stay as it was. */
	signals_set(&set);
	(void)sigaddset(&set, SIGWINCH);
	(void)sigprocmask(SIG_BLOCK, &set, NULL);
	(void)sigdelset(&set, SIGWINCH);
	if ((rc = signals_init()) != 0) {
		step_bad("signals_init() returned %d: %s", rc, strerror(errno));
		return;
	}
	for (sig = 1; sig < SIGNALS_MAX; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &sa) == -1)
			continue;
		if (sigismember(&set, sig) != 1) {
			if (sa.sa_handler != before[sig])
				step_bad("signal %d (%s) is not the daemon's, and must keep its "
				    "action", sig, strsignal(sig));
			continue;
		}
		if (sa.sa_handler != on_signal) {
			step_bad("%s is not handled by on_signal()", strsignal(sig));
			continue;
		}
		if (!mask_full(&sa.sa_mask))
			step_bad("%s's handler runs with other signals unblocked: fill sa_mask "
			    "(sigfillset(3))", strsignal(sig));
#if defined(HAVE_PPOLL)
		if (sa.sa_flags & SA_RESTART)
			step_bad("%s has SA_RESTART: ppoll must return to the loop", strsignal(sig));
#else
		if (!(sa.sa_flags & SA_RESTART))
			step_bad("%s has no SA_RESTART: a handler may run anywhere in the loop",
			    strsignal(sig));
#endif
	}
	(void)sigprocmask(SIG_BLOCK, NULL, &now);
	if (sigismember(&now, SIGWINCH) != 1)
		step_bad("SIGWINCH, blocked before, is no longer blocked: change only the "
		    "daemon's signals");
	for (sig = 1; sig < SIGNALS_MAX; sig++) {
		if (sigismember(&set, sig) != 1)
			continue;
#if defined(HAVE_PPOLL)
		if (sigismember(&now, sig) != 1)
			step_bad("%s is not blocked: with ppoll it may arrive only while the loop "
			    "sleeps", strsignal(sig));
		if (sigismember(&wait_mask, sig) == 1)
			step_bad("wait_mask blocks %s: ppoll would sleep through it", strsignal(sig));
#else
		if (sigismember(&now, sig) == 1)
			step_bad("%s is still blocked: unblock the set once the handlers are in",
			    strsignal(sig));
#endif
	}
#if defined(HAVE_PPOLL)
	if (sigismember(&wait_mask, SIGWINCH) != 1)
		step_bad("wait_mask is not the previous mask minus the daemon's signals (SIGWINCH "
		    "is missing)");
#else
	if (self_pipe[0] == -1 || self_pipe[1] == -1 || !(fcntl(self_pipe[1], F_GETFL) &
	    O_NONBLOCK))
		step_bad("self_pipe is not a non-blocking pair (wakeup_pair())");
#endif
}

static void
check_run(void)
{
	char	buf[4096];
	int	rc;

	rc = signals_run(&source);
	if (rc != 0)
		step_bad("signals_run() returned %d (%s), want 0 after the stop flag", rc,
		    strerror(errno));
	if (ready_calls != 1)
		step_bad("ready() was called %d times, want once", ready_calls);
	else if (ready_late)
		step_bad("ready() was called after the payload's first dispatch: first thing");
	if (fake.dispatched < 3)
		step_bad("the payload was dispatched %d times, want a dispatch each time its "
		    "deadline passes (src->timeout)", fake.dispatched);
	if (reload_calls != 1 || apply_calls != 1)
		step_bad("%d reloads (%d applied), want 1: one for got_reload, none when got_stop "
		    "is set too", reload_calls, apply_calls);
	if (stopping_calls != 1)
		step_bad("notify_stopping() was called %d times, want once, after the loop",
		    stopping_calls);
	/* Two turns of TURN_NS each between the first and the third dispatch; half is enough. */
	if (fake.dispatched >= 3 && ns_between(&first_turn, &third_turn) < TURN_NS)
		step_bad("three dispatches in %lld us: signals_run() does not wait for the "
		    "payload's deadline (%ld ms a turn) with signals_wait()",
		    ns_between(&first_turn, &third_turn) / 1000, TURN_NS / 1000000L);
	(void)step_file(errpath, buf, sizeof(buf));
	buf[strcspn(buf, "\n")] = '\0';
	if (fake.dispatched > 0 && strstr(buf, "ignoring SIGUSR1") == NULL)
		step_bad("got_spare[SIGUSR1] was set, and nothing said \"ignoring SIGUSR1\" "
		    "(stderr: %s)", buf);
}

int
main(int argc, char *argv[])
{
	if (argc != 3)
		return step_usage("step-signals", "handler|init|run");
	if (step_capture_stderr(argv[2], errpath, sizeof(errpath)) == -1)
		return step_verdict();
	if (strcmp(argv[1], "handler") == 0)
		check_handler();
	else if (strcmp(argv[1], "init") == 0)
		check_init();
	else if (strcmp(argv[1], "run") == 0)
		check_run();
	else
		return step_usage("step-signals", "handler|init|run");
	return step_verdict();
}
