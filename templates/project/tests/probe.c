/*
 * probe.c: the self-test's hands, for what POSIX sh cannot do by itself. One subcommand per
 * job; each prints what went wrong and exits non-zero on failure.
 *
 *   probe notify-recv SOCKET OUT     receive sd_notify datagrams, one line each, into OUT
 *   probe echo SOCKET TEXT           send TEXT and a newline, expect them back
 *   probe echo-big SOCKET BYTES      the same with a line of BYTES bytes, sent before reading
 *   probe echo-many SOCKET N         N clients connected at once, each gets its own line back
 *   probe echo-cut SOCKET            send part of a line and vanish
 *   probe echo-stalled SOCKET MS     a client sends without reading; another is echoed within MS
 *   probe echo-lines SOCKET N        N lines in turn on one connection, each echoed before the next
 *   probe echo-half SOCKET           a last line without a newline, then shutdown(SHUT_WR): it comes
 *                                    back, then end-of-file
 *   probe echo-order SOCKET          three clients; the first leaves; the other two are still echoed
 *   probe fds PID                    "fd target" for each open descriptor of PID (Linux /proc)
 *   probe wait-text FILE TEXT MS [N] wait up to MS ms until FILE holds TEXT N times (default 1)
 *   probe wait-dead PID MS           wait up to MS ms until PID has exited (zombie counts)
 *   probe wait-fds PID N MS          wait up to MS ms until PID holds at most N descriptors (Linux)
 *   probe monotonic-usec             print CLOCK_MONOTONIC in microseconds (sd_notify's clock)
 *   probe block N,N... CMD...        run CMD with those signals blocked, as a careless starter does
 *   probe tty-session SECS CMD...    run CMD in a session whose controlling terminal is a pty,
 *                                    held SECS seconds after CMD exits
 *   probe leak-sock NUM FILE CMD...  run CMD with a socket left open on NUM; FILE gets its
 *                                    "socket:[inode]", as /proc/PID/fd shows it
 *   probe started FILE CMD...        write "PID SESSION" of this process to FILE, then become CMD:
 *                                    the process the starter ran, for the rule 2 and 3 checks
<% if (starter) { -%>
 *   probe contain SECS OUT CMD...    run CMD for at most SECS seconds, then kill and reap all it
 *                                    left running, daemons too; OUT ("-": none) gets one line:
 *                                    "exit N", "signal N", "timeout SECS" or "interrupted", then
 *                                    " left K", the processes killed besides CMD
<% } -%>
 *   probe syslog-pri SEVERITY        print the syslog priority of the daemon's facility at
 *                                    SEVERITY (info, warning), from this system's <syslog.h>
 *
 * notify-recv receives any datagrams: check.sh also puts it on a private /dev/log. Every echo
 * subcommand gives up after ECHO_DEADLINE seconds, saying so: a daemon that never answers fails
 * its check instead of hanging make check.
 */
<% if (starter) { -%>
#if defined(__FreeBSD__)
/* <sys/procctl.h> needs the BSD names (u_int), shown only without these (see helper/compat.h). */
#undef _POSIX_C_SOURCE
#undef _XOPEN_SOURCE
#endif

<% } -%>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
<% if (starter) { -%>
#if defined(__linux__)
#include <sys/prctl.h>
#elif defined(__FreeBSD__)
#include <sys/procctl.h>
#endif
<% } -%>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define ECHO_DEADLINE	20

static const char	*progname = "probe";

static int	is_dead(pid_t);

static _Noreturn void
die(const char *fmt, const char *arg)
{
	(void)fprintf(stderr, "%s: ", progname);
	(void)fprintf(stderr, fmt, arg);
	(void)fputc('\n', stderr);
	exit(1);
}

static void
nap(long ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/* The rest of a chain of subcommands (block, leak-sock, leak-fd...): exec it, or say why not. */
static int
run_next(char *argv[])
{
	(void)execvp(argv[0], argv);
	(void)fprintf(stderr, "%s: cannot run %s: %s\n", progname, argv[0], strerror(errno));
	return 127;
}

static socklen_t
addr_of(const char *path, struct sockaddr_un *sun)
{
	size_t	len = strlen(path);

	if (len >= sizeof(sun->sun_path))
		die("socket path too long: %s", path);
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, len);
	if (path[0] == '@')
		sun->sun_path[0] = '\0';
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (path[0] != '@'));
}

static int
connect_to(const char *path)
{
	struct sockaddr_un	sun;
	socklen_t		len = addr_of(path, &sun);
	int			fd;

	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		die("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, len) == -1)
		die("cannot connect to %s", path);
	return fd;
}

static void
write_all(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			die("write: %s", strerror(errno));
		}
		buf += n;
		len -= (size_t)n;
	}
}

