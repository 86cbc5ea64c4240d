/*
 * privdrop.h: give up root for good (daemon(7) step 13).
 */
#ifndef PRIVDROP_H
#define PRIVDROP_H

#include <stddef.h>

int	privdrop(const char *user, const char *handover, char *err, size_t errlen);

#endif /* PRIVDROP_H */
