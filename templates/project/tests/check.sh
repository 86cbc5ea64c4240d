#!/bin/sh
# shellcheck disable=SC2016 # the strings given to cond are expanded by its eval, on purpose
# tests/check.sh: <%- name %>'s self-test, run by `make check`.
#
# It starts the daemon for real, in a private temporary directory (-c and -p point there),
# and checks from the outside that it behaves like a daemon: every check prints "ok" or
# "FAIL" with what was seen and the rule it breaks (APUE chapter 13, daemon(7), sd_notify(3)).
# It runs unprivileged or as root; it reads /proc on Linux and falls back to ps(1) elsewhere.
# POSIX sh; tests/probe does what sh cannot (sockets, /proc/PID/fd, waiting without sleep).
# Every check runs, whatever failed before it; a FAIL names the rule and a hint: the function
# and file to look at. The last line is "N passed, M failed"; the status is 0 only if M is 0.
#
# Usage: tests/check.sh PROG PROBE
#
# CHECK_FORMAT=tap (make grade): the same checks as TAP version 13 on stdout: "ok N - check"
# or "not ok N - check" followed by "# rule:", "# hint:" and "# seen:" comment lines, the
# plan "1..N" at the end, then "# N passed, M failed".
#
# GRADER_DIR=dir (hidden checks): each executable file in dir is one more check, run after
# the built-in ones as `dir/FILE PROG PROBE` with NAME, PROG, PROBE, CHECK_TMP (a scratch
# directory), RELOAD (the reload signal: HUP, or a variant's USR2) and LOG_IDENT (the syslog
# ident: NAME, or a variant's) in its environment, at most GRADER_TIMEOUT seconds (default 60). Exit 0 passes;
# otherwise its output is shown as what was seen. A file named after a section id (<% if (starter) { %>steps, <% } %>detached,
# instance, echo, stop, restart, failures, options, foreground, syslog, abstract) replaces that
# section: the built-in checks of that section are not counted.

set -u
PROG=$1
PROBE=$2
case $PROG in /*) ;; *) PROG=$(pwd)/$PROG ;; esac
case $PROBE in /*) ;; *) PROBE=$(pwd)/$PROBE ;; esac
NAME=<%- sh.name %>
UMASK=<%- umaskC %>
# The start command's umask: never the daemon's, so a daemon that sets none is seen.
if [ "$((UMASK))" -eq "$((0077))" ]; then START_UMASK=022; else START_UMASK=077; fi
DAEMON_USER=<%- sh.user %>
# The reload signal (kill -RELOAD), the ident the log lines carry, the syslog facility.
RELOAD=HUP
RELOAD_RULE="APUE 13.6: SIGHUP re-reads the configuration"
LOG_IDENT=$NAME
<% if (variant) { -%>
# The student's variant (tests/variant, which tests/grade.sh rewrites for each student).
# shellcheck source=/dev/null # written per student
. "${0%/*}/variant" || exit 1
RELOAD=$VARIANT_RELOAD
RELOAD_RULE="$RELOAD_RULE (in this variant, SIG$RELOAD)"
LOG_IDENT=$VARIANT_IDENT
<% } -%>

# As root with --user, the daemon drops to DAEMON_USER. Before that account exists the drop
# cannot be checked: the checks of it are skipped, with how to create it, and every other check
# runs as nobody (the daemon then has no privileges to drop), from a copy nobody can read.
MISSING_USER=${CHECK_MISSING_USER:-}
if [ -n "$DAEMON_USER" ] && [ -z "$MISSING_USER" ] && [ "$(id -u)" = 0 ] &&
    ! id -u "$DAEMON_USER" >/dev/null 2>&1; then
	MISSING_USER=$DAEMON_USER
	if command -v setpriv >/dev/null 2>&1 && id -u nobody >/dev/null 2>&1; then
		stage=$(mktemp -d "${TMPDIR:-/tmp}/$NAME-check-as-nobody.XXXXXX") || exit 1
		mkdir "$stage/helper" && cp "$0" "$stage/check.sh" && cp "$PROG" "$stage/prog" &&
		    cp "$PROBE" "$stage/probe" && { cp helper/have.h "$stage/helper/" 2>/dev/null || :; } &&
<% if (variant) { -%>
		    cp "${0%/*}/variant" "$stage/" &&
<% } -%>
<% if (starter) { -%>
		    for s in daemonize log pidfile signals; do cp "${PROBE%/*}/step-$s" "$stage/"; done &&
		    cp "${0%/*}/rubric" "${0%/*}/report.awk" "$stage/" &&
<% } -%>
		    chmod 755 "$stage" && chown -R nobody "$stage" && cd "$stage" || exit 1
		exec setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
		    env CHECK_MISSING_USER="$MISSING_USER" CHECK_STAGE="$stage" \
		    sh "$stage/check.sh" "$stage/prog" "$stage/probe"
	fi
fi

unset NOTIFY_SOCKET
T=$(mktemp -d "${TMPDIR:-/tmp}/$NAME-check.XXXXXX") || exit 1
T=$(cd "$T" && pwd -P)
npass=0
nfail=0
ntotal=0
spawned=""
FORMAT=${CHECK_FORMAT:-text}
# The version -V must print: the Makefile's VERSION (make passes it; its only source).
# shellcheck disable=SC2034 # read by the -V check's cond
WANT_VERSION=${CHECK_VERSION:-$(sed -n 's/^VERSION[	 ]*=[	 ]*//p' Makefile 2>/dev/null)}
GRADER_DIR=${GRADER_DIR:-}
# Relative to where make check runs: each check runs in a scratch directory of its own.
case $GRADER_DIR in '' | /*) ;; *) GRADER_DIR=$(cd "$GRADER_DIR" 2>/dev/null && pwd -P) || GRADER_DIR=$(pwd)/${GRADER_DIR#./} ;; esac
GRADER_TIMEOUT=${GRADER_TIMEOUT:-60}
HINT=""
HEADING=""
RUBRIC=""
SECTION=""
TIMED_OUT=no
replaced=no
RESULTS=${CHECK_RESULTS:-}
TAB=$(printf '\t')
<% if (starter) { -%>
REPORT=${CHECK_REPORT:-}
<% } -%>
# Nothing the checks run (the daemon, the grader's checks) is told where the results go.
unset CHECK_RESULTS CHECK_REPORT
<% if (starter) { -%>
# The rules and their points and tiers: tests/rubric, and the grader's own (GRADER_DIR/rubric).
HERE=$(cd "${0%/*}" && pwd -P)
RUBRIC_FILES=$HERE/rubric
[ -n "$GRADER_DIR" ] && [ -f "$GRADER_DIR/rubric" ] && RUBRIC_FILES="$RUBRIC_FILES $GRADER_DIR/rubric"
# shellcheck disable=SC2086 # one word per file
PUBLIC_RULES=$(awk -F '\t' '!/^#/ && $3 == "public" { print $1 }' $RUBRIC_FILES | tr '\n' ' ')
# public: a student's make check (the release rules' checks are run, and counted apart); all: make
# grade and tests/grade.sh.
SHOW_TIER=${CHECK_TIER:-all}
nlater=0
[ -n "$RESULTS" ] || RESULTS=$T/results
: >"$RESULTS" || exit 1
<% } else { -%>
[ -z "$RESULTS" ] || : >"$RESULTS" || exit 1
<% } -%>
[ "$FORMAT" = tap ] && printf 'TAP version 13\n'

cleanup() {
	for p in $spawned; do
		kill -KILL "$p" 2>/dev/null
	done
	# A broken daemon can outlive its pid file (a second instance that overwrote it): on Linux,
	# also stop every process whose command line names this run's directory.
	# One grep reads them all (-a: the arguments are NUL-separated); it names each file once.
	# Its pattern is "$T" and then [/]: its own command line must not match it, or it kills itself.
	grep -alE "$(printf '%s' "$T" | sed 's/[][\\.*^$+?(){}|]/\\&/g')[/]" /proc/[0-9]*/cmdline 2>/dev/null |
		while IFS= read -r c; do
			p=${c#/proc/}
			kill -KILL "${p%/cmdline}" 2>/dev/null
		done
	rm -rf "$T"
	[ -n "${CHECK_STAGE:-}" ] && rm -rf "$CHECK_STAGE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
trap 'exit 141' PIPE

# hint TEXT: where to look when the checks that follow fail (a function and its file).
hint() {
	HINT=$1
}

# rubric ID: the rule (tests/rubric in a course-assignment starter) that the checks which follow
# are graded under, until the next rubric or section; none for the given code's checks.
rubric() {
	RUBRIC=$1
}

<% if (starter) { -%>
# shown: whether the check that follows is printed and counted. Under CHECK_TIER=public (a
# student's make check) the checks of a release rule run and are recorded, but are only counted
# as "run when graded".
shown() {
	[ "$SHOW_TIER" = all ] && return 0
	[ -z "$RUBRIC" ] && return 0
	# The grader's own checks: whoever gave GRADER_DIR has the pack, and sees them.
	[ "$SECTION" = grader ] && return 0
	case " $PUBLIC_RULES " in *" $RUBRIC "*) return 0 ;; esac
	return 1
}

<% } -%>
# record STATUS WHAT [SEEN]: the neutral results (CHECK_RESULTS), which tests/report.awk reads:
# a line "R<tab>status<tab>rule<tab>section<tab>check", then a line "S<tab>text" for each line of
# what was seen (at most 40 of them).
record() {
	[ -n "$RESULTS" ] || return 0
	printf 'R\t%s\t%s\t%s\t%s\n' "$1" "$RUBRIC" "$SECTION" "$2" >>"$RESULTS"
	[ -n "${3:-}" ] && printf '%s\n' "$3" | sed -e "41,\$d" -e "s/^/S$TAB/" >>"$RESULTS"
	return 0
}

ok() {
	[ "$replaced" = yes ] && return 0
	TIMED_OUT=no
	record pass "$1"
<% if (starter) { -%>
	if ! shown; then nlater=$((nlater + 1)); return 0; fi
<% } -%>
	heading
	npass=$((npass + 1))
	ntotal=$((ntotal + 1))
	if [ "$FORMAT" = tap ]; then
		printf 'ok %d - %s\n' "$ntotal" "$1"
	else
		printf 'ok   %s\n' "$1"
	fi
}

# bad WHAT SEEN RULE: a failed check; "timeout" when a command of it had to be killed (reap).
bad() {
	[ "$replaced" = yes ] && return 0
	b_status=fail
	[ "$TIMED_OUT" = yes ] && b_status=timeout
	TIMED_OUT=no
	record "$b_status" "$1" "$2"
<% if (starter) { -%>
	if ! shown; then nlater=$((nlater + 1)); return 0; fi
<% } -%>
	heading
	nfail=$((nfail + 1))
	ntotal=$((ntotal + 1))
	if [ "$FORMAT" = tap ]; then
		printf 'not ok %d - %s\n# rule: %s\n' "$ntotal" "$1" "$3"
		[ "$b_status" = timeout ] && printf '# status: timeout\n'
		[ -n "$HINT" ] && printf '# hint: %s\n' "$HINT"
		printf '%s\n' "$2" | sed 's/^/# seen: /'
	else
		if [ "$b_status" = timeout ]; then
			printf 'FAIL %s (timed out)\n     rule: %s\n' "$1" "$3"
		else
			printf 'FAIL %s\n     rule: %s\n' "$1" "$3"
		fi
		[ -n "$HINT" ] && printf '     hint: %s\n' "$HINT"
		printf '%s\n' "$2" | sed 's/^/     seen: /'
	fi
	return 0
}

