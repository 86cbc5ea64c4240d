/*
 * step-daemonize.c: the functions of helper/daemonize.c, each on its own. It includes
 * daemonize.c itself, so that the static helpers daemonize() calls can be called one at a time;
 * each check sets up what a careless starter leaves behind and looks at the result.
 *
 *   step-daemonize walk DIR       close_walk(5): fds 3, 4, 9, 250, 251 and the highest the
 *                                 limit allows closed, 5 and 0-2 kept
 *                                 (5 is a copy of stdout, where the findings go)
 *   step-daemonize inherited DIR  the same through close_inherited(5)
 *   step-daemonize stdio DIR      null_stdio(): 0-2 on /dev/null, read-write, also when they
 *                                 were closed, and no descriptor leaked
 *   step-daemonize signals DIR    reset_signals(): ignored and caught signals back to SIG_DFL,
 *                                 blocked ones unblocked
 *   step-daemonize daemonize DIR  daemonize(): the daemon writes DIR/report, one line per
 *                                 property ("ok NAME" or "bad NAME: why", then "end"), and
 *                                 reports 0 through the readiness pipe
 *   step-daemonize status DIR     daemonize() with a daemon that reports 3 and a message: the
 *                                 caller exits 3 and prints the message
 */
#include "../helper/daemonize.c"

#include <sys/resource.h>

#include <limits.h>

#include "step.h"
#include "todo.h"

#define KEEP		5
#define START_MASK	077
/* The daemon reports this, with its message, in the status run. */
#define FAIL_STATUS	3
#define FAIL_MESSAGE	"boom: the daemon failed"

/*
 * The descriptors a careless starter leaks: below and above KEEP, high numbers, and (leaked[]'s
 * last, filled in by leak()) the highest the limit allows, which a loop to a fixed bound misses.
 */
static int	leaked[] = { 3, 4, 9, 250, 251, -1 };
static size_t	nleaked = sizeof(leaked) / sizeof(leaked[0]) - 1;

/*
 * The mask daemonize() is asked for is chosen at run time, among masks a daemon may want, and is
 * never 027 nor 022 (the project's and the usual default): a umask() of either instead of the
 * argument always fails, and one of these passes one run in three at most.
 */
static mode_t
want_mask(void)
{
	static const mode_t	masks[] = { 026, 037, 007 };

	return masks[(size_t)getpid() % (sizeof(masks) / sizeof(masks[0]))];
}

/*
 * The highest descriptor RLIMIT_NOFILE allows, or, above CLOSE_WALK_MAX (daemonize.c's bound for
 * a walk without a descriptor directory), the highest below that bound; -1 when it is no higher
 * than the other canaries.
 */
static int
top_fd(void)
{
	struct rlimit	rl;
	rlim_t		top = CLOSE_WALK_MAX;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < top)
		top = rl.rlim_cur;
	return top <= 252 ? -1 : (int)top - 1;
}

/*
 * The canaries, and KEEP: a copy of stdout that the report then goes to, so that a walk that
 * wrongly closes 0-2 still has its findings shown.
 */
static void
leak(void)
{
	size_t	i;
	int	fd, kept = 0;

	if (dup2(STDOUT_FILENO, KEEP) == -1) {
		step_bad("dup2 onto %d: %s", KEEP, strerror(errno));
		return;
	}
	step_output(KEEP);
	if ((fd = open("/dev/null", O_RDONLY)) == -1) {
		step_bad("open /dev/null: %s", strerror(errno));
		return;
	}
	if ((leaked[nleaked] = top_fd()) != -1)
		nleaked++;
	for (i = 0; i < nleaked; i++) {
		if (fd == leaked[i])
			kept = 1;
		else if (dup2(fd, leaked[i]) == -1)
			step_bad("dup2 onto %d: %s", leaked[i], strerror(errno));
	}
	if (!kept)
		(void)close(fd);
}

static void
check_closed(const char *fn, int rc)
{
	size_t	i;
	int	fd;

	if (rc != 0)
		step_bad("%s(%d) returned %d (%s), want 0", fn, KEEP, rc, strerror(errno));
	for (i = 0; i < nleaked; i++)
		if (fcntl(leaked[i], F_GETFD) != -1)
			step_bad("%s(%d) left the inherited descriptor %d open", fn, KEEP, leaked[i]);
	if (fcntl(KEEP, F_GETFD) == -1)
		step_bad("%s(%d) closed %d, the descriptor it must keep (the readiness pipe)", fn,
		    KEEP, KEEP);
	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1)
			step_bad("%s(%d) closed %d: only descriptors >= 3 are closed", fn, KEEP, fd);
}

