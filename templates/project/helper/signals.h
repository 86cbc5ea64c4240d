/*
 * signals.h: SIGHUP, SIGTERM and SIGINT, and the loop that waits for them and for the payload.
<% if (reload === 'single') { -%>
 * This project uses the single-threaded model: handlers set flags, the loop does the work.
<% } else { -%>
 * This project uses the multithreaded model: one sigwait thread, the payload in its own thread.
<% } -%>
 */
#ifndef SIGNALS_H
#define SIGNALS_H

struct payload;

int	signals_init(void);
int	signals_run(struct payload *p, const char *config_path, void (*ready)(void *),
	    void *arg);

#endif /* SIGNALS_H */