skip() {
	[ "$replaced" = yes ] && return 0
	record skip "$1" "$2"
<% if (starter) { -%>
	shown || return 0
<% } -%>
	heading
	if [ "$FORMAT" = tap ]; then
		printf '# skip %s (%s)\n' "$1" "$2"
	else
		printf 'skip %s (%s)\n' "$1" "$2"
	fi
}

# expect WHAT SEEN RULE COMMAND...: ok when COMMAND succeeds.
expect() {
	e_what=$1 e_seen=$2 e_rule=$3
	shift 3
	if "$@"; then ok "$e_what"; else bad "$e_what" "$e_seen" "$e_rule"; fi
}

# expect_lazy WHAT 'SEEN' RULE COMMAND...: expect, with SEEN an expression of this file (single-quoted,
# '$(cat "$T/x")') worked out only when the check fails: a check that passes starts no process
# for what it would have shown. Never give it text a program printed: it is evaluated.
expect_lazy() {
	l_what=$1 l_seen=$2 l_rule=$3
	shift 3
	if "$@"; then ok "$l_what"; else eval "l_seen=\"$l_seen\""; bad "$l_what" "$l_seen" "$l_rule"; fi
}

# expect_run WHAT RULE COMMAND...: ok when COMMAND succeeds; its output is what was seen. It runs
# once: a client that talks to the daemon is not run again to say what went wrong.
expect_run() {
	r_what=$1 r_rule=$2
	shift 2
	if r_out=$("$@" 2>&1); then ok "$r_what"; else bad "$r_what" "$r_out" "$r_rule"; fi
}

# cond 'A && B': a condition of several commands for expect, evaluated as one (expect runs its
# arguments as one command: a bare "&& B" after it would be outside the check).
cond() {
	eval "$1"
}

# sigmask FIELD: a signal mask of the daemon ($pid) from /proc/PID/status (SigIgn, SigBlk), in hex.
sigmask() {
	sed -n "s/^$1:[[:space:]]*//p" "/proc/$pid/status"
}

alive() {
	[ -n "$1" ] && ! "$PROBE" wait-dead "$1" 0
}

# seen PID FILE TEXT MS [N]: probe wait-text, without the wait once PID has exited (a
# daemon that died at start-up cannot log any more).
seen() {
	s_pid=$1
	shift
	if alive "$s_pid"; then
		"$PROBE" wait-text "$@"
	else
		s_file=$1 s_text=$2
		shift 3
		"$PROBE" wait-text "$s_file" "$s_text" 0 "$@"
	fi
}

# section ID TITLE: a group of checks; GRADER_DIR/ID, if executable, replaces it.
# unchecked WHAT RULE: a check that cannot run, because the detached start failed.
unchecked() {
	bad "$1" "not checked: no daemon is running (the detached start failed; see above)" "$2"
}

section() {
	replaced=no
	HINT=""
	RUBRIC=""
	SECTION=$1
	if [ -n "$GRADER_DIR" ] && [ -f "$GRADER_DIR/$1" ] && [ -x "$GRADER_DIR/$1" ]; then
		replaced=yes
	fi
	# Printed with the section's first check shown: a section all of whose checks run only when
	# graded (the student's make check) shows no empty heading.
	if [ "$FORMAT" = tap ]; then
		HEADING="# $2"
		[ "$replaced" = yes ] && printf '%s\n# (replaced by %s)\n' "$HEADING" "$GRADER_DIR/$1" && HEADING=''
	else
		HEADING="
== $2"
		[ "$replaced" = yes ] && printf '%s\n(replaced by %s)\n' "$HEADING" "$GRADER_DIR/$1" && HEADING=''
	fi
	return 0
}

# heading: the current section's heading, before its first check shown.
heading() {
	[ -n "$HEADING" ] && printf '%s\n' "$HEADING"
	HEADING=''
}

# As root with --user, the daemon drops to that account: it must still be able to re-read
# its config and remove its pid file in the test directory, as it would in /run/<%- name %>.
AS_USER=no
if [ -n "$DAEMON_USER" ] && [ "$(id -u)" = 0 ]; then
	chown "$DAEMON_USER" "$T" || exit 1
	AS_USER=yes
fi
HAVE_PROC=no
[ -r /proc/self/stat ] && [ -d /proc/self/fd ] && HAVE_PROC=yes
HAVE_PTY=no
"$PROBE" tty-session 0 true 2>"$T/pty.err" && HAVE_PTY=yes

<% if (payload === 'tick') { -%>
# write_conf FILE MESSAGE [INTERVAL]
write_conf() {
	printf '# written by the self-test\ninterval = %s\nmessage = %s\n' "${3:-1}" "$2" >"$1"
	chmod 644 "$1"
}
BROKEN_VALUE='interval = soon'
<% } else { -%>
# write_conf FILE SOCKET
write_conf() {
	printf '# written by the self-test\nsocket = %s\n' "$2" >"$1"
	chmod 644 "$1"
}
BROKEN_VALUE='socket = relative/path'
<% } -%>

# start CONF PIDFILE: a detached start, as an init script does it, from a starter that leaks
# descriptors 9, 250 (a socket) and 251 (the canaries: a close loop that stops at a fixed
# number misses the last), has a file on stdin, ignores SIGUSR1, blocks SIGQUIT and SIGWINCH (3 and 28, in no
# daemon's own set) and runs under another umask than the daemon's:
# the daemon must shed all of them. The last link, probe started, writes "pid session" of the
# process it becomes, the one that runs PROG, to $T/started. Sets rc (the start command's status).
start() {
	rm -f "$T/started"
	(umask "$START_UMASK"; trap '' USR1; with_tty "$PROBE" block 3,28 "$PROBE" leak-sock 250 "$T/canary250" \
	    "$PROBE" leak-fd 251 "$T/canary251" "$PROBE" started "$T/started" "$PROG" -c "$1" -p "$2") \
	    9>"$T/canary" <"$T/stdin" 2>"$T/start.err" &
	reap "$!" "$T/start.err"
}

# daemon_pid PIDFILE CONF: the detached daemon's pid, from its pid file, or, when that names no live
# process, the process whose command line is "PROG -c CONF -p PIDFILE" (Linux): a wrong pid file
# fails its own check, and the checks of everything else still look at the daemon.
daemon_pid() {
	d_pid=$(readpid "$1")
	case $d_pid in '' | *[!0-9]*) d_pid= ;; esac
	if ! alive "$d_pid" && [ "$HAVE_PROC" = yes ]; then
		d_pid=
		# One grep finds the few command lines that name PROG; only those are read whole.
		# shellcheck disable=SC2013 # /proc paths: one word each
		for c in $(grep -alF -- "$PROG" /proc/[0-9]*/cmdline 2>/dev/null); do
			case $(tr '\0' ' ' 2>/dev/null <"$c") in
			"$PROG -c $2 -p $1 ") p=${c#/proc/} && d_pid=${p%/cmdline} && break ;;
			esac
		done
	fi
	printf '%s' "$d_pid"
}

# with_tty CMD...: execs CMD as a terminal's session leader would run it, with a pty as its
# controlling terminal (probe tty-session), where one can be had: a daemon that keeps the
# session keeps the terminal. The session holds it 30 s, or until cleanup kills it.
with_tty() {
	if [ "$HAVE_PTY" = yes ]; then
		exec "$PROBE" tty-session 30 "$@"
	fi
	exec "$@"
}

# reap PID FILE [SECONDS]: wait at most SECONDS (5) for the background command PID (a start
# command must return: a working one does in milliseconds, ready or failed), else kill it and say
# so in FILE; sets rc.
reap() {
	if ! "$PROBE" wait-dead "$1" "$((${3:-5} * 1000))"; then
		kill -KILL "$1" 2>/dev/null
		printf '(the command was still running after %s s, and was killed)\n' "${3:-5}" >>"$2"
		TIMED_OUT=yes
	fi
	# The shell's own "Killed" notice is noise: the FILE says it already.
	{ wait "$1"; } 2>/dev/null
	rc=$?
}

# timed FILE COMMAND...: runs COMMAND with its output in FILE, for at most 5 s; sets rc.
timed() {
	t_out=$1
	shift
	"$@" >"$t_out" 2>&1 &
	reap "$!" "$t_out"
}

readpid() {
	r_pid=
	[ -r "$1" ] && read -r r_pid <"$1"
	printf '%s' "$r_pid"
}

<% if (ts) { -%>
# node_pid PID: the Node process that the helper PID runs (its only child), or nothing.
node_pid() {
	[ -n "$1" ] || return 0
	ps -A -o pid= -o ppid= 2>/dev/null | awk -v p="$1" '$2 == p { print $1; exit }'
}

# node_checks PID SID (Linux): the Node process of the detached helper PID, in session SID, is as
# much a daemon as the helper, and never touches the pid file; with no PID, each check fails.
node_checks() {
	hint "child_start() and exec_node() in native/child.c"
	h_sid=$2
	n_pid=$(node_pid "$1")
	if [ -z "$n_pid" ]; then
		n_why="no Node process: the helper ${1:-(none)} has no child"
		bad "Node runs as the helper's child, in its session, with no controlling terminal" "$n_why" \
		    "the helper starts Node after detaching: Node inherits the session and no terminal"
		bad "Node's working directory is / and its umask $UMASK" "$n_why" \
		    "APUE 13.3 rules 1 and 4: inherited from the helper"
		bad "Node holds 0 on /dev/null and 3 on the channel, and nothing on the pid file" "$n_why" \
		    "any close of a descriptor on the pid file drops the helper's fcntl lock (APUE 13.5)"
<% if (user) { -%>
		[ "$AS_USER" = yes ] && bad "Node runs as $DAEMON_USER: it never runs as root" "$n_why" \
		    "daemon(7) step 13: the privileges are dropped before Node starts"
<% } -%>
		return 0
	fi
	spawned="$spawned $n_pid"
	# shellcheck disable=SC2046 # split on purpose: one positional parameter per field
	set -- $(sed 's/.*) //' "/proc/$n_pid/stat")
	n_ppid=$2 n_sid=$4 n_tty=$5
	expect "Node runs as the helper's child (pid $n_pid), in its session, with no controlling terminal" \
	    "parent $n_ppid, session $n_sid (the helper's $h_sid), tty_nr $n_tty" \
	    "the helper starts Node after detaching: Node inherits the session and no terminal" \
	    cond '[ "$n_sid" = "$h_sid" ] && [ "$n_tty" = 0 ]'
	n_cwd=$(cd "/proc/$n_pid/cwd" 2>/dev/null && pwd -P)
	n_um=$(sed -n 's/^Umask:[[:space:]]*//p' "/proc/$n_pid/status")
	expect "Node's working directory is / and its umask $UMASK" "cwd \"$n_cwd\", umask ${n_um:-unknown}" \
	    "APUE 13.3 rules 1 and 4: inherited from the helper" \
	    cond '[ "$n_cwd" = / ] && { [ -z "$n_um" ] || [ "$((0$n_um))" -eq "$((UMASK))" ]; }'
	"$PROBE" fds "$n_pid" >"$T/nfds"
	n_seen=$(tr '\n' ';' <"$T/nfds")
	expect "Node holds 0 on /dev/null and 3 on the channel, and nothing on the pid file" "$n_seen" \
	    "any close of a descriptor on the pid file drops the helper's fcntl lock (APUE 13.5)" \
	    cond 'grep -qx "0 /dev/null" "$T/nfds" && grep -q "^3 socket:" "$T/nfds" && ! grep -qF " $PIDF" "$T/nfds"'
<% if (user) { -%>
	if [ "$AS_USER" = yes ]; then
		n_uids=$(sed -n 's/^Uid:[[:space:]]*//p' "/proc/$n_pid/status" | tr -s ' \t' '  ')
		expect "Node runs as $DAEMON_USER: it never runs as root" "Uid: $n_uids" \
		    "daemon(7) step 13: the privileges are dropped before Node starts" \
		    cond '[ "$n_uids" = "$want_uid $want_uid $want_uid $want_uid" ]'
	fi
<% } -%>
}

<% } -%>
: >"$T/stdin"
CONF=$T/$NAME.conf
PIDF=$T/$NAME.pid
<% if (payload === 'tick') { -%>
write_conf "$CONF" "detached tick" 3600
<% } else { -%>
SOCK=$T/echo.sock
write_conf "$CONF" "$SOCK"
<% } -%>

