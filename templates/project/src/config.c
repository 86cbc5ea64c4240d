/*
 * config.c: reads the config file. Library code: it reports "file:line: reason" in err and
 * returns -1; it never logs and never exits, so the same parser serves start-up (exit 78), -t
 * and SIGHUP (keep the previous config), and the fuzzer.
 *
 * The format: one "key = value" per line; blank lines; lines whose first non-blank character
 * is '#' are comments. Spaces and tabs around the key and the value are ignored; the value is
 * the rest of the line, '#' included. Everything else is an error, never a guess: an unknown or
 * repeated key, a line without '=', an empty value, a bad number, a line longer than
 * CONFIG_LINE_MAX bytes, a NUL or other control character. A key left out keeps its default.
<% if (payload === 'echo') { -%>
 *
 * The socket must be a path: an abstract socket (Linux "@name") has no file, hence no
 * permissions, and any local user could connect to a daemon running as root; under systemd's
 * PrivateNetwork=yes it is unreachable besides (unix(7), "Abstract sockets").
<% } -%>
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "defaults.h"
#include "errstr.h"
#include "path.h"

/* One entry per key; seen[] holds the line that set it, to name both lines of a duplicate. */
static const char *const config_keys[] = {
<% if (payload === 'tick') { -%>
	"interval", "message",
<% } else { -%>
	"socket", "socket_mode", "max_clients", "max_buffered",
<% } -%>
};
#define CONFIG_NKEYS	(sizeof(config_keys) / sizeof(config_keys[0]))
<% if (payload === 'echo') { -%>

/*
 * The socket when the file sets none: beside the pid file (config_socket_beside()), so that
 * `-p "$PWD/<%- name %>.pid"` keeps both in one directory; the chosen default until main() says
 * where the pid file is (and in the fuzzer, which never does).
 */
static char	socket_default[PATH_MAX] = <%- IDENT %>_SOCKET;

void
config_socket_beside(const char *pidfile)
{
	const char	*slash = strrchr(pidfile, '/');
	int		 n;

	if (slash == NULL)
		return;
	n = snprintf(socket_default, sizeof(socket_default), "%.*s/%s.sock",
	    (int)(slash - pidfile), pidfile, <%- IDENT %>_NAME);
	if (n < 0 || (size_t)n >= sizeof(socket_default))
		(void)snprintf(socket_default, sizeof(socket_default), "%s", <%- IDENT %>_SOCKET);
}
<% } -%>

void
config_defaults(struct config *cf)
{
	memset(cf, 0, sizeof(*cf));
<% if (payload === 'tick') { -%>
	cf->interval = <%- IDENT %>_TICK_INTERVAL;
	(void)snprintf(cf->message, sizeof(cf->message), "%s", <%- IDENT %>_TICK_MESSAGE);
<% } else { -%>
	(void)snprintf(cf->socket, sizeof(cf->socket), "%s", <%- IDENT %>_SOCKET);
	cf->socket_mode = CONFIG_SOCKET_MODE;
	cf->max_clients = CONFIG_CLIENTS;
	cf->max_buffered = CONFIG_BUFFERED;
<% } -%>
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

<% if (payload === 'tick') { -%>
/* Digits only: no sign, no spaces, no suffix, no overflow. */
static int
parse_seconds(const char *s, unsigned int *out)
{
	unsigned long	v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > CONFIG_INTERVAL_MAX)
			return -1;
	}
	if (v == 0)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

<% } else { -%>
/* Digits only, from 1 to max: no sign, no spaces, no suffix, no overflow. */
static int
parse_count(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long	v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -1;
	}
	if (v == 0)
		return -1;
	*out = v;
	return 0;
}

/* Three or four octal digits, at most 0777: set-id and sticky bits mean nothing on a socket. */
static int
parse_mode(const char *s, unsigned int *out)
{
	unsigned int	v = 0;
	size_t		n = strlen(s);

	if (n < 3 || n > 4)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '7')
			return -1;
		v = v * 8 + (unsigned int)(*s - '0');
	}
	if (v > 0777)
		return -1;
	*out = v;
	return 0;
}

/* Bytes: digits, then optionally K (KiB) or M (MiB), within the CONFIG_BUFFERED_* bounds. */
static int
parse_bytes(const char *s, size_t *out)
{
	char		digits[16];
	unsigned long	v, unit = 1;
	size_t		n = strlen(s);

	if (n > 0 && (s[n - 1] == 'K' || s[n - 1] == 'M')) {
		unit = s[n - 1] == 'K' ? 1024UL : 1024UL * 1024;
		n--;
	}
	if (n == 0 || n >= sizeof(digits))
		return -1;
	memcpy(digits, s, n);
	digits[n] = '\0';
	if (parse_count(digits, CONFIG_BUFFERED_MAX / unit, &v) == -1 ||
	    v * unit < CONFIG_BUFFERED_MIN)
		return -1;
	*out = (size_t)(v * unit);
	return 0;
}

