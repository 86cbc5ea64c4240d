/*
 * reload.h: what SIGHUP does, whichever thread runs it.
 */
#ifndef RELOAD_H
#define RELOAD_H

#include <stddef.h>

#include "config.h"

/* Puts a freshly parsed config in force; -1 with err filled leaves the old one in force. */
typedef int	reload_apply_fn(const struct config *cf, char *err, size_t errlen, void *arg);

int	reload_config(const char *path, reload_apply_fn *apply, void *arg);

#endif /* RELOAD_H */