/* Reads exactly len bytes, or dies naming what was missing. */
static void
read_all(int fd, char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = read(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			die("read: %s", strerror(errno));
		}
		if (n == 0)
			die("%s", "the daemon closed the connection before echoing everything");
		buf += n;
		len -= (size_t)n;
	}
}

static _Noreturn void
cmd_notify_recv(const char *path, const char *out)
{
	struct sockaddr_un	sun;
	socklen_t		len = addr_of(path, &sun);
	char			buf[4096];
	ssize_t			n, i;
	FILE			*fp;
	int			fd;

	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, len) == -1)
		die("cannot bind %s", path);
	/* Like systemd's own notify socket: any account may write to it, also after a drop. */
	if (path[0] != '@' && chmod(path, 0777) == -1)
		die("cannot chmod %s", path);
	if ((fp = fopen(out, "a")) == NULL)
		die("cannot open %s", out);
	(void)fprintf(fp, "LISTENING\n");
	(void)fflush(fp);
	for (;;) {
		if ((n = recv(fd, buf, sizeof(buf) - 1, 0)) == -1) {
			if (errno == EINTR)
				continue;
			die("recv: %s", strerror(errno));
		}
		for (i = 0; i < n; i++)
			if (buf[i] == '\n')
				buf[i] = ' ';
		buf[n] = '\0';
		(void)fprintf(fp, "%s\n", buf);
		(void)fflush(fp);
	}
}

static int
cmd_echo(const char *path, const char *text)
{
	size_t	len = strlen(text);
	char	*buf = malloc(len + 2), *got = malloc(len + 1);
	int	fd = connect_to(path);

	if (buf == NULL || got == NULL)
		die("%s", "out of memory");
	memcpy(buf, text, len);
	buf[len] = '\n';
	write_all(fd, buf, len + 1);
	read_all(fd, got, len + 1);
	if (memcmp(got, buf, len + 1) != 0)
		die("echo differs from what was sent: %.40s", got);
	(void)close(fd);
	free(buf);
	free(got);
	return 0;
}

static int
cmd_echo_big(const char *path, const char *bytes)
{
	size_t	len = strtoul(bytes, NULL, 10), i;
	char	*buf = malloc(len + 1), *got = malloc(len + 1);
	int	fd = connect_to(path);

	if (buf == NULL || got == NULL)
		die("%s", "out of memory");
	for (i = 0; i < len; i++)
		buf[i] = (char)('a' + i % 26);
	buf[len] = '\n';
	/* All of it before reading anything, as a naive client would. */
	write_all(fd, buf, len + 1);
	read_all(fd, got, len + 1);
	if (memcmp(got, buf, len + 1) != 0)
		die("%s", "the echo of the long line differs from what was sent");
	(void)close(fd);
	free(buf);
	free(got);
	return 0;
}

static int
cmd_echo_many(const char *path, const char *count)
{
	int	n = atoi(count), i, *fds;
	char	line[64], got[64];
	size_t	len;

	if (n <= 0 || (fds = calloc((size_t)n, sizeof(*fds))) == NULL)
		die("bad count %s", count);
	for (i = 0; i < n; i++) {
		fds[i] = connect_to(path);
		len = (size_t)snprintf(line, sizeof(line), "client %d\n", i);
		write_all(fds[i], line, len);
	}
	for (i = n; i-- > 0;) {
		len = (size_t)snprintf(line, sizeof(line), "client %d\n", i);
		read_all(fds[i], got, len);
		if (memcmp(got, line, len) != 0)
			die("a client got another's line: %.20s", got);
		(void)close(fds[i]);
	}
	free(fds);
	return 0;
}

/*
 * A client that sends and never reads, then another that must be served within ms: a server
 * that blocks writing to the first (a blocking socket, a write loop) holds up everyone.
 */
static int
cmd_echo_stalled(const char *path, const char *ms)
{
	static char	chunk[65536];
	struct pollfd	pfd;
	size_t		sent = 0, i;
	ssize_t		n;
	int		a, b, idle = 0, wait_ms = atoi(ms);
	char		got[16];

	/* One endless line: the daemon echoes what it holds of it at once, more than fits. */
	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = 'x';
	a = connect_to(path);
	if (fcntl(a, F_SETFL, fcntl(a, F_GETFL) | O_NONBLOCK) == -1)
		die("fcntl: %s", strerror(errno));
	/* Until the daemon stops taking more (20 naps of 10 ms without progress), at most 16 MiB. */
	while (idle < 20 && sent < 16u * 1024 * 1024) {
		if ((n = write(a, chunk, sizeof(chunk))) > 0) {
			sent += (size_t)n;
			idle = 0;
		} else if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			idle++;
			nap(10);
		} else {
			die("the stalled client's write failed: %s", n == 0 ? "no progress" : strerror(errno));
		}
	}
	b = connect_to(path);
	write_all(b, "still served\n", 13);
	pfd.fd = b;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, wait_ms) != 1)
		die("a client that stops reading holds up the others: no echo within %s ms", ms);
	read_all(b, got, 13);
	if (memcmp(got, "still served\n", 13) != 0)
		die("echo differs from what was sent: %.13s", got);
	(void)close(b);
	(void)close(a);
	return 0;
}

