/*
 * reload.h: the daemon as the signal loop (helper/signals.h) drives it: the payload's events,
 * and SIG<%- reloadSig %>, which re-reads the config whichever thread the loop runs it in.
 */
#ifndef RELOAD_H
#define RELOAD_H

#include "payload.h"
#include "signals.h"

struct reload_source {
	struct signals_source	 src;		/* what signals_run() takes */
	struct payload		*p;
	const char		*path;		/* the config file, re-read on SIG<%- reloadSig %> */
	void			(*ready)(void);
};

/* Fills rs so that signals_run(&rs->src) drives p, re-reads path on SIG<%- reloadSig %> and calls ready. */
void	reload_source(struct reload_source *rs, struct payload *p, const char *path,
	    void (*ready)(void));

/* Re-reads path and puts it in force in p through in_loop; -1 leaves the old config in force. */
int	reload_config(const char *path, struct payload *p, signals_in_loop_fn *in_loop,
	    void *loop);

#endif /* RELOAD_H */
