/*
 * variant.c: this handout's variant (README: "Your variant"). Written by create-daemon
 * --variant-seed, and by tests/grade.sh for each student it grades: only this object is rebuilt.
 */
#include <syslog.h>

#include "variant.h"

const char	variant_ident[] = <%- vc.ident %>;
const int	variant_facility = <%- vc.facility %>;
const char	variant_token[] = <%- vc.token %>;
const char	variant_pidfile[] = <%- vc.pidfile %>;