/* One line on fd, and its echo back. */
static void
echo_once(int fd, const char *line)
{
	char	got[128];
	size_t	len = strlen(line);

	write_all(fd, line, len);
	read_all(fd, got, len);
	if (memcmp(got, line, len) != 0)
		die("echo differs from what was sent: %.40s", got);
}

static int
cmd_echo_lines(const char *path, const char *count)
{
	int	n = atoi(count), i, fd = connect_to(path);
	char	line[64];

	for (i = 0; i < n; i++) {
		(void)snprintf(line, sizeof(line), "line %d of %d on one connection\n", i + 1, n);
		echo_once(fd, line);
	}
	(void)close(fd);
	return 0;
}

static int
cmd_echo_half(const char *path)
{
	char	got[16];
	int	fd = connect_to(path);
	ssize_t	n;

	write_all(fd, "tail", 4);
	if (shutdown(fd, SHUT_WR) == -1)
		die("shutdown: %s", strerror(errno));
	read_all(fd, got, 4);
	if (memcmp(got, "tail", 4) != 0)
		die("echo differs from what was sent: %.4s", got);
	while ((n = read(fd, got, sizeof(got))) == -1 && errno == EINTR)
		continue;
	if (n != 0)
		die("%s", "no end-of-file after the last line: the daemon kept the connection open");
	(void)close(fd);
	return 0;
}

static int
cmd_echo_order(const char *path)
{
	int	a = connect_to(path), b = connect_to(path), c = connect_to(path);

	echo_once(a, "first client\n");
	echo_once(b, "second client\n");
	echo_once(c, "third client\n");
	(void)close(a);
	/* Not the last to come: whatever the daemon moved into the first one's place must still work. */
	echo_once(c, "third client again\n");
	echo_once(b, "second client again\n");
	(void)close(b);
	(void)close(c);
	return 0;
}

static int
cmd_echo_cut(const char *path)
{
	static char	chunk[65536];
	int		fd = connect_to(path);

	memset(chunk, 'x', sizeof(chunk));
	write_all(fd, "half a line", 11);
	write_all(fd, chunk, sizeof(chunk));
	(void)close(fd);
	return 0;
}

static int
cmd_fds(const char *pid)
{
	char		 dir[64], link[PATH_MAX + 64], target[PATH_MAX];
	struct dirent	*e;
	DIR		*d;
	ssize_t		 n;

	(void)snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	if ((d = opendir(dir)) == NULL)
		die("cannot list %s", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		(void)snprintf(link, sizeof(link), "%s/%s", dir, e->d_name);
		if ((n = readlink(link, target, sizeof(target) - 1)) == -1)
			continue;
		target[n] = '\0';
		(void)printf("%s %s\n", e->d_name, target);
	}
	(void)closedir(d);
	return 0;
}

static int
count_fds(const char *pid)
{
	char		 dir[64];
	struct dirent	*e;
	DIR		*d;
	int		 n = 0;

	(void)snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	(void)closedir(d);
	return n;
}

static int
cmd_wait_fds(const char *pid, const char *count, const char *ms)
{
	long	left = atol(ms);
	int	n;

	while ((n = count_fds(pid)) > atoi(count) && left > 0) {
		nap(20);
		left -= 20;
	}
	if (n == -1)
		die("cannot list /proc/%s/fd", pid);
	/* A zombie holds no descriptors: the daemon died, it did not close them. */
	if (is_dead((pid_t)atol(pid))) {
		(void)fprintf(stderr, "%s: pid %s has exited: it holds no descriptors because it died\n", progname, pid);
		return 1;
	}
	if (n > atoi(count)) {
		(void)fprintf(stderr, "%s: pid %s still holds %d descriptors, not %s\n", progname, pid, n, count);
		return 1;
	}
	return 0;
}

static int
count_text(const char *file, const char *text)
{
	char	*buf, *p;
	FILE	*fp;
	long	 size;
	int	 count = 0;

	if ((fp = fopen(file, "r")) == NULL)
		return 0;
	if (fseek(fp, 0, SEEK_END) == -1 || (size = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) == -1 || (buf = malloc((size_t)size + 1)) == NULL) {
		(void)fclose(fp);
		return 0;
	}
	size = (long)fread(buf, 1, (size_t)size, fp);
	buf[size] = '\0';
	(void)fclose(fp);
	for (p = buf; (p = strstr(p, text)) != NULL; p += strlen(text))
		count++;
	free(buf);
	return count;
}