static int
config_socket(struct config *cf, const char *value, char *why, size_t whylen)
{
	char	err[192];

	if (value[0] == '@') {
		(void)snprintf(why, whylen, "socket must be an absolute path: an abstract socket "
		    "(@name) has no permissions, any local user could connect");
		return -1;
	}
	/* Absolute: the daemon runs in "/" and re-reads this file there. */
	if (value[0] != '/' &&
	    strncmp(value, "$XDG_RUNTIME_DIR/", sizeof("$XDG_RUNTIME_DIR/") - 1) != 0) {
		(void)snprintf(why, whylen, "socket must be an absolute path, got \"%.64s\"", value);
		return -1;
	}
	if (path_expand(value, cf->socket, sizeof(cf->socket), err, sizeof(err)) == -1) {
		(void)snprintf(why, whylen, "socket %s", err);
		return -1;
	}
	return 0;
}

<% } -%>
/* Sets key to value in cf; on error writes the reason (without file:line) to why. */
static int
config_set(struct config *cf, size_t key, const char *value, char *why, size_t whylen)
{
<% if (payload === 'tick') { -%>
	if (key == 0) {
		if (parse_seconds(value, &cf->interval) == -1) {
			(void)snprintf(why, whylen, "interval must be a whole number of seconds "
			    "from 1 to %u, got \"%.64s\"", CONFIG_INTERVAL_MAX, value);
			return -1;
		}
		return 0;
	}
	/* The line limit already keeps the message within its buffer. */
	(void)snprintf(cf->message, sizeof(cf->message), "%s", value);
	return 0;
<% } else { -%>
	unsigned long	n;

	switch (key) {
	case 0:
		return config_socket(cf, value, why, whylen);
	case 1:
		if (parse_mode(value, &cf->socket_mode) == 0)
			return 0;
		(void)snprintf(why, whylen, "socket_mode must be 3 or 4 octal digits from 000 to "
		    "0777, such as 0660, got \"%.64s\"", value);
		return -1;
	case 2:
		if (parse_count(value, CONFIG_CLIENTS_MAX, &n) == 0) {
			cf->max_clients = (unsigned int)n;
			return 0;
		}
		(void)snprintf(why, whylen, "max_clients must be a whole number from 1 to %d, got "
		    "\"%.64s\"", CONFIG_CLIENTS_MAX, value);
		return -1;
	default:
		if (parse_bytes(value, &cf->max_buffered) == 0)
			return 0;
		(void)snprintf(why, whylen, "max_buffered must be a number of bytes from %luK to "
		    "%luM (digits, then K for KiB or M for MiB if wanted), got \"%.64s\"",
		    CONFIG_BUFFERED_MIN / 1024, CONFIG_BUFFERED_MAX / 1024 / 1024, value);
		return -1;
	}
<% } -%>
}

/* Parses one line, NUL-terminated, without its newline. */
static int
config_line(char *line, struct config *cf, unsigned int *seen, unsigned int lineno,
    char *why, size_t whylen)
{
	char	*key, *value, *eq, *end;
	size_t	 i;

	for (end = line; *end != '\0'; end++) {
		if ((unsigned char)*end < 0x20 && *end != '\t' && !(*end == '\r' && end[1] == '\0')) {
			(void)snprintf(why, whylen, "control character 0x%02x", (unsigned char)*end);
			return -1;
		}
		if ((unsigned char)*end == 0x7f) {
			(void)snprintf(why, whylen, "control character 0x7f");
			return -1;
		}
	}
	while (end > line && (is_blank(end[-1]) || end[-1] == '\r'))
		*--end = '\0';
	for (key = line; is_blank(*key); key++)
		continue;
	if (*key == '\0' || *key == '#')
		return 0;
	if ((eq = strchr(key, '=')) == NULL) {
		(void)snprintf(why, whylen, "expected \"key = value\", got \"%.64s\"", key);
		return -1;
	}
	if (eq == key) {
		(void)snprintf(why, whylen, "missing key before \"=\"");
		return -1;
	}
	for (value = eq + 1; is_blank(*value); value++)
		continue;
	/* key starts with a non-blank before eq, so it stays non-empty. */
	for (end = eq; is_blank(end[-1]); end--)
		continue;
	*end = '\0';
	for (i = 0; i < CONFIG_NKEYS; i++)
		if (strcmp(key, config_keys[i]) == 0)
			break;
	if (i == CONFIG_NKEYS) {
		(void)snprintf(why, whylen, "unknown key \"%.64s\"", key);
		return -1;
	}
	if (seen[i] != 0) {
		(void)snprintf(why, whylen, "duplicate key \"%s\" (first set on line %u)",
		    config_keys[i], seen[i]);
		return -1;
	}
	seen[i] = lineno;
	if (*value == '\0') {
		(void)snprintf(why, whylen, "\"%s\" needs a value", config_keys[i]);
		return -1;
	}
	return config_set(cf, i, value, why, whylen);
}

