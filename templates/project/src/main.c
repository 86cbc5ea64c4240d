<% if (ts) { -%>
/*
 * main.c: the <%- name %> program, which the init system sees: the command line, the start-up order
 * and the exit path. The same file as a C daemon's main.c; its payload is the Node process.
 *
 * The start-up order (APUE 13.3, daemon(7)): descriptors 0-2 made safe; options; the log; in
 * daemon mode, detach (daemonize.c); the pid-file lock, in the final process, held for life
 * here (Node never opens the pid file: any close of a descriptor on it drops an fcntl lock)<% if (user) { %>;
 * the privilege drop, so that Node and every module it loads never run as root<% } %>; the
 * signals; then Node, started with the control channel (child.c), which reads the config and
 * says when it serves: "ready" then goes through the readiness pipe or sd_notify. Any failure
 * before "ready", the config's included, reaches the starter's stderr and exit status. Then the
 * loop (signals.c) relays Node's messages and forwards SIGHUP, until SIGTERM or SIGINT, which
 * it forwards too, or until Node dies, which stops this process non-zero.
 */
<% } else { -%>
/*
 * main.c: <%- name %>'s entry point: the command line, the start-up order and the exit path.
 *
 * The start-up order (APUE 13.3, daemon(7)): descriptors 0-2 made safe; options; config, checked
 * before anything else;
 * the log; in daemon mode, detach (daemonize.c); the pid-file lock, in the final process;
 * the payload's resources<% if (user) { %>; the privilege drop<% } %>; the signals; then "ready", through
 * the readiness pipe or sd_notify. Any failure before "ready" reaches the starter's stderr and
 * exit status. Then the loop (signals.c) runs until SIGTERM or SIGINT.
 */
<% } -%>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

<% if (ts) { -%>
#include "child.h"
<% } else { -%>
#include "config.h"
<% } -%>
#include "daemonize.h"
#include "defaults.h"
#include "fd.h"
#include "log.h"
#include "notify.h"
#include "path.h"
<% if (!ts) { -%>
#include "payload.h"
<% } -%>
#include "pidfile.h"
<% if (user) { -%>
#include "privdrop.h"
<% } -%>
<% if (!ts) { -%>
#include "reload.h"
<% } -%>
#include "signals.h"
<% if (variant) { -%>
#include "variant.h"
<% } -%>
<% if (ts) { -%>

/* Room for one message: "file:line: reason" from Node, or a reason of the helper's own. */
#define CONFIG_ERR_MAX	CHILD_LINE_MAX
<% } -%>

/* What the pre-ready failure path must undo, and where "ready" goes. */
static struct {
	char		 pidfile[PATH_MAX];
	int		 pidfd;		/* the locked pid file, or -1 */
	int		 ready_fd;	/* the readiness pipe in daemon mode, or -1 */
<% if (ts) { -%>
	struct child	 ch;		/* the Node process and its control channel */
<% } else { -%>
	struct config	 cf;		/* the config at start-up, for the "started" line */
<% } -%>
} d = { .pidfd = -1, .ready_fd = -1 };

static void
usage(FILE *fp)
{
	(void)fprintf(fp, "usage: %s [-f] [-c file] [-p file] [-t] [-s] [-V] [-h]\n"
	    "  -f       stay in the foreground (log to stderr too; sd_notify if NOTIFY_SOCKET)\n"
	    "  -c file  config file (default %s)\n"
	    "  -p file  lock/PID file (default %s)\n"
	    "  -t       check the config file and exit\n"
	    "  -s       print the pid that holds the lock and exit 0, or exit 3 if none does\n"
	    "  -V       print the version and exit\n"
	    "  -h       print this help and exit\n",
	    <%- IDENT %>_NAME, <%- IDENT %>_CONFIG, <%- IDENT %>_PIDFILE);
}

/*
 * Start-up failed: log it, tell the waiting original process (daemon mode), undo the pid file
 * and exit with status.
 */
