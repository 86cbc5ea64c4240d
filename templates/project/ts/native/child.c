/*
 * child.c: Node, started as this process's only child, and the control channel it talks on.
 *
 * Why a child and not an addon: fork() inside a running Node is undefined (it has threads before
 * the first line of user code, and libuv allows only exec after fork), and Node has no setsid, no
 * fcntl locks, no AF_UNIX datagrams (so no sd_notify and no /dev/log) and no syslog(3). So this
 * process does all of that (main.c) and Node only serves.
 *
 * Node gets:
 * - fd 3, one end of a stream socketpair: it writes one line per message (src/control.ts), and
 *   its end of file is Node's end. The lines: LOG info|warn TEXT, READY WHAT, RELOADING,
 *   STATUS WHAT, STOPPING, FAIL STATUS REASON (start-up failed before READY).
 * - fds 1 and 2, a pipe whose lines are logged here ("node: ..."): a crash's stack trace reaches
 *   syslog, not /dev/null;
 * - fd 0, /dev/null; no other descriptor (every one here is close-on-exec, APUE 13.7);
 * - an empty signal mask and SIGPIPE at its default (exec keeps both, and main.c blocks the
 *   daemon's signals; Node resets both itself at start, but the helper does not rely on what
 *   one version of Node does), no NOTIFY_SOCKET (this process owns systemd's channel), and on Linux
 *   PR_SET_PDEATHSIG: if this process is killed, even by SIGKILL, Node gets SIGTERM, and the
 *   channel's end of file tells it too (everywhere), so that no orphan keeps serving.
 *
 * SIGHUP is forwarded once Node has said READY (Node resets an ignored or blocked SIGHUP to its
 * default at start, and a HUP before its handler exists would kill it); one that comes earlier
 * waits for READY. SIGTERM and SIGINT end the signal loop; child_stop() then forwards SIGTERM
 * and waits at most CHILD_STOP_SEC seconds before SIGKILL.
 */
#include "compat.h"

#include <sys/types.h>
#include <sys/wait.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "daemonize.h"
#include "fd.h"
#include "log.h"
#include "notify.h"
#include "paths.h"
#include "timespec.h"

#define CHANNEL	0	/* index into in[] and len[]; fds[1] */
#define OUTPUT	1	/* fds[2] */

/*
 * Become Node (src/main.ts): with chan and out (the daemon) on fds 3, 1 and 2; without (-t) on
 * this process's own, and pidfile NULL when -t has none to give. Returns only if exec failed,
 * with errno set.
 */
static void
exec_node(const char *config, const char *pidfile, int test, int chan, int out, pid_t parent)
{
	char		*argv[9];
	sigset_t	 none;
	int		 i = 0;

	argv[i++] = (char *)<%- IDENT %>_NODE;
	/*
	 * V8 collects garbage on the event loop's thread alone: an idle daemon then wakes 5 times
	 * in its first seconds instead of about 65 (the memory reducer's one collection, spread over
	 * V8's helper threads), with the same memory and start time (create-daemon's bench/).
	 */
	argv[i++] = (char *)"--single-threaded-gc";
	argv[i++] = (char *)child_script;
	argv[i++] = (char *)"-c";
	argv[i++] = (char *)config;
	if (pidfile != NULL) {
		argv[i++] = (char *)"-p";
		argv[i++] = (char *)pidfile;
	}
	if (test)
		argv[i++] = (char *)"-t";
	argv[i] = NULL;

	/* 1 and 2 first: out and chan are above 2 (stdio_sanitise), so neither is overwritten. */
	if (out != -1 && (dup2(out, STDOUT_FILENO) == -1 || dup2(out, STDERR_FILENO) == -1))
		return;
	/* dup2 clears close-on-exec on the copy; a channel already on 3 keeps it: clear it. */
	if (chan != -1 && (chan == 3 ? fcntl(3, F_SETFD, 0) : dup2(chan, 3)) == -1)
		return;
	/*
	 * Nothing else: with -f the helper never closed what its starter leaked (a supervisor's,
	 * a shell's), and close-on-exec covers only the helper's own (APUE 13.3 rule 5).
	 */
	if (chan != -1 && close_inherited(3) == -1)
		return;
	(void)sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	(void)signal(SIGPIPE, SIG_DFL);
#if defined(__linux__)
	/* After the privilege drop (main.c), which would clear it; then the race with our end. */
	if (chan != -1 && (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != parent))
		return;
#else
	(void)parent;
#endif
	(void)unsetenv("NOTIFY_SOCKET");
	(void)execv(argv[0], argv);
}

