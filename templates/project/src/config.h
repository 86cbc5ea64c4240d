/*
 * config.h: the config file, "key = value" lines and "#" comments, parsed strictly.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>
<% if (payload === 'echo') { -%>
#include <sys/un.h>
<% } -%>

#define CONFIG_LINE_MAX		1024		/* longest line, newline excluded */
#define CONFIG_FILE_MAX		(64 * 1024)	/* a config file is never bigger */
#define CONFIG_ERR_MAX		1024		/* room for "file:line: reason" */
<% if (payload === 'tick') { -%>
#define CONFIG_INTERVAL_MAX	31536000U	/* one year, in seconds */
<% } else { -%>
#define CONFIG_SOCKET_MODE	0660		/* owner and group may connect */
#define CONFIG_CLIENTS		256		/* max_clients by default */
#define CONFIG_CLIENTS_MAX	65536
#define CONFIG_BUFFERED		(64UL * 1024 * 1024)	/* max_buffered by default */
#define CONFIG_BUFFERED_MIN	(64UL * 1024)
#define CONFIG_BUFFERED_MAX	(1024UL * 1024 * 1024)
#define CONFIG_SHARE_MIN	1024		/* least max_buffered / max_clients */
<% } -%>

/* A plain value: copied whole, never shared, so a reader sees an old or a new one. */
struct config {
<% if (payload === 'tick') { -%>
	unsigned int	interval;			/* seconds between ticks */
	char		message[CONFIG_LINE_MAX];	/* logged at each tick */
<% } else { -%>
	/* The UNIX stream socket: an absolute path, never "@name" (see config.c). */
	char		socket[sizeof(((struct sockaddr_un *)0)->sun_path)];
	unsigned int	socket_mode;	/* permissions of the socket file, set after bind */
	unsigned int	max_clients;	/* clients served at once; the others wait in the backlog */
	size_t		max_buffered;	/* bytes held for all clients together */
<% } -%>
};

void	config_defaults(struct config *cf);
int	config_parse(const char *file, const char *buf, size_t len, struct config *cf,
	    char *err, size_t errlen);
int	config_load(const char *path, struct config *cf, char *err, size_t errlen);
void	config_describe(const struct config *cf, char *buf, size_t len);
<% if (payload === 'echo') { -%>
void	config_socket_beside(const char *pidfile);
<% } -%>

#endif /* CONFIG_H */