<% if (starter) { -%>
# step_run DRIVER CHECK: tests/step-DRIVER CHECK DIR (tests/step-*.c), in a scratch directory
# of its own, for at most 5 s; sets rc, and st_dir (its output is $st_dir.out). The drivers
# are linked with one exercise file and the complete helpers only, and each checks one
# function without a daemon: a finished function shows here before the others are written.
STEPS=${PROBE%/*}
step_run() {
	st_dir=$T/step-$1-$2
	mkdir -p "$st_dir"
	(cd "$st_dir" && STEP_RELOAD=$RELOAD && export STEP_RELOAD && exec "$STEPS/step-$1" "$2" "$st_dir") >"$st_dir.out" 2>&1 </dev/null &
	reap "$!" "$st_dir.out" 5
}

# last_line FILE: its last line in st_last, read by the shell (no process: a step runs 17 times).
last_line() {
	st_last=''
	while IFS= read -r l_line || [ -n "$l_line" ]; do st_last=$l_line; done <"$1"
}

# step_seen: what the driver's run shows. Its last line is "step: done, N problems" (step.c):
# without it, the driver was ended by what it checked (a crash, an exit(2) in the exercise).
step_seen() {
	last_line "$st_dir.out"
	case $st_last in
	"step: done,"*) st_how="exit $rc" ;;
	*)
		if [ "$rc" -gt 128 ]; then
			st_how="crashed: killed by signal $((rc - 128)) ($(kill -l "$((rc - 128))" 2>/dev/null))"
		else
			st_how="exit $rc before its verdict (did the function under test exit?)"
		fi
		;;
	esac
	# The verdict line itself adds nothing to the status.
	st_text=$(sed '/^step: done,/d' "$st_dir.out")
	printf '%s%s' "$st_how" "${st_text:+: $st_text}"
}

# step DRIVER CHECK WHAT RULE: ok when the driver's CHECK exits 0 with its verdict line, "step:
# done, 0 problems"; what it found is the seen.
step() {
	step_run "$1" "$2"
	last_line "$st_dir.out"
	if [ "$rc" -eq 0 ] && [ "$st_last" = "step: done, 0 problems" ]; then
		ok "$3"
	else
		bad "$3" "$(step_seen)" "$4"
	fi
}

# step_report NAME WHAT RULE: one line of the daemon's report ($st_dir/report, "ok NAME" or
# "bad NAME: why"), written by step-daemonize after daemonize() returned in the daemon.
step_report() {
	if grep -qsx "ok $1" "$st_dir/report"; then
		ok "$2"
		return 0
	fi
	if [ -s "$st_dir/report" ]; then
		sr_seen=$(sed -n "s/^bad $1: //p" "$st_dir/report")
	else
		sr_seen="no report from a daemon: exit $rc: $(cat "$st_dir.out")"
	fi
	bad "$2" "$sr_seen" "$3"
}

section steps "each exercise function on its own (tests/step-*.c)"
rubric log
hint "log_open() in helper/log.c"
step log ident "log_open() records the ident: stderr lines read \"step-ident: text\"" \
    "APUE 13.4: the ident names the daemon in every line it logs"
step log syslog "log_open() records the ident and facility: the syslog line is \"<PRI>date step-ident[pid]: text\"" \
    "APUE 13.4: openlog(ident, LOG_PID, facility)"
step log quiet "log_open() copies nothing to stderr when to_stderr is 0, or when stderr is the journal" \
    "systemd.exec(5): JOURNAL_STREAM names the journal's stream; syslog reaches it already"
step log socket "log_open() opens the syslog socket at once, close-on-exec and non-blocking, and keeps errno" \
    "APUE 13.4 (LOG_NDELAY): connect at once, while descriptors are plentiful; logging never blocks"
rubric lock
hint "pidfile_open() in helper/pidfile.c"
step pidfile create "pidfile_open() creates the pid file with mode 0600, close-on-exec, and writes nothing" \
    "APUE 13.5; O_CLOEXEC at creation; a file others can open, others can read-lock"
step pidfile lock "a second pidfile_open() is refused with EAGAIN, naming the holder's pid, and leaves the file alone" \
    "APUE 13.5: the pid-file lock admits one instance, and the refusal names the holder"
rubric stale
step pidfile stale "pidfile_open() takes over a stale pid file, and pidfile_write() then replaces all of it" \
    "APUE 13.5: the lock, not the file's existence, says whether a daemon runs"
rubric lock
step pidfile refuse "pidfile_open() refuses a symbolic link, a FIFO and a file with a second name, leaking no descriptor" \
    "O_NOFOLLOW and O_NONBLOCK at open, then a regular file of one name (FreeBSD's pidfile(3))"
rubric close
hint "close_walk() in helper/daemonize.c"
step daemonize walk "close_walk(5) closes the inherited fds 3, 4, 9, 250, 251 and the highest the limit allows, and keeps 0-2 and 5" \
    "APUE 13.3 rule 5, daemon(7) step 1: close every inherited descriptor"
hint "close_inherited() in helper/daemonize.c (close_range(2), else close_walk())"
step daemonize inherited "close_inherited(5) closes the inherited fds 3, 4, 9, 250, 251 and the highest the limit allows, and keeps 0-2 and 5" \
    "APUE 13.3 rule 5, daemon(7) step 1: close every inherited descriptor"
rubric stdio
hint "null_stdio() in helper/daemonize.c"
step daemonize stdio "null_stdio() puts fds 0, 1 and 2 on /dev/null, read-write, also when they were closed, leaking nothing" \
    "APUE 13.3 rule 6, daemon(7) step 9: dup2 /dev/null onto 0-2"
rubric sigreset
hint "reset_signals() in helper/daemonize.c"
step daemonize signals "reset_signals() puts ignored and caught signals back to SIG_DFL, and empties the mask" \
    "daemon(7) steps 2 and 3: reset every signal disposition and the signal mask"
hint "daemonize() in helper/daemonize.c"
step_run daemonize daemonize
# Read at once: the report's "end" must be written before the caller returns. Then the report is
# waited for (3 s), so that a caller that returns too soon fails only the check that says so.
sd_seen="exit $rc: $(cat "$st_dir.out")$(tail -n 1 "$st_dir/report" 2>/dev/null | sed 's/^/; the report ends: /')"
# shellcheck disable=SC2034 # read by the cond below
sd_ok=no
# shellcheck disable=SC2034
[ "$rc" -eq 0 ] && grep -qsx end "$st_dir/report" && sd_ok=yes
"$PROBE" wait-text "$st_dir/report" "$(printf '\nend')" 3000 >/dev/null 2>&1 || true
rubric detach
step_report fork "daemonize() forks: the daemon is neither the caller nor the caller's child" \
    "APUE 13.3 rule 2, daemon(7) step 5: fork and let the parent exit"
step_report session "daemonize() calls setsid() in the child: the daemon is in a session of its own, the caller in its own still" \
    "APUE 13.3 rule 3, daemon(7) step 6: setsid()"
step_report leader "daemonize() forks again after setsid(): the daemon is not the session leader" \
    "daemon(7) steps 7-8: fork again, so no terminal can become its controlling terminal"
rubric umask
step_report umask "daemonize() sets the umask it is given (one of 007, 026 and 037, chosen at run time; called under 077)" \
    "APUE 13.3 rule 1, daemon(7) step 10: set the file mode creation mask"
rubric chdir
step_report cwd "daemonize() changes the working directory to /" \
    "APUE 13.3 rule 4, daemon(7) step 11: chdir(\"/\")"
rubric detach
step_report helpers "daemonize() calls close_inherited(), null_stdio() and reset_signals()" \
    "APUE 13.3 rules 5 and 6, daemon(7) steps 1-3 and 9"
rubric ready
step_run daemonize status
expect "daemonize(): the caller exits only once the daemon has reported, with its status: 0, and 3 with the daemon's message" \
    "ready: $sd_seen; failing: exit $rc: $(cat "$st_dir.out")" \
    "daemon(7) step 15: the original process exits only once the daemon reports, with its status" \
    cond '[ "$sd_ok" = yes ] && [ "$rc" -eq 3 ] && grep -qs "boom: the daemon failed" "$st_dir.out"'
<% if (helperReload === 'single') { -%>
rubric signals
hint "on_signal() in helper/signals.c"
step signals handler "on_signal() sets only its signal's flag, keeps errno, and wakes the loop" \
    "signal-safety(7): a handler only sets a volatile sig_atomic_t flag (and writes a byte), saving errno"
hint "signals_init() in helper/signals.c"
step signals init "signals_init() installs on_signal() for the daemon's signals, with every other signal blocked while it runs" \
    "APUE 10.14 and 10.16: sigaction(2), and signals that can arrive only while the loop sleeps"
hint "signals_run() in helper/signals.c"
step signals run "signals_run() reports ready, dispatches, logs a spare signal, reloads once per SIG$RELOAD flag, and returns 0 on the stop flag" \
    "APUE 13.6: the reload happens in the loop, outside any handler"
<% } else { -%>
rubric signals
hint "signals_init() in helper/signals.c"
step signals init "signals_init() blocks exactly the daemon's signals, in \`handled\`, installing no handler" \
    "APUE 12.8, Figure 13.7: block the signals before any thread starts; sigwait() takes them"
hint "signals_run() in helper/signals.c"
step signals run "signals_run() runs the payload in its own thread, reloads on SIG$RELOAD through it, and stops it on SIGTERM" \
    "APUE 13.6, Figure 13.7: one sigwait thread; the new config is put in force by the payload thread"
<% } -%>

<% } -%>
section detached "detached start (APUE 13.3, daemon(7) SysV steps)"
start "$CONF" "$PIDF"
pid=$(daemon_pid "$PIDF" "$CONF")
rubric ready
hint "daemonize() in helper/daemonize.c (and the helpers it calls)"
expect_lazy "the start command exits 0 once the daemon is ready" \
    'exit $rc: $(cat "$T/start.err")' \
    "daemon(7) steps 14-15: the original process exits 0 only after the daemon reports ready" \
    [ "$rc" -eq 0 ]
rubric lock
hint "pidfile_open() in helper/pidfile.c, after daemonize() in helper/daemonize.c"
filed=$(readpid "$PIDF")
expect "the pid file holds the live daemon's pid the moment start returns (pid $pid)" \
    "pid file holds \"$filed\"; the daemon's command line is in process \"$pid\"" \
    "daemon(7) step 12, APUE 13.5: the pid file is written before ready is reported" \
    cond '[ -n "$pid" ] && [ "$filed" = "$pid" ]'
[ -n "$pid" ] && spawned="$spawned $pid"
read -r started_pid started_sid <"$T/started" 2>/dev/null || started_pid='' started_sid=''

if [ -n "$pid" ] && [ "$HAVE_PROC" = yes ]; then
	# Fields from the state on: state ppid pgrp session tty_nr (proc(5)).
	# shellcheck disable=SC2046 # split on purpose: one positional parameter per field
	set -- $(sed 's/.*) //' "/proc/$pid/stat")
	ppid=$2 sid=$4 tty=$5
	mysid=$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f4)
	hint "daemonize() in helper/daemonize.c"
	# The process the starter ran may lead a process group (a shell with job control makes each
	# command one), and then setsid() fails: the fork must come first.
	rubric detach
	expect "it forked before setsid(): its session is not led by the process the starter ran (pid $started_pid)" \
	    "session $sid, parent $ppid, the started process $started_pid" \
	    "APUE 13.3 rule 2: fork and let the parent exit; the child is not a process group leader, so setsid() succeeds" \
	    cond '[ -n "$started_pid" ] && [ "$sid" != "$started_pid" ]'
	expect "it is not a session leader (session $sid)" \
	    "session id $sid equals its pid" \
	    "APUE 13.3 rule 3 and daemon(7) step 7: fork again after setsid, so no terminal can become its controlling terminal" \
	    [ "$sid" != "$pid" ]
	expect "it runs in a new session of its own" \
	    "session $sid; the started process's session ${started_sid:-unknown}, the shell's $mysid" \
	    "APUE 13.3 rule 3, daemon(7) step 6: setsid()" \
	    cond '[ -n "$started_sid" ] && [ "$sid" != "$started_sid" ] && [ "$sid" != "$mysid" ]'
	if [ "$HAVE_PTY" = yes ]; then
		expect "it has no controlling terminal (it was started from a pty's session)" "tty_nr $tty" \
		    "APUE 13.3 rule 3: a daemon has no controlling terminal" [ "$tty" = 0 ]
	else
		skip "it has no controlling terminal" "no pseudo-terminal to start it from: $(cat "$T/pty.err")"
	fi
	cwd=$(cd "/proc/$pid/cwd" 2>/dev/null && pwd -P)
	rubric chdir
	expect "its working directory is /" "cwd \"$cwd\"" \
	    "APUE 13.3 rule 4, daemon(7) step 11: chdir(\"/\")" [ "$cwd" = / ]
	rubric umask
	um=$(sed -n 's/^Umask:[[:space:]]*//p' "/proc/$pid/status")
	if [ -n "$um" ]; then
		expect "its umask is $UMASK" "umask $um" \
		    "APUE 13.3 rule 1, daemon(7) step 10: set the file mode creation mask" \
		    [ "$((0$um))" -eq "$((UMASK))" ]
	else
		skip "umask" "this kernel's /proc/PID/status has no Umask line"
	fi
	"$PROBE" fds "$pid" >"$T/fds"
	canary_sock=$(cat "$T/canary250" 2>/dev/null)
	null=yes leaks='' noexec='' strange='' nunbound=0 nlisten=0<% if (ts) { %> npipe=0<% } %>
	while read -r fd target; do
		case $fd in
		0 | 1 | 2) [ "$target" = /dev/null ] || null="fd $fd is $target" ;;
		*)
			# fdinfo's flags are octal; O_CLOEXEC is 02000000 (proc(5)).
			fl=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$pid/fdinfo/$fd" 2>/dev/null)
			if [ -z "$fl" ] || [ "$((0$fl & 02000000))" -eq 0 ]; then
				noexec="$noexec fd $fd -> $target (flags ${fl:-unknown});"
			fi
			case $target in
			"$PIDF") ;;
			"$canary_sock") leaks="$leaks fd $fd -> $target (the starter's socket);" ;;
			socket:*)
				# Which socket: /proc/net/unix names each by inode, with its path if bound.
				ino=${target#socket:\[}
				ino=${ino%\]}
				u=$(awk -v i="$ino" '$7 == i { print "unix:" $8; exit }' /proc/net/unix 2>/dev/null)
				case $u in
				unix:) nunbound=$((nunbound + 1)) ;;
