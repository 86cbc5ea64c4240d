/*
 * path.h: paths given on the command line or in the config, made usable after chdir("/").
 */
#ifndef PATH_H
#define PATH_H

#include <stddef.h>

int	path_expand(const char *in, char *out, size_t outlen, char *err, size_t errlen);

#endif /* PATH_H */
