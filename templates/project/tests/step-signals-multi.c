/*
 * step-signals.c, multithreaded model: the functions of helper/signals.c, each on its own. It
 * includes signals.c itself, to see the set signals_init() fills. The source (signals.h), its
 * reload and the notification signals_run() calls are small fakes here, which record their
 * calls and the thread each ran in.
 *
 *   step-signals init DIR  signals_init() fills `handled` with the daemon's signals and blocks
 *                          exactly those, installing no handler
 *   step-signals run DIR   signals_run() runs the payload in a thread of its own, reports
 *                          ready, logs the spare signals, reloads on the reload signal (SIGHUP,
 *                          or tests/variant's; the new config put in
 *                          force by the payload thread), and on SIGTERM stops that thread and
 *                          returns 0
 */
#include "../helper/signals.c"

#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "step.h"

/* 20 ms a turn; a payload thread still running after this many was never stopped. */
#define TURN_NS		20000000L
#define TURNS_MAX	150

struct fake {
	struct pollfd	fds[1];
	atomic_int	dispatched;
	int		applied;	/* in the payload thread only */
};

static struct fake	fake;
static int		fake_change;	/* the change the fake reload hands to in_loop */
/* The arguments the source's functions were last called with. */
static void		*ready_arg, *reload_arg, *applied_change;
static pthread_t	main_thread, payload_tid;
static atomic_int	ready_calls, ready_late, reload_calls, apply_calls, stopping_calls;
static atomic_int	wrong_thread, sent_term;
static char		errpath[PATH_MAX];

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

/* In the payload thread, each turn: sends the daemon a signal, as an administrator would. */
static void
fake_dispatch(void *arg)
{
	struct fake	*p = arg;
	const char	*name;
	int		 turn = ++p->dispatched;

	if (turn == 1) {
		payload_tid = pthread_self();
		if (pthread_equal(payload_tid, main_thread))
			wrong_thread = 1;
		if (ready_calls == 0)
			ready_late = 1;
		(void)kill(getpid(), SIGUSR1);
		(void)kill(getpid(), step_reload_signal(1, &name));
	} else if (turn == 2) {
		(void)kill(getpid(), step_reload_signal(0, &name));
	} else if (apply_calls > 0 && !sent_term) {
		sent_term = 1;
		(void)kill(getpid(), SIGTERM);
	} else if (turn > TURNS_MAX) {
		step_bad("after %d turns (3 s): %d reloads, %d applied, SIGTERM %s; signals_run() "
		    "has not stopped the payload thread", TURNS_MAX, reload_calls, apply_calls,
		    sent_term ? "sent" : "not sent (no reload was applied)");
		_exit(step_verdict());
	}
}

/* The change the reload puts in force through in_loop: in the payload thread. */
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
	if (!pthread_equal(pthread_self(), payload_tid))
		step_bad("the new config was put in force outside the payload thread: hand it "
		    "over (src->reload with apply_in_payload_thread)");
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
	if (!pthread_equal(pthread_self(), main_thread))
		step_bad("the config was re-read outside the signal thread");
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

static void
check_init(void)
{
	struct sigaction	sa;
	sigset_t		want, now;
	void			(*before[SIGNALS_MAX])(int);
	int			sig, rc;

	for (sig = 1; sig < SIGNALS_MAX; sig++)
		before[sig] = sigaction(sig, NULL, &sa) == 0 ? sa.sa_handler : SIG_DFL;
	(void)sigemptyset(&now);
	(void)pthread_sigmask(SIG_SETMASK, &now, NULL);
	if ((rc = signals_init()) != 0) {
		step_bad("signals_init() returned %d: %s", rc, strerror(errno));
		return;
	}
	signals_set(&want);
	(void)pthread_sigmask(SIG_BLOCK, NULL, &now);
	for (sig = 1; sig < SIGNALS_MAX; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigismember(&want, sig) != sigismember(&handled, sig))
			step_bad("`handled` %s %s: fill it with signals_set()",
			    sigismember(&handled, sig) == 1 ? "has" : "lacks", strsignal(sig));
		if (sigismember(&want, sig) != sigismember(&now, sig))
			step_bad("%s is %sblocked: block exactly the daemon's signals (a blocked "
			    "fault is undefined behaviour)", strsignal(sig),
			    sigismember(&now, sig) == 1 ? "" : "not ");
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != before[sig])
			step_bad("%s has a new action: in this model no handler is installed, and "
			    "sigwait() takes the daemon's signals", strsignal(sig));
	}
}

static void
check_run(void)
{
	char		 buf[4096], want[64];
	const char	*reload_name, *spare_name;
	int		 rc, turns, usr1, spare;

	(void)step_reload_signal(0, &reload_name);
	(void)step_reload_signal(1, &spare_name);
	main_thread = pthread_self();
	/* What signals_init() sets up, so that signals_run() is tested on its own. */
	signals_set(&handled);
	(void)pthread_sigmask(SIG_BLOCK, &handled, NULL);
	rc = signals_run(&source);
	turns = fake.dispatched;
	step_nap(100);
	if (rc != 0)
		step_bad("signals_run() returned %d (%s), want 0 after SIGTERM", rc,
		    strerror(errno));
	if (fake.dispatched == 0)
		step_bad("the payload was never dispatched: run payload_thread()");
	else if (wrong_thread)
		step_bad("the payload was dispatched in the signal thread, not a thread of its own");
	else if (fake.dispatched != turns)
		step_bad("the payload thread still runs after signals_run() returned: stop it and "
		    "join it");
	if (ready_calls != 1)
		step_bad("ready() was called %d times, want once", ready_calls);
	else if (ready_late)
		step_bad("ready() was called after the payload's first dispatch");
	if (reload_calls != 1 || apply_calls != 1)
		step_bad("%d reloads (%d applied), want 1: %s was sent once, and %s (a spare "
		    "signal) once", reload_calls, apply_calls, reload_name, spare_name);
	if (stopping_calls != 1)
		step_bad("notify_stopping() was called %d times, want once", stopping_calls);
	(void)step_file(errpath, buf, sizeof(buf));
	(void)snprintf(want, sizeof(want), "ignoring %s", spare_name);
	usr1 = strstr(buf, "ignoring SIGUSR1") != NULL;
	spare = strstr(buf, want) != NULL;
	buf[strcspn(buf, "\n")] = '\0';
	if (fake.dispatched > 0 && !usr1)
		step_bad("SIGUSR1 was sent, and nothing said \"ignoring SIGUSR1\" (stderr: %s)", buf);
	if (fake.dispatched > 0 && !spare)
		step_bad("%s was sent, and nothing said \"%s\" (stderr: %s)", spare_name, want, buf);
}

int
main(int argc, char *argv[])
{
	if (argc != 3)
		return step_usage("step-signals", "init|run");
	if (step_capture_stderr(argv[2], errpath, sizeof(errpath)) == -1)
		return step_verdict();
	if (strcmp(argv[1], "init") == 0)
		check_init();
	else if (strcmp(argv[1], "run") == 0)
		check_run();
	else
		return step_usage("step-signals", "init|run");
	return step_verdict();
}
