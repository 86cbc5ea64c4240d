/*
 * main.c: <%- name %>'s entry point: the command line, the start-up order and the exit path.
 *
 * The start-up order (APUE 13.3, daemon(7)): options; config, checked before anything else;
 * the log; in daemon mode, detach (daemonize.c); the pid-file lock, in the final process;
 * the payload's resources<% if (user) { %>; the privilege drop<% } %>; the signals; then "ready", through
 * the readiness pipe or sd_notify. Any failure before "ready" reaches the starter's stderr and
 * exit status. Then the loop (signals.c) runs until SIGTERM or SIGINT.
 */
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

#include "config.h"
#include "daemonize.h"
#include "defaults.h"
#include "log.h"
#include "notify.h"
#include "path.h"
#include "payload.h"
#include "pidfile.h"
<% if (user) { -%>
#include "privdrop.h"
<% } -%>
#include "signals.h"

/* What the pre-ready failure path must undo, and where "ready" goes. */
static struct {
	char		 pidfile[PATH_MAX];
	int		 pidfd;		/* the locked pid file, or -1 */
	int		 ready_fd;	/* the readiness pipe in daemon mode, or -1 */
	struct config	 cf;		/* the config at start-up, for the "started" line */
} d = { .pidfd = -1, .ready_fd = -1 };

static void
usage(FILE *fp)
{
	(void)fprintf(fp, "usage: %s [-f] [-c file] [-p file] [-t] [-V] [-h]\n"
	    "  -f       stay in the foreground (log to stderr too; sd_notify if NOTIFY_SOCKET)\n"
	    "  -c file  config file (default %s)\n"
	    "  -p file  lock/PID file (default %s)\n"
	    "  -t       check the config file and exit\n"
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
	log_warnx("%s", msg);
	if (d.ready_fd != -1)
		(void)daemon_report(d.ready_fd, status, msg);
	if (d.pidfd != -1)
		(void)pidfile_remove(d.pidfile, d.pidfd);
	exit(status);
}

/* SIGHUP, SIGTERM and SIGINT blocked; signals_init() takes them over. */
static int
block_control_signals(void)
{
	sigset_t	set;

	(void)sigemptyset(&set);
	(void)sigaddset(&set, SIGHUP);
	(void)sigaddset(&set, SIGTERM);
	(void)sigaddset(&set, SIGINT);
	return sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Called by the loop once it serves: daemon(7) step 14, then the new-style READY=1. */
static void
report_ready(void *arg)
{
	char	what[CONFIG_ERR_MAX + 64];

	(void)arg;
	config_describe(&d.cf, what, sizeof(what));
	log_info("started (version %s): %s", <%- IDENT %>_VERSION, what);
	(void)notify_ready(what);
	if (d.ready_fd != -1) {
		(void)daemon_report(d.ready_fd, 0, "");
		d.ready_fd = -1;
	}
}

int
main(int argc, char *argv[])
{
	struct payload	*p;
	const char	*cfgarg = <%- IDENT %>_CONFIG, *pidarg = <%- IDENT %>_PIDFILE;
	char		 config[PATH_MAX], err[CONFIG_ERR_MAX];
	pid_t		 running;
	int		 ch, foreground = 0, test = 0, rc;

	while ((ch = getopt(argc, argv, "fc:p:tVh")) != -1) {
		switch (ch) {
		case 'f': foreground = 1; break;
		case 'c': cfgarg = optarg; break;
		case 'p': pidarg = optarg; break;
		case 't': test = 1; break;
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

	log_open(<%- IDENT %>_NAME, <%- IDENT %>_FACILITY, 1);
	if (!foreground) {
		if (daemonize(<%- IDENT %>_NAME, <%- IDENT %>_UMASK, &d.ready_fd) == -1)
			startup_fail(EXIT_OSERR, "cannot detach: %s", strerror(errno));
		log_reopen();
		log_stderr(0);
	} else {
		(void)umask(<%- IDENT %>_UMASK);
	}

	/*
	 * Before the pid file exists: from then on anyone may signal the daemon (a logrotate
	 * postrotate, an init script's reload), and SIGHUP or SIGTERM at its default action would
	 * kill it half-started. Held pending here, they reach signals.c once it is set up.
	 */
	if (block_control_signals() == -1)
		startup_fail(EXIT_OSERR, "cannot block signals: %s", strerror(errno));

	/* APUE 13.5, daemon(7) step 12: the lock is taken by the process that keeps it. */
	if ((d.pidfd = pidfile_open(d.pidfile, &running)) == -1) {
		if (errno == EAGAIN)
			startup_fail(EXIT_RUNNING, "already running (pid %ld)", (long)running);
		startup_fail(EXIT_OSERR, "cannot lock %s: %s", d.pidfile, strerror(errno));
	}
	if (pidfile_write(d.pidfd) == -1)
		startup_fail(EXIT_OSERR, "cannot write %s: %s", d.pidfile, strerror(errno));
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
<% } -%>
	if (signals_init() == -1) {
		payload_close(p);
		startup_fail(EXIT_OSERR, "cannot set up signals: %s", strerror(errno));
	}

	rc = signals_run(p, config, report_ready, NULL);
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
	closelog();
	return rc == -1 ? EXIT_OSERR : 0;
}
