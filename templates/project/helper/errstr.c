/*
 * errstr.c: errnum's text in buf, for every file: POSIX strerror_r, since strerror() may share
 * one buffer between threads. A file of its own, because it must never see _GNU_SOURCE, which
 * turns glibc's strerror_r into a GNU function with another return type. Leaves errno alone.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errstr.h"

const char *
errstr(int errnum, char *buf, size_t len)
{
	int	saved = errno;

	if (strerror_r(errnum, buf, len) != 0)
		(void)snprintf(buf, len, "error %d", errnum);
	errno = saved;
	return buf;
}