/* The script Node is to run, readable by this process (after the privilege drop), or why not. */
static int
script_readable(char *err, size_t errlen)
{
	if (access(child_script, R_OK) == 0)
		return 0;
	(void)snprintf(err, errlen, "cannot read %s, which node runs: %s", child_script,
	    strerror(errno));
	return -1;
}

/* -t: Node checks the config in the foreground, on this terminal. Returns only on failure. */
int
child_test(const char *config, const char *pidfile, char *err, size_t errlen)
{
	if (script_readable(err, errlen) == -1)
		return -1;
	exec_node(config, pidfile, 1, -1, -1, getpid());
	(void)snprintf(err, errlen, "cannot run %s: %s", <%- IDENT %>_NODE, strerror(errno));
	return -1;
}

/* A message of Node's on the channel (see the top of this file). */
static void
child_message(struct child *c, char *line)
{
	char	*arg = strchr(line, ' ');
	char	 state[CHILD_LINE_MAX + 16];
	long	 status;

	if (arg != NULL)
		*arg++ = '\0';
	else
		arg = line + strlen(line);
	if (strcmp(line, "LOG") == 0 && strncmp(arg, "info ", 5) == 0) {
		log_info("%s", arg + 5);
	} else if (strcmp(line, "LOG") == 0 && strncmp(arg, "warn ", 5) == 0) {
		log_warnx("%s", arg + 5);
	} else if (c->stopping && (strcmp(line, "READY") == 0 || strcmp(line, "FAIL") == 0)) {
		log_info("node, while stopping: %s %.80s", line, arg);
	} else if (strcmp(line, "READY") == 0 && !c->ready) {
		c->ready = 1;
		c->on_ready(arg[0] != '\0' ? arg : "no status given");
		if (c->reload) {
			c->reload = 0;
			(void)kill(c->pid, SIGHUP);
		}
	} else if (strcmp(line, "RELOADING") == 0) {
		(void)notify_reloading();
	} else if (strcmp(line, "STATUS") == 0 && !c->ready) {
		/* Before READY, a status alone: systemd must not take it for readiness. */
		(void)snprintf(state, sizeof(state), "STATUS=%s", arg);
		(void)notify_send(state);
	} else if (strcmp(line, "STATUS") == 0 || strcmp(line, "READY") == 0) {
		(void)notify_ready(arg);
	} else if (strcmp(line, "STOPPING") == 0) {
		c->said_stopping = 1;
		(void)notify_stopping();
	} else if (strcmp(line, "FAIL") == 0 && !c->ready) {
		status = strtol(arg, &arg, 10);
		if (status <= 0 || status > 125)
			status = CHILD_DIED;
		while (*arg == ' ')
			arg++;
		/* Node exits after FAIL: reap it (child_stop), then stop with its reason. */
		(void)child_stop(c);
		c->on_fail((int)status, "%s", arg);
	} else if (strcmp(line, "FAIL") == 0) {
		/* After READY there is no start to fail: Node logs, and exits, and that is seen. */
		log_warnx("node: %s", arg);
	} else if (line[0] != '\0') {
		log_warnx("unknown message from node: %.80s", line);
	}
}

/*
 * A line of Node's output (stdout and stderr): logged with its control characters as spaces (a
 * terminal escape must not reach the log), and kept as the reason to give if Node ends before
 * READY: its last line that says something (not a stack frame, not Node's closing "Node.js vN").
 */
