// The mutations the starter's step checks must catch (test/emitted/step-mutations.test.ts runs
// them): an exercise function finished wrongly in one way, each with the step check it must fail
// and what that check must say it saw. Found by a hostile review of the step drivers.

export interface StepMutation {
  readonly title: string;
  readonly file: string;
  /** Replacements made in turn, each of the first occurrence left, in the reference's body. */
  readonly edits: readonly (readonly [from: string, to: string])[];
  /** The step check's FAIL line, and what its seen line must show. */
  readonly fails: RegExp;
  readonly seen: RegExp;
}

const OPENDIR = '\tif ((d = opendir(FD_DIR)) != NULL) {';

export const STEP_MUTATIONS: readonly StepMutation[] = [
  {
    title: 'close_walk() ends the process with exit status 0, before the driver reports anything',
    file: 'helper/daemonize.c',
    edits: [[OPENDIR, `\t_exit(0);\n${OPENDIR}`]],
    fails: /^FAIL close_walk\(5\) closes the inherited fds/m,
    seen: /exit 0 before its verdict \(did the function under test exit\?\)/,
  },
  {
    title: 'close_walk() crashes',
    file: 'helper/daemonize.c',
    edits: [[OPENDIR, `\t(void)raise(SIGSEGV);\n${OPENDIR}`]],
    fails: /^FAIL close_walk\(5\) closes the inherited fds/m,
    seen: /crashed: killed by signal 11 \(SEGV\)/,
  },
  {
    title: 'close_walk() closes up to a fixed number (256), not to the limit',
    file: 'helper/daemonize.c',
    edits: [
      ['#if defined(FD_DIR)\n\tstruct dirent', '#if 0\n\tstruct dirent'],
      ['\tmax = CLOSE_WALK_MAX;\n', '\tmax = 256;\n'],
    ],
    fails: /^FAIL close_walk\(5\) closes the inherited fds/m,
    seen: /exit 1: close_walk\(5\) left the inherited descriptor \d+ open/,
  },
  {
    title: 'daemonize() calls setsid() in the caller, before the first fork',
    file: 'helper/daemonize.c',
    edits: [
      [
        '\t/* APUE 13.3 rule 2, daemon(7) step 5: fork; the child is not a process group leader. */\n',
        '\tif (setsid() == -1)\n\t\treturn -1;\n',
      ],
    ],
    fails: /^FAIL daemonize\(\) calls setsid\(\) in the child/m,
    seen: /session \d+, the caller's was (\d+) and is now (?!\1\b)\d+/,
  },
  {
    title: "daemonize() sets the project's default umask (027), not the one it is given",
    file: 'helper/daemonize.c',
    edits: [['\t(void)umask(mask);', '\t(void)umask(027 | (mask & 0));']],
    fails: /^FAIL daemonize\(\) sets the umask it is given/m,
    seen: /umask 027, want 0(07|26|37) \(the caller's was 077\)/,
  },
  {
    title: "daemonize()'s caller exits 0 at once, without waiting for the daemon's report",
    file: 'helper/daemonize.c',
    edits: [
      [
        '\t\toriginal_wait(name, fds[0], pid);\n',
        '\t\tif (pid < 0)\n\t\t\toriginal_wait(name, fds[0], pid);\n\t\t_exit(0);\n',
      ],
    ],
    fails: /^FAIL daemonize\(\): the caller exits only once the daemon has reported/m,
    seen: /ready: exit 0: ; failing: exit 0/,
  },
  {
    title: 'reset_signals() resets signals 1 to 31 only, not the real-time ones',
    file: 'helper/daemonize.c',
    edits: [['\tfor (sig = 1; sig < NSIG; sig++) {', '\tfor (sig = 1; sig < 32; sig++) {']],
    fails: /^FAIL reset_signals\(\) puts ignored and caught signals back to SIG_DFL/m,
    seen: /signal \d+ \(.*\) is ignored, want SIG_DFL/,
  },
  {
    title: 'daemonize() sets ENOSYS itself instead of calling its helpers (as if they were todo() stubs)',
    file: 'helper/daemonize.c',
    edits: [
      [
        '\tif (close_inherited(fds[1]) == -1 || null_stdio() == -1 || reset_signals() == -1)\n\t\treturn -1;\n\treturn 0;',
        '\tif (fds[1] < 0 && (close_inherited(fds[1]) == -1 || null_stdio() == -1 || reset_signals() == -1))\n\t\treturn -1;\n\terrno = ENOSYS;\n\treturn -1;',
      ],
    ],
    fails: /^FAIL daemonize\(\) calls close_inherited\(\), null_stdio\(\) and reset_signals\(\)/m,
    seen: /it failed in the daemon: .* \(set by hand: no helper is a stub still\)/,
  },
  {
    title: 'on_signal() logs the signal (not async-signal-safe)',
    file: 'helper/signals.c',
    edits: [
      [
        '\tint\tsaved = errno;\t/* signal-safety(7): leave errno as the interrupted code had it */\n',
        '\tint\tsaved = errno;\t/* signal-safety(7): leave errno as the interrupted code had it */\n\n\tlog_info("got signal %d", sig);\n',
      ],
    ],
    fails: /^FAIL on_signal\(\) sets only its signal's flag/m,
    seen: /on_signal\(\) logged "\w+: got signal \d+": a handler may only set flags/,
  },
  {
    title: "signals_init() blocks only the daemon's own signals while a handler runs",
    file: 'helper/signals.c',
    edits: [['\t(void)sigfillset(&sa.sa_mask);', '\tsa.sa_mask = block;']],
    fails: /^FAIL signals_init\(\) installs on_signal\(\) for the daemon's signals/m,
    seen: /handler runs with other signals unblocked: fill sa_mask/,
  },
  {
    title: 'signals_run() never waits: it dispatches the payload at once, turn after turn',
    file: 'helper/signals.c',
    edits: [
      [
        '\t\tif ((rc = signals_wait(fds, n, timed ? &left : NULL)) == -1)\n\t\t\treturn -1;',
        '\t\trc = 1;\n\t\tif (got_stop && signals_wait(fds, n, timed ? &left : NULL) == -1)\n\t\t\treturn -1;',
      ],
    ],
    fails: /^FAIL signals_run\(\) reports ready, dispatches/m,
    seen: /signals_run\(\) does not wait for the payload's deadline/,
  },
  {
    title: 'log_open() keeps a facility of its own (LOG_LOCAL3), not the one it is given',
    file: 'helper/log.c',
    edits: [['\tlog_facility = facility;', '\tlog_facility = LOG_LOCAL3 | (facility & 0);']],
    fails: /^FAIL log_open\(\) records the ident and facility/m,
    seen: /after log_open\("step-ident", LOG_LOCAL6, 1\) the syslog line starts/,
  },
];
