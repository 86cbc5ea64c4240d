#!/bin/sh
# The course grader's cost (tests/grade.sh -b, issue 17): a batch of 20 generated submissions of the
# starter's assignment (single model, tick), graded into the CSV, each figure a median of RUNS runs.
# Side by side, in alternation with each batch run, its floor: one `make check` of the reference
# project (the daemon's own self-test, once), so that the ratio says how many self-test runs a
# batch costs here.
#
# The 20 submissions: 14 finished ones (the reference's exercise files, each with a comment of its
# own, so that no build is shared), 3 untouched handouts, and 3 mutants of the reference that each
# break one daemonize() rule (the working directory, the umask, fd 0): those are graded twice,
# whole and with the reference's other files.
#
#   sh bench/grade.sh [runs] [jobs]     (default 3 runs, and grade.sh's default of 4 jobs)
set -eu
runs=${1:-3}
jobs=${2:-4}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cd-bench-grade.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

[ -f "$root/dist/cli.mjs" ] || (cd "$root" && node bin/build.mjs >/dev/null)
node "$root/bin/create-daemon.js" myd --yes --starter --dir "$work/handout" >/dev/null
node "$root/bin/create-daemon.js" myd --yes --dir "$work/reference" >/dev/null
make -s -C "$work/reference" CFLAGS=-O2 >/dev/null

subs=$work/subs
files='helper/log.c helper/pidfile.c helper/daemonize.c helper/signals.c'
i=0
while [ "$i" -lt 20 ]; do
	i=$((i + 1))
	d=$subs/s$(printf '%02d' "$i")
	mkdir -p "$d"
	for f in $files; do
		if [ "$i" -le 14 ]; then
			{ printf '/* student %d */\n' "$i"; cat "$work/reference/$f"; } >"$d/${f#helper/}"
		elif [ "$i" -le 17 ]; then
			cp "$work/handout/$f" "$d/${f#helper/}"
		else
			cp "$work/reference/$f" "$d/${f#helper/}"
		fi
	done
done
sed -i 's|chdir("/")|chdir("/tmp")|' "$subs/s18/daemonize.c"
sed -i 's|(void)umask(mask);|(void)umask(027 \| (mask \& 0));|' "$subs/s19/daemonize.c"
sed -i 's|for (i = 0; i <= 2; i++) {|for (i = 1; i <= 2; i++) {|' "$subs/s20/daemonize.c"

now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$work/batch.t"
: >"$work/check.t"
r=0
while [ "$r" -lt "$runs" ]; do
	r=$((r + 1))
	t0=$(now)
	(cd "$work/handout" && sh tests/grade.sh -r "$work/reference" -b -j "$jobs" "$subs") >"$work/grades.csv"
	t1=$(now)
	(cd "$work/reference" && make -s check CFLAGS=-O2) >/dev/null 2>&1
	t2=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >>"$work/batch.t"
	awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }' >>"$work/check.t"
done

batch=$(median <"$work/batch.t")
check=$(median <"$work/check.t")
rows=$(($(wc -l <"$work/grades.csv") - 1))
printf 'machine: %s cores, %s\n' "$(nproc 2>/dev/null || echo '?')" "$(uname -sr)"
printf 'runs: %s, jobs: %s, submissions graded: %s\n' "$runs" "$jobs" "$rows"
printf 'batch of 20 (CSV)          median %6.1f s\n' "$batch"
printf 'one make check (floor)     median %6.1f s\n' "$check"
awk -v b="$batch" -v c="$check" 'BEGIN { printf "ratio batch / make check   %6.1f\nper submission             %6.2f s\n", b / c, b / 20 }'
printf '\nthe CSV of the last run:\n'
cat "$work/grades.csv"
