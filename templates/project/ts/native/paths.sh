#!/bin/sh
# native/paths.sh: writes native/paths.h on stdout (make does it on every build, and replaces the
# file only when it changes): the node that runs <%- name %>, by its full path (an init system's
# PATH is not yours: nvm's or a /usr/local node would not be found), and where the compiled
# TypeScript is, in this tree and once installed.
#
# Usage: sh native/paths.sh NODE LIBDIR
set -eu
node=$1
libdir=$2
case $node in
*/*) ;;
*) node=$(command -v "$node" 2>/dev/null) || {
	echo "$0: no node in PATH: install Node.js 20 or later, or run make NODE=/path/to/node" >&2
	exit 1
} ;;
esac
case $node in
/*) ;;
*) node=$(cd "$(dirname "$node")" && pwd -P)/$(basename "$node") ;;
esac
# Node.js says its version as digits and dots; anything else is not Node.js.
version=$("$node" -p 'process.versions.node' 2>/dev/null) || version=
case $version in
[0-9]*.[0-9]*.[0-9]*) major=${version%%.*} ;;
*) major=0 ;;
esac
if [ "$major" -lt 20 ]; then
	echo "$0: $node is not Node.js 20 or later (it says \"$version\"): install it, or run make NODE=/path/to/node" >&2
	exit 1
fi
# A C string literal: backslash and double quote escaped.
c_string() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')"
}
echo "/* native/paths.h: written by native/paths.sh (make); do not edit. */"
echo "#define <%- IDENT %>_NODE $(c_string "$node")"
echo "#define <%- IDENT %>_SCRIPT_BUILD $(c_string "$(pwd -P)/dist/main.js")"
echo "#define <%- IDENT %>_SCRIPT_INSTALLED $(c_string "$libdir/main.js")"
