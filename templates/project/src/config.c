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
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
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
	"socket",
<% } -%>
};
#define CONFIG_NKEYS	(sizeof(config_keys) / sizeof(config_keys[0]))

void
config_defaults(struct config *cf)
{
	memset(cf, 0, sizeof(*cf));
<% if (payload === 'tick') { -%>
	cf->interval = <%- IDENT %>_TICK_INTERVAL;
	(void)snprintf(cf->message, sizeof(cf->message), "%s", <%- IDENT %>_TICK_MESSAGE);
<% } else { -%>
	(void)snprintf(cf->socket, sizeof(cf->socket), "%s", <%- IDENT %>_SOCKET);
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
	char	err[192];

	(void)key;
	/* Absolute or abstract: the daemon runs in "/" and re-reads this file there. */
	if (value[0] != '/' && value[0] != '@' &&
	    strncmp(value, "$XDG_RUNTIME_DIR/", sizeof("$XDG_RUNTIME_DIR/") - 1) != 0) {
		(void)snprintf(why, whylen, "socket must be an absolute path or @name, got \"%.64s\"",
		    value);
		return -1;
	}
	if (value[0] == '@' && value[1] == '\0') {
		(void)snprintf(why, whylen, "socket \"@\" needs a name after the @");
		return -1;
	}
	if (path_expand(value, cf->socket, sizeof(cf->socket), err, sizeof(err)) == -1) {
		(void)snprintf(why, whylen, "socket %s", err);
		return -1;
	}
	return 0;
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
	if (seen[0] == 0 && config_set(&tmp, 0, <%- IDENT %>_SOCKET, why, sizeof(why)) == -1) {
		(void)snprintf(err, errlen, "%s: %s", file, why);
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
	(void)snprintf(buf, len, "echoing on %s", cf->socket);
<% } -%>
}
