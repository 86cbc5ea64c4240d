/*
 * todo.c: the body of every exercise function not written yet. It says which one, on stderr
 * (before detaching) and in syslog, and fails with ENOSYS so that main reports it and exits
 * non-zero. It counts its calls: a step driver tells a stub's ENOSYS from one that is only set.
 */
#include <errno.h>

#include "log.h"
#include "todo.h"

unsigned	todo_calls;

int
todo(const char *function, const char *file)
{
	todo_calls++;
	log_warnx("not implemented yet: %s() (see %s)", function, file);
	errno = ENOSYS;
	return -1;
}
