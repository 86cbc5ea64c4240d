/*
 * compat.h: include first, before any system header, in a file that uses calls beyond POSIX.
 *
 * Each libc shows its extensions its own way: glibc and musl with _GNU_SOURCE; the BSDs only when
 * neither _POSIX_C_SOURCE nor _XOPEN_SOURCE is defined (sys/cdefs.h then sets __BSD_VISIBLE); macOS
 * with _DARWIN_C_SOURCE, which the Makefile defines. Whether a call exists is then not guessed from
 * the system's name: have.h, written by `make` (helper/features.sh), says which ones this
 * compiler and libc really provide, so FreeBSD gets pipe2, accept4, ppoll and closefrom as Linux
 * does, and an old glibc without close_range builds too.
 */
#ifndef COMPAT_H
#define COMPAT_H

#if defined(__linux__)
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#elif !defined(__APPLE__)
#undef _POSIX_C_SOURCE
#undef _XOPEN_SOURCE
#endif

#if !defined(CD_PROBING)
#include "have.h"
#endif

#endif /* COMPAT_H */