static int
cmd_wait_text(const char *file, const char *text, const char *ms, const char *times)
{
	long	left = atol(ms);
	int	want = times != NULL ? atoi(times) : 1;

	for (;;) {
		if (count_text(file, text) >= want)
			return 0;
		if (left <= 0)
			return 1;
		nap(20);
		left -= 20;
	}
}

/* Exited: gone, or a zombie waiting for a late reaper (state Z in /proc/PID/stat). */
static int
is_dead(pid_t pid)
{
	char	path[64], buf[512], *paren;
	FILE	*fp;
	size_t	n;

	if (kill(pid, 0) == -1 && errno == ESRCH)
		return 1;
	(void)snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	(void)fclose(fp);
	buf[n] = '\0';
	paren = strrchr(buf, ')');
	return paren != NULL && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

static int
cmd_wait_dead(const char *pid, const char *ms)
{
	long	left = atol(ms);

	for (;;) {
		if (is_dead((pid_t)atol(pid)))
			return 0;
		if (left <= 0)
			return 1;
		nap(10);
		left -= 10;
	}
}

/*
 * leak-fd N FILE CMD...: run CMD with FILE open on descriptor N and no close-on-exec, as a careless
 * harness would; check.sh plants a high one beside its fd 9, because a close loop that stops at
 * a fixed number would miss it.
 */
/* The clock sd_notify's MONOTONIC_USEC= is read from, so the check can bracket it. */
static int
cmd_monotonic_usec(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		die("clock_gettime: %s", strerror(errno));
	(void)printf("%lld\n", (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000);
	return 0;
}

/* The <PRI> a datagram of the daemon's facility starts with (RFC 3164 4.1.1). */
static int
cmd_syslog_pri(const char *severity)
{
	if (strcmp(severity, "info") == 0)
		(void)printf("%d\n", <%- facilityC %> | LOG_INFO);
	else if (strcmp(severity, "warning") == 0)
		(void)printf("%d\n", <%- facilityC %> | LOG_WARNING);
	else
		die("unknown severity %s (info, warning)", severity);
	return 0;
}

/* Blocks the listed signal numbers, then runs argv: the mask survives execve(2). */
static int
cmd_block(const char *list, char *argv[])
{
	sigset_t	set;
	char		*end;
	long		sig;

	(void)sigemptyset(&set);
	for (;;) {
		sig = strtol(list, &end, 10);
		if (end == list || sig <= 0 || sigaddset(&set, (int)sig) == -1)
			die("not a signal number: %s", list);
		if (*end == '\0')
			break;
		list = end + 1;
	}
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		die("sigprocmask: %s", strerror(errno));
	return run_next(argv);
}

/* Leaves one end of a socket pair open on fd num, without close-on-exec, then runs argv. */
static int
cmd_leak_sock(const char *num, const char *file, char *argv[])
{
	struct stat	st;
	FILE		*fp;
	int		sv[2], want = atoi(num);

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		die("socketpair: %s", strerror(errno));
	if ((sv[0] != want && (dup2(sv[0], want) == -1 || close(sv[0]) == -1)) ||
	    close(sv[1]) == -1 || fstat(want, &st) == -1)
		die("cannot leave a socket on that fd: %s", strerror(errno));
	if ((fp = fopen(file, "w")) == NULL ||
	    fprintf(fp, "socket:[%llu]\n", (unsigned long long)st.st_ino) < 0 || fclose(fp) == EOF)
		die("cannot write %s", file);
	return run_next(argv);
}

/*
 * Runs argv as a terminal session would: a session leader with a pseudo-terminal as its
 * controlling terminal, so that a daemon that fails to leave the session keeps it (and the
 * check can see it). Exits with argv's status; the session leader then holds the terminal for
 * secs more seconds, so the daemon is looked at while it still exists.
 */
static int
cmd_tty_session(const char *secs, char *argv[])
{
	char	 name[PATH_MAX], *pts;
	int	 master, slave, st[2], status = 0;
	pid_t	 leader, child;
	ssize_t	 n;

	if ((master = posix_openpt(O_RDWR | O_NOCTTY)) == -1 || grantpt(master) == -1 ||
	    unlockpt(master) == -1 || (pts = ptsname(master)) == NULL)
		die("no pseudo-terminal: %s", strerror(errno));
	(void)snprintf(name, sizeof(name), "%s", pts);
	if (pipe(st) == -1 || (leader = fork()) == -1)
		die("cannot fork: %s", strerror(errno));
	if (leader == 0) {
		(void)close(st[0]);
		/* A new session; opening the terminal makes it the controlling one (SysV, Linux). */
		if (setsid() == -1 || (slave = open(name, O_RDWR)) == -1)
			die("cannot take the terminal: %s", strerror(errno));
#if defined(TIOCSCTTY)
		(void)ioctl(slave, TIOCSCTTY, 0);	/* the BSDs and macOS need it asked for */
#endif
		(void)close(slave);
		if ((child = fork()) == -1)
			die("cannot fork: %s", strerror(errno));
		if (child == 0) {
			(void)close(st[1]);
			(void)close(master);
			_exit(run_next(argv));
		}
		while (waitpid(child, &status, 0) == -1 && errno == EINTR)
			continue;
		if (write(st[1], &status, sizeof(status)) != (ssize_t)sizeof(status))
			_exit(1);
		(void)close(st[1]);
		nap(atol(secs) * 1000);
		_exit(0);
	}
	(void)close(st[1]);
	(void)close(master);
	while ((n = read(st[0], &status, sizeof(status))) == -1 && errno == EINTR)
		continue;
	if (n != (ssize_t)sizeof(status))
		die("%s", "the session leader died");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int
cmd_started(const char *file, char *argv[])
{
	FILE	*fp;

	if ((fp = fopen(file, "w")) == NULL || fprintf(fp, "%ld %ld\n", (long)getpid(),
	    (long)getsid(0)) < 0 || fclose(fp) == EOF)
		die("cannot write %s", file);
	return run_next(argv);
}

static int
cmd_leak_fd(const char *num, const char *file, char *argv[])
{
	int	fd, want = atoi(num);

	if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    (fd != want && (dup2(fd, want) == -1 || close(fd) == -1))) {
		(void)fprintf(stderr, "%s: cannot open %s on fd %d: %s\n", progname, file, want,
		    strerror(errno));
		return 1;
	}
	return run_next(argv);
}

<% if (starter) { -%>
/*
 * contain SECS OUT CMD...: a grader's run of the tests, whose daemons leave the process group with
 * setsid() and so outlive a timeout that kills a group. This process becomes a child subreaper
 * (prctl(2) PR_SET_CHILD_SUBREAPER; procctl(2) PROC_REAP_ACQUIRE on FreeBSD): a daemon that
 * double-forks is re-parented to it, not to init, so everything CMD starts stays below it. When
 * CMD has exited, SECS have passed or SIGTERM, SIGINT or SIGHUP came, all of it is killed and
 * reaped. Elsewhere (macOS, the other BSDs) CMD gets a process group of its own and only that group
 * is killed: a daemon that left it with setsid() gets away there, as from a plain timeout.
 */
#define CONTAIN_REAP_MS	5000	/* how long to go on killing and reaping before giving up */

/* One process below this one: from /proc/PID/stat, or from the reaper's list on FreeBSD. */
struct below {
	pid_t	pid;
	pid_t	ppid;
	int	zombie;		/* exited, waiting for its parent's waitpid(): killing it does nothing */
	int	mark;		/* found to descend from this process */
};

static volatile sig_atomic_t	contain_stop;

/* SIGTERM, SIGINT, SIGHUP: only the flag; the wait loop sees it within one nap. */
static void
on_contain_stop(int sig)
{
	(void)sig;
	contain_stop = 1;
}

static long long
monotonic_ms(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		die("clock_gettime: %s", strerror(errno));
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#if !defined(__FreeBSD__)
/* The /proc walk's order: by pid, for bsearch(). */
static int
by_pid(const void *a, const void *b)
{
	pid_t	x = ((const struct below *)a)->pid, y = ((const struct below *)b)->pid;

	return (x > y) - (x < y);
}
#endif

static void
grow_below(struct below **list, size_t *room, size_t want)
{
	struct below	*bigger;

	if (want <= *room)
		return;
	want = want < 2 * *room ? 2 * *room : want;
	if ((bigger = realloc(*list, want * sizeof(**list))) == NULL)
		die("%s", "out of memory");
	*list = bigger;
	*room = want;
}

/*
 * Every process below this one, zombies included, into (*list)[0..n); returns n, or -1 if they
 * cannot be listed. Linux: each /proc/PID/stat (proc(5)), its state and ppid read after the last
 * ')', since the command name before it, in parentheses, may hold spaces and ')' itself; then the
 * ppid tree is walked down from getpid(). FreeBSD: the reaper's own list (procctl(2)
 * PROC_REAP_GETPIDS), which holds exactly the processes below it.
 */
static long
list_below(struct below **list, size_t *room)
{
#if defined(__FreeBSD__)
	struct procctl_reaper_status	 rs;
	struct procctl_reaper_pids	 rp;
	struct procctl_reaper_pidinfo	*pi;
	size_t				 count, i, n = 0;

	memset(&rs, 0, sizeof(rs));
	if (procctl(P_PID, (id_t)getpid(), PROC_REAP_STATUS, &rs) == -1)
		return -1;
	/* Room for some that fork meanwhile; any beyond it are found on the next look. */
	count = (size_t)rs.rs_descendants + 16;
	if ((pi = calloc(count, sizeof(*pi))) == NULL)
		die("%s", "out of memory");
	memset(&rp, 0, sizeof(rp));
	rp.rp_count = (unsigned)count;
	rp.rp_pids = pi;
	if (procctl(P_PID, (id_t)getpid(), PROC_REAP_GETPIDS, &rp) == -1) {
		free(pi);
		return -1;
	}
	grow_below(list, room, count);
	for (i = 0; i < count; i++) {
		if ((pi[i].pi_flags & REAPER_PIDINFO_VALID) == 0)
			continue;
		(*list)[n].pid = pi[i].pi_pid;
		(*list)[n].ppid = 0;
#if defined(REAPER_PIDINFO_ZOMBIE)
		(*list)[n].zombie = (pi[i].pi_flags & REAPER_PIDINFO_ZOMBIE) != 0;
#else
		(*list)[n].zombie = 0;
#endif
		(*list)[n++].mark = 1;
	}
	free(pi);
	return (long)n;
#else
	struct below	 key, *up;
	struct dirent	*e;
	size_t		 n = 0, i, got;
	pid_t		 self = getpid();
	char		 path[64], buf[512], *paren, state;
	long		 pid, ppid;
	FILE		*fp;
	DIR		*d;
	int		 grew;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '\0' || strspn(e->d_name, "0123456789") != strlen(e->d_name) ||
		    strlen(e->d_name) > 10)
			continue;
		pid = atol(e->d_name);
		(void)snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		if ((fp = fopen(path, "r")) == NULL)
			continue;	/* gone since readdir() */
		got = fread(buf, 1, sizeof(buf) - 1, fp);
		(void)fclose(fp);
		buf[got] = '\0';
		if ((paren = strrchr(buf, ')')) == NULL || sscanf(paren + 1, " %c %ld", &state, &ppid) != 2)
			continue;
		grow_below(list, room, n + 1);
		(*list)[n].pid = (pid_t)pid;
		(*list)[n].ppid = (pid_t)ppid;
		(*list)[n].zombie = state == 'Z' || state == 'X';
		(*list)[n++].mark = 0;
	}
	(void)closedir(d);
	if (n == 0)
		return -1;
	/* Down the tree, one generation or more a pass, until a pass marks nothing new. */
	qsort(*list, n, sizeof(**list), by_pid);
	do {
		grew = 0;
		for (i = 0; i < n; i++) {
			if ((*list)[i].mark)
				continue;
			key.pid = (*list)[i].ppid;
			if (key.pid == self || ((up = bsearch(&key, *list, n, sizeof(**list), by_pid)) != NULL &&
			    up->mark)) {
				(*list)[i].mark = 1;
				grew = 1;
			}
		}
	} while (grew);
	for (i = got = 0; i < n; i++)
		if ((*list)[i].mark)
			(*list)[got++] = (*list)[i];
	return (long)got;
#endif
}

/*
 * Kills everything below this process with SIGKILL and reaps it: again and again, until a look
 * finds no live process below and waitpid(-1) says ECHILD, since one that was forking when the
 * last look was taken shows up only on the next. In a process group instead (group != 0, no list
 * of the processes below), CMD first, then the group. Gives up after CONTAIN_REAP_MS, saying so.
 * Returns how many processes it killed besides CMD (reaped already, or not), each counted once.
 */
static unsigned
contain_kill_all(pid_t cmd, int reaped_cmd, int group, const char *name)
{
	struct below	*list = NULL;
	size_t		 room = 0, nseen = 0, i, j;
	pid_t		*seen = NULL, *more, r;
	long long	 give_up = monotonic_ms() + CONTAIN_REAP_MS;
	unsigned	 left = 0;
	long		 n;
	int		 live, no_children;

	for (;;) {
		while ((r = waitpid(-1, NULL, WNOHANG)) > 0)
			if (r == cmd)
				reaped_cmd = 1;
		no_children = r == -1 && errno == ECHILD;
		live = 0;
		if (group && !reaped_cmd) {
			live = kill(cmd, SIGKILL) == 0;
		} else if (group) {
			/* How many are in the group, only a list would tell: at least one. */
			live = kill(-cmd, SIGKILL) == 0;
			if (live)
				left = 1;
		} else if ((n = list_below(&list, &room)) > 0) {
			for (i = 0; i < (size_t)n; i++) {
				if (kill(list[i].pid, SIGKILL) == -1 || list[i].zombie)
					continue;
				live++;
				for (j = 0; j < nseen && seen[j] != list[i].pid; j++)
					continue;
				if (j < nseen || (list[i].pid == cmd && !reaped_cmd))
					continue;
				if ((more = realloc(seen, (nseen + 1) * sizeof(*seen))) == NULL)
					die("%s", "out of memory");
				seen = more;
				seen[nseen++] = list[i].pid;
				left++;
			}
		}
		if (live == 0 && no_children)
			break;
		if (monotonic_ms() >= give_up) {
			(void)fprintf(stderr, "%s: what %s started still runs after %d s of SIGKILL: gave up\n",
			    progname, name, CONTAIN_REAP_MS / 1000);
			break;
		}
		nap(10);
	}
	free(list);
	free(seen);
	return left;
}

static int
cmd_contain(const char *secs, const char *out, char *argv[])
{
	static const int	stops[] = { SIGTERM, SIGINT, SIGHUP };
	enum { EXITED, TIMED_OUT, INTERRUPTED }	end;
	struct sigaction	sa, old[3];
	sigset_t		block, mask;
	long long		deadline;
	unsigned		left;
	size_t			i;
	pid_t			pid, r;
	long			limit;
	char			line[64];
	int			fd = -1, group = 1, status = 0, rc, len;

	if (secs[0] == '\0' || strlen(secs) > 9 || strspn(secs, "0123456789") != strlen(secs) ||
	    (limit = atol(secs)) <= 0) {
		(void)fprintf(stderr, "usage: %s contain SECS OUT CMD...: SECS a whole number of seconds, "
		    "at least 1; OUT a file, or - for none\n", progname);
		return 2;
	}
	/* Close-on-exec: CMD gets none of this process's descriptors. */
	if (strcmp(out, "-") != 0 &&
	    (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1)
		die("cannot open %s", out);
#if defined(__linux__) && defined(PR_SET_CHILD_SUBREAPER)
	/* prctl(2) PR_SET_CHILD_SUBREAPER; the processes below are then found in /proc. */
	if (access("/proc/self/stat", R_OK) == -1)
		(void)fprintf(stderr, "%s: no /proc: only the process group of %s will be killed\n",
		    progname, argv[0]);
	else if (prctl(PR_SET_CHILD_SUBREAPER, 1UL) == -1)
		(void)fprintf(stderr, "%s: cannot become a subreaper (%s): only the process group of %s "
		    "will be killed\n", progname, strerror(errno), argv[0]);
	else
		group = 0;
#elif defined(__FreeBSD__)
	/* procctl(2) PROC_REAP_ACQUIRE; EBUSY: this process is a reaper already. */
	if (procctl(P_PID, (id_t)getpid(), PROC_REAP_ACQUIRE, NULL) == 0 || errno == EBUSY)
		group = 0;
	else
		(void)fprintf(stderr, "%s: cannot become a reaper (%s): only the process group of %s "
		    "will be killed\n", progname, strerror(errno), argv[0]);
#endif
	/*
	 * The three signals are blocked across fork(): one that comes meanwhile waits for the handler
	 * here, and the child puts back their dispositions before it unblocks them (sigaction(2)).
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_contain_stop;
	sa.sa_flags = SA_RESTART;
	(void)sigemptyset(&sa.sa_mask);
	(void)sigemptyset(&block);
	for (i = 0; i < 3; i++)
		(void)sigaddset(&block, stops[i]);
	if (sigprocmask(SIG_BLOCK, &block, &mask) == -1)
		die("sigprocmask: %s", strerror(errno));
	for (i = 0; i < 3; i++)
		if (sigaction(stops[i], &sa, &old[i]) == -1)
			die("sigaction: %s", strerror(errno));
	if ((pid = fork()) == -1)
		die("cannot fork: %s", strerror(errno));
	if (pid == 0) {
		for (i = 0; i < 3; i++)
			(void)sigaction(stops[i], &old[i], NULL);
		/* main() ignores SIGPIPE for the probe's own writes; CMD gets it as a shell gives it. */
		(void)signal(SIGPIPE, SIG_DFL);
		(void)sigprocmask(SIG_SETMASK, &mask, NULL);
		if (group)
			(void)setpgid(0, 0);
		_exit(run_next(argv));
	}
	if (group)
		(void)setpgid(pid, pid);	/* as the child does: whichever runs first */
	(void)sigprocmask(SIG_SETMASK, &mask, NULL);

	/*
	 * Polled, not waited for: the deadline and the flag need looking at, and what a subreaper
	 * inherits must be reaped as it exits, or a test that waits for its daemon to be gone sees a
	 * zombie that never goes.
	 */
	deadline = monotonic_ms() + limit * 1000LL;
	for (;;) {
		while ((r = waitpid(-1, &status, WNOHANG)) > 0 && r != pid)
			continue;
		if (r == pid) {
			end = EXITED;
			break;
		}
		if (contain_stop) {
			end = INTERRUPTED;
			(void)fprintf(stderr, "%s: interrupted: killed %s\n", progname, argv[0]);
			break;
		}
		if (monotonic_ms() >= deadline) {
			end = TIMED_OUT;
			(void)fprintf(stderr, "%s: %s still running after %ld s: killed it\n", progname,
			    argv[0], limit);
			break;
		}
		nap(10);
	}
	left = contain_kill_all(pid, end == EXITED, group, argv[0]);
	if (end != EXITED && left > 0)
		(void)fprintf(stderr, "%s: killed %u processes %s left behind\n", progname, left, argv[0]);

	if (end == TIMED_OUT) {
		rc = 124;
		len = snprintf(line, sizeof(line), "timeout %ld left %u\n", limit, left);
	} else if (end == INTERRUPTED) {
		rc = 130;
		len = snprintf(line, sizeof(line), "interrupted left %u\n", left);
	} else if (WIFEXITED(status)) {
		rc = WEXITSTATUS(status);
		len = snprintf(line, sizeof(line), "exit %d left %u\n", rc, left);
	} else {
		rc = 128 + WTERMSIG(status);
		len = snprintf(line, sizeof(line), "signal %d left %u\n", WTERMSIG(status), left);
	}
	if (fd != -1) {
		write_all(fd, line, (size_t)len);
		if (close(fd) == -1)
			die("cannot write %s", out);
	}
	return rc;
}

<% } -%>
static void
on_deadline(int sig)
{
	static const char	msg[] = "probe: no answer within the deadline; gave up\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(125);
	_exit(124);
}

int
main(int argc, char *argv[])
{
	const char	*cmd = argc > 1 ? argv[1] : "";

	signal(SIGPIPE, SIG_IGN);
	if (strncmp(cmd, "echo", 4) == 0) {
		signal(SIGALRM, on_deadline);
		(void)alarm(ECHO_DEADLINE);
	}
	if (strcmp(cmd, "notify-recv") == 0 && argc == 4)
		cmd_notify_recv(argv[2], argv[3]);
	if (strcmp(cmd, "echo") == 0 && argc == 4)
		return cmd_echo(argv[2], argv[3]);
	if (strcmp(cmd, "echo-big") == 0 && argc == 4)
		return cmd_echo_big(argv[2], argv[3]);
	if (strcmp(cmd, "echo-many") == 0 && argc == 4)
		return cmd_echo_many(argv[2], argv[3]);
	if (strcmp(cmd, "echo-stalled") == 0 && argc == 4)
		return cmd_echo_stalled(argv[2], argv[3]);
	if (strcmp(cmd, "echo-cut") == 0 && argc == 3)
		return cmd_echo_cut(argv[2]);
	if (strcmp(cmd, "echo-lines") == 0 && argc == 4)
		return cmd_echo_lines(argv[2], argv[3]);
	if (strcmp(cmd, "echo-half") == 0 && argc == 3)
		return cmd_echo_half(argv[2]);
	if (strcmp(cmd, "echo-order") == 0 && argc == 3)
		return cmd_echo_order(argv[2]);
	if (strcmp(cmd, "wait-fds") == 0 && argc == 5)
		return cmd_wait_fds(argv[2], argv[3], argv[4]);
	if (strcmp(cmd, "fds") == 0 && argc == 3)
		return cmd_fds(argv[2]);
	if (strcmp(cmd, "wait-text") == 0 && (argc == 5 || argc == 6))
		return cmd_wait_text(argv[2], argv[3], argv[4], argc == 6 ? argv[5] : NULL);
	if (strcmp(cmd, "wait-dead") == 0 && argc == 4)
		return cmd_wait_dead(argv[2], argv[3]);
	if (strcmp(cmd, "tty-session") == 0 && argc >= 4)
		return cmd_tty_session(argv[2], argv + 3);
	if (strcmp(cmd, "leak-sock") == 0 && argc >= 5)
		return cmd_leak_sock(argv[2], argv[3], argv + 4);
	if (strcmp(cmd, "block") == 0 && argc >= 4)
		return cmd_block(argv[2], argv + 3);
	if (strcmp(cmd, "monotonic-usec") == 0 && argc == 2)
		return cmd_monotonic_usec();
	if (strcmp(cmd, "leak-fd") == 0 && argc >= 5)
		return cmd_leak_fd(argv[2], argv[3], argv + 4);
	if (strcmp(cmd, "started") == 0 && argc >= 4)
		return cmd_started(argv[2], argv + 3);
	if (strcmp(cmd, "syslog-pri") == 0 && argc == 3)
		return cmd_syslog_pri(argv[2]);
<% if (starter) { -%>
	if (strcmp(cmd, "contain") == 0 && argc >= 5)
		return cmd_contain(argv[2], argv[3], argv + 4);
<% } -%>
	(void)fprintf(stderr, "usage: %s notify-recv|echo|echo-big|echo-many|echo-stalled|echo-lines|echo-half|"
	    "echo-order|echo-cut|fds|wait-fds|"
<% if (starter) { -%>
	    "contain|"
<% } -%>
	    "wait-text|wait-dead|monotonic-usec|block|tty-session|leak-sock|leak-fd|started|syslog-pri ...\n", progname);
	return 2;
}