static void
stdio_on(const char *how)
{
	int	fd;

	for (fd = 0; fd <= 2; fd++) {
		if (!step_is_devnull(fd))
			step_bad("%s: fd %d is not /dev/null", how, fd);
		else if ((fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDWR)
			step_bad("%s: fd %d is /dev/null, but not open read-write", how, fd);
		else if (fcntl(fd, F_GETFD) & FD_CLOEXEC)
			step_bad("%s: fd %d is close-on-exec; 0-2 must survive exec", how, fd);
	}
}

static void
check_stdio(const char *dir)
{
	char	path[PATH_MAX];
	int	fd, low, rc;

	/* The report goes on a copy of stdout: null_stdio() moves 0-2. */
	if ((fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 20)) == -1) {
		step_bad("cannot copy stdout: %s", strerror(errno));
		return;
	}
	step_output(fd);
	(void)snprintf(path, sizeof(path), "%s/stdio", dir);
	/* 0-2 on a file, as a starter's redirections leave them. */
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1 ||
	    dup2(fd, 0) == -1 || dup2(fd, 1) == -1 || dup2(fd, 2) == -1 || close(fd) == -1) {
		step_bad("cannot put 0-2 on %s: %s", path, strerror(errno));
		return;
	}
	low = step_lowest_fd();
	if ((rc = null_stdio()) != 0)
		step_bad("null_stdio() returned %d (%s), want 0", rc, strerror(errno));
	stdio_on("0-2 on a file before");
	if (rc == 0 && step_lowest_fd() != low)
		step_bad("null_stdio() left the descriptor it opened open (the next is %d, was %d)",
		    step_lowest_fd(), low);
	/* All three closed: open(2) then returns 0 itself, which must not be closed after. */
	(void)close(0);
	(void)close(1);
	(void)close(2);
	if ((rc = null_stdio()) != 0)
		step_bad("with 0-2 closed, null_stdio() returned %d (%s), want 0", rc,
		    strerror(errno));
	stdio_on("0-2 closed before");
}

static void
on_term(int sig)
{
	(void)sig;
}

static void
check_signals(void)
{
	struct sigaction	sa;
	sigset_t		set;
	int			sig, rc;

	/* What nohup, a shell or a supervisor may hand down: ignored, caught and blocked. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGUSR1, &sa, NULL);
	(void)sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_term;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigemptyset(&set);
	(void)sigaddset(&set, SIGQUIT);
	(void)sigaddset(&set, SIGWINCH);
	(void)sigaddset(&set, SIGHUP);
#ifdef SIGRTMAX
	/* The last real-time signal too: a reset that stops at 31 (or at SIGRTMIN) misses it. */
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGRTMAX, &sa, NULL);
	(void)sigaddset(&set, SIGRTMAX - 1);
#endif
	(void)sigprocmask(SIG_BLOCK, &set, NULL);

	if ((rc = reset_signals()) != 0)
		step_bad("reset_signals() returned %d (%s), want 0", rc, strerror(errno));
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &sa) == -1)
			continue;
		if (sa.sa_handler != SIG_DFL)
			step_bad("signal %d (%s) is %s, want SIG_DFL", sig, strsignal(sig),
			    sa.sa_handler == SIG_IGN ? "ignored" : "caught");
	}
	if (sigprocmask(SIG_BLOCK, NULL, &set) == 0)
		for (sig = 1; sig < NSIG; sig++)
			if (sigismember(&set, sig) == 1)
				step_bad("signal %d (%s) is still blocked: the mask must be empty",
				    sig, strsignal(sig));
}

/* In the daemon: one line per property into the report. */
static void
property(FILE *f, const char *name, int ok, const char *why)
{
	if (ok)
		(void)fprintf(f, "ok %s\n", name);
	else
		(void)fprintf(f, "bad %s: %s\n", name, why);
}

