/*
 * reload.c: re-read the config on SIG<%- reloadSig %> (APUE 13.6), never from a signal handler, and the
 * payload as the signal loop's event source (helper/signals.h), which knows nothing of either.
 *
 * The new file is parsed completely before anything changes; if it is wrong, or cannot be put
 * in force, the previous config stays and the reason is logged. Under systemd (NOTIFY_SOCKET)
 * the reload is bracketed by RELOADING=1 and READY=1, as sd_notify(3) asks.
 */
#include <stdio.h>

#include "config.h"
#include "log.h"
#include "notify.h"
#include "reload.h"

/* A parsed config on its way to the payload, through signals_in_loop_fn. */
struct change {
	struct payload		*p;
	const struct config	*cf;
};

/* signals_change_fn: runs where the payload's events are handled, between two of them. */
static int
apply_change(void *arg, char *err, size_t errlen)
{
	struct change	*c = arg;

	return payload_apply(c->p, c->cf, err, errlen);
}

/*
 * APUE 13.6: SIG<%- reloadSig %> re-reads the config. Called from the main loop (or the signal thread),
 * after a handler has only recorded the signal.
 */
int
reload_config(const char *path, struct payload *p, signals_in_loop_fn *in_loop, void *loop)
{
	struct config	cf;
	struct change	c = { p, &cf };
	char		err[CONFIG_ERR_MAX], what[CONFIG_ERR_MAX + 64];

	(void)notify_reloading();
	log_info("reloading the configuration from %s", path);
	if (config_load(path, &cf, err, sizeof(err)) == -1 ||
	    in_loop(loop, apply_change, &c, err, sizeof(err)) == -1) {
		log_warnx("reload failed: %s; keeping the previous configuration", err);
		(void)snprintf(what, sizeof(what), "reload failed: %s", err);
		(void)notify_ready(what);
		return -1;
	}
	config_describe(&cf, what, sizeof(what));
	log_info("configuration reloaded from %s: %s", path, what);
	(void)notify_ready(what);
	return 0;
}

static struct pollfd *
source_pollfds(void *arg, nfds_t *n)
{
	return payload_pollfds(((struct reload_source *)arg)->p, n);
}

static int
source_timeout(void *arg, struct timespec *left)
{
	return payload_timeout(((struct reload_source *)arg)->p, left);
}

static void
source_dispatch(void *arg)
{
	payload_dispatch(((struct reload_source *)arg)->p);
}

static void
source_ready(void *arg)
{
	((struct reload_source *)arg)->ready();
}

static int
source_reload(void *arg, signals_in_loop_fn *in_loop, void *loop)
{
	struct reload_source	*rs = arg;

	return reload_config(rs->path, rs->p, in_loop, loop);
}

void
reload_source(struct reload_source *rs, struct payload *p, const char *path,
    void (*ready)(void))
{
	rs->p = p;
	rs->path = path;
	rs->ready = ready;
	rs->src.arg = rs;
	rs->src.pollfds = source_pollfds;
	rs->src.timeout = source_timeout;
	rs->src.dispatch = source_dispatch;
	rs->src.ready = source_ready;
	rs->src.reload = source_reload;
}
