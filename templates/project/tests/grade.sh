#!/bin/sh
# tests/grade.sh: the teacher's grader for <%- name %>'s assignment. Run it from a fresh copy of
# the handout (the tree `create-daemon <%- name %> --starter` wrote), never from a student's.
#
#   tests/grade.sh -r REFERENCE [-s SEEDFILE [-i ID | -M METADATA]] [-f FORMAT] [-o FILE]
#                  [-g GRADER_DIR] [-t SECONDS] SUBMISSION
#   tests/grade.sh -r REFERENCE [-s SEEDFILE] -b [-j JOBS] [-g GRADER_DIR] [-t SECONDS] DIR >grades.csv
#   tests/grade.sh -m DIR
#
# REFERENCE is the reference project, the same answers without --starter: its exercise files
# are the finished ones. SUBMISSION is a student's tree, or a directory holding their exercise
# files (<%- exerciseFiles.join(', ') %>), at the same paths or all at its top.
#
# Only those files are taken from the submission, into a copy of this tree: a student's edited
# Makefile, tests or check.sh are never run. The submission must build with the warning set as
# errors (-Werror); if it does not, it scores 0 and the compiler's first errors say why. Each
# exercise file is then graded linked with the reference's other files, so that a broken
# daemonize() does not cost the points of the signal rules: the whole submission is run once
# and, for each file one of whose rules did not pass, once more with that file alone the
# student's (unless it is the handout's file, untouched, or the other three are the reference's:
# its rules then keep the first run's result). Every run is contained (tests/probe contain: a
# child subreaper, so a daemon that left the session is still found; as root, also the init of a
# PID namespace of the run's own) and ended at its deadline (-t, 300 s), and every process it left
# behind is killed: a rule whose checks did not finish scores 0 as "timeout".
#
# -r DIR      the reference project: the same answers without --starter (create-daemon printed
#             the command); its exercise files are the finished ones
# -s SEEDFILE per-student variants: the file (- for standard input) holds the secret given to
#             create-daemon as --variant-seed, on one line. Each
#             submission is graded against its own student's variant, worked out again from the
#             seed and the id, as create-daemon did for the handout (tests/variant and
#             src/variant.c are rewritten; this tree must be a handout generated with
#             --variant-seed). Needs openssl; the seed is never in a command's arguments.
# -i ID       the student id of SUBMISSION (default: the submission directory's name)
# -M FILE     the id from Gradescope's submission_metadata.json: its first user's e-mail address
# -f FORMAT   text (the default: each rule's points, and the checks of each rule not passed), tap, gradescope (a results.json), autolab
#             (the JSON line Autolab reads, last on stdout) or csv (one row)
# -o FILE     write the report to FILE rather than to stdout
# -g DIR      the grader's hidden checks (GRADER_DIR: see tests/check.sh), with DIR/rubric
# -t SECONDS  each run's deadline (default 300): what it had not finished by then scores 0
# -b          batch: each directory in DIR is one submission, named by its id (the directory's
#             name, also the student id of -s); the CSV of id, points, max and each rule's
#             points goes to stdout
# -j JOBS     batch: how many submissions are graded at once (default 4)
# -m DIR      write the untouched exercise files to DIR: the base for a plagiarism checker
#             (MOSS's -b), so that the handout's own text is not counted as shared
#
# Exit status: 0 when the report was written (whatever the score), 2 for a usage error, 1 when
# this tree or the reference cannot be built and checked (a problem of the grader, not of the
# submission).

set -u
PROG=<%- sh.name %>
EXERCISES='<%- exerciseFiles.join(' ') %>'
STEPS='tests/step-daemonize tests/step-log tests/step-pidfile tests/step-signals'
TOP=$(cd "${0%/*}/.." && pwd -P) || exit 1
ME=grade.sh

synopsis() {
	printf 'usage: tests/grade.sh -r REFERENCE [-s SEEDFILE [-i ID | -M METADATA]] [-f FORMAT] [-o FILE]\n'
	printf '                      [-g GRADER_DIR] [-t SECONDS] SUBMISSION\n'
	printf '       tests/grade.sh -r REFERENCE [-s SEEDFILE] -b [-j JOBS] [-g GRADER_DIR] [-t SECONDS] DIR\n'
	printf '       tests/grade.sh -m DIR\n'
}