static void
check_daemonize(const char *dir)
{
	struct sigaction	 sa;
	char			 path[PATH_MAX], cwd[PATH_MAX], why[PATH_MAX + 256];
	FILE			*f;
	pid_t			 opid = getpid(), osid = getsid(0), csid;
	mode_t			 mask, want = want_mask();
	int			 ready = -1, rc, e, fd;

	/* A leaked descriptor and an ignored signal: daemonize()'s helpers must shed them. */
	if ((fd = open("/dev/null", O_RDONLY)) == -1 || dup2(fd, 9) == -1) {
		step_bad("cannot leak fd 9: %s", strerror(errno));
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGUSR1, &sa, NULL);
	(void)umask(START_MASK);

	rc = daemonize("step-daemonize", want, &ready);
	e = errno;
	if (ready == -1) {
		step_bad("daemonize() returned %d in the process that called it: %s", rc,
		    strerror(e));
		return;
	}
	/* The daemon (rc 0), or a child whose helper failed (rc -1): it reports either way. */
	(void)snprintf(path, sizeof(path), "%s/report", dir);
	if ((f = fopen(path, "w")) == NULL) {
		(void)daemon_report(ready, 71, "step-daemonize: cannot write the report");
		_exit(71);
	}
	(void)snprintf(why, sizeof(why), "its pid is %ld, its parent %ld; the caller was %ld",
	    (long)getpid(), (long)getppid(), (long)opid);
	property(f, "fork", getpid() != opid && getppid() != opid, why);
	/*
	 * Its own session, made in the child: the caller, still waiting for the report, keeps the
	 * session it was called in (a setsid() before the first fork moves the caller instead).
	 */
	csid = getsid(opid);
	(void)snprintf(why, sizeof(why), "session %ld, the caller's was %ld and is now %ld",
	    (long)getsid(0), (long)osid, (long)csid);
	property(f, "session", getsid(0) != osid && (csid == osid || (csid == -1 && errno == ESRCH)),
	    why);
	(void)snprintf(why, sizeof(why), "session %ld is its own pid", (long)getsid(0));
	property(f, "leader", getsid(0) != getpid(), why);
	mask = umask(0);
	(void)snprintf(why, sizeof(why), "umask %03o, want %03o (the caller's was %03o)",
	    (unsigned)mask, (unsigned)want, (unsigned)START_MASK);
	property(f, "umask", mask == want, why);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		(void)snprintf(cwd, sizeof(cwd), "(unknown: %s)", strerror(errno));
	(void)snprintf(why, sizeof(why), "cwd %s", cwd);
	property(f, "cwd", strcmp(cwd, "/") == 0, why);
	/*
	 * Its helpers: done when they work, or called when one is not written yet (ENOSYS from
	 * todo(), their own checks above say which). Any other failure is daemonize()'s.
	 */
	(void)sigaction(SIGUSR1, NULL, &sa);
	if (rc == 0 && (fcntl(9, F_GETFD) != -1 || !step_is_devnull(0) ||
	    sa.sa_handler != SIG_DFL))
		(void)snprintf(why, sizeof(why), "it returned 0, but%s%s%s",
		    fcntl(9, F_GETFD) != -1 ? " the leaked fd 9 is open (close_inherited())" : "",
		    !step_is_devnull(0) ? " fd 0 is not /dev/null (null_stdio())" : "",
		    sa.sa_handler != SIG_DFL ? " SIGUSR1 is still ignored (reset_signals())" : "");
	else if (rc == -1 && (e != ENOSYS || todo_calls == 0))
		(void)snprintf(why, sizeof(why), "it failed in the daemon: %s%s", strerror(e),
		    e == ENOSYS ? " (set by hand: no helper is a stub still)" : "");
	else
		why[0] = '\0';
	property(f, "helpers", why[0] == '\0', why);
	/* A moment, so that a start command that returns before the report is seen doing so. */
	step_nap(200);
	(void)fprintf(f, "end\n");
	(void)fclose(f);
	(void)daemon_report(ready, 0, "");
	_exit(0);
}

/*
 * daemonize() once more, with a daemon that fails: the caller must exit with the status the
 * daemon reports, and print its message (daemon(7) step 15), never 0 nor a status of its own.
 */
static void
check_status(void)
{
	int	ready = -1, rc;

	rc = daemonize("step-daemonize", want_mask(), &ready);
	if (ready == -1) {
		step_bad("daemonize() returned %d in the process that called it: %s", rc,
		    strerror(errno));
		return;
	}
	(void)daemon_report(ready, FAIL_STATUS, FAIL_MESSAGE);
	_exit(FAIL_STATUS);
}

int
main(int argc, char *argv[])
{
	if (argc != 3)
		return step_usage("step-daemonize", "walk|inherited|stdio|signals|daemonize|status");
	if (strcmp(argv[1], "walk") == 0) {
		leak();
		check_closed("close_walk", close_walk(KEEP));
	} else if (strcmp(argv[1], "inherited") == 0) {
		leak();
		check_closed("close_inherited", close_inherited(KEEP));
	} else if (strcmp(argv[1], "stdio") == 0) {
		check_stdio(argv[2]);
	} else if (strcmp(argv[1], "signals") == 0) {
		check_signals();
	} else if (strcmp(argv[1], "daemonize") == 0) {
		check_daemonize(argv[2]);
	} else if (strcmp(argv[1], "status") == 0) {
		check_status();
	} else {
		return step_usage("step-daemonize", "walk|inherited|stdio|signals|daemonize|status");
	}
	return step_verdict();
}
