/*
 * variant.h: this handout's variant (README: "Your variant"), defined in src/variant.c, which
 * create-daemon --variant-seed writes and tests/grade.sh rewrites for each student it grades.
 */
#ifndef VARIANT_H
#define VARIANT_H

extern const char	variant_ident[];	/* the syslog ident */
extern const int	variant_facility;	/* the syslog facility */
extern const char	variant_token[];	/* in the "started" line */
extern const char	variant_pidfile[];	/* the default lock/PID file */

#endif /* VARIANT_H */