usage() {
	printf '%s: %s\n' "$ME" "$1" >&2
	synopsis >&2
	exit 2
}

# -h: the synopsis and the options, from this file's opening comment.
if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
	synopsis
	sed -n '/^# -r DIR/,/^# submission)/p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

REFERENCE='' FORMAT=text OUT='' PACK='' DEADLINE=300 BATCH=no JOBS=4 MOSS='' SEEDFILE='' ID='' META=''
while getopts ':r:s:i:M:f:o:g:t:bj:m:' opt; do
	case $opt in
	r) REFERENCE=$OPTARG ;;
	s) SEEDFILE=$OPTARG ;;
	i) ID=$OPTARG ;;
	M) META=$OPTARG ;;
	f) FORMAT=$OPTARG ;;
	o) OUT=$OPTARG ;;
	g) PACK=$OPTARG ;;
	t) DEADLINE=$OPTARG ;;
	b) BATCH=yes ;;
	j) JOBS=$OPTARG ;;
	m) MOSS=$OPTARG ;;
	:) usage "-$OPTARG needs a value" ;;
	*) usage "unknown option -$OPTARG" ;;
	esac
done
shift $((OPTIND - 1))

if [ -n "$MOSS" ]; then
	[ $# -eq 0 ] || usage "-m takes no submission"
	for f in $EXERCISES; do
		mkdir -p "$MOSS/${f%/*}" && cp "$TOP/$f" "$MOSS/$f" || exit 1
	done
	printf '%s: the untouched exercise files are in %s\n' "$ME" "$MOSS" >&2
	if [ -f "$TOP/tests/variant" ]; then
		# shellcheck disable=SC1091 # this handout's variant
		m_reload=$(. "$TOP/tests/variant" && printf %s "$VARIANT_RELOAD")
		printf '%s: their comments are those of a variant reloading on SIG%s: also run -m in a handout whose variant reloads on the other signal, and give MOSS both bases (-b each file)\n' "$ME" "$m_reload" >&2
	fi
	exit 0
fi

[ $# -eq 1 ] || usage "give one submission (or, with -b, one directory of them)"
[ -n "$REFERENCE" ] || usage "-r REFERENCE is needed: the reference project (the same answers without --starter)"
case $FORMAT in text | tap | gradescope | autolab | csv) ;; *) usage "-f must be text, tap, gradescope, autolab or csv, got \"$FORMAT\"" ;; esac
# At most 9 digits: what tests/probe contain takes.
case $DEADLINE in '' | *[!0-9]* | 0 | ??????????*) usage "-t must be a number of seconds (1 to 999999999), got \"$DEADLINE\"" ;; esac
case $JOBS in '' | *[!0-9]* | 0) usage "-j must be a number of submissions, got \"$JOBS\"" ;; esac
REFERENCE=$(cd "$REFERENCE" 2>/dev/null && pwd -P) || usage "-r: no such directory"
for f in $EXERCISES; do
	[ -f "$REFERENCE/$f" ] || usage "-r: $REFERENCE has no $f: give the reference project (the same answers without --starter)"
done
# answer KEY DIR: a saved answer of DIR's .yo-rc.json (one line each, as create-daemon writes it).
answer() {
	sed -n "s/^ *\"$1\": *\(.*[^,]\),\{0,1\}\$/\1/p" "$2/.yo-rc.json" 2>/dev/null | head -n 1
}
[ "$(answer starter "$REFERENCE")" = false ] ||
    usage "-r: $REFERENCE is a starter, not the reference: generate the same answers without --starter"
for k in name payload reload umask; do
	# (A handout copied without its .yo-rc.json is taken on trust.)
	if [ -n "$(answer "$k" "$TOP")" ] && [ "$(answer "$k" "$REFERENCE")" != "$(answer "$k" "$TOP")" ]; then
		usage "-r: the reference's $k is $(answer "$k" "$REFERENCE"), this handout's $(answer "$k" "$TOP"): generate the reference with the handout's answers (create-daemon printed the command)"
	fi
