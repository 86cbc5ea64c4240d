# tests/report.awk: the score of a run of tests/check.sh, from its neutral results, in the form a
# person or a grading platform reads. One results model, a thin adapter per format.
#
# Usage: awk -f tests/report.awk [-v format=F] [-v tier=T] [-v later=N]
#            [-v verbose=1] RUBRIC... RESULTS
#
# RUBRIC (tests/rubric, and a grader's GRADER_DIR/rubric): "id<tab>points<tab>tier<tab>file<tab>title"
# per rule; # starts a comment. RESULTS (check.sh's CHECK_RESULTS): "R<tab>status<tab>rule<tab>
# section<tab>check" per check (status pass, fail, timeout or skip), each followed by "S<tab>text"
# lines of what was seen; "N<tab>text" lines are notes on the whole run, and "D<tab>file" says the
# run that graded FILE's rules ("" for every rule) was stopped at its deadline (tests/grade.sh's).
#
# A rule's points need every one of its checks: it scores them when at least one of its checks
# passed and none failed or timed out, in a run that finished. A rule of a run ended at its
# deadline (a "D" line for its file) scores 0, "timeout". A rule none of whose
# checks ran scores 0, "not run"; one whose checks were all skipped 0 too, "skipped": nothing
# was proven.
#
# format: text (make check), tap (make grade: comment lines after the plan), gradescope (a
# results.json, https://gradescope-autograders.readthedocs.io/en/latest/specs/), autolab (one JSON
# line, {"scores": {rule: points}, "scoreboard": [total]}, Autolab's autoresult), csv (one row:
# id (REPORT_ID in the environment), points, max, then each rule's points; header=1 prints the
# header row instead).
# tier: all (every rule), or public (a student's make check: the other rules are graded later).
# verbose: text lists the checks of each rule that did not pass (tests/grade.sh).
# full: tap prints the whole TAP stream, a test per check, before the rules (tests/grade.sh).

BEGIN {
	FS = "\t"
	if (format == "") format = "text"
	# The submission's id from the environment: -v would turn its backslashes into escapes.
	if (id == "") id = ENVIRON["REPORT_ID"]
	if (tier == "") tier = "all"
	nrules = 0
	cur = ""
}

/^#/ || /^[ \t]*$/ { next }

$1 == "R" {
	rule = $3
	if (rule == "" || !(rule in points)) rule = "-"
	cur = ++nchecks
	check_rule[cur] = rule
	check_status[cur] = $2
	check_name[cur] = $5
	check_seen[cur] = ""
	n[rule, $2]++
	count[rule]++
	# By section: a rule whose functions pass on their own (steps) but whose daemon checks fail.
	if ($4 == "steps") insteps[rule, $2 == "pass" ? "pass" : "fail"]++
	next
}

$1 == "S" {
	if (cur != "") check_seen[cur] = check_seen[cur] substr($0, 3) "\n"
	next
}

$1 == "N" {
	notes = notes substr($0, 3) "\n"
	next
}

$1 == "E" { next }

# "D<tab>file": the run that graded FILE's rules ("" for all) was stopped at its deadline.
$1 == "D" {
	ran_out_file[$2] = 1
	next
}

{
	# A rubric row. A later file's row of the same id (the grader's rubric) replaces it.
	if (!($1 in points)) order[++nrules] = $1
	points[$1] = $2 + 0
	rtier[$1] = $3
	rfile[$1] = $4
	title[$1] = $5
}

# A run stopped at its deadline may not have reached all of a rule's checks: its rules never
# score, "timeout" (unless one of their checks failed already).
function status(r) {
	if (n[r, "timeout"] > 0) return "timeout"
	if (n[r, "fail"] > 0) return "failed"
	if (rfile[r] in ran_out_file) return "timeout"
	if (n[r, "pass"] > 0) return "passed"
	if (n[r, "skip"] > 0) return "skipped"
	return "not run"
}

# A student's make check counts the public rules, and a grader's pack's secret ones when it is
# given (whoever has the pack sees them); the release rules are graded later.
function counted(r) {
	return tier == "all" || rtier[r] == "public" || rtier[r] == "secret"
}

function why(r,    s, w) {
	s = status(r)
	if (s == "failed") {
		w = n[r, "fail"] " of " count[r] " checks failed"
		if (n[r, "timeout"] > 0) w = w ", " n[r, "timeout"] " timed out"
		return w
	}
	if (s == "timeout" && n[r, "timeout"] > 0) return n[r, "timeout"] " of " count[r] " checks timed out"
	if (s == "timeout") return "the run was stopped at its deadline before it finished these checks"
	if (s == "skipped") return "every check was skipped here: nothing was proven"
	if (s == "not run") return "none of its checks ran"
	return ""
}

# The checks of rule r, as make check prints them.
function detail(r,    i, out, line, k, m, parts) {
	out = ""
	for (i = 1; i <= nchecks; i++) {
		if (check_rule[i] != r) continue
		line = check_status[i] == "pass" ? "ok   " : check_status[i] == "skip" ? "skip " : "FAIL "
		out = out line check_name[i] (check_status[i] == "timeout" ? " (timed out)" : "") "\n"
		if (check_status[i] == "pass" || check_seen[i] == "") continue
		m = split(check_seen[i], parts, "\n")
		for (k = 1; k < m; k++) out = out "     seen: " parts[k] "\n"
	}
	return out
}

# A JSON string: quotes, backslashes and control characters escaped; bytes outside ASCII become
# "?" (a student's program may print anything, and results.json must be valid UTF-8). One
# character at a time, by concatenation: gsub's replacement text treats backslashes differently
# in mawk, gawk and BWK awk.
function js(s,    out, i, c) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\") c = "\\\\"
		else if (c == "\"") c = "\\\""
		else if (c == "\n") c = "\\n"
		else if (c == "\t") c = "\\t"
		else if (c < " " || c > "~") c = "?"
		out = out c
	}
	return "\"" out "\""
}

