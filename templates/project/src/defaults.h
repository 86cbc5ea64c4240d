/*
 * defaults.h: the answers given to create-daemon, as C constants. Every other file takes its
 * names, paths and policy from here, so regenerating with other answers changes only this file.
 */
#ifndef DEFAULTS_H
#define DEFAULTS_H

#include <syslog.h>

#define <%- IDENT %>_NAME	<%- c.name %>
/* The Makefile's VERSION, the version's only source (make passes it; no build timestamp). */
#ifndef <%- IDENT %>_VERSION
#error "<%- IDENT %>_VERSION comes from the Makefile's VERSION: build with make"
#endif
#define <%- IDENT %>_CONFIG	<%- c.config %>
<% if (variant) { -%>
/* The student's variant (src/variant.c, which tests/grade.sh rewrites; main.c includes variant.h). */
#define <%- IDENT %>_PIDFILE	variant_pidfile
#define <%- IDENT %>_FACILITY	variant_facility
<% } else { -%>
/* May start with "$XDG_RUNTIME_DIR/", expanded at run time by path_expand(). */
#define <%- IDENT %>_PIDFILE	<%- c.pidfile %>
#define <%- IDENT %>_FACILITY	<%- facilityC %>
<% } -%>
#define <%- IDENT %>_UMASK	<%- umaskC %>
<% if (user) { -%>
/* The account the daemon drops to after taking its lock and socket (daemon(7) step 13). */
#define <%- IDENT %>_USER	<%- c.user %>
<% } -%>
<% if (payload === 'tick') { -%>
#define <%- IDENT %>_TICK_INTERVAL	<%- tickInterval %>
#define <%- IDENT %>_TICK_MESSAGE	<%- c.tickMessage %>
<% } else { -%>
<% if (launchdSocket !== socket) { -%>
/* macOS has no /run: there the socket sits beside launchd's pid file (init/launchd). */
#if defined(__APPLE__)
<% if (user && scope === 'system') { -%>
/* That directory is under PREFIX: init/install.mk passes it, so another PREFIX moves both. */
#ifndef <%- IDENT %>_LAUNCHD_RUNDIR
#define <%- IDENT %>_LAUNCHD_RUNDIR	<%- launchdRunDirC %>
#endif
#define <%- IDENT %>_SOCKET	<%- IDENT %>_LAUNCHD_RUNDIR <%- launchdSocketNameC %>
<% } else { -%>
#define <%- IDENT %>_SOCKET	<%- launchdSocketC %>
<% } -%>
#else
#define <%- IDENT %>_SOCKET	<%- c.socket %>
#endif
<% } else { -%>
#define <%- IDENT %>_SOCKET	<%- c.socket %>
<% } -%>
<% } -%>

#include "exitcodes.h"

#endif /* DEFAULTS_H */