done
# The rubric files every report reads: this tree's, and the grader's pack's own rows.
RUBRICS=$TOP/tests/rubric
if [ -n "$PACK" ]; then
	PACK=$(cd "$PACK" 2>/dev/null && pwd -P) || usage "-g: no such directory"
	if [ -f "$PACK/rubric" ]; then
		bad_row=$(awk -F '\t' '!/^#/ && !/^[ \t]*$/ && (NF != 5 || $2 !~ /^[0-9]+$/) { print NR; exit }' "$PACK/rubric")
		[ -z "$bad_row" ] || usage "-g: $PACK/rubric line $bad_row: want id<TAB>points<TAB>secret<TAB>-<TAB>title, five fields separated by tabs"
		RUBRICS="$RUBRICS $PACK/rubric"
	fi
fi
SUB=$(cd "$1" 2>/dev/null && pwd -P) || usage "no such directory: $1"
# The submission's name as given, not as resolved: a link named bob is bob's (the resolved
# name for ".", ".." or "/", which name nobody).
GIVEN=$1
while [ "${GIVEN%/}" != "$GIVEN" ]; do GIVEN=${GIVEN%/}; done
GIVEN=${GIVEN##*/}
case $GIVEN in '' | . | ..) GIVEN=${SUB##*/} ;; esac
# Per-student variants (create-daemon --variant-seed): this handout's, and the seed.
if [ -f "$TOP/tests/variant" ]; then
	[ -n "$SEEDFILE" ] || usage "this handout has a per-student variant (tests/variant): give -s SEEDFILE, the secret of --variant-seed"
	command -v openssl >/dev/null 2>&1 || usage "-s needs openssl (for HMAC-SHA256)"
	SEED=$(cat "$SEEDFILE" 2>/dev/null) || usage "-s: cannot read $SEEDFILE"
	# Read from standard input: nothing of the grader's keeps it open for the runs to reopen.
	[ "$SEEDFILE" != - ] || exec </dev/null
	# As create-daemon takes it: at least 8 bytes, no control character (a CR of a CRLF file). In
	# bytes (LC_ALL=C): a shell in a UTF-8 locale would count U+2028 as one, where Node does not.
	[ "$(printf %s "$SEED" | wc -c)" -ge 8 ] || usage "-s: $SEEDFILE must hold the seed, at least 8 bytes"
	[ "$(printf %s "$SEED" | LC_ALL=C tr -d '[:cntrl:]')" = "$SEED" ] ||
	    usage "-s: the seed in $SEEDFILE has a control character (a line end inside it, or a CR): write it on one line, as given to --variant-seed"
	# The pid file's directory, as each language quotes it: the same for every student.
	PID_SH=$(sed -n 's|^VARIANT_PIDFILE=\(.*/\)[^/]*$|\1|p' "$TOP/tests/variant")
	PID_C=$(sed -n 's|^const char	variant_pidfile\[\] = \(".*/\)[^/]*";$|\1|p' "$TOP/src/variant.c")
	if [ -z "$PID_SH" ] || [ -z "$PID_C" ]; then
		usage "tests/variant or src/variant.c is not as create-daemon wrote it"
	fi
elif [ -n "$SEEDFILE" ]; then
	usage "-s: this handout has no per-student variant (no tests/variant): generate it with --variant-seed"
fi
[ -z "$ID$META" ] || [ -n "$SEEDFILE" ] || usage "-i and -M name the student of a variant: give -s too"
[ -z "$ID$META" ] || [ "$BATCH" = no ] || usage "-i and -M are for one submission; in a batch, each directory's name is its id"
[ -z "$ID" ] || [ -z "$META" ] || usage "-i and -M both name the student: give one"
if [ -n "$META" ]; then
	if [ ! -f "$META" ] || [ ! -r "$META" ]; then usage "-M: cannot read $META"; fi
	# One JSON member a line, enough to find the first "email" (Gradescope's metadata format): the
	# first user's, whatever its value (a null one is not the next user's address).
	# shellcheck disable=SC2020 # each of the three characters becomes a newline
	ID=$(tr ',{}' '\n\n\n' <"$META" |
	    sed -n '/^[[:space:]]*"email"[[:space:]]*:/{s/^[[:space:]]*"email"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p;q;}')
	[ -n "$ID" ] || usage "-M: the first user in $META has no \"email\" address"
fi
# The report's file, tried now: not found unwritable after the grading.
if [ -n "$OUT" ]; then
	: >"$OUT" 2>/dev/null || usage "-o: cannot write $OUT"
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/$PROG-grade.XXXXXX") || exit 1
# Nothing is left: the runs' processes are killed by probe contain, the files here.
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM HUP

# As root, each run has a PID namespace of its own, with probe contain as its init: a process of
# the run can neither kill it (pid_namespaces(7): init gets only the signals it handles) nor outlive
# it (when init exits, the kernel kills every process left in the namespace), whatever it calls
# itself. Elsewhere, probe contain alone: a child subreaper.
PIDNS=''
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 &&
    unshare --pid --fork --mount-proc true >/dev/null 2>&1; then
	PIDNS='unshare --pid --fork --mount-proc'
fi

# student_ok ID: whether ID is a student id as create-daemon --student takes it.
student_ok() {
	case $1 in
	'' | [!A-Za-z0-9]* | *[!A-Za-z0-9._@+-]*) return 1 ;;
	esac
	[ "${#1}" -le 64 ]
}