static _Noreturn void
startup_fail(int status, const char *fmt, ...)
{
	char	msg[CONFIG_ERR_MAX];
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* The waiting original process prints the reason: stderr once, not twice. */
	if (d.ready_fd != -1)
		log_stderr(0);
	log_warnx("%s", msg);
<% if (ts) { -%>
	(void)child_stop(&d.ch);
<% } -%>
	/* Undone before the report: once the start command returns, nothing of this start is left. */
	if (d.pidfd != -1)
		(void)pidfile_remove(d.pidfile, d.pidfd);
	if (d.ready_fd != -1)
		(void)daemon_report(d.ready_fd, status, msg);
	exit(status);
}

/* The daemon's signals (signals.h) blocked; signals_init() takes them over. */
static int
block_control_signals(void)
{
	sigset_t	set;

	signals_set(&set);
	return sigprocmask(SIG_BLOCK, &set, NULL);
}

/*
 * SIGPIPE ignored, from the moment the daemon has detached: if the start command dies (a Ctrl-C)
 * while the daemon starts, the report to it must cost an EPIPE, not the daemon; so must a client
 * that hangs up mid-reply, or a closed stderr pipe in the foreground.
 */
static int
ignore_sigpipe(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	(void)sigemptyset(&sa.sa_mask);
	return sigaction(SIGPIPE, &sa, NULL);
}

/*
 * Why path cannot be the pid file, in words: the start and -s say the same. open(O_NOFOLLOW)
 * fails ELOOP on a symbolic link, and O_RDWR EISDIR on a directory where O_RDONLY opens it.
 */
static const char *
pidfile_why(const char *path, int err)
{
	struct stat	st;

	switch (err) {
	case EINVAL:
	case EISDIR:
		return "it is not a regular file";
	case ELOOP:
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			return "it is a symbolic link, and a pid file is never opened through one";
		break;
	case EMLINK:
		return "it has other hard links, which writing the pid would overwrite";
	case EBUSY:
		return "it kept being replaced while being locked";
	}
	return strerror(err);
}

/*
 * -s: the lock is the truth (pidfile_query); the init scripts' status and stop use this. Exit 0
 * only with a pid on stdout: a script's `kill $(<%- name %> -s)` must never get 0 or a stale pid.
 */
static int
query(const char *pidfile)
{
	struct pidfile_holder	held;

	switch (pidfile_query(pidfile, &held)) {
	case 1:
		if (held.reader) {
			(void)fprintf(stderr, "%s: not running, but pid %ld holds a read lock on %s, "
			    "which blocks a start\n", <%- IDENT %>_NAME, (long)held.pid, pidfile);
			return EXIT_NOTRUNNING;
		}
		if (held.pid == 0) {
			(void)fprintf(stderr, "%s: a process whose pid cannot be known holds the lock on "
			    "%s (an OFD lock, or a lock from another host)\n", <%- IDENT %>_NAME, pidfile);
			return EXIT_OSERR;
		}
		(void)printf("%ld\n", (long)held.pid);
		return 0;
	case 0:
		(void)fprintf(stderr, "%s: not running (no process holds the lock on %s)\n",
		    <%- IDENT %>_NAME, pidfile);
		return EXIT_NOTRUNNING;
	default:
		(void)fprintf(stderr, "%s: cannot query %s: %s\n", <%- IDENT %>_NAME, pidfile,
		    pidfile_why(pidfile, errno));
		return EXIT_OSERR;
	}
}

/* The pid file could not be taken: say why in words, not only in an errno. */
static _Noreturn void
pidfile_fail(const struct pidfile_holder *held)
{
	if (errno != EAGAIN)
		startup_fail(EXIT_OSERR, "cannot use %s as the pid file: %s", d.pidfile,
		    pidfile_why(d.pidfile, errno));
	if (held->reader)
		startup_fail(EXIT_OSERR, "cannot lock %s: pid %ld holds a read lock on it, and is "
		    "not an instance of %s", d.pidfile, (long)held->pid, <%- IDENT %>_NAME);
	if (held->pid == 0)
		startup_fail(EXIT_RUNNING, "cannot lock %s: a process whose pid cannot be known "
		    "holds it (an OFD lock, or a lock from another host)", d.pidfile);
	startup_fail(EXIT_RUNNING, "already running (pid %ld)", (long)held->pid);
}

