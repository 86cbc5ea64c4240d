/*
 * log.c: where the daemon's messages go (after OpenBSD's log.c).
 *
 * Every message goes to the local syslog socket as one datagram in the format glibc's syslog(3)
 * sends (RFC 3164): "<PRI>Mmm dd hh:mm:ss ident[pid]: text", PRI being facility | severity.
 * Before the daemon detaches, and always in the foreground (-f), it also goes to stderr as
 * "name: text", so that start-up errors reach the terminal or the supervisor's log. log_warn()
 * appends strerror(errno). Every function leaves errno as it found it, so that cleanup code can
 * log without losing the error it is about to report. Nothing here exits: main decides that.
 *
 * Why not syslog(3): logging must never stop the daemon, and syslog(3) can. glibc sends on a
 * blocking socket, so a receiver that stops reading (a stalled syslogd, its queue on /dev/log
 * full) blocks the daemon inside send(): the single-threaded model stops serving and neither
 * model reads the SIGTERM that should stop it. And syslog(3) opens its socket at the first
 * message, which fails when the daemon is out of descriptors (EMFILE), just when it has a
 * warning about that to log. Here the socket is opened eagerly by log_open() and log_reopen(),
 * kept open (close-on-exec) and non-blocking: a line the receiver cannot take at once is
 * dropped and counted, and the count goes out ahead of the next line that gets through.
 *
 * Where there is no syslog (a container, a pod, a portable service) the environment variable
 * <IDENT>_LOG (the ident in capitals, "-" as "_": MYD_LOG for myd) set to "stderr" makes every
 * line go to stderr alone, prefixed with its severity as sd-daemon(3) defines it ("<3>" for an
 * error, "<4>" a warning, "<6>" information), and the syslog socket is never opened: the
 * container engine or the journal (SyslogLevelPrefix=) keeps the lines and their priority.
 * It holds while stderr is the daemon's, that is with -f and before detaching; a detached
 * daemon's stderr is /dev/null, so once detached it logs to syslog whatever the variable says.
 * "syslog", or no variable, is the default above.
 */
#include "compat.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
<% if (helperReload === 'multi') { -%>
#include <pthread.h>
<% } -%>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "errstr.h"
#include "fd.h"
#include "log.h"
<% if (starter) { -%>
#include "todo.h"
<% } -%>
#include "timespec.h"

#define LOG_LINE_MAX	1024

/* The socket syslog(3) itself uses: <syslog.h> names it on glibc, musl, the BSDs and macOS. */
#if defined(_PATH_LOG)
#define LOG_SOCKET	_PATH_LOG
#elif defined(__APPLE__)
#define LOG_SOCKET	"/var/run/syslog"
#else
#define LOG_SOCKET	"/dev/log"
#endif

#if defined(HAVE_MSG_NOSIGNAL)
#define LOG_SEND_FLAGS	MSG_NOSIGNAL
#else
#define LOG_SEND_FLAGS	0	/* macOS: SO_NOSIGPIPE on the socket instead */
#endif

static const char	*log_ident = "daemon";
static int		 log_facility = LOG_DAEMON;
static int		 log_tostderr = 1;
static int		 log_fd = -1;		/* the datagram socket to LOG_SOCKET, or -1 */
static unsigned long	 log_dropped;		/* lines syslog did not get since the last report */
static int		 log_prefixed;		/* <IDENT>_LOG=stderr: stderr only, "<N>text" */
static char		 log_target[64];	/* the variable's name: "MYD_LOG" */
static const char	*log_target_bad;	/* a value of it not understood, or NULL */
<% if (helperReload === 'multi') { -%>
/*
 * The payload thread and the signal thread both log: the lock makes each line's check of
 * log_dropped, its sends and a reconnect one step. It is held only around non-blocking calls,
 * so a thread never waits on it for long. log_ident, log_facility, log_tostderr and
 * log_prefixed are set before the threads start and only read after.
 */
static pthread_mutex_t	 log_lock = PTHREAD_MUTEX_INITIALIZER;
#define LOG_LOCK()	(void)pthread_mutex_lock(&log_lock)
#define LOG_UNLOCK()	(void)pthread_mutex_unlock(&log_lock)
<% } else { -%>
/* One thread logs, and never from a signal handler (signals.c only sets flags): no lock. */
#define LOG_LOCK()	do { } while (0)
#define LOG_UNLOCK()	do { } while (0)
<% } -%>