# variant_pads: IPAD and OPAD, the seed XOR 0x36 and XOR 0x5c padded to SHA-256's block, as
# printf escapes (RFC 2104): openssl then hashes, and the seed is never in a command's arguments,
# where any user's ps(1) would show it.
variant_pads() {
	p_key=$(printf %s "$SEED" | od -An -v -tx1 | tr -d ' \n')
	# A key longer than the block is hashed first.
	[ "${#p_key}" -le 128 ] || p_key=$(printf %s "$SEED" | openssl dgst -sha256 | sed 's/^.*= *//')
	IPAD='' OPAD='' p_n=0
	while [ "$p_n" -lt 64 ]; do
		p_b=0
		if [ -n "$p_key" ]; then
			p_b=$((0x${p_key%"${p_key#??}"}))
			p_key=${p_key#??}
		fi
		IPAD=$IPAD$(printf '\\%03o' $((p_b ^ 54)))
		OPAD=$OPAD$(printf '\\%03o' $((p_b ^ 92)))
		p_n=$((p_n + 1))
	done
}

# lower ID: the id in lower case, as create-daemon takes it ("Ada" and "ada" are one student).
lower() {
	printf %s "$1" | tr '[:upper:]' '[:lower:]'
}

# variant_digest ID: HMAC-SHA256(seed, "create-daemon variant 1\nID") in hex, as core/variant.ts
# (ID in lower case). Every digest is worked out before any submission runs; then the seed is forgotten.
variant_digest() {
	# shellcheck disable=SC2059 # the pads are printf escapes, on purpose
	{ printf "$OPAD"; { printf "$IPAD"; printf 'create-daemon variant 1\n%s' "$(lower "$1")"; } | openssl dgst -sha256 -binary; } |
	    openssl dgst -sha256 | sed 's/^.*= *//'
}

# set_variant DIR ID DIGEST: DIR's tests/variant and src/variant.c for that student, the values
# derived from the digest's hex digits as core/variant.ts derives them, each file's comment kept.
set_variant() {
	sv_h=$3
	if [ $((0x$(printf %s "$sv_h" | cut -c1) & 1)) -eq 1 ]; then sv_r=USR2 sv_s=HUP; else sv_r=HUP sv_s=USR2; fi
	sv_f=local$((0x$(printf %s "$sv_h" | cut -c2) % 8))
	sv_i=$PROG-$(printf %s "$sv_h" | cut -c3-6)
	sv_t=$(printf %s "$sv_h" | cut -c7-14)
	sv_p=$PROG-$(printf %s "$sv_h" | cut -c15-18).pid
	grep -v '^VARIANT_' "$1/tests/variant" >"$1/tests/variant.new"
	printf "VARIANT_STUDENT='%s'\nVARIANT_RELOAD='%s'\nVARIANT_SPARE='%s'\nVARIANT_IDENT='%s'\nVARIANT_FACILITY='%s'\nVARIANT_TOKEN='%s'\nVARIANT_PIDFILE=%s%s'\n" \
	    "$(lower "$2")" "$sv_r" "$sv_s" "$sv_i" "$sv_f" "$sv_t" "$PID_SH" "$sv_p" >>"$1/tests/variant.new"
	grep -v '^const ' "$1/src/variant.c" >"$1/src/variant.c.new"
	printf 'const char\tvariant_ident[] = "%s";\nconst int\tvariant_facility = LOG_%s;\nconst char\tvariant_token[] = "%s";\nconst char\tvariant_pidfile[] = %s%s";\n' \
	    "$sv_i" "$(printf %s "$sv_f" | tr '[:lower:]' '[:upper:]')" "$sv_t" "$PID_C" "$sv_p" >>"$1/src/variant.c.new"
	# Removed, as take() removes a student's: a rewrite in the same second as the base's build
	# would otherwise look up to date.
	rm -f "$1/src/variant.o"
	mv "$1/tests/variant.new" "$1/tests/variant" && mv "$1/src/variant.c.new" "$1/src/variant.c"
}

# The grader's flags: the project's warnings, as errors, exactly as the student's README has them
# build it (make CFLAGS=-Werror), so that the gate is one they can run themselves.
GRADE_CFLAGS='-Werror'

# build DIR LOG: the daemon, the probe and the step drivers of the tree DIR.
build() {
	# shellcheck disable=SC2086 # one word per program
	# LC_ALL=C: the compiler's messages in ASCII, as every report format keeps them.
	(cd "$1" && LC_ALL=C make -s CFLAGS="$GRADE_CFLAGS" "$PROG" tests/probe $STEPS) >"$2" 2>&1
}

# base: this tree with the reference's exercise files, built; every tree graded is a copy.
make_base() {
	mkdir "$W/base" && cp -R "$TOP/." "$W/base/" && rm -rf "$W/base/.git" || return 1
	(cd "$W/base" && make -s clean) >/dev/null 2>&1
	for f in $EXERCISES; do
		cp "$REFERENCE/$f" "$W/base/$f" || return 1
	done
	if ! build "$W/base" "$W/base.log"; then
		printf '%s: the reference does not build in this tree:\n' "$ME" >&2
		head -n 20 "$W/base.log" >&2
		return 1
	fi
}

# subroot SUB: where the submission's exercise files are: SUB, or the one directory SUB holds
# when they are not in SUB itself (a project handed in as a folder of its own).
subroot() {
	for f in $EXERCISES; do
		if [ -e "$1/$f" ] || [ -e "$1/${f##*/}" ] || [ -L "$1/$f" ] || [ -L "$1/${f##*/}" ]; then
			printf '%s\n' "$1"
			return 0
		fi
	done
	# The one directory, whatever plain files or __MACOSX/ (a zip made on a Mac) lie beside it.
	s_root=$1 s_one=''
	for d in "$1"/*; do
		if [ ! -d "$d" ] || [ -L "$d" ] || [ "${d##*/}" = __MACOSX ]; then continue; fi
		[ -z "$s_one" ] || { s_one=''; break; }
		s_one=$d
	done
	printf '%s\n' "${s_one:-$s_root}"
}

