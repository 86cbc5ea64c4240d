/*
 * child.h: the Node process that runs <%- name %>'s payload (the TypeScript in src/), its control channel, and
 * the signal loop's event source that relays what Node says (helper/signals.h).
 */
#ifndef CHILD_H
#define CHILD_H

#include <sys/types.h>

#include <poll.h>
#include <stddef.h>
#include <time.h>

#include "signals.h"

#define CHILD_LINE_MAX	1024	/* one line from Node: longer ones are cut there */
#define CHILD_STOP_SEC	5	/* SIGTERM to SIGKILL: above Node's own drain bound (2 s) */
#define CHILD_DIED	70	/* EX_SOFTWARE: Node ended without being asked to */
/* Node must say READY within this many seconds: a start never hangs for ever (make CPPFLAGS=-D...). */
#ifndef CHILD_READY_SEC
#define CHILD_READY_SEC	60
#endif

/* Node serves: what describes the config in force. */
typedef void	child_ready_fn(const char *what);
/* Start-up failed: the reason and the exit status. Does not return. */
typedef void	child_fail_fn(int status, const char *fmt, ...);

struct child {
	pid_t			 pid;		/* Node, or 0 once reaped (or never started) */
	int			 status;	/* its wait status, once reaped */
	int			 ready;		/* Node said READY */
	int			 reload;	/* a SIGHUP came before READY: forwarded at READY */
	int			 ended;		/* the channel closed: Node is gone or going */
	int			 stopping;	/* child_stop() runs: no READY, no FAIL any more */
	int			 said_stopping;	/* Node said STOPPING: its exit 0 is a clean stop */
	int			 skip[2];	/* dropping the rest of a line that was too long */
	struct timespec		 ready_by;	/* CLOCK_MONOTONIC: READY must have come by then */
	struct pollfd		 fds[3];	/* [0] the loop's, [1] the channel, [2] Node's stderr */
	char			 in[2][CHILD_LINE_MAX + 1];	/* a partial line from each */
	size_t			 len[2];
	char			 last[CHILD_LINE_MAX + 1];	/* Node's last line on stderr */
	child_ready_fn		*on_ready;
	child_fail_fn		*on_fail;
	struct signals_source	 src;
};

/* The script Node runs (script.c): the build tree's, or the installed one. */
extern const char	child_script[];

int	child_test(const char *config, const char *pidfile, char *err, size_t errlen);
int	child_start(struct child *c, const char *config, const char *pidfile,
	    child_ready_fn *ready, child_fail_fn *fail, char *err, size_t errlen);
const struct signals_source *child_source(struct child *c);
int	child_stop(struct child *c);

#endif /* CHILD_H */