static void
child_output(struct child *c, char *line)
{
	char	*p;

	for (p = line; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	log_warnx("node: %s", line);
	if (line[0] != '\0' && line[0] != ' ' && strncmp(line, "Node.js v", 9) != 0)
		(void)snprintf(c->last, sizeof(c->last), "%s", line);
}

/* One line from which: a message on the channel, or a line of Node's output. */
static void
child_line(struct child *c, int which, char *line)
{
	if (which == CHANNEL)
		child_message(c, line);
	else
		child_output(c, line);
}

/*
 * Reads what is there on channel or output (non-blocking), and hands each complete line on. A
 * line longer than CHILD_LINE_MAX is cut there, and the rest of it, up to its newline, dropped:
 * never read as a line of its own. At end of file (or an error) the descriptor is closed and set
 * to -1, after the last partial line.
 */
static void
child_read(struct child *c, int which)
{
	struct pollfd	*pfd = &c->fds[which == CHANNEL ? 1 : 2];
	char		*buf = c->in[which], *nl;
	size_t		*len = &c->len[which];
	ssize_t		 n;

	for (;;) {
		n = read(pfd->fd, buf + *len, CHILD_LINE_MAX - *len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n <= 0) {
			if (*len > 0 && !c->skip[which]) {
				buf[*len] = '\0';
				*len = 0;
				child_line(c, which, buf);
			}
			(void)close(pfd->fd);
			pfd->fd = -1;
			return;
		}
		*len += (size_t)n;
		while ((nl = memchr(buf, '\n', *len)) != NULL || *len == CHILD_LINE_MAX) {
			size_t	used = nl != NULL ? (size_t)(nl - buf) + 1 : *len;
			char	line[CHILD_LINE_MAX + 1];
			int	skipped = c->skip[which];

			memcpy(line, buf, used);
			line[nl != NULL ? used - 1 : used] = '\0';
			memmove(buf, buf + used, *len - used);
			*len -= used;
			/* Cut: the rest, up to the newline, is dropped. */
			c->skip[which] = nl == NULL;
			if (!skipped)
				child_line(c, which, line);
		}
	}
}

/* A wait status in words, for a log line. */
static void
child_describe(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		(void)snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		(void)snprintf(buf, len, "was killed by signal %d (%s)", WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
	else
		(void)snprintf(buf, len, "ended (wait status %#x)", (unsigned)status);
}

/* signals_source: the loop's entry 0, the channel, Node's output. */
static struct pollfd *
child_pollfds(void *arg, nfds_t *n)
{
	struct child	*c = arg;

	c->fds[1].events = c->fds[2].events = POLLIN;
	*n = 3;
	return c->fds;
}

/* Until READY, the deadline for it; none after. */
static int
child_timeout(void *arg, struct timespec *left)
{
	struct child	*c = arg;
	struct timespec	 now;

	if (c->ready || c->ended)
		return 0;
	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	ts_left(&c->ready_by, &now, left);
	return 1;
}

static void
child_dispatch(void *arg)
{
	struct child	*c = arg;
	struct timespec	 now;
	char		 how[128];

	/* Node's output first: a stack trace is logged before its end is. */
	if (c->fds[2].fd != -1 && c->fds[2].revents != 0)
		child_read(c, OUTPUT);
	if (c->fds[1].fd != -1 && c->fds[1].revents != 0)
		child_read(c, CHANNEL);
	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	if (!c->ready && !c->ended && !ts_before(&now, &c->ready_by)) {
		(void)child_stop(c);
		c->on_fail(CHILD_DIED, "node did not say it was ready within %d s: stopped it%s%s",
		    CHILD_READY_SEC, c->last[0] != '\0' ? "; its last words: " : "", c->last);
	}
	if (c->fds[1].fd != -1 || c->ended)
		return;
	/* The channel's end: Node is gone, or going. */
	c->ended = 1;
	if (!c->ready) {
		(void)child_stop(c);
		child_describe(c->status, how, sizeof(how));
		c->on_fail(CHILD_DIED, "node %s before it was ready%s%s", how,
		    c->last[0] != '\0' ? ": " : "", c->last);
	}
	/*
	 * Stop the way anyone stops this process: SIGTERM ends the signal loop (held blocked
	 * until the loop waits again), and main() calls child_stop(), which reaps Node.
	 */
	(void)raise(SIGTERM);
}

static void
child_ready(void *arg)
{
	(void)arg;	/* Node says when it is ready: READY on the channel */
}

/* SIGHUP: Node re-reads the config (src/main.ts) and says how it went, in LOG and STATUS. */
static int
child_reload(void *arg, signals_in_loop_fn *in_loop, void *loop)
{
	struct child	*c = arg;

	(void)in_loop;
	(void)loop;
	if (!c->ready) {
		c->reload = 1;
		return 0;
	}
	return kill(c->pid, SIGHUP);
}

int
child_start(struct child *c, const char *config, const char *pidfile, child_ready_fn *ready,
    child_fail_fn *fail, char *err, size_t errlen)
{
	pid_t	parent = getpid();
	int	chan[2], out[2];

	memset(c, 0, sizeof(*c));
	c->fds[0].fd = c->fds[1].fd = c->fds[2].fd = -1;
	if (script_readable(err, errlen) == -1)
		return -1;
	c->on_ready = ready;
	c->on_fail = fail;
	(void)clock_gettime(CLOCK_MONOTONIC, &c->ready_by);
	c->ready_by.tv_sec += CHILD_READY_SEC;
	if (wakeup_pair(chan) == -1) {
		(void)snprintf(err, errlen, "cannot create the channel to node: %s",
		    strerror(errno));
		return -1;
	}
	if (pipe_cloexec(out) == -1 || fd_cloexec(out[0], 1) == -1) {
		(void)snprintf(err, errlen, "cannot create a pipe for node's output: %s",
		    strerror(errno));
		(void)close(chan[0]);
		(void)close(chan[1]);
		return -1;
	}
	if ((c->pid = fork()) == -1) {
		(void)snprintf(err, errlen, "cannot start node: fork: %s", strerror(errno));
		c->pid = 0;
		(void)close(chan[0]);
		(void)close(chan[1]);
		(void)close(out[0]);
		(void)close(out[1]);
		return -1;
	}
	if (c->pid == 0) {
		exec_node(config, pidfile, 0, chan[1], out[1], parent);
		(void)dprintf(STDERR_FILENO, "cannot run %s: %s\n", <%- IDENT %>_NODE,
		    strerror(errno));
		_exit(127);
	}
	(void)close(chan[1]);
	(void)close(out[1]);
	c->fds[1].fd = chan[0];
	c->fds[2].fd = out[0];
	c->src.arg = c;
	c->src.pollfds = child_pollfds;
	c->src.timeout = child_timeout;
	c->src.dispatch = child_dispatch;
	c->src.ready = child_ready;
	c->src.reload = child_reload;
	return 0;
}

const struct signals_source *
child_source(struct child *c)
{
	return &c->src;
}

/*
 * Stops Node (SIGTERM, unless it already ended), relaying what it says meanwhile, and reaps it;
 * SIGKILL after CHILD_STOP_SEC seconds. Returns this process's exit status: Node's own when it
 * was asked to stop, CHILD_DIED (or Node's non-zero status) when it ended by itself. No-op
 * (returning the same) once done.
 */
int
child_stop(struct child *c)
{
	static const struct timespec	tick = { 0, 10000000L };
	struct timespec			deadline, now, left;
	char				how[128];
	int				killed = 0, rc;

	if (c->pid > 0) {
		c->stopping = 1;
		/* Also once the channel ended: Node may have closed it and still run. */
		(void)kill(c->pid, SIGTERM);
		(void)clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += CHILD_STOP_SEC;
		for (;;) {
			if ((rc = waitpid(c->pid, &c->status, WNOHANG)) == c->pid ||
			    (rc == -1 && errno != EINTR))
				break;
			(void)clock_gettime(CLOCK_MONOTONIC, &now);
			if (!ts_before(&now, &deadline)) {
				if (killed)
					break;
				log_warnx("node (pid %ld) did not stop within %d s: killing it",
				    (long)c->pid, CHILD_STOP_SEC);
				(void)kill(c->pid, SIGKILL);
				killed = 1;
				deadline = now;
				deadline.tv_sec += 1;
				continue;
			}
			/* Its last words while it drains, or 10 ms: no busy wait. */
			ts_left(&deadline, &now, &left);
			if (ts_before(&tick, &left))
				left = tick;
			if (poll(c->fds + 1, 2, ts_poll_ms(&left)) > 0) {
				if (c->fds[2].fd != -1 && c->fds[2].revents != 0)
					child_read(c, OUTPUT);
				if (c->fds[1].fd != -1 && c->fds[1].revents != 0)
					child_read(c, CHANNEL);
			}
		}
		if (rc != c->pid)
			c->status = -1;
		child_describe(c->status, how, sizeof(how));
		if (c->ended && !(c->said_stopping && WIFEXITED(c->status) &&
		    WEXITSTATUS(c->status) == 0))
			log_warnx("node (pid %ld) %s", (long)c->pid, how);
		c->pid = 0;
	}
	for (rc = 1; rc <= 2; rc++) {
		if (c->fds[rc].fd != -1) {
			(void)close(c->fds[rc].fd);
			c->fds[rc].fd = -1;
		}
	}
	/* Node's own clean stop (STOPPING, then exit 0): someone stopped it, the service too. */
	if (c->said_stopping && WIFEXITED(c->status) && WEXITSTATUS(c->status) == 0)
		return 0;
	if (c->ended)
		return WIFEXITED(c->status) && WEXITSTATUS(c->status) != 0 ?
		    WEXITSTATUS(c->status) : CHILD_DIED;
	/* Asked to stop before its handlers existed, Node dies of the SIGTERM: a stop all the same. */
	if (WIFSIGNALED(c->status) && WTERMSIG(c->status) == SIGTERM && !killed)
		return 0;
	return WIFEXITED(c->status) ? WEXITSTATUS(c->status) : CHILD_DIED;
}