# inside SUB F: whether the submission's F is its own file: neither F nor a directory on its way
# is a symbolic link (a link could name the reference's files, or another student's).
inside() {
	[ ! -L "$1/$2" ] || return 1
	case $2 in */*) ;; *) return 0 ;; esac
	i_root=$(cd "$1" 2>/dev/null && pwd -P) || return 1
	i_dir=$(cd "$1/${2%/*}" 2>/dev/null && pwd -P) || return 0
	[ "$i_dir" = "$i_root/${2%/*}" ]
}

# take SUB F DEST: the submission's F (at its path, or at the submission's top), else the
# handout's untouched one; its object is removed, so that make rebuilds exactly it.
take() {
	if ! inside "$1" "$2" || [ -L "$1/${2##*/}" ]; then
		# Never followed: it could name any file of the grader's.
		cp "$TOP/$2" "$3/$2"
		printf 'N\t%s: a symbolic link, not graded; the handout'"'"'s was graded\n' "$2" >>"$4"
	elif [ -f "$1/$2" ]; then
		cp "$1/$2" "$3/$2"
	elif [ -f "$1/${2##*/}" ]; then
		cp "$1/${2##*/}" "$3/$2"
	else
		cp "$TOP/$2" "$3/$2"
		printf 'N\t%s: not in the submission; the handout'"'"'s was graded\n' "$2" >>"$4"
	fi
	rm -f "$3/${2%.c}.o"
}

