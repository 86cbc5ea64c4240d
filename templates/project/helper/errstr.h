/*
 * errstr.h: an error number's text, safe in every thread.
 */
#ifndef ERRSTR_H
#define ERRSTR_H

#include <stddef.h>

const char	*errstr(int errnum, char *buf, size_t len);

#endif /* ERRSTR_H */
