/*
 * timespec.h: the few sums on struct timespec that the loops and the payloads need.
 */
#ifndef TIMESPEC_H
#define TIMESPEC_H

#include <limits.h>
#include <time.h>

/* 1 when a is earlier than b. */
static inline int
ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* The time from now until deadline in *left, 0 if it has passed. */
static inline void
ts_left(const struct timespec *deadline, const struct timespec *now, struct timespec *left)
{
	if (!ts_before(now, deadline)) {
		left->tv_sec = 0;
		left->tv_nsec = 0;
		return;
	}
	left->tv_sec = deadline->tv_sec - now->tv_sec;
	left->tv_nsec = deadline->tv_nsec - now->tv_nsec;
	if (left->tv_nsec < 0) {
		left->tv_sec--;
		left->tv_nsec += 1000000000L;
	}
}

/*
 * A poll(2) timeout in milliseconds: -1 for none, else rounded up (waking before the deadline
 * would only loop back to sleep) and capped at INT_MAX.
 */
static inline int
ts_poll_ms(const struct timespec *left)
{
	long	ms;

	if (left == NULL)
		return -1;
	ms = left->tv_nsec / 1000000L + (left->tv_nsec % 1000000L != 0);
	if (left->tv_sec > (INT_MAX - ms) / 1000)
		return INT_MAX;
	return (int)((long)left->tv_sec * 1000 + ms);
}

#endif /* TIMESPEC_H */