<% if (payload === 'echo') { -%>
				"unix:$SOCK") nlisten=$((nlisten + 1)) ;;
<% } -%>
				'') strange="$strange fd $fd -> $target (not a UNIX socket);" ;;
				*) strange="$strange fd $fd -> $target (bound to ${u#unix:});" ;;
				esac
				;;
<% if (ts) { -%>
			pipe:*) npipe=$((npipe + 1)) ;;
<% } -%>
			*) leaks="$leaks fd $fd -> $target;" ;;
			esac
			;;
		esac
	done <"$T/fds"
<% if (ts) { -%>
	# Its own unbound sockets: the log socket (at most one), the control channel to Node, and the
	# wake-up pair of the self-pipe, built where helper/have.h has no ppoll; one pipe, Node's
	# output. Node holds the listener<%- payload === 'echo' ? ' (checked below)' : '' %>.
	if grep -q '^#define HAVE_PPOLL' helper/have.h 2>/dev/null; then WAKE=1; else WAKE=3; fi
<% } else { -%>
	# Its own unbound sockets: the log socket (at most one), and the wake-up pair of the
	# <%- helperReload === 'multi' ? 'sigwait thread' : 'self-pipe, built where helper/have.h has no ppoll' %>.
	LISTEN=<%- payload === 'echo' ? 1 : 0 %>
<% if (helperReload === 'multi') { -%>
	WAKE=2
<% } else { -%>
	if grep -q '^#define HAVE_PPOLL' helper/have.h 2>/dev/null; then WAKE=0; else WAKE=2; fi
<% } -%>
<% } -%>
	rubric stdio
	hint "null_stdio() in helper/daemonize.c"
	expect "fds 0, 1 and 2 are /dev/null" "$null" \
	    "APUE 13.3 rule 6, daemon(7) step 9: dup2 /dev/null onto 0-2" [ "$null" = yes ]
	rubric close
	hint "close_walk() and close_inherited() in helper/daemonize.c"
	expect "no inherited descriptor survives (the canaries, fds 9, 250 and 251, are closed)" "$leaks" \
	    "APUE 13.3 rule 5, daemon(7) step 1: close every inherited descriptor" [ -z "$leaks" ]
	rubric ""
	hint "the open(2), socket(2) and pipe calls in helper/fd.c, helper/pidfile.c and helper/log.c"
	expect "every descriptor it holds beyond 0-2 is close-on-exec" "$noexec" \
	    "O_CLOEXEC at creation: a descriptor must not leak into what the daemon runs" [ -z "$noexec" ]
<% if (ts) { -%>
	hint "helper/log.c, child_start() in native/child.c and wakeup_pair() in helper/fd.c"
	expect "each socket and pipe it holds is its own: the log socket, the channel to Node and Node's output (and the self-pipe pair without ppoll)" \
	    "$strange unbound: $nunbound (want $WAKE to $((WAKE + 1))); listeners: $nlisten (want 0); pipes: $npipe (want 1)" \
	    "a daemon holds only the descriptors it needs" \
	    cond '[ -z "$strange" ] && [ "$nunbound" -ge "$WAKE" ] && [ "$nunbound" -le "$((WAKE + 1))" ] && [ "$nlisten" -eq 0 ] && [ "$npipe" -eq 1 ]'
<% } else { -%>
	hint "helper/log.c, <%- helperReload === 'multi' ? 'helper/signals.c' : 'wakeup_pair() in helper/fd.c' %><%- payload === 'echo' && !ts ? ' and src/echo.c' : '' %>"
	expect "each socket it holds is its own: <%- payload === 'echo' ? 'the listener on its socket, ' : '' %>the log socket<%- helperReload === 'multi' ? ' and a wake-up pair' : ' (and the self-pipe pair without ppoll)' %>" \
	    "$strange unbound: $nunbound (want $WAKE to $((WAKE + 1))); listeners: $nlisten (want $LISTEN)" \
	    "a daemon holds only the descriptors it needs" \
	    cond '[ -z "$strange" ] && [ "$nunbound" -ge "$WAKE" ] && [ "$nunbound" -le "$((WAKE + 1))" ] && [ "$nlisten" -eq "$LISTEN" ]'
<% } -%>
	# Signals 1-31 only: libc keeps 32 and 33 for itself and refuses to change them.
	ign=$(sigmask SigIgn)
	low=$(printf '%s' "$ign" | cut -c9-16)
	rubric sigreset
	hint "reset_signals() in helper/daemonize.c, and ignore_sigpipe() in <%- mainC %>"
	expect "only SIGPIPE is ignored (the starter's ignored SIGUSR1 was reset)" \
	    "SigIgn $ign (SIGPIPE alone is 0000000000001000)" \
	    "daemon(7) step 2: reset every signal disposition to its default" \
	    [ "$((0x$low & 0x7fffffff))" -eq "$((0x1000))" ]
	blk=$(sigmask SigBlk)
	# shellcheck disable=SC2034 # read by cond's eval
	blow=$(printf '%s' "$blk" | cut -c9-16)
	hint "reset_signals() in helper/daemonize.c"
	expect "the starter's blocked SIGQUIT and SIGWINCH are unblocked" \
	    "SigBlk $blk (SIGQUIT is 0000000000000004, SIGWINCH 0000000008000000)" \
	    "daemon(7) step 3: reset the signal mask" \
	    cond '[ -n "$blow" ] && [ "$((0x$blow & 0x8000004))" -eq 0 ]'
	if [ "$AS_USER" = yes ]; then
		want_uid=$(id -u "$DAEMON_USER") want_gid=$(id -g "$DAEMON_USER")
		want_groups=$(id -G "$DAEMON_USER" | tr ' ' '\n' | sort -n | tr '\n' ' ')
		groups=$(sed -n 's/^Groups:[[:space:]]*//p' "/proc/$pid/status" | tr '\t' ' ' | tr -s ' ' '\n' | sort -n | tr '\n' ' ')
		rubric ""
		hint "privdrop() in helper/privdrop.c"
		expect "its supplementary groups are $DAEMON_USER's ($want_groups)" \
		    "Groups: $groups" \
		    "daemon(7) step 13: drop the supplementary groups too (setgroups before setgid)" \
		    [ "$groups" = "$want_groups" ]
		uids=$(sed -n 's/^Uid:[[:space:]]*//p' "/proc/$pid/status" | tr -s ' \t' '  ')
		gids=$(sed -n 's/^Gid:[[:space:]]*//p' "/proc/$pid/status" | tr -s ' \t' '  ')
		expect "it dropped to $DAEMON_USER (uid $want_uid, gid $want_gid) for good" \
		    "Uid: $uids; Gid: $gids" \
		    "daemon(7) step 13: drop privileges (real, effective and saved ids)" \
		    cond '[ "$uids" = "$want_uid $want_uid $want_uid $want_uid" ] && [ "$gids" = "$want_gid $want_gid $want_gid $want_gid" ]'
	elif [ -n "$MISSING_USER" ]; then
		skip "the drop to $DAEMON_USER (ids and supplementary groups)" \
		    "there is no account $DAEMON_USER: create it (useradd --system --no-create-home --shell /usr/sbin/nologin $DAEMON_USER, or pw useradd on the BSDs) and run make check as root again; the other checks ran as $(id -un)"
	elif [ -n "$DAEMON_USER" ]; then
		skip "the drop to $DAEMON_USER (ids and supplementary groups)" \
		    "make check is not running as root, so the daemon has no privileges to drop"
	fi