/*
 * Parses len bytes of buf, read from file (named in messages). Fills cf only on success, so a
 * failed reload leaves the caller's config untouched.
 */
int
config_parse(const char *file, const char *buf, size_t len, struct config *cf,
    char *err, size_t errlen)
{
	struct config	 tmp;
	unsigned int	 seen[CONFIG_NKEYS], lineno = 0;
	char		 line[CONFIG_LINE_MAX + 1], why[256];
	const char	*p = buf, *end = buf + len, *nl;
	size_t		 llen;

	config_defaults(&tmp);
	memset(seen, 0, sizeof(seen));
	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		llen = (size_t)((nl != NULL ? nl : end) - p);
		if (llen > CONFIG_LINE_MAX) {
			(void)snprintf(err, errlen, "%s:%u: line too long (more than %d bytes)",
			    file, lineno, CONFIG_LINE_MAX);
			return -1;
		}
		if (memchr(p, '\0', llen) != NULL) {
			(void)snprintf(err, errlen, "%s:%u: NUL byte in line", file, lineno);
			return -1;
		}
		memcpy(line, p, llen);
		line[llen] = '\0';
		if (config_line(line, &tmp, seen, lineno, why, sizeof(why)) == -1) {
			(void)snprintf(err, errlen, "%s:%u: %s", file, lineno, why);
			return -1;
		}
		p = nl != NULL ? nl + 1 : end;
	}
<% if (payload === 'echo') { -%>
	/* The default may need $XDG_RUNTIME_DIR, which only now is known to be needed. */
	if (seen[0] == 0 && config_set(&tmp, 0, socket_default, why, sizeof(why)) == -1) {
		(void)snprintf(err, errlen, "%s: sets no socket, and the default beside the pid file "
		    "cannot be used: %s", file, why);
		return -1;
	}
	/* Each client's share of the budget must hold a useful piece of a line. */
	if (tmp.max_buffered / tmp.max_clients < CONFIG_SHARE_MIN) {
		(void)snprintf(err, errlen, "%s:%u: max_buffered (%lu bytes) must give each of the "
		    "max_clients (%u) at least %d bytes", file,
		    seen[3] != 0 ? seen[3] : seen[2], (unsigned long)tmp.max_buffered,
		    tmp.max_clients, CONFIG_SHARE_MIN);
		return -1;
	}
<% } -%>
	*cf = tmp;
	return 0;
}

static int
config_syserr(const char *path, const char *what, char *err, size_t errlen)
{
	char	why[128];

	(void)snprintf(err, errlen, "%s: %s: %s", path, what, errstr(errno, why, sizeof(why)));
	return -1;
}

/* Reads and parses path. The whole file is read first: a config is small by definition. */
int
config_load(const char *path, struct config *cf, char *err, size_t errlen)
{
	struct stat	 st;
	char		*buf;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd, rc = -1;

	/* O_NONBLOCK: a FIFO at the path must not hang a reload; it is refused below. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) == -1)
		return config_syserr(path, "cannot open", err, errlen);
	if (fstat(fd, &st) == -1) {
		(void)config_syserr(path, "cannot stat", err, errlen);
		(void)close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		(void)snprintf(err, errlen, "%s: not a regular file", path);
		(void)close(fd);
		return -1;
	}
	if ((buf = malloc(CONFIG_FILE_MAX + 1)) == NULL) {
		(void)config_syserr(path, "cannot read", err, errlen);
		(void)close(fd);
		return -1;
	}
	for (;;) {
		n = read(fd, buf + len, CONFIG_FILE_MAX + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			(void)config_syserr(path, "cannot read", err, errlen);
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > CONFIG_FILE_MAX) {
			(void)snprintf(err, errlen, "%s: file too large (more than %d bytes)", path,
			    CONFIG_FILE_MAX);
			goto out;
		}
	}
	rc = config_parse(path, buf, len, cf, err, errlen);
out:
	free(buf);
	(void)close(fd);
	return rc;
}

/* One line for logs and STATUS=: what this config makes the daemon do. */
void
config_describe(const struct config *cf, char *buf, size_t len)
{
<% if (payload === 'tick') { -%>
	(void)snprintf(buf, len, "ticking every %u s: %.200s", cf->interval, cf->message);
<% } else { -%>
	(void)snprintf(buf, len, "echoing on %s (mode %04o, at most %u clients, %lu bytes "
	    "buffered)", cf->socket, cf->socket_mode, cf->max_clients,
	    (unsigned long)cf->max_buffered);
<% } -%>
}