# run TREE RESULTS: check.sh in TREE, contained and with a deadline, all tiers, its output in
# RESULTS.out. A deadline that ran out is a "D" line in the results: the rules none of whose
# checks ran score 0 as "timeout" (tests/report.awk).
run() {
	mkdir -p "$1/tmp"
	r_tree=$1 r_res=$2 r_what=$3
	# The run's environment is only what check.sh reads: none of the grader's (a seed exported
	# for create-daemon, OLDPWD naming the teacher's directory) reaches the student's code.
	set -- PATH="${PATH:-/usr/bin:/bin}" HOME="${HOME:-/}" LC_ALL=C
	[ -z "${XDG_RUNTIME_DIR:-}" ] || set -- "$@" XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR"
	[ -z "${GRADER_TIMEOUT:-}" ] || set -- "$@" GRADER_TIMEOUT="$GRADER_TIMEOUT"
	# shellcheck disable=SC2086 # PIDNS: a command and its options, or nothing
	(cd "$r_tree" && env -i "$@" TMPDIR="$r_tree/tmp" CHECK_RESULTS="$r_res" CHECK_TIER=all GRADER_DIR="$PACK" CHECK_VERSION='' \
	    $PIDNS "$W/base/tests/probe" contain "$DEADLINE" "$r_res.contain" sh tests/check.sh "$PROG" tests/probe) \
	    >"$r_res.out" 2>&1 </dev/null
	set -- "$r_tree" "$r_res" "$r_what"
	how='' left=''
	[ -f "$2.contain" ] && read -r how _ _ left <"$2.contain"
	if [ "$how" = timeout ]; then
		printf 'D\t\nN\t%s: stopped at its deadline (%s s)\n' "$3" "$DEADLINE" >>"$2"
	elif [ "$how" != exit ] || [ "$(tail -n 1 "$2" 2>/dev/null)" != "E	end" ]; then
		# check.sh was killed, or the grader was, or the results do not end as check.sh ends them:
		# nothing in them can be trusted to be complete.
		printf 'D\t\nN\t%s: did not finish (%s): its rules score 0\n' "$3" "${how:-no status}" >>"$2"
	fi
	case ${left:-0} in
	0) ;;
	*) printf 'N\t%s: %s processes it left behind were killed\n' "$3" "$left" >>"$2" ;;
	esac
	return 0
}

# ran_out RESULTS: whether that run was stopped at its deadline.
ran_out() {
	grep -q '^D	' "$1"
}

# failing_files RESULTS: the exercise files one of whose rules did not pass.
failing_files() {
	# shellcheck disable=SC2086
	LC_ALL=C awk -F '\t' '
	    FILENAME != res && !/^#/ && NF >= 5 { file[$1] = $4; next }
	    $1 == "R" && $3 in file { n[$3]++; if ($2 != "pass" && $2 != "skip") bad[file[$3]] = 1 }
	    END { for (r in file) if (!(r in n)) bad[file[r]] = 1; for (f in bad) print f }' \
	    res="$1" "$TOP/tests/rubric" "$1"
}

# handouts FILE F: whether FILE is the handout's F, untouched. A variant's handout names its own
# signals in comments, so then SIGHUP and SIGUSR2 compare as one: any student's untouched file is.
handouts() {
	cmp -s "$1" "$TOP/$2" && return 0
	[ -f "$TOP/tests/variant" ] || return 1
	h_swap='s/SIGHUP/SIG_/g; s/SIGUSR2/SIG_/g; s/ HUP / _ /g; s/ USR2 / _ /g'
	[ "$(sed "$h_swap" "$1")" = "$(sed "$h_swap" "$TOP/$2")" ]
}

# pick RESULTS FILE: the records of RESULTS whose rule is one of FILE's ("" for the others).
pick() {
	LC_ALL=C awk -F '\t' -v want="$2" '
	    FILENAME != res && !/^#/ && NF >= 5 { file[$1] = $4; next }
	    $1 == "R" { keep = (($3 in file) ? file[$3] : "") == want }
	    $1 == "N" { if (want == "") print; next }
	    $1 == "D" { print "D\t" want; next }
	    keep' res="$1" "$TOP/tests/rubric" "$1"
}