<% if (ts) { -%>
/* Called when Node says it serves: daemon(7) step 14, then the new-style READY=1. */
static void
report_ready(const char *what)
{
<% } else { -%>
/* Called by the loop once it serves: daemon(7) step 14, then the new-style READY=1. */
static void
report_ready(void)
{
	char	what[CONFIG_ERR_MAX + 64];

	config_describe(&d.cf, what, sizeof(what));
<% } -%>
	/* Reported first: nothing that can wait (a log line) stands before the start's verdict. */
	if (d.ready_fd != -1) {
		(void)daemon_report(d.ready_fd, 0, "");
		d.ready_fd = -1;
	}
	(void)notify_ready(what);
<% if (variant) { -%>
	log_info("started (version %s, variant %s): %s", <%- IDENT %>_VERSION, variant_token, what);
<% } else { -%>
	log_info("started (version %s): %s", <%- IDENT %>_VERSION, what);
<% } -%>
}

int
main(int argc, char *argv[])
{
	struct pidfile_holder	 held = { .pid = 0, .reader = 0 };
<% if (!ts) { -%>
	struct payload		*p;
	struct reload_source	 rs;
<% } -%>
	const char		*cfgarg = <%- IDENT %>_CONFIG, *pidarg = <%- IDENT %>_PIDFILE;
	char			 config[PATH_MAX], err[CONFIG_ERR_MAX];
	int			 ch, foreground = 0, test = 0, status = 0, rc;

	/*
	 * Before anything opens a descriptor: started with 0, 1 or 2 closed, the readiness pipe or
	 * the pid file would get that number, and /dev/null or log lines would be written over it.
	 */
	if (stdio_sanitise() == -1) {
		(void)fprintf(stderr, "%s: cannot open /dev/null: %s\n", <%- IDENT %>_NAME,
		    strerror(errno));
		return EXIT_OSERR;
	}
	while ((ch = getopt(argc, argv, "fc:p:tsVh")) != -1) {
		switch (ch) {
		case 'f': foreground = 1; break;
		case 'c': cfgarg = optarg; break;
		case 'p': pidarg = optarg; break;
		case 't': test = 1; break;
		case 's': status = 1; break;
		case 'V':
			(void)printf("%s %s\n", <%- IDENT %>_NAME, <%- IDENT %>_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		(void)fprintf(stderr, "%s: unexpected argument \"%s\"\n", <%- IDENT %>_NAME,
		    argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (status) {
		if (path_expand(pidarg, d.pidfile, sizeof(d.pidfile), err, sizeof(err)) == -1) {
			(void)fprintf(stderr, "%s: pid file %s\n", <%- IDENT %>_NAME, err);
			return EXIT_CONFIG;
		}
		return query(d.pidfile);
	}
<% if (ts) { -%>
	/*
	 * Absolute now: the daemon runs in "/". Node reads and checks the config (src/config.ts), at
	 * start-up through the control channel, so that a bad one still reaches this stderr and exit
	 * status, and with -t here, in the foreground.
	 */
	if (path_expand(cfgarg, config, sizeof(config), err, sizeof(err)) == -1) {
		(void)fprintf(stderr, "%s: %s\n", <%- IDENT %>_NAME, err);
		return EXIT_CONFIG;
	}
	if (test) {
<% if (user) { -%>
		/* Node never runs as root, not even to check the config: as the daemon reads it. */
		if (privdrop(<%- IDENT %>_USER, NULL, err, sizeof(err)) == -1) {
			(void)fprintf(stderr, "%s: %s\n", <%- IDENT %>_NAME, err);
			return EXIT_OSERR;
		}
<% } -%>
		/*
		 * Returns only if Node cannot be started; its status is -t's. The pid file only
		 * places the default socket: one that cannot be expanded is not -t's business.
		 */
		(void)child_test(config, path_expand(pidarg, d.pidfile, sizeof(d.pidfile), err,
		    sizeof(err)) == 0 ? d.pidfile : NULL, err, sizeof(err));
		(void)fprintf(stderr, "%s: %s\n", <%- IDENT %>_NAME, err);
		return EXIT_OSERR;
	}
	if (path_expand(pidarg, d.pidfile, sizeof(d.pidfile), err, sizeof(err)) == -1) {
		(void)fprintf(stderr, "%s: pid file %s\n", <%- IDENT %>_NAME, err);
		return EXIT_CONFIG;
	}

<% } else { -%>
<% if (payload === 'echo') { -%>
	/* A file that sets no socket gets one beside the pid file; a bad -p is reported below. */
	if (path_expand(pidarg, d.pidfile, sizeof(d.pidfile), err, sizeof(err)) == 0)
		config_socket_beside(d.pidfile);
<% } -%>
	/*
	 * Absolute now: the daemon runs in "/" and re-reads the config from there. The config is
	 * checked before anything else, so a bad one never half-starts a daemon.
	 */
	if (path_expand(cfgarg, config, sizeof(config), err, sizeof(err)) == -1 ||
	    config_load(config, &d.cf, err, sizeof(err)) == -1) {
		(void)fprintf(stderr, "%s: %s\n", <%- IDENT %>_NAME, err);
		return EXIT_CONFIG;
	}
	if (test) {
		(void)printf("%s: %s: configuration OK\n", <%- IDENT %>_NAME, config);
		return 0;
	}
	if (path_expand(pidarg, d.pidfile, sizeof(d.pidfile), err, sizeof(err)) == -1) {
		(void)fprintf(stderr, "%s: pid file %s\n", <%- IDENT %>_NAME, err);
		return EXIT_CONFIG;
	}

<% } -%>
<% if (variant) { -%>
	/* The student's variant logs under its own ident (README: "Your variant"). */
	log_open(variant_ident, <%- IDENT %>_FACILITY, 1);
	if (!foreground) {
		/* Detached, syslog is all there is: say now if it cannot be reached. */
		(void)log_syslog_check(variant_ident);
<% } else { -%>
	log_open(<%- IDENT %>_NAME, <%- IDENT %>_FACILITY, 1);
	if (!foreground) {
		/* Detached, syslog is all there is: say now if it cannot be reached. */
		(void)log_syslog_check(<%- IDENT %>_NAME);
<% } -%>
		/* daemonize() puts /dev/null on 0-2: name it if it is missing, before any fork. */
		if (access("/dev/null", R_OK | W_OK) == -1)
			startup_fail(EXIT_OSERR, "cannot open /dev/null: %s", strerror(errno));
		if (daemonize(<%- IDENT %>_NAME, <%- IDENT %>_UMASK, &d.ready_fd) == -1)
			startup_fail(EXIT_OSERR, "cannot detach: %s", strerror(errno));
		log_reopen();
		log_stderr(0);
	} else {
		(void)umask(<%- IDENT %>_UMASK);
	}
	if (ignore_sigpipe() == -1)
		startup_fail(EXIT_OSERR, "cannot ignore SIGPIPE: %s", strerror(errno));

	/*
	 * Before the pid file exists: from then on anyone may signal the daemon (a logrotate
	 * postrotate, an init script's reload), and SIGHUP or SIGTERM at its default action would
	 * kill it half-started. Held pending here, they reach signals.c once it is set up.
	 */
	if (block_control_signals() == -1)
		startup_fail(EXIT_OSERR, "cannot block signals: %s", strerror(errno));

	/* APUE 13.5, daemon(7) step 12: the lock is taken by the process that keeps it. */
	if ((d.pidfd = pidfile_open(d.pidfile, &held)) == -1)
		pidfile_fail(&held);
	if (pidfile_write(d.pidfd) == -1)
		startup_fail(EXIT_OSERR, "cannot write %s: %s", d.pidfile, strerror(errno));
<% if (ts) { -%>
<% if (user) { -%>
	/* daemon(7) step 13: after the lock, and before Node: it never runs as root. */
	if ((rc = privdrop(<%- IDENT %>_USER, NULL, err, sizeof(err))) == -1)
		startup_fail(EXIT_OSERR, "%s", err);
	if (rc == 1)
		log_info("not started as root: running as uid %ld, no privileges to drop",
		    (long)getuid());
	/* Every SIG<%- reloadSig %> re-reads the config as the account: find out now if it cannot. */
	if (rc == 0 && access(config, R_OK) == -1)
		startup_fail(EXIT_CONFIG, "cannot read %s as %s: %s; every reload would fail",
		    config, <%- IDENT %>_USER, strerror(errno));
<% } -%>
	if (signals_init() == -1)
		startup_fail(EXIT_OSERR, "cannot set up signals: %s", strerror(errno));
	/* Node, with the signals still blocked here: child.c gives it a clean mask. */
	if (child_start(&d.ch, config, d.pidfile, report_ready, startup_fail, err,
	    sizeof(err)) == -1)
		startup_fail(EXIT_OSERR, "%s", err);

	rc = signals_run(child_source(&d.ch));
	if (rc == -1 && d.ready_fd != -1)
		startup_fail(EXIT_OSERR, "cannot start: %s", strerror(errno));
	if (rc == -1)
		log_warn("stopping after an error");
	/* SIGTERM and SIGINT end the loop, and so does Node's end: its status becomes ours. */
	status = child_stop(&d.ch);
	if (rc == -1 && status == 0)
		status = EXIT_OSERR;
	if (pidfile_remove(d.pidfile, d.pidfd) == -1)
		log_warn("cannot remove %s", d.pidfile);
	if (status != 0)
		log_warnx("stopped, with exit status %d", status);
	else
		log_info("stopped");
	log_close();
	return status;
}
<% } else { -%>
	if (payload_open(&p, &d.cf, err, sizeof(err)) == -1)
		startup_fail(EXIT_OSERR, "%s", err);
<% if (user) { -%>
	/* daemon(7) step 13: after the lock and the socket, which may need root. */
	if ((rc = privdrop(<%- IDENT %>_USER, <%- payload === 'echo' ? 'd.cf.socket' : 'NULL' %>, err,
	    sizeof(err))) == -1) {
		payload_close(p);
		startup_fail(EXIT_OSERR, "%s", err);
	}
	if (rc == 1)
		log_info("not started as root: running as uid %ld, no privileges to drop",
		    (long)getuid());
	/* Every SIG<%- reloadSig %> re-reads the config as the account: find out now if it cannot. */
	if (rc == 0 && access(config, R_OK) == -1) {
		payload_close(p);
		startup_fail(EXIT_CONFIG, "cannot read %s as %s: %s; every reload would fail",
		    config, <%- IDENT %>_USER, strerror(errno));
	}
<% } -%>
	if (signals_init() == -1) {
		payload_close(p);
		startup_fail(EXIT_OSERR, "cannot set up signals: %s", strerror(errno));
	}

	reload_source(&rs, p, config, report_ready);
	rc = signals_run(&rs.src);
	if (rc == -1 && d.ready_fd != -1) {
		payload_close(p);
		startup_fail(EXIT_OSERR, "cannot start: %s", strerror(errno));
	}
	if (rc == -1)
		log_warn("stopping after an error");
	payload_close(p);
	if (pidfile_remove(d.pidfile, d.pidfd) == -1)
		log_warn("cannot remove %s", d.pidfile);
	log_info("stopped");
	log_close();
	return rc == -1 ? EXIT_OSERR : 0;
}
<% } -%>
