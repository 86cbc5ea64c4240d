/*
 * variant.h: this handout's variant, for src/main.c (README: "Your variant"). Written by
 * create-daemon --variant-seed, and by tests/grade.sh for each student it grades.
 */
#define VARIANT_IDENT	<%- vc.ident %>
#define VARIANT_FACILITY	<%- vc.facility %>
#define VARIANT_TOKEN	<%- vc.token %>
#define VARIANT_PIDFILE	<%- vc.pidfile %>