/*
 * systemd.exec(5): JOURNAL_STREAM holds the "device:inode" of the stream a service's stdout and
 * stderr are connected to the journal through. When stderr is that stream, syslog already
 * reaches the journal, and a copy on stderr would record every message twice.
 */
static int
stderr_is_journal(void)
{
	const char		*stream = getenv("JOURNAL_STREAM");
	struct stat		 st;
	unsigned long long	 dev, ino;

	if (stream == NULL || sscanf(stream, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

/*
 * Reads <IDENT>_LOG: the name is ident in capitals with "-" as "_" (main's MYD_NAME gives
 * MYD_LOG), so that one daemon's setting never reaches another started from it. Only sets
 * log_prefixed and log_target_bad: log_open() reports a value it does not know.
 */
static void
log_target_env(const char *ident)
{
	const char	*value;
	size_t		 i, n = strlen(ident);

	if (n > sizeof(log_target) - sizeof("_LOG"))
		n = sizeof(log_target) - sizeof("_LOG");
	for (i = 0; i < n; i++)
		log_target[i] = ident[i] >= 'a' && ident[i] <= 'z' ?
		    (char)(ident[i] - 'a' + 'A') : ident[i] == '-' ? '_' : ident[i];
	(void)memcpy(log_target + i, "_LOG", sizeof("_LOG"));
	value = getenv(log_target);
	log_prefixed = value != NULL && strcmp(value, "stderr") == 0;
	log_target_bad = value == NULL || log_prefixed || value[0] == '\0' ||
	    strcmp(value, "syslog") == 0 ? NULL : value;
}

/*
 * (Re)connects log_fd to the syslog socket: a datagram socket may be connected again, to the
 * socket a restarted syslogd bound, so no new descriptor is ever needed. 0, or -1 with errno
 * set (ENOENT: no syslogd; the caller counts the line as dropped).
 */
static int
log_connect(void)
{
	struct sockaddr_un	sun;
	socklen_t		len;

	if (unix_addr(LOG_SOCKET, &sun, &len) == -1)
		return -1;
	return connect(log_fd, (struct sockaddr *)&sun, len);
}

/*
 * Opens the syslog socket now, not at the first message: later the daemon may be out of
 * descriptors. Non-blocking, so that a full receiver costs a dropped line, never a wait. A
 * missing /dev/log leaves it unconnected; each later line tries once more. tzset() now, so that
 * localtime_r() has the time zone and never opens /etc/localtime while the daemon serves.
 */
static void
log_socket(void)
{
	tzset();
	if (log_fd == -1 && (log_fd = socket_cloexec(SOCK_DGRAM, 1)) == -1)
		return;
#if !defined(HAVE_MSG_NOSIGNAL) && defined(SO_NOSIGPIPE)
	/* macOS has no MSG_NOSIGNAL, and main ignores SIGPIPE only after log_open(). */
	(void)setsockopt(log_fd, SOL_SOCKET, SO_NOSIGPIPE, &(int){ 1 }, sizeof(int));
#endif
	(void)log_connect();
}

void
log_open(const char *ident, int facility, int to_stderr)
{
<% if (starter) { -%>
	/*
	 * TODO (APUE 13.4): set up logging for the whole daemon.
	 *
	 * 1. Remember ident, facility and to_stderr in the static variables above, so that
	 *    log_emit() prefixes stderr lines with the daemon's name, log_format() puts the name
	 *    and facility in every datagram, and log_reopen() can open the log socket again after
	 *    detaching. Leave the stderr copy off when stderr_is_journal() says stderr already
	 *    goes to the journal (systemd.exec(5) JOURNAL_STREAM).
	 * 2. Open the log socket with log_socket(), now rather than at the first message: by then
	 *    the daemon may be out of descriptors, just when it has a warning to log. (daemonize()
	 *    closes it with every inherited descriptor; log_reopen() opens a new one.)
	 * 3. Like every function in this file, leave errno as you found it.
	 *
	 * make check: "log lines carry the daemon's name" (the foreground stderr reads
	 * "<name>: started ..."); as root, "syslog gets its lines as <name>[pid]" and "its syslog
	 * priority is facility ... plus the severity" read the datagrams on a private /dev/log.
	 */
	log_target_env(ident);	/* not part of the exercise: <IDENT>_LOG (see the top of the file) */
	(void)ident;
	(void)facility;
	(void)to_stderr;
	(void)stderr_is_journal;
	(void)todo("log_open", "helper/log.c");
<% } else { -%>
	int	saved = errno;

	log_target_env(ident);
	log_ident = ident;
	log_facility = facility;
	/*
	 * With <IDENT>_LOG=stderr, stderr is the only copy, and the journal reads its "<N>"
	 * prefixes: it stays on even when stderr is the journal.
	 */
	log_tostderr = to_stderr && (log_prefixed || !stderr_is_journal());
	/* APUE 13.4, as openlog(ident, LOG_PID | LOG_NDELAY, facility) would: connect now. */
	if (!log_prefixed || !log_tostderr)
		log_socket();
	if (log_target_bad != NULL)
		log_warnx("%s=%s is not understood (\"stderr\" or \"syslog\"): logging to "
		    "syslog%s", log_target, log_target_bad, log_tostderr ? " and stderr" : "");
	errno = saved;
<% } -%>
}

/*
 * Detached, the daemon's stderr is /dev/null and the syslog socket is the only place its lines
 * go. When nothing listens there (no syslogd, as in many containers), say so once on stderr,
 * before detaching, so that a start that prints nothing never means lines are being lost
 * unseen. A socket of its own, closed at once: log_open()'s is unaffected. 0 when a receiver
 * listens; -1 when not, said.
 */
int
log_syslog_check(const char *ident)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	int			fd, rc = -1, saved = errno;
	char			why[128];

	if (unix_addr(LOG_SOCKET, &sun, &len) == 0 &&
	    (fd = socket_cloexec(SOCK_DGRAM, 0)) != -1) {
		rc = connect(fd, (struct sockaddr *)&sun, len);
		if (rc == -1)
			(void)errstr(errno, why, sizeof(why));
		(void)close(fd);
	} else {
		(void)errstr(errno, why, sizeof(why));
	}
	if (rc == -1)
		(void)fprintf(stderr, "%s: cannot reach syslog at %s (%s): once detached, its log "
		    "lines are lost until a syslog daemon listens there (-f shows them on stderr)\n",
		    ident, LOG_SOCKET, why);
	errno = saved;
	return rc;
}

void
log_reopen(void)
{
	int	saved = errno;

	/*
	 * Called once detached. daemonize() closed the socket log_open() made, with every other
	 * inherited descriptor, and its number may now be another file (the pid file, a client):
	 * forget it, never close it, and open a new socket while descriptors are plentiful.
	 */
	log_fd = -1;
	log_socket();
	errno = saved;
}

void
log_close(void)
{
	int	saved = errno;

	LOG_LOCK();
	if (log_fd != -1)
		(void)close(log_fd);
	log_fd = -1;
	LOG_UNLOCK();
	errno = saved;
}

void
log_stderr(int on)
{
	log_tostderr = on;
}

/* One datagram, in line[]: "<PRI>Mmm dd hh:mm:ss ident[pid]: msg", as glibc's syslog(3). */
static size_t
log_format(char *line, size_t size, int severity, const char *msg)
{
	/* RFC 3164 4.1.2: English month names, whatever the locale. */
	static const char	month[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
				    "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm		tm;
	time_t			now = time(NULL);
	int			n;

	if (localtime_r(&now, &tm) == NULL) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_mday = 1;
	}
	n = snprintf(line, size, "<%%d>%s %2d %02d:%02d:%02d %s[%ld]: %s", log_facility | severity,
	    month[(unsigned)tm.tm_mon % 12], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    log_ident, (long)getpid(), msg);
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

/*
 * Sends one datagram without waiting. A receiver that went away (syslogd restarted:
 * ECONNREFUSED, then ENOTCONN; EDESTADDRREQ where never connected) is reconnected, at most once
 * per line (*retried). 0 when sent, -1 when not (a full queue: EAGAIN, or ENOBUFS on the BSDs).
 */
static int
log_send(const char *line, size_t len, int *retried)
{
	for (;;) {
		if (send(log_fd, line, len, LOG_SEND_FLAGS) != -1)
			return 0;
		if (errno == EINTR)
			continue;
		if (*retried || (errno != ECONNREFUSED && errno != ENOTCONN && errno != EPIPE &&
		    errno != ECONNRESET && errno != EDESTADDRREQ))
			return -1;
		*retried = 1;
		if (log_connect() == -1)
			return -1;
	}
}

/*
 * To syslog, or counted in log_dropped. Once the receiver takes lines again, the count goes
 * out first, so that the log says where lines are missing.
 */
static void
log_syslog(int severity, const char *msg)
{
	char	line[LOG_LINE_MAX + 128], note[128];
	size_t	len;
	int	retried = 0;

	LOG_LOCK();
	/* Only if log_open() could not make it: the unconnected socket is connected below. */
	if (log_fd == -1 && (log_fd = socket_cloexec(SOCK_DGRAM, 1)) == -1) {
		log_dropped++;
		goto out;
	}
	if (log_dropped > 0) {
		(void)snprintf(note, sizeof(note), "%lu log message%s dropped while the syslog "
		    "socket was full or had no reader", log_dropped,
		    log_dropped == 1 ? " was" : "s were");
		len = log_format(line, sizeof(line), LOG_WARNING, note);
		if (log_send(line, len, &retried) == -1) {
			log_dropped++;
			goto out;
		}
		log_dropped = 0;
	}
	len = log_format(line, sizeof(line), severity, msg);
	if (log_send(line, len, &retried) == -1)
		log_dropped++;
out:
	LOG_UNLOCK();
}

static void
log_emit(int severity, int errnum, const char *fmt, va_list ap)
{
	char	msg[LOG_LINE_MAX], why[128];
	size_t	len;

	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum != 0) {
		(void)errstr(errnum, why, sizeof(why));
		len = strlen(msg);
		if (len < sizeof(msg) - 1)
			(void)snprintf(msg + len, sizeof(msg) - len, ": %s", why);
	}
	if (log_prefixed && log_tostderr) {
		/* sd-daemon(3): "<N>" is the severity alone, SD_ERR "<3>" to SD_DEBUG "<7>". */
		(void)fprintf(stderr, "<%%d>%s\n", severity, msg);
		return;
	}
	if (log_tostderr)
		(void)fprintf(stderr, "%s: %s\n", log_ident, msg);
	log_syslog(severity, msg);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_emit(LOG_INFO, 0, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, 0, fmt, ap);
	va_end(ap);
	errno = saved;
}

/*
 * A warning that may repeat fast (an accept(2) that fails for want of descriptors, once per
 * client that leaves): at most one line every LOG_EVERY_SEC seconds for each le, like
 * log_warn(); the next line that is logged says how many were held back in between.
 */
void
log_warn_every(struct log_every *le, const char *fmt, ...)
{
	struct timespec	now;
	va_list		ap;
	char		msg[LOG_LINE_MAX];
	int		saved = errno;

	if (clock_gettime(CLOCK_MONOTONIC, &now) == 0 && le->next.tv_sec != 0 &&
	    ts_before(&now, &le->next)) {
		le->suppressed++;
		errno = saved;
		return;
	}
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	errno = saved;
	if (le->suppressed > 0)
		log_warn("%s (and %lu more like it in the last %d s, not logged)", msg,
		    le->suppressed, LOG_EVERY_SEC);
	else
		log_warn("%s", msg);
	le->suppressed = 0;
	le->next = now;
	le->next.tv_sec += LOG_EVERY_SEC;
	errno = saved;
}
