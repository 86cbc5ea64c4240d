#!/bin/sh
# helper/features.sh: writes helper/have.h, which says which optional calls this compiler and
# libc provide. Each is tried the way the sources use it: a small program, compiled and linked with
# the same compiler and flags, after compat.h; a call that is not declared is an error, not a
# guess. With PORTABLE=1 every one is off, so that the POSIX fallbacks are built and tested.
#
# Usage: sh helper/features.sh PORTABLE CC [CFLAGS...]   (make runs it; the result is on stdout)
set -u
portable=$1
shift
cc=$*
tmp=$(mktemp -d "${TMPDIR:-/tmp}/features.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
dir=$(cd "$(dirname "$0")" && pwd)

# have NAME "HEADER..." BODY: "#define NAME 1" when BODY compiles and links, else a comment.
have() {
	if [ "$portable" != 1 ]; then
		{
			echo '#define CD_PROBING 1'
			echo '#include "compat.h"'
			for h in $2; do
				echo "#include <$h>"
			done
			echo 'int main(void);'
			echo "int main(void) { $3 return 0; }"
		} >"$tmp/probe.c"
		# shellcheck disable=SC2086 # the compiler command is split into words on purpose
		if $cc -Werror=implicit-function-declaration -I"$dir" -o "$tmp/probe" "$tmp/probe.c" \
		    >/dev/null 2>&1; then
			echo "#define $1	1"
			return
		fi
	fi
	echo "/* #undef $1 */"
}

echo "/* have.h: written by helper/features.sh (PORTABLE=$portable) for: */"
echo "/* $cc */"
echo "#ifndef HAVE_H"
echo "#define HAVE_H"
have HAVE_PIPE2 "fcntl.h unistd.h" 'int p[2]; if (pipe2(p, O_CLOEXEC) == -1) return 1;'
have HAVE_SOCK_CLOEXEC "sys/socket.h" \
    'if (socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) == -1) return 1;'
have HAVE_ACCEPT4 "sys/socket.h" 'if (accept4(0, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC) == -1) return 1;'
have HAVE_PPOLL "poll.h signal.h stddef.h time.h" \
    'struct timespec ts = { 0, 0 }; if (ppoll(NULL, 0, &ts, NULL) == -1) return 1;'
have HAVE_CLOSE_RANGE "unistd.h" 'if (close_range(3, 3, 0) == -1) return 1;'
have HAVE_CLOSEFROM "unistd.h" 'closefrom(3);'
have HAVE_MSG_NOSIGNAL "sys/socket.h" 'if (send(0, "", 0, MSG_NOSIGNAL) == -1) return 1;'
echo "#endif /* HAVE_H */"