<% if (ts) { -%>
	node_checks "$pid" "$sid"
<% } -%>
elif [ -n "$pid" ]; then
	ps -o ppid= -o pgid= -o tty= -p "$pid" >"$T/ps" 2>/dev/null
	read -r ppid pgid tty <"$T/ps"
	hint "daemonize() in helper/daemonize.c"
	rubric detach
	expect "it forked before setsid(): its session is not led by the process the starter ran (pid $started_pid)" \
	    "process group $pgid, parent $ppid" \
	    "APUE 13.3 rule 2: fork and let the parent exit; the child is not a process group leader, so setsid() succeeds" \
	    cond '[ -n "$started_pid" ] && [ "$pgid" != "$started_pid" ]'
	expect "it is not a process group (hence session) leader" "pgid $pgid" \
	    "APUE 13.3 rule 3 and daemon(7) step 7: fork again after setsid" [ "$pgid" != "$pid" ]
	expect "it has no controlling terminal" \
	    "tty $tty" \
	    "APUE 13.3 rule 3: a daemon has no controlling terminal" \
	    cond '[ "$tty" = "?" ] || [ "$tty" = "??" ] || [ "$tty" = "-" ]'
	skip "cwd, umask, descriptors and signals" "no /proc: they are checked on Linux"
else
	# No daemon to look at: each property it should have had still counts, and fails.
	hint "daemonize() in helper/daemonize.c"
	rubric detach
	unchecked "it forked before setsid(): its session is not led by the process the starter ran" \
	    "APUE 13.3 rule 2: fork and let the parent exit; the child is not a process group leader, so setsid() succeeds"
	unchecked "it is not a session leader" \
	    "APUE 13.3 rule 3 and daemon(7) step 7: fork again after setsid, so no terminal can become its controlling terminal"
	unchecked "it runs in a new session of its own" "APUE 13.3 rule 3, daemon(7) step 6: setsid()"
	unchecked "it has no controlling terminal" "APUE 13.3 rule 3: a daemon has no controlling terminal"
	rubric chdir
	unchecked "its working directory is /" "APUE 13.3 rule 4, daemon(7) step 11: chdir(\"/\")"
	rubric umask
	unchecked "its umask is $UMASK" "APUE 13.3 rule 1, daemon(7) step 10: set the file mode creation mask"
	rubric stdio
	hint "null_stdio() in helper/daemonize.c"
	unchecked "fds 0, 1 and 2 are /dev/null" "APUE 13.3 rule 6, daemon(7) step 9: dup2 /dev/null onto 0-2"
	rubric close
	hint "close_walk() and close_inherited() in helper/daemonize.c"
	unchecked "no inherited descriptor survives (the canaries, fds 9, 250 and 251, are closed)" \
	    "APUE 13.3 rule 5, daemon(7) step 1: close every inherited descriptor"
	rubric ""
	hint "the open(2), socket(2) and pipe calls in helper/fd.c, helper/pidfile.c and helper/log.c"
	unchecked "every descriptor it holds beyond 0-2 is close-on-exec" \
	    "O_CLOEXEC at creation: a descriptor must not leak into what the daemon runs"
	hint "helper/log.c, <%- helperReload === 'multi' ? 'helper/signals.c' : 'wakeup_pair() in helper/fd.c' %><%- payload === 'echo' && !ts ? ' and src/echo.c' : '' %>"
	unchecked "each socket it holds is its own" "a daemon holds only the descriptors it needs"
	rubric sigreset
	hint "reset_signals() in helper/daemonize.c, and ignore_sigpipe() in <%- mainC %>"
	unchecked "only SIGPIPE is ignored (the starter's ignored SIGUSR1 was reset)" \
	    "daemon(7) step 2: reset every signal disposition to its default"
	hint "reset_signals() in helper/daemonize.c"
	unchecked "the starter's blocked SIGQUIT and SIGWINCH are unblocked" "daemon(7) step 3: reset the signal mask"
	if [ "$AS_USER" = yes ]; then
		rubric ""
		hint "privdrop() in helper/privdrop.c"
		unchecked "its supplementary groups are $DAEMON_USER's" \
		    "daemon(7) step 13: drop the supplementary groups too (setgroups before setgid)"
		unchecked "it dropped to $DAEMON_USER for good" \
		    "daemon(7) step 13: drop privileges (real, effective and saved ids)"
	fi
<% if (ts) { -%>
	node_checks "" ""
<% } -%>
fi

section instance "single instance (APUE 13.5)"
if [ -n "$pid" ]; then
	timed "$T/second.err" "$PROG" -c "$CONF" -p "$PIDF"
	rubric lock
	hint "pidfile_open() in helper/pidfile.c"
	expect_lazy "a second instance is refused with exit 1, naming pid $pid" \
	    'exit $rc: $(cat "$T/second.err")' \
	    "APUE 13.5: the pid-file lock admits one instance, and the refusal names the holder" \
	    cond '[ "$rc" -eq 1 ] && grep -q "already running (pid $pid)" "$T/second.err"'
	timed "$T/second.err" "$PROG" -f -c "$CONF" -p "$PIDF"
	expect_lazy "a second instance in the foreground (-f) is refused the same way" \
	    'exit $rc: $(cat "$T/second.err")' \
	    "APUE 13.5: one instance, whatever the mode" \
	    cond '[ "$rc" -eq 1 ] && grep -q "already running (pid $pid)" "$T/second.err"'
	expect "the refused instances leave the daemon and its pid file alone" \
	    "pid file \"$(readpid "$PIDF")\"" \
	    "APUE 13.5: the lock is held for life; a loser must not truncate the winner's file" \
	    cond 'alive "$pid" && [ "$(readpid "$PIDF")" = "$pid" ]'
else
	rubric lock
	hint "pidfile_open() in helper/pidfile.c"
	unchecked "a second instance is refused with exit 1, naming the running pid" \
	    "APUE 13.5: the pid-file lock admits one instance, and the refusal names the holder"
	unchecked "a second instance in the foreground (-f) is refused the same way" \
	    "APUE 13.5: one instance, whatever the mode"
	unchecked "the refused instances leave the daemon and its pid file alone" \
	    "APUE 13.5: the lock is held for life; a loser must not truncate the winner's file"
fi
<% if (payload === 'echo') { -%>

section echo "echo payload"
if [ -n "$pid" ]; then
	hint "<%- ts ? 'src/echo.ts' : 'src/echo.c' %>"
<% if (ts) { -%>
	# Node serves the socket: its descriptors are the ones counted.
	serving=$(node_pid "$pid")
	nfd0=
	[ "$HAVE_PROC" = yes ] && [ -n "$serving" ] && nfd0=$("$PROBE" fds "$serving" | wc -l | tr -d ' ')
<% } else { -%>
	nfd0=
	[ "$HAVE_PROC" = yes ] && nfd0=$("$PROBE" fds "$pid" | wc -l | tr -d ' ')
<% } -%>
	expect_run "a line sent to $SOCK comes back" \
	    "the echo payload: each line is echoed" "$PROBE" echo "$SOCK" "hello $NAME"
	expect_run "three lines in turn on one connection each come back (it stays open)" \
	    "the echo payload: a connection lasts until the client closes it" "$PROBE" echo-lines "$SOCK" 3
	expect_run "a last line without a newline comes back when the client shuts down its side, then end-of-file" \
	    "shutdown(2): end-of-file ends the last line; the server then closes its side" "$PROBE" echo-half "$SOCK"
	expect_run "50 clients connected at once each get their own line back" \
	    "the echo payload serves many clients at once" "$PROBE" echo-many "$SOCK" 50
	expect_run "when the first of three clients leaves, the other two are still served" \
	    "a server of many clients keeps each one's state, whatever order they leave in" "$PROBE" echo-order "$SOCK"
	expect_run "a client that sends without reading does not hold up another (echoed within 2 s)" \
	    "a server of many clients never blocks on one: non-blocking sockets, writes bounded by poll" \
	    "$PROBE" echo-stalled "$SOCK" 2000
	expect_run "a 1 MiB line, sent whole before reading, comes back whole" \
	    "a long line never blocks or crashes the daemon" "$PROBE" echo-big "$SOCK" 1048576
	"$PROBE" echo-cut "$SOCK"
	expect_run "a client that vanishes mid-line does not disturb the daemon" \
	    "a mid-line disconnect is harmless" "$PROBE" echo "$SOCK" after
	if [ -n "$nfd0" ]; then
		expect_run "every client's descriptor is closed once it has left (back to $nfd0 descriptors)" \
		    "a server closes each connection its client ended: no leak, no busy loop on a dead socket" \
		    "$PROBE" wait-fds "<%- ts ? '$serving' : '$pid' %>" "$nfd0" 2000
	else
		skip "every client's descriptor is closed once it has left" "no /proc: it is checked on Linux"
	fi
	timed "$T/live.err" "$PROG" -c "$CONF" -p "$T/other.pid"
	expect_lazy "another daemon on the same socket is refused, and the live socket is kept" \
	    'exit $rc: $(cat "$T/live.err")' \
	    "never unlink a live socket" \
	    cond '[ "$rc" -ne 0 ] && [ -S "$SOCK" ] && "$PROBE" echo "$SOCK" still'
	# A second daemon that wrongly started must not outlive its check: it would hold the socket
	# that the restart test below starts on.
	other=$(daemon_pid "$T/other.pid" "$CONF")
	if alive "$other"; then
		kill -9 "$other" 2>/dev/null
		"$PROBE" wait-dead "$other" 3000 || true
	fi
else
	hint "<%- ts ? 'src/echo.ts' : 'src/echo.c' %>"
	unchecked "a line sent to $SOCK comes back" "the echo payload: each line is echoed"
	unchecked "three lines in turn on one connection each come back (it stays open)" \
	    "the echo payload: a connection lasts until the client closes it"
	unchecked "a last line without a newline comes back when the client shuts down its side, then end-of-file" \
	    "shutdown(2): end-of-file ends the last line; the server then closes its side"
	unchecked "50 clients connected at once each get their own line back" "the echo payload serves many clients at once"
	unchecked "when the first of three clients leaves, the other two are still served" \
	    "a server of many clients keeps each one's state, whatever order they leave in"
	unchecked "a client that sends without reading does not hold up another (echoed within 2 s)" \
	    "a server of many clients never blocks on one: non-blocking sockets, writes bounded by poll"
	unchecked "a 1 MiB line, sent whole before reading, comes back whole" "a long line never blocks or crashes the daemon"
	unchecked "a client that vanishes mid-line does not disturb the daemon" "a mid-line disconnect is harmless"
	[ "$HAVE_PROC" = yes ] && unchecked "every client's descriptor is closed once it has left" \
	    "a server closes each connection its client ended: no leak, no busy loop on a dead socket"
	unchecked "another daemon on the same socket is refused, and the live socket is kept" "never unlink a live socket"
fi
<% } -%>