function visibility(r) {
	if (rtier[r] == "secret") return "hidden"
	if (rtier[r] == "release") return "after_due_date"
	return "visible"
}

END {
	total = 0
	max = 0
	laterpts = 0
	for (i = 1; i <= nrules; i++) {
		r = order[i]
		got[r] = status(r) == "passed" ? points[r] : 0
		if (!counted(r)) {
			laterpts += points[r]
			continue
		}
		total += got[r]
		max += points[r]
	}

	if (format == "text") {
		printf "\n== score (tests/rubric: a rule's points need every one of its checks)\n"
		for (i = 1; i <= nrules; i++) {
			r = order[i]
			if (!counted(r)) continue
			w = why(r)
			printf "%3d/%-3d %-9s %s%s\n", got[r], points[r], r, title[r], w == "" ? "" : " (" w ")"
			# make check has no reference: say when only the daemon's checks, which need every
			# exercise file, stand between this rule and its points.
			if (tier == "public" && status(r) == "failed" && insteps[r, "pass"] > 0 && insteps[r, "fail"] == 0)
				printf "          its functions pass on their own (section steps); the failed checks run the\n          daemon, which needs the other exercise files too (graded, with the reference's)\n"
			if (verbose && status(r) != "passed") {
				d = detail(r)
				gsub(/\n/, "\n          ", d)
				sub(/ +$/, "", d)
				printf "          %s", d
			}
		}
		printf "%s", notes
		printf "score: %d/%d points", total, max
		if (laterpts > 0)
			printf "; %d more points are graded when you submit (%d checks that run only then)", laterpts, later
		printf "\n"
	} else if (format == "tap") {
		# full: the whole TAP stream from the results (tests/grade.sh); make grade has check.sh's.
		if (full) {
			printf "TAP version 13\n"
			for (i = 1; i <= nchecks; i++) {
				printf "%s %d - %s%s\n", check_status[i] == "pass" || check_status[i] == "skip" ? "ok" : "not ok", i, check_name[i], check_status[i] == "skip" ? " # SKIP" : check_status[i] == "timeout" ? " (timed out)" : ""
				if (check_rule[i] != "-") printf "# rule: %s\n", check_rule[i]
				if (check_status[i] != "pass" && check_seen[i] != "") {
					m = split(check_seen[i], parts, "\n")
					for (k = 1; k < m; k++) printf "# seen: %s\n", parts[k]
				}
			}
			printf "1..%d\n", nchecks
			if (notes != "") {
				m = split(notes, parts, "\n")
				for (k = 1; k < m; k++) printf "# %s\n", parts[k]
			}
		}
		for (i = 1; i <= nrules; i++) {
			r = order[i]
			if (!counted(r)) continue
			w = why(r)
			printf "# rule %s: %d/%d %s%s\n", r, got[r], points[r], status(r), w == "" ? "" : " (" w ")"
		}
		printf "# score: %d/%d points\n", total, max
	} else if (format == "gradescope") {
		printf "{\n  \"score\": %d,\n", total
		printf "  \"output\": %s,\n", js(notes sprintf("score: %d/%d points", total, max))
		printf "  \"stdout_visibility\": \"hidden\",\n  \"tests\": ["
		sep = "\n"
		for (i = 1; i <= nrules; i++) {
			r = order[i]
			printf "%s    {\"number\": \"%d\", \"name\": %s, \"score\": %d, \"max_score\": %d,", sep, i, js(r ": " title[r]), got[r], points[r]
			printf " \"status\": \"%s\", \"visibility\": \"%s\",", status(r) == "passed" ? "passed" : "failed", visibility(r)
			w = why(r)
			printf " \"output\": %s}", js((w == "" ? "" : w "\n") detail(r))
			sep = ",\n"
		}
		if (count["-"] > 0) {
			printf "%s    {\"number\": \"%d\", \"name\": %s, \"score\": 0, \"max_score\": 0,", sep, nrules + 1, js("the given code's checks (no points)")
			printf " \"status\": \"%s\", \"visibility\": \"visible\", \"output\": %s}", (n["-", "fail"] + n["-", "timeout"] > 0 ? "failed" : "passed"), js(detail("-"))
		}
		printf "\n  ]\n}\n"
	} else if (format == "autolab") {
		printf "{\"scores\": {"
		sep = ""
		for (i = 1; i <= nrules; i++) {
			printf "%s%s: %d", sep, js(order[i]), got[order[i]]
			sep = ", "
		}
		printf "}, \"scoreboard\": [%d]}\n", total
	} else if (format == "csv") {
		if (header) {
			printf "id,points,max"
			for (i = 1; i <= nrules; i++) printf ",%s", order[i]
			printf ",note\n"
		} else {
			note = notes
			gsub(/\n/, "; ", note)
			gsub(/"/, "\"\"", note)
			gsub(/[\001-\037]/, "?", note)
			sub(/; $/, "", note)
			# RFC 4180: a quote doubled; a control character (a newline) would split the row.
			gsub(/"/, "\"\"", id)
			gsub(/[\001-\037]/, "?", id)
			printf "\"%s\",%d,%d", id, total, max
			for (i = 1; i <= nrules; i++) printf ",%d", got[order[i]]
			printf ",\"%s\"\n", note
		}
	} else {
		printf "report.awk: unknown format %s (text, tap, gradescope, autolab or csv)\n", format > "/dev/stderr"
		exit 2
	}
}
