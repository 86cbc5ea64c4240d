/*
 * reload.c: re-read the config on SIGHUP (APUE 13.6), never from a signal handler.
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

/*
 * APUE 13.6: SIGHUP re-reads the config. Called from the main loop (or the signal thread),
 * after a handler has only recorded the signal.
 */
int
reload_config(const char *path, reload_apply_fn *apply, void *arg)
{
	struct config	cf;
	char		err[CONFIG_ERR_MAX], what[CONFIG_ERR_MAX + 64];

	(void)notify_reloading();
	log_info("reloading the configuration from %s", path);
	if (config_load(path, &cf, err, sizeof(err)) == -1 ||
	    apply(&cf, err, sizeof(err), arg) == -1) {
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