# grade SUB DIR [ID DIGEST]: grades the submission SUB in DIR, against the variant of student
# ID when given; the results are DIR/results.
grade() {
	g_sub=$(subroot "$1") g_dir=$2 g_id=${3:-} g_digest=${4:-}
	mkdir -p "$g_dir"
	: >"$g_dir/results"
	[ "$g_sub" = "$1" ] || printf 'N\tthe files were graded from %s/, the one folder handed in\n' "${g_sub##*/}" >>"$g_dir/results"
	cp -Rp "$W/base" "$g_dir/all" || return 1
	if [ -n "$g_id" ]; then
		set_variant "$g_dir/all" "$g_id" "$g_digest" || return 1
		printf 'N\tgraded against the variant of student %s\n' "$(lower "$g_id")" >>"$g_dir/results"
	fi
	h_untouched=yes
	for f in $EXERCISES; do
		take "$g_sub" "$f" "$g_dir/all" "$g_dir/results"
		handouts "$g_dir/all/$f" "$f" || h_untouched=no
	done
	[ "$h_untouched" = no ] ||
	    printf 'N\tevery exercise file is the handout'"'"'s, untouched: nothing of the student'"'"'s was graded\n' >>"$g_dir/results"
	if ! build "$g_dir/all" "$g_dir/build.log"; then
		printf 'N\tthe submission does not build with the warnings as errors (-Werror): 0 points. The first errors:\n' >>"$g_dir/results"
		grep -E 'error|warning' "$g_dir/build.log" | head -n 15 | sed 's/^/N\t    /' >>"$g_dir/results"
		return 0
	fi
	run "$g_dir/all" "$g_dir/all.results" "the submission's run"
	if ran_out "$g_dir/all.results"; then
		redo=$EXERCISES
	else
		redo=$(failing_files "$g_dir/all.results")
	fi
	# Every rule passed: the run is the grade (each process counts in a batch of hundreds).
	if [ -z "$redo" ]; then
		cat "$g_dir/all.results" >>"$g_dir/results"
		return 0
	fi
	# The given code's checks and the hidden ones, and the rules of the files that passed: this run.
	pick "$g_dir/all.results" "" >>"$g_dir/results"
	# shellcheck disable=SC2086 # one word per file
	redo=$(printf ' %s ' $redo)
	for f in $EXERCISES; do
		redo_it=$redo
		case $redo_it in
		*" $f "*)
			# A file the student left as the handout has it: nothing to grade apart.
			handouts "$g_dir/all/$f" "$f" && redo_it=''
			# Every other file the reference's already: the first run was that run.
			same=yes
			for o in $EXERCISES; do
				[ "$o" = "$f" ] || cmp -s "$g_dir/all/$o" "$W/base/$o" || same=no
			done
			[ "$same" = yes ] && redo_it=''
			;;
		esac
		case $redo_it in
		*" $f "*)
			# Graded again, linked with the reference's other files.
			v=$g_dir/$(printf '%s' "${f##*/}" | tr -c 'a-z0-9\n' _)
			cp -Rp "$W/base" "$v" || return 1
			[ -z "$g_id" ] || set_variant "$v" "$g_id" "$g_digest" || return 1
			take "$g_sub" "$f" "$v" /dev/null
			build "$v" "$v.log" || return 1
			run "$v" "$v.results" "$f with the reference's other files"
			pick "$v.results" "$f" >>"$g_dir/results"
			;;
		*) pick "$g_dir/all.results" "$f" >>"$g_dir/results" ;;
		esac
	done
	return 0
}

