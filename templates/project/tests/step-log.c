/*
 * step-log.c: log_open() (helper/log.c) on its own (APUE 13.4). It includes log.c itself, to
 * see what log_open() stored: a syslog datagram cannot be received without root (the socket
 * is the system's), so the syslog line is read from log_format(), the function that builds it.
 * Its stderr goes to DIR/stderr and is read back.
 *
 *   step-log ident DIR    stderr lines read "IDENT: text"
 *   step-log syslog DIR   the syslog line has the facility, the ident and the pid
 *   step-log quiet DIR    to_stderr 0, or a stderr that is the journal, writes nothing there
 *   step-log socket DIR   the log socket is opened at once, close-on-exec and non-blocking,
 *                         and errno is left as it was
 */
#include "../helper/log.c"

#include <fcntl.h>
#include <limits.h>

#include "step.h"

#define IDENT		"step-ident"
#define FACILITY	LOG_LOCAL3

static char	errpath[PATH_MAX];

/* What went to stderr so far (step_capture_stderr() put it on errpath), NUL-terminated. */
static const char *
captured(char *buf, size_t len)
{
	return step_file(errpath, buf, len);
}

static void
check_ident(void)
{
	char	buf[4096];

	log_open(IDENT, FACILITY, 1);
	log_info("hello from the step check");
	if (strstr(captured(buf, sizeof(buf)), IDENT ": hello from the step check\n") == NULL)
		step_bad("after log_open(\"" IDENT "\", LOG_LOCAL3, 1), log_info() wrote \"%s\" "
		    "on stderr, want \"" IDENT ": hello from the step check\"", buf);
}

/* Two facilities in turn: a log_open() that keeps one of its own passes at most one. */
static void
check_syslog(void)
{
	static const struct {
		int		 facility;
		const char	*name;
	} facilities[] = { { FACILITY, "LOG_LOCAL3" }, { LOG_LOCAL6, "LOG_LOCAL6" } };
	char	line[LOG_LINE_MAX + 128], want[64], tag[64];
	size_t	i;

	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++) {
		log_open(IDENT, facilities[i].facility, 1);
		(void)log_format(line, sizeof(line), LOG_WARNING, "hello");
		(void)snprintf(want, sizeof(want), "<%%d>", facilities[i].facility | LOG_WARNING);
		(void)snprintf(tag, sizeof(tag), " %s[%ld]: hello", IDENT, (long)getpid());
		if (strncmp(line, want, strlen(want)) != 0)
			step_bad("after log_open(\"" IDENT "\", %s, 1) the syslog line starts "
			    "\"%.8s\", want \"%s\" (%s | LOG_WARNING): log_open() must record the "
			    "facility", facilities[i].name, line, want, facilities[i].name);
		if (strstr(line, tag) == NULL)
			step_bad("the syslog line is \"%s\", want it to end \"%s\": log_open() must "
			    "record the ident", line, tag + 1);
		log_close();
	}
}

static void
check_quiet(void)
{
	struct stat	st;
	char		buf[4096], stream[64];

	log_open(IDENT, FACILITY, 0);
	log_info("to_stderr was 0");
	if (fstat(STDERR_FILENO, &st) == -1) {
		step_bad("fstat(stderr): %s", strerror(errno));
		return;
	}
	/* systemd.exec(5): stderr is the journal's stream; syslog reaches it already. */
	(void)snprintf(stream, sizeof(stream), "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	(void)setenv("JOURNAL_STREAM", stream, 1);
	log_open(IDENT, FACILITY, 1);
	log_info("stderr is the journal");
	(void)unsetenv("JOURNAL_STREAM");
	(void)captured(buf, sizeof(buf));
	if (strstr(buf, "to_stderr was 0") != NULL)
		step_bad("log_open(\"" IDENT "\", LOG_LOCAL3, 0) still copies lines to stderr");
	if (strstr(buf, "stderr is the journal") != NULL)
		step_bad("with JOURNAL_STREAM naming stderr, lines are still copied there: the "
		    "journal would record each twice (use stderr_is_journal())");
	if (buf[0] != '\0' && step_failed())
		step_note("stderr: %s", buf);
}

static void
check_socket(void)
{
	struct stat	st;
	int		fl, fd;

	errno = EDOM;
	log_open(IDENT, FACILITY, 1);
	if (errno != EDOM)
		step_bad("log_open() changed errno to \"%s\": every function of log.c leaves it as "
		    "it was", strerror(errno));
	if ((fd = log_fd) == -1) {
		step_bad("log_open() opened no log socket: open it now, with log_socket(), not at "
		    "the first message (the daemon may be out of descriptors by then)");
		return;
	}
	if (fstat(fd, &st) == -1 || !S_ISSOCK(st.st_mode))
		step_bad("the log descriptor %d is not a socket", fd);
	if ((fl = fcntl(fd, F_GETFD)) == -1 || !(fl & FD_CLOEXEC))
		step_bad("the log socket is not close-on-exec");
	if ((fl = fcntl(fd, F_GETFL)) == -1 || !(fl & O_NONBLOCK))
		step_bad("the log socket is not non-blocking: a stalled syslogd would stop the "
		    "daemon");
}

int
main(int argc, char *argv[])
{
	if (argc != 3)
		return step_usage("step-log", "ident|syslog|quiet|socket");
	if (step_capture_stderr(argv[2], errpath, sizeof(errpath)) == -1)
		return step_verdict();
	if (strcmp(argv[1], "ident") == 0)
		check_ident();
	else if (strcmp(argv[1], "syslog") == 0)
		check_syslog();
	else if (strcmp(argv[1], "quiet") == 0)
		check_quiet();
	else if (strcmp(argv[1], "socket") == 0)
		check_socket();
	else
		return step_usage("step-log", "ident|syslog|quiet|socket");
	return step_verdict();
}
