/*
 * script.c: where Node finds <%- name %>'s compiled TypeScript. The Makefile compiles this file
 * twice: for ./<%- name %>, this tree's dist/main.js; with -DCHILD_INSTALLED, for the program
 * make install puts in SBINDIR, LIBDIR/main.js (native/paths.h has both).
 */
#include "child.h"
#include "paths.h"

#if defined(CHILD_INSTALLED)
const char	child_script[] = <%- IDENT %>_SCRIPT_INSTALLED;
#else
const char	child_script[] = <%- IDENT %>_SCRIPT_BUILD;
#endif
