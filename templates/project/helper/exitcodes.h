/*
 * exitcodes.h: exit statuses, with the values of BSD's sysexits.h (not in POSIX, so spelled out).
 */
#ifndef EXITCODES_H
#define EXITCODES_H

#define EXIT_RUNNING	1	/* another instance holds the lock */
#define EXIT_NOTRUNNING	3	/* -s: no process holds the lock (LSB "program is not running") */
#define EXIT_USAGE	64	/* EX_USAGE: bad command line */
#define EXIT_OSERR	71	/* EX_OSERR: a system call failed */
#define EXIT_CONFIG	78	/* EX_CONFIG: the config file is wrong */

#endif /* EXITCODES_H */
