/*
 * payload.h: what the daemon does, as an event source that the signal loop drives.
 *
 * The payload never blocks and never sleeps. The loop asks it for the descriptors to watch and
 * for the time left until its next deadline, waits for either (or for a signal), then lets it
 * handle what is ready. Entry 0 of the descriptor array belongs to the loop (for its own wake-up
 * descriptor, or fd -1); the payload's own start at 1.
 */
#ifndef PAYLOAD_H
#define PAYLOAD_H

#include <poll.h>
#include <stddef.h>
#include <time.h>

#include "config.h"

struct payload;

int		 payload_open(struct payload **pp, const struct config *cf, char *err,
		    size_t errlen);
int		 payload_apply(struct payload *p, const struct config *cf, char *err,
		    size_t errlen);
struct pollfd	*payload_pollfds(struct payload *p, nfds_t *n);
int		 payload_timeout(const struct payload *p, struct timespec *left);
void		 payload_dispatch(struct payload *p);
void		 payload_close(struct payload *p);

#endif /* PAYLOAD_H */