section stop "stop"
if [ -n "$pid" ]; then
	kill -TERM "$pid"
	rubric signals
	hint "<%- helperReload === 'single' ? 'on_signal(), signals_init() and signals_run()' : 'signals_init() and signals_run()' %> in helper/signals.c"
	expect "SIGTERM stops it within 3 s" "still running" \
	    "SIGTERM means a clean, prompt exit" "$PROBE" wait-dead "$pid" 3000
	# One that did not must not hold the lock against the next section's start.
	kill -KILL "$pid" 2>/dev/null && "$PROBE" wait-dead "$pid" 3000
	rubric lock
	hint "pidfile_open() and pidfile_remove() in helper/pidfile.c"
	expect "the pid file is removed at exit" "$PIDF still exists" \
	    "a clean exit removes the pid file" [ ! -e "$PIDF" ]
<% if (payload === 'echo') { -%>
	expect "the socket file is removed at exit" "$SOCK still exists" \
	    "a clean exit removes the socket" [ ! -e "$SOCK" ]
<% } -%>
else
	rubric signals
	hint "<%- helperReload === 'single' ? 'on_signal(), signals_init() and signals_run()' : 'signals_init() and signals_run()' %> in helper/signals.c"
	unchecked "SIGTERM stops it within 3 s" "SIGTERM means a clean, prompt exit"
	rubric lock
	hint "pidfile_open() and pidfile_remove() in helper/pidfile.c"
	unchecked "the pid file is removed at exit" "a clean exit removes the pid file"
<% if (payload === 'echo') { -%>
	unchecked "the socket file is removed at exit" "a clean exit removes the socket"
<% } -%>
fi

section restart "restart after kill -9"
start "$CONF" "$PIDF"
pid=$(daemon_pid "$PIDF" "$CONF")
[ -n "$pid" ] && spawned="$spawned $pid"
if [ "$rc" -eq 0 ] && [ -n "$pid" ]; then
<% if (ts) { -%>
	orphan=$(node_pid "$pid")
	[ -n "$orphan" ] && spawned="$spawned $orphan"
<% } -%>
	kill -KILL "$pid"
	"$PROBE" wait-dead "$pid" 10000
<% if (ts) { -%>
	hint "exec_node() in native/child.c (PR_SET_PDEATHSIG) and the channel's end in src/control.ts"
	expect "kill -9 of the helper takes Node down with it within 3 s (no orphan keeps serving)" \
	    "Node (pid ${orphan:-none found}) still runs" \
	    "a payload without its supervisor must not keep serving: PR_SET_PDEATHSIG, and end of file on the channel" \
	    cond '[ -n "$orphan" ] && "$PROBE" wait-dead "$orphan" 3000'
<% } -%>
	start "$CONF" "$PIDF"
	new=$(daemon_pid "$PIDF" "$CONF")
	[ -n "$new" ] && spawned="$spawned $new"
	rubric stale
	hint "pidfile_open() in helper/pidfile.c"
	expect_lazy "a new start takes over the stale pid file<% if (payload === 'echo') { %> and socket<% } %> (pid $pid -> $new)" \
	    'exit $rc: $(cat "$T/start.err")' \
	    "APUE 13.5: the lock, not the file's existence, says whether a daemon runs" \
	    cond '[ "$rc" -eq 0 ] && [ -n "$new" ] && [ "$new" != "$pid" ] && alive "$new"'
<% if (payload === 'echo') { -%>
	rubric ""
	expect_run "the restarted daemon serves the socket" \
	    "a stale socket (nobody listening) is replaced" "$PROBE" echo "$SOCK" again
<% } -%>
	[ -n "$new" ] && kill -TERM "$new" && "$PROBE" wait-dead "$new" 3000
else
	rubric stale
	hint "daemonize() in helper/daemonize.c, then pidfile_open() in helper/pidfile.c"
	bad "a start for the kill -9 test" "exit $rc: $(cat "$T/start.err")" \
	    "daemon(7) step 15: start must succeed when nothing runs"
<% if (ts) { -%>
	unchecked "kill -9 of the helper takes Node down with it within 3 s (no orphan keeps serving)" \
	    "a payload without its supervisor must not keep serving: PR_SET_PDEATHSIG, and end of file on the channel"
<% } -%>
<% if (payload === 'echo') { -%>
	rubric ""
	unchecked "the restarted daemon serves the socket" "a stale socket (nobody listening) is replaced"
<% } -%>
fi

section failures "start-up failures reach the starter"
timed "$T/fail.err" "$PROG" -c "$CONF" -p "$T/no/such/dir/$NAME.pid"
rubric ready
hint "daemonize() in helper/daemonize.c: the readiness pipe (original_wait(), daemon_report())"
expect_lazy "a failure after detaching is printed by the start command, with exit 71" \
    'exit $rc: $(cat "$T/fail.err")' \
    "the readiness pipe carries the daemon's reason and status back to the original process" \
    cond '[ "$rc" -eq 71 ] && grep -q "$T/no/such/dir/$NAME.pid" "$T/fail.err"'
printf 'interval_typo = 1\n' >"$T/bad.conf"
timed "$T/fail.err" "$PROG" -c "$T/bad.conf" -p "$T/bad.pid"
rubric ""
hint "<%- ts ? 'load() in src/config.ts, at start-up in src/main.ts (FAIL 78 on the channel)' : 'config_load() in src/config.c, called by main() before detaching' %>"
expect_lazy "a bad config at start exits 78 with file:line, and starts nothing" \
    'exit $rc: $(cat "$T/fail.err")' \
    "the config is validated before detaching; errors are file:line: reason" \
    cond '[ "$rc" -eq 78 ] && grep -q "$T/bad.conf:1: unknown key" "$T/fail.err" && [ ! -e "$T/bad.pid" ]'

<% if (pidfileXdg) { -%>
# shellcheck disable=SC2016 # expanded by the inner shell
timed "$T/fail.err" sh -c 'unset XDG_RUNTIME_DIR; exec "$0" -c "$1"' "$PROG" "$CONF"
expect_lazy "without XDG_RUNTIME_DIR the default pid file is refused, saying why (exit 78)" \
    'exit $rc: $(cat "$T/fail.err")' \
    "a per-user service keeps its pid file under \$XDG_RUNTIME_DIR, expanded at run time" \
    cond '[ "$rc" -eq 78 ] && grep -q "XDG_RUNTIME_DIR is not set" "$T/fail.err"'
<% } -%>

section options "config check (-t) and usage"
"$PROG" -t -c "$CONF" >"$T/t.out" 2>&1
rc=$?
hint "<%- ts ? 'src/config.ts, and -t in src/main.ts and child_test() in native/child.c' : 'src/config.c and main() in src/main.c' %>"
expect_lazy "-t accepts a good config: exit 0, \"configuration OK\"" \
    'exit $rc: $(cat "$T/t.out")' \
    "-t checks the config and exits" \
    cond '[ "$rc" -eq 0 ] && grep -q "configuration OK" "$T/t.out"'
printf '# a comment\n\nno_such_key = 1\n' >"$T/t.conf"
"$PROG" -t -c "$T/t.conf" >"$T/t.out" 2>&1
rc=$?
expect_lazy "-t rejects an unknown key with file:line (exit 78)" \
    'exit $rc: $(cat "$T/t.out")' \
    "strict parsing: file:line: reason" \
    cond '[ "$rc" -eq 78 ] && grep -q "$T/t.conf:3:" "$T/t.out"'
printf '%s\n' "$BROKEN_VALUE" >"$T/t.conf"
"$PROG" -t -c "$T/t.conf" >"$T/t.out" 2>&1
rc=$?
expect_lazy "-t rejects a bad value with file:line (exit 78)" \
    'exit $rc: $(cat "$T/t.out")' \
    "strict parsing: file:line: reason" \
    cond '[ "$rc" -eq 78 ] && grep -q "$T/t.conf:1:" "$T/t.out"'
<% if (payload === 'tick') { -%>
printf 'interval = 5 minutes\n' >"$T/t.conf"
"$PROG" -t -c "$T/t.conf" >"$T/t.out" 2>&1
rc=$?
expect_lazy "-t rejects a number followed by words (interval = 5 minutes) with file:line (exit 78)" \
    'exit $rc: $(cat "$T/t.out")' \
    "strict parsing: a value is all number or an error, never its first digits" \
    cond '[ "$rc" -eq 78 ] && grep -q "$T/t.conf:1:" "$T/t.out"'
<% } -%>
printf 'just some words\n' >"$T/t.conf"
"$PROG" -t -c "$T/t.conf" >"$T/t.out" 2>&1
rc=$?
expect_lazy "-t rejects a line without \"=\" with file:line (exit 78)" \
    'exit $rc: $(cat "$T/t.out")' \
    "strict parsing: file:line: reason" \
    cond '[ "$rc" -eq 78 ] && grep -q "$T/t.conf:1:" "$T/t.out"'
"$PROG" -t -c "$T/absent.conf" >"$T/t.out" 2>&1
rc=$?
expect_lazy "-t on a missing file names it (exit 78)" \
    'exit $rc: $(cat "$T/t.out")' \
    "messages name the object and the cause" \
    cond '[ "$rc" -eq 78 ] && grep -q "$T/absent.conf" "$T/t.out"'
"$PROG" -h >"$T/t.out" 2>&1
rc=$?
expect "-h prints the usage, exit 0" \
    "exit $rc" \
    "usage()" \
    cond '[ "$rc" -eq 0 ] && grep -q "usage:" "$T/t.out"'
<% if (variant) { -%>
expect "the usage names the variant's pid file, $VARIANT_PIDFILE" "$(cat "$T/t.out")" \
    "the student's variant (README: \"Your variant\"); src/variant.c and tests/variant" \
    grep -qF "(default $VARIANT_PIDFILE)" "$T/t.out"
<% } -%>
"$PROG" -V >"$T/t.out" 2>&1
rc=$?
expect_lazy "-V prints the version, exit 0" \
    'exit $rc: $(cat "$T/t.out")' \
    "-V" \
    cond '[ "$rc" -eq 0 ] && grep -qx "$NAME $WANT_VERSION" "$T/t.out"'
"$PROG" -Z >/dev/null 2>&1
rc=$?
expect "an unknown option exits 64" "exit $rc" "sysexits EX_USAGE" [ "$rc" -eq 64 ]
"$PROG" extra >/dev/null 2>&1
rc=$?
expect "an extra argument exits 64" "exit $rc" "sysexits EX_USAGE" [ "$rc" -eq 64 ]

section foreground "foreground (-f) under NOTIFY_SOCKET, reload and stop"
NSOCK=$T/notify.sock
NLOG=$T/notify.log
"$PROBE" notify-recv "$NSOCK" "$NLOG" &
rpid=$!
spawned="$spawned $rpid"
"$PROBE" wait-text "$NLOG" LISTENING 3000
FCONF=$T/fg.conf
FPID=$T/fg.pid
FLOG=$T/fg.log
<% if (payload === 'tick') { -%>
write_conf "$FCONF" alpha 1
<% } else { -%>
write_conf "$FCONF" "$T/a.sock"
<% } -%>
: >"$FLOG"
NOTIFY_SOCKET=$NSOCK "$PROG" -f -c "$FCONF" -p "$FPID" 2>"$FLOG" &
fpid=$!
spawned="$spawned $fpid"
rubric signals
hint "signals_run() in helper/signals.c, then helper/notify.c"
expect_lazy "it sends READY=1 once started" '$(cat "$NLOG")' \
    "sd_notify(3): READY=1 when start-up is complete" seen "$fpid" "$NLOG" READY=1 5000
