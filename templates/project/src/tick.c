/*
 * tick.c: the payload. Every `interval` seconds, log `message`.
 *
 * Ticks are scheduled on CLOCK_MONOTONIC at start + k * interval, so they do not drift by the
 * time each one takes, and setting the wall clock moves nothing. Linux's CLOCK_MONOTONIC stops
 * while the machine is suspended, so after a resume the schedule carries on where it paused,
 * late by the time suspended; on a system whose monotonic clock runs on through a suspend, the
 * ticks missed meanwhile are skipped, never replayed in a burst. Between ticks the loop sleeps until
 * the deadline: no wakeups at all when idle.
 *
 * Add your work in tick_run(); it runs in the loop, so it must not block for long.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "payload.h"
#include "timespec.h"

struct payload {
	struct pollfd	fds[1];		/* only the loop's entry: a tick needs no descriptor */
	struct config	cf;
	struct timespec	next;		/* CLOCK_MONOTONIC time of the next tick */
};

static void
ts_add(struct timespec *ts, unsigned int seconds)
{
	ts->tv_sec += (time_t)seconds;
}

static void
tick_schedule(struct payload *p)
{
	/* CLOCK_MONOTONIC cannot fail with a valid clock id and a valid pointer. */
	(void)clock_gettime(CLOCK_MONOTONIC, &p->next);
	ts_add(&p->next, p->cf.interval);
}

/* The work of one tick. */
static void
tick_run(const struct config *cf)
{
	log_info("%s", cf->message);
}

int
payload_open(struct payload **pp, const struct config *cf, char *err, size_t errlen)
{
	struct payload	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		(void)snprintf(err, errlen, "cannot start ticking: %s", strerror(errno));
		return -1;
	}
	p->fds[0].fd = -1;
	p->cf = *cf;
	tick_schedule(p);
	*pp = p;
	return 0;
}

/* A new interval starts a new schedule from now; a new message alone keeps the schedule. */
int
payload_apply(struct payload *p, const struct config *cf, char *err, size_t errlen)
{
	unsigned int	old = p->cf.interval;

	(void)err;
	(void)errlen;
	p->cf = *cf;
	if (cf->interval != old)
		tick_schedule(p);
	return 0;
}

struct pollfd *
payload_pollfds(struct payload *p, nfds_t *n)
{
	p->fds[0].revents = 0;
	*n = 1;
	return p->fds;
}

int
payload_timeout(const struct payload *p, struct timespec *left)
{
	struct timespec	now;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	ts_left(&p->next, &now, left);
	return 1;
}

void
payload_dispatch(struct payload *p)
{
	struct timespec	now;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	if (ts_before(&now, &p->next))
		return;
	tick_run(&p->cf);
	/* The next slot on the original grid; skip the slots that are already past. */
	do
		ts_add(&p->next, p->cf.interval);
	while (!ts_before(&now, &p->next));
}

void
payload_close(struct payload *p)
{
	free(p);
}