# report RESULTS FORMAT [ID [AWK-OPTION...]]: the score of RESULTS.
report() {
	r_res=$1 r_fmt=$2 r_id=${3:-}
	shift 2
	[ $# -gt 0 ] && shift
	# shellcheck disable=SC2086 # one word per file
	REPORT_ID=$r_id LC_ALL=C awk -f "$TOP/tests/report.awk" -v format="$r_fmt" -v verbose=1 -v full=1 "$@" $RUBRICS "$r_res"
}

# The pads, and the seed forgotten; then one submission's student, before anything is built: a
# wrong id is a usage error.
if [ -n "$SEEDFILE" ]; then
	variant_pads
	unset SEED
	# The handout's own record (.yo-rc.json: "ID HMAC") proves the seed: a wrong one is refused
	# here, not found out as every student's wrong variant.
	saved=$(answer variant "$TOP" | tr -d '"')
	if [ -n "$saved" ] && [ "$(variant_digest "${saved%% *}")" != "${saved#* }" ]; then
		usage "-s: this is not the seed the handout was generated with (its .yo-rc.json has ${saved%% *}'s variant): check $SEEDFILE"
	fi
fi
if [ "$BATCH" = no ] && [ -n "$SEEDFILE" ]; then
	# Gradescope's directory is "submission": its id is in the metadata (-M).
	[ -n "$ID" ] || [ "$GIVEN" != submission ] ||
	    usage "which student's variant? give -M /autograder/submission_metadata.json, or -i ID"
	ID=${ID:-$GIVEN}
	student_ok "$ID" || usage "\"$ID\" is not a student id (1-64 letters, digits and . _ @ + -): give it with -i"
	DIGEST=$(variant_digest "$ID")
	if [ "${#DIGEST}" -ne 64 ]; then
		printf '%s: openssl failed to compute the HMAC\n' "$ME" >&2
		exit 1
	fi
	unset IPAD OPAD
fi

make_base || exit 1

if [ "$BATCH" = no ]; then
	if [ -n "$SEEDFILE" ]; then
		grade "$SUB" "$W/one" "$ID" "$DIGEST" || exit 1
	else
		grade "$SUB" "$W/one" || exit 1
	fi
	one() {
		# A CSV of one submission has its header too.
		[ "$FORMAT" != csv ] || report /dev/null csv '' -v header=1
		report "$W/one/results" "$FORMAT" "${ID:-$GIVEN}"
	}
	if [ -n "$OUT" ]; then
		one >"$OUT" || exit 1
	else
		one
	fi
	exit 0
fi

# Batch: JOBS lanes, each grading every JOBS-th submission in turn; the rows in DIR's order.
i=0
for s in "$SUB"/*/; do
	[ -d "$s" ] || continue
	i=$((i + 1))
	s=${s%/}
	printf '%s\n' "$s" >"$W/sub.$i"
	# The name as a row shows it; one with a control character (a newline) is not graded.
	printf %s "${s##*/}" | tr '[:cntrl:]' '?' >"$W/name.$i"
	case ${s##*/} in *[[:cntrl:]]*) : >"$W/badname.$i" ;; esac
	# A link is not a submission: it could name the reference, or another student's.
	[ -L "$s" ] && continue
	# Each student's digest now, before any submission runs, kept in this shell (not in a file
	# a submission could read or change).
	if [ -n "$SEEDFILE" ] && student_ok "${s##*/}"; then
		d=$(variant_digest "${s##*/}")
		eval "DIGEST_$i=\$d"
	fi
done
unset IPAD OPAD
lane=1
while [ "$lane" -le "$JOBS" ]; do
	(
		# This lane's students' digests only: the others' are not in its memory for a run to read.
		j=1
		while [ "$j" -le "$i" ]; do
			[ $(((j - lane) % JOBS)) -eq 0 ] || unset "DIGEST_$j"
			j=$((j + 1))
		done
		k=$lane
		while [ -f "$W/sub.$k" ]; do
			s=$(cat "$W/sub.$k")
			eval "d=\${DIGEST_$k:-}"
			if [ -L "$s" ] || [ -f "$W/badname.$k" ]; then
				:
			elif [ -z "$SEEDFILE" ]; then
				grade "$s" "$W/g.$k" >/dev/null 2>&1 && report "$W/g.$k/results" csv "${s##*/}" >"$W/row.$k"
			elif [ -n "$d" ]; then
				grade "$s" "$W/g.$k" "${s##*/}" "$d" >/dev/null 2>&1 &&
				    report "$W/g.$k/results" csv "${s##*/}" >"$W/row.$k"
			fi
			rm -rf "$W/g.$k"
			k=$((k + JOBS))
		done
	) &
	lane=$((lane + 1))
done
wait
csv() {
	report /dev/null csv '' -v header=1
	k=1
	while [ "$k" -le "$i" ]; do
		if [ -f "$W/row.$k" ]; then
			cat "$W/row.$k"
		else
			s=$(cat "$W/sub.$k")
			if [ -L "$s" ]; then
				why='a symbolic link, not a directory of its own'
			elif [ -f "$W/badname.$k" ]; then
				why='its name has a control character (a line end)'
			elif [ -n "$SEEDFILE" ] && ! student_ok "${s##*/}"; then
				why='not a student id, so no variant (1-64 letters, digits and . _ @ + -)'
			else
				why='the grader failed on it'
			fi
			# A row like every other, its rules at 0: the note in the note column.
			printf 'N\tnot graded: %s\n' "$why" >"$W/ng.$k"
			report "$W/ng.$k" csv "$(cat "$W/name.$k")"
		fi
		k=$((k + 1))
	done
}
if [ -n "$OUT" ]; then csv >"$OUT"; else csv; fi