rubric lock
hint "pidfile_open() in helper/pidfile.c"
fg_pid=$(readpid "$FPID")
expect "it stays in the foreground: the pid file holds the started process ($fpid)" \
    "pid file \"$fg_pid\"" "-f: no fork" [ "$fg_pid" = "$fpid" ]
rubric log
hint "log_open() in helper/log.c"
expect_lazy "log lines carry the daemon's name: \"$LOG_IDENT: started\" on stderr" '$(cat "$FLOG")' \
    "APUE 13.4: log_open() records the ident (and opens syslog with it, LOG_PID and the facility)" \
    seen "$fpid" "$FLOG" "$LOG_IDENT: started" 3000
<% if (variant) { -%>
rubric ""
hint "src/variant.c and tests/variant (tests/grade.sh writes both for the student graded)"
expect "the started line carries the variant's token: \"variant $VARIANT_TOKEN\"" "$(grep -F ": started" "$FLOG")" \
    "the student's variant (README: \"Your variant\")" grep -qF "variant $VARIANT_TOKEN)" "$FLOG"
<% } -%>
rubric ""
hint "src/<%- payload %>.<%- ts ? 'ts' : 'c' %> (and signals_run() in helper/signals.c)"
<% if (payload === 'tick') { -%>
expect_lazy "the payload runs: the tick message reaches stderr" '$(cat "$FLOG")' \
    "-f logs to stderr as well as syslog" seen "$fpid" "$FLOG" "$LOG_IDENT: alpha" 3000
write_conf "$FCONF" bravo 1
<% } else { -%>
expect_run "the payload runs: $T/a.sock echoes" "the echo payload" "$PROBE" echo "$T/a.sock" fg
write_conf "$FCONF" "$T/b.sock"
<% } -%>
# The reload is bracketed by two readings of CLOCK_MONOTONIC: MONOTONIC_USEC must lie between.
t0=$("$PROBE" monotonic-usec)
kill -"$RELOAD" "$fpid" 2>/dev/null
seen "$fpid" "$NLOG" READY=1 5000 2
t1=$("$PROBE" monotonic-usec)
mono=$(sed -n 's/.*RELOADING=1 MONOTONIC_USEC=\([0-9][0-9]*\).*/\1/p' "$NLOG" | head -n 1)
rubric signals
hint "<%- helperReload === 'single' ? 'on_signal(), signals_init() and signals_run()' : 'signals_init() and signals_run()' %> in helper/signals.c, then <%- ts ? 'child_reload() in native/child.c and src/reload.ts' : 'src/reload.c' %>"
expect_lazy "SIG$RELOAD sends RELOADING=1 with MONOTONIC_USEC, then READY=1" \
    '$(cat "$NLOG")' \
    "sd_notify(3): RELOADING=1 + MONOTONIC_USEC at the start of a reload, READY=1 at its end" \
    awk '/RELOADING=1 MONOTONIC_USEC=[0-9]+/ { r = NR } /READY=1/ { if (++n == 2 && r) ok = 1 } END { exit !ok }' "$NLOG"
rubric ""
hint "notify_reloading() in helper/notify.c"
expect "MONOTONIC_USEC is CLOCK_MONOTONIC at the reload (between $t0 and $t1)" \
    "MONOTONIC_USEC=${mono:-(none)}" \
    "sd_notify(3): MONOTONIC_USEC= is CLOCK_MONOTONIC in microseconds, read as the reload starts" \
    cond '[ -n "$mono" ] && [ "$mono" -ge "$t0" ] && [ "$mono" -le "$t1" ]'
rubric signals
hint "<%- helperReload === 'single' ? 'on_signal(), signals_init() and signals_run()' : 'signals_init() and signals_run()' %> in helper/signals.c, then <%- ts ? 'child_reload() in native/child.c and src/reload.ts' : 'src/reload.c' %>"
<% if (payload === 'tick') { -%>
expect_lazy "SIG$RELOAD applies the changed config: the new message is logged" '$(cat "$FLOG")' \
    "$RELOAD_RULE" seen "$fpid" "$FLOG" "$LOG_IDENT: bravo" 4000
<% } else { -%>
expect_lazy "SIG$RELOAD applies the changed config: the socket moved to $T/b.sock" \
    '$(cat "$FLOG")' "$RELOAD_RULE" \
    cond '"$PROBE" echo "$T/b.sock" moved && [ ! -e "$T/a.sock" ]'
<% } -%>
printf '# broken on purpose\n%s\n' "$BROKEN_VALUE" >"$FCONF"
kill -"$RELOAD" "$fpid" 2>/dev/null
rubric ""
hint "<%- ts ? 'reloadConfig() in src/reload.ts' : 'reload_config() in src/reload.c, called by signals_run() in helper/signals.c' %>"
expect_lazy "a broken config on SIG$RELOAD is logged as file:line, and the previous one kept" \
    '$(cat "$FLOG")' \
    "a failed reload is harmless: reload failed: file:line: reason; keeping the previous configuration" \
    cond 'seen "$fpid" "$FLOG" "reload failed: $FCONF:2:" 3000 && grep -q "keeping the previous configuration" "$FLOG"'
<% if (payload === 'tick') { -%>
n=$(grep -c "$LOG_IDENT: bravo" "$FLOG")
expect_lazy "it is alive and still runs on the old config" '$(tail -n 3 "$FLOG")' \
    "a failed reload keeps the previous configuration in force" \
    seen "$fpid" "$FLOG" "$LOG_IDENT: bravo" 4000 $((n + 1))
<% } else { -%>
expect_lazy "it is alive and still serves the old config's socket" \
    '$(tail -n 3 "$FLOG")' \
    "a failed reload keeps the previous configuration in force" \
    cond 'alive "$fpid" && "$PROBE" echo "$T/b.sock" kept'
<% } -%>
kill -TERM "$fpid" 2>/dev/null
reap "$fpid" "$FLOG"
rubric signals
hint "<%- helperReload === 'single' ? 'on_signal(), signals_init() and signals_run()' : 'signals_init() and signals_run()' %> in helper/signals.c"
expect_lazy "SIGTERM in the foreground: exit status 0" 'exit $rc; $(tail -n 3 "$FLOG")' \
    "SIGTERM means a clean exit" [ "$rc" -eq 0 ]
expect_lazy "it sends STOPPING=1" '$(cat "$NLOG")' "sd_notify(3): STOPPING=1 when shutting down" \
    "$PROBE" wait-text "$NLOG" STOPPING=1 3000
rubric lock
hint "pidfile_remove() in helper/pidfile.c, called by main() in <%- mainC %>"
# Only a pid file that was there can be removed: a daemon that never wrote one fails here too.
if [ -z "$fg_pid" ]; then fg_gone="$FPID was never written"; else fg_gone="$FPID still exists"; fi
expect "the pid file it wrote is removed" "$fg_gone" "a clean exit removes the pid file" \
    cond '[ -n "$fg_pid" ] && [ ! -e "$FPID" ]'
kill "$rpid" 2>/dev/null
<% if (ts) { -%>

# Node killed under the helper: the helper must not stay up serving nothing.
<% if (payload === 'tick') { -%>
write_conf "$FCONF" charlie 3600
<% } else { -%>
write_conf "$FCONF" "$T/c.sock"
<% } -%>
: >"$FLOG"
# Descriptor 8 is what a starter leaks into a foreground daemon (a supervisor's, a shell's).
"$PROG" -f -c "$FCONF" -p "$FPID" 2>"$FLOG" 8<"$T/stdin" &
fpid=$!
spawned="$spawned $fpid"
"$PROBE" wait-text "$FLOG" "$LOG_IDENT: started" 5000
dead=$(node_pid "$fpid")
if [ "$HAVE_PROC" = yes ]; then
	: >"$T/ffds"
	[ -n "$dead" ] && "$PROBE" fds "$dead" >"$T/ffds"
	hint "exec_node() in native/child.c (close_inherited())"
	expect "in the foreground, what the starter leaked (fd 8) does not reach Node" \
	    "Node ${dead:-(not found)}: $(tr '\n' ';' <"$T/ffds")" \
	    "APUE 13.3 rule 5: the helper keeps what it was given in the foreground; Node gets 0-3 only" \
	    cond '[ -n "$dead" ] && [ -s "$T/ffds" ] && ! grep -qF " $T/stdin" "$T/ffds"'
fi
# The spare signals sent to Node itself (a killall, systemctl kill): SIGUSR1 would open its
# inspector on 127.0.0.1:9229 (0100007F:2405 in /proc/net/tcp), the two others kill it.
for s in USR1 USR2 ALRM; do [ -n "$dead" ] && kill -"$s" "$dead"; done
hint "the spare signals' handlers in src/main.ts"
expect "Node ignores SIGUSR1 (no inspector), SIGUSR2 and SIGALRM, and says so" \
    "Node ${dead:-(not found)}; $(tail -n 3 "$FLOG")" \
    "a stray signal must neither kill the daemon nor open a debugger anyone local can use" \
    cond 'seen "$fpid" "$FLOG" "ignoring SIGUSR1" 3000 && seen "$fpid" "$FLOG" "ignoring SIGUSR2" 3000 &&
        seen "$fpid" "$FLOG" "ignoring SIGALRM" 3000 && alive "$dead" &&
        ! grep -q " 0100007F:2405 00000000:0000 0A " /proc/net/tcp 2>/dev/null'
[ -n "$dead" ] && kill -KILL "$dead"
reap "$fpid" "$FLOG"
hint "child_dispatch() and child_stop() in native/child.c"
expect "kill -9 of Node makes the helper exit non-zero, saying so, and remove the pid file" \
    "Node ${dead:-(not found)}; exit $rc; $(tail -n 2 "$FLOG")" \
    "the init system must see the service fail and restart the pair" \
    cond '[ -n "$dead" ] && [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && grep -q "node (pid $dead) was killed by signal 9" "$FLOG" && [ ! -e "$FPID" ]'
<% } -%>

section syslog "syslog (APUE 13.4): the datagrams on /dev/log"
# Only root can give the daemon a /dev/log of the check's own without touching the system's: a
# mount namespace (unshare -m) with a tmpfs on /dev, the devices a daemon opens bound back in, and
# probe notify-recv on /dev/log. The daemon starts detached in it: the socket it opened before
# detaching is closed with every inherited descriptor: its lines must arrive all the same.
# RECV=no leaves /dev/log out, for a start with nothing to log to.
# shellcheck disable=SC2016 # expanded by the namespace's shell
SYSLOG_NS='T=$1 PROBE=$2 RECV=$3
shift 3
mkdir "$T/olddev.$RECV" && mount --bind /dev "$T/olddev.$RECV" && mount -t tmpfs -o mode=0755 tmpfs /dev ||
    { echo "cannot set up a private /dev"; exit 99; }
for n in null zero full random urandom; do
	if [ -e "$T/olddev.$RECV/$n" ]; then
		: >"/dev/$n" && mount --bind "$T/olddev.$RECV/$n" "/dev/$n" || { echo "cannot bind /dev/$n"; exit 99; }
	fi
done
if [ "$RECV" = yes ]; then
	"$PROBE" notify-recv /dev/log "$T/syslog.log" </dev/null >"$T/syslog.recv.err" 2>&1 &
	echo $! >"$T/syslog.recv"
	"$PROBE" wait-text "$T/syslog.log" LISTENING 3000 || { cat "$T/syslog.recv.err"; exit 99; }
fi
exec "$@"'
slog=$T/syslog.log
: >"$slog"
if [ "$(uname -s)" != Linux ]; then
	slog_skip="a private /dev/log needs Linux mount namespaces"
elif [ "$(id -u)" != 0 ]; then
	slog_skip="make check is not running as root, and only root can give the daemon a /dev/log of its own (a mount namespace); its log lines were seen on stderr above"
elif ! unshare --mount --propagation private true 2>"$T/unshare.err"; then
	slog_skip="no mount namespace here (unshare --mount: $(cat "$T/unshare.err"))"
else
	slog_skip=
	SCONF=$T/syslog.conf
<% if (payload === 'tick') { -%>
	write_conf "$SCONF" "syslog tick" 3600
<% } else { -%>
	write_conf "$SCONF" "$T/syslog.sock"
<% } -%>
	timed "$T/syslog.err" unshare --mount --propagation private sh -c "$SYSLOG_NS" sh "$T" "$PROBE" yes \
	    "$PROG" -c "$SCONF" -p "$T/syslog.pid"
	[ "$rc" -eq 99 ] && slog_skip="no private /dev/log: $(cat "$T/syslog.err")"
fi
if [ -n "$slog_skip" ]; then
	skip "the syslog datagrams (the ident, LOG_PID and the facility)" "$slog_skip"
else
	spid=$(daemon_pid "$T/syslog.pid" "$SCONF")
	[ -n "$spid" ] && spawned="$spawned $spid"
	if [ -n "$spid" ]; then
		seen "$spid" "$slog" "]: started" 3000
		printf '# broken on purpose\n%s\n' "$BROKEN_VALUE" >"$SCONF"
		kill -"$RELOAD" "$spid" 2>/dev/null
		seen "$spid" "$slog" "]: reload failed" 3000
		kill -TERM "$spid" 2>/dev/null
		"$PROBE" wait-dead "$spid" 3000
	fi
	kill "$(cat "$T/syslog.recv" 2>/dev/null)" 2>/dev/null
<% if (variant) { -%>
	# RFC 3164 4.1.1: local0..local7 are facilities 16..23; info is severity 6, warning 4.
	pinfo=$(( (16 + ${VARIANT_FACILITY#local}) * 8 + 6 ))
	pwarn=$(( (16 + ${VARIANT_FACILITY#local}) * 8 + 4 ))
<% } else { -%>
	pinfo=$("$PROBE" syslog-pri info)
	pwarn=$("$PROBE" syslog-pri warning)
<% } -%>
	if [ -z "$spid" ]; then slog_seen="the detached start failed: exit $rc: $(cat "$T/syslog.err")"; else slog_seen=$(cat "$slog"); fi
	rubric log
	hint "log_open() and log_reopen() in helper/log.c"
	expect "syslog gets its lines as ${LOG_IDENT}[${spid:-pid}]: the ident, and LOG_PID's pid (the detached daemon's)" \
	    "$slog_seen" "APUE 13.4: openlog(ident, LOG_PID, facility), and a new log socket once detached" \
	    cond '[ -n "$spid" ] && grep -qF " ${LOG_IDENT}[$spid]: started" "$slog"'
	# The warning is the failed reload's: where a reload never happens, the foreground checks say
	# so, and the info line alone is checked here.
	expect "its syslog priority is facility <%- variant ? '$VARIANT_FACILITY' : facility %> plus the severity: <$pinfo> for info, <$pwarn> for a warning" \
	    "$slog_seen" "RFC 3164 4.1.1, APUE 13.4: PRI is facility * 8 + severity" \
	    cond 'grep -F " ${LOG_IDENT}[" "$slog" | grep -F "]: started" | grep -q "^<$pinfo>" &&
	        { ! grep -qF "]: reload failed" "$slog" ||
	        grep -F " ${LOG_IDENT}[" "$slog" | grep -F "]: reload failed" | grep -q "^<$pwarn>"; }'

	# Detached, its stderr is /dev/null and syslog is the only place its lines go: a start that
	# cannot reach /dev/log says so, once, while the starter still listens; one that can, nothing.
	NCONF=$T/nolog.conf
<% if (payload === 'tick') { -%>
	write_conf "$NCONF" "nolog tick" 3600
<% } else { -%>
	write_conf "$NCONF" "$T/nolog.sock"
<% } -%>
	timed "$T/nolog.err" unshare --mount --propagation private sh -c "$SYSLOG_NS" sh "$T" "$PROBE" no \
	    "$PROG" -c "$NCONF" -p "$T/nolog.pid"
	npid=$(daemon_pid "$T/nolog.pid" "$NCONF")
	if [ -n "$npid" ]; then
		spawned="$spawned $npid"
		kill -TERM "$npid" 2>/dev/null
		"$PROBE" wait-dead "$npid" 3000
	fi
	rubric ""
	hint "log_syslog_check() in helper/log.c, called by main() before daemonize()"
	# The warning alone: whether the start succeeds is the detached-start section's check.
	expect_lazy "a start with nothing on /dev/log says so once on stderr, before detaching" \
	    'exit $rc: $(cat "$T/nolog.err")' \
	    "detached, stderr is /dev/null: say where the logs (do not) go while the starter can read it" \
	    cond '[ "$(grep -c "cannot reach syslog at /dev/log" "$T/nolog.err")" -eq 1 ]'
	expect "a start with a syslog receiver says nothing about syslog on stderr" "$(cat "$T/syslog.err")" \
	    "stderr before detaching is for what the starter must know" \
	    cond '[ -n "$spid" ] && ! grep -q "syslog" "$T/syslog.err"'
fi

if [ "$(uname -s)" = Linux ]; then
	section abstract "Linux abstract sockets (@name) and SIGINT"
	ASOCK=@$NAME-check-notify-$$
	ACONF=$T/abstract.conf
<% if (payload === 'tick') { -%>
	write_conf "$ACONF" abstract 3600
<% } else { -%>
	write_conf "$ACONF" "@$NAME-check-echo-$$"
	"$PROG" -t -c "$ACONF" >"$T/t.out" 2>&1
	rc=$?
	hint "<%- ts ? 'src/config.ts' : 'config_socket() in src/config.c' %>"
	expect_lazy "-t refuses an abstract echo socket (@name), exit 78, saying why" \
	    'exit $rc: $(cat "$T/t.out")' \
	    "unix(7): an abstract socket has no permissions; any local user could connect" \
	    cond '[ "$rc" -eq 78 ] && grep -q "an abstract socket (@name) has no permissions" "$T/t.out"'
	write_conf "$ACONF" "$T/abstract.sock"
<% } -%>
	"$PROBE" notify-recv "$ASOCK" "$T/abstract.log" &
	rpid=$!
	spawned="$spawned $rpid"
	"$PROBE" wait-text "$T/abstract.log" LISTENING 3000
	: >"$T/abstract.err"
	NOTIFY_SOCKET=$ASOCK "$PROG" -f -c "$ACONF" -p "$T/abstract.pid" 2>"$T/abstract.err" &
	fpid=$!
	spawned="$spawned $fpid"
	hint "helper/notify.c (and signals_run() in helper/signals.c)"
	expect "an abstract NOTIFY_SOCKET ($ASOCK) gets READY=1" "$(cat "$T/abstract.err")" \
	    "sd_notify(3): a NOTIFY_SOCKET starting with @ is in the abstract namespace" \
	    seen "$fpid" "$T/abstract.log" READY=1 5000
	kill -INT "$fpid" 2>/dev/null
	reap "$fpid" "$T/abstract.err"
	rubric signals
	hint "<%- helperReload === 'single' ? 'on_signal(), signals_init() and signals_run()' : 'signals_init() and signals_run()' %> in helper/signals.c"
	expect "SIGINT is a clean exit too: status 0, pid file removed" \
	    "exit $rc; $(cat "$T/abstract.err")" "SIGINT, like SIGTERM, means a clean exit" \
	    cond '[ "$rc" -eq 0 ] && [ ! -e "$T/abstract.pid" ]'
	kill "$rpid" 2>/dev/null
fi

if [ -n "$GRADER_DIR" ]; then
	section grader "the grader's checks ($GRADER_DIR)"
	replaced=no
	if [ ! -d "$GRADER_DIR" ]; then
		bad "GRADER_DIR is a directory" "$GRADER_DIR: no such directory" \
		    "the grader's checks must exist"
	else
		export NAME PROG PROBE RELOAD LOG_IDENT
		for g in "$GRADER_DIR"/*; do
			if [ ! -f "$g" ] || [ ! -x "$g" ]; then
				continue
			fi
			gname=${g##*/}
<% if (starter) { -%>
			# Graded under the rule of its own name in GRADER_DIR/rubric; without one, no points.
			rubric ""
			grep -q "^$gname	" "$GRADER_DIR/rubric" 2>/dev/null && rubric "$gname"
<% } -%>
			mkdir -p "$T/grader/$gname"
			(cd "$T/grader/$gname" && CHECK_TMP=$T/grader/$gname exec "$g" "$PROG" "$PROBE") \
			    >"$T/grader/$gname.out" 2>&1 </dev/null &
			reap "$!" "$T/grader/$gname.out" "$GRADER_TIMEOUT"
			expect "$gname (the grader's check)" "exit $rc: $(cat "$T/grader/$gname.out")" \
			    "the grader's check $gname" [ "$rc" -eq 0 ]
		done
	fi
fi

if [ "$FORMAT" = tap ]; then
	printf '1..%d\n# %d passed, %d failed\n' "$ntotal" "$npass" "$nfail"
else
	printf '\n%d passed, %d failed\n' "$npass" "$nfail"
fi
<% if (starter) { -%>
# The results' last line: tests/grade.sh trusts no run whose results do not end with it.
printf 'E\tend\n' >>"$RESULTS"
if [ "$SHOW_TIER" != all ]; then
	# Never "all passed" while checks are hidden: say how many run only at grading.
	[ "$FORMAT" = tap ] && printf '# '
	printf 'those are the public checks: %d more run when your work is graded, with any hidden checks your teacher adds\n' "$nlater"
fi
# The score: tests/rubric's points for the rules whose checks all passed (tests/report.awk), in
# FORMAT. CHECK_REPORT=FORMAT:FILE also writes it as FORMAT (gradescope, autolab) to FILE, or last
# on stdout when FILE is -.
score() {
	# shellcheck disable=SC2086 # one word per file
	LC_ALL=C awk -f "$HERE/report.awk" -v format="$1" -v tier="$SHOW_TIER" -v later="$nlater" \
	    $RUBRIC_FILES "$RESULTS"
}
score "$FORMAT"
case $REPORT in
'') ;;
*:-) score "${REPORT%%:*}" || exit 1 ;;
*) score "${REPORT%%:*}" >"${REPORT#*:}" || exit 1 ;;
esac
<% } -%>
[ "$nfail" -eq 0 ]
