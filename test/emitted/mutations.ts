// The mutations make check must catch (test/support/mutation-suite.ts runs them): one rule broken
// in the emitted C at a time, each with the FAIL line it must cause and the rule that line cites.

export interface Mutation {
  readonly title: string;
  readonly file: string;
  readonly from: string;
  readonly to: string;
  /** Further edits of the same mutation, in the same file (one rule, broken in two places). */
  readonly more?: readonly { readonly from: string; readonly to: string }[];
  /** The FAIL line make check must print, and the rule it must cite. */
  readonly fails: RegExp;
  readonly rule: RegExp;
  /** Other FAIL lines it must cause too: checks it is as much the target of (they count as killed). */
  readonly kills?: readonly RegExp[];
  /** Other FAIL lines this mutation may cause (checks of the same property); any other is a defect. */
  readonly also?: readonly RegExp[];
  /** The project's flags, when not the default single-threaded tick daemon. */
  readonly flags?: readonly string[];
  /** The check runs only as root (a private /dev/log, a privilege drop): skipped otherwise, saying so. */
  readonly root?: boolean;
  /**
   * What the check sees depends on no account or umask: bytes through the echo socket, the command
   * line's parsing, a log line's text. The nobody run of test/support/mutation-suite.ts leaves it to
   * the invoking user's.
   */
  readonly anyAccount?: boolean;
}

const TS_TICK = ['--lang', 'typescript', '--reload', 'single', '--payload', 'tick'] as const;
const TS_ECHO = ['--lang', 'typescript', '--reload', 'single', '--payload', 'echo'] as const;
export const MUTATIONS: readonly Mutation[] = [
  {
    title: 'no second fork',
    file: 'helper/daemonize.c',
    from: '\tif ((pid = fork()) == -1)\n\t\treturn -1;\n\tif (pid > 0)\n\t\t_exit(0);\n',
    to: '',
    fails: /^FAIL it is not a session leader/m,
    rule: /APUE 13\.3 rule 3 and daemon\(7\) step 7/,
    // The original process waits for its child, the session leader, to exit: now it never does.
    also: [/^FAIL the start command exits 0 once the daemon is ready/, /^FAIL a start for the kill -9 test/],
  },
  {
    title: 'inherited descriptors left open',
    file: 'helper/daemonize.c',
    from: 'close_inherited(int keep)\n{\n',
    to: 'close_inherited(int keep)\n{\n\tif (keep > 0)\n\t\treturn 0;\n',
    fails: /^FAIL no inherited descriptor survives/m,
    rule: /APUE 13\.3 rule 5, daemon\(7\) step 1/,
    // What it inherits is neither close-on-exec (the canaries) nor one of its own sockets (the runner's).
    also: [/^FAIL every descriptor it holds beyond 0-2 is close-on-exec/, /^FAIL each socket it holds is its own/],
  },
  {
    title: 'no chdir("/")',
    file: 'helper/daemonize.c',
    from: 'if (chdir("/") == -1)',
    to: 'if (chdir(".") == -1)',
    fails: /^FAIL its working directory is \//m,
    rule: /APUE 13\.3 rule 4/,
  },
  {
    title: 'signal dispositions not reset',
    file: 'helper/daemonize.c',
    from: '\tfor (sig = 1; sig < NSIG; sig++) {',
    to: '\tfor (sig = NSIG; sig < NSIG; sig++) {',
    fails: /^FAIL only SIGPIPE is ignored/m,
    rule: /daemon\(7\) step 2/,
  },
  {
    title: 'SIGHUP parses but never applies',
    file: 'src/reload.c',
    from: 'in_loop(loop, apply_change, &c, err, sizeof(err)) == -1',
    to: '(loop == &c && in_loop(loop, apply_change, &c, err, sizeof(err)) == -1)',
    fails: /^FAIL SIGHUP applies the changed config/m,
    rule: /APUE 13\.6/,
    // The config it "still runs on" after a broken reload is the one the reload never applied.
    also: [/^FAIL it is alive and still runs on the old config/],
  },
  {
    title: 'the parent exits before the daemon is ready',
    file: 'helper/daemonize.c',
    from: '\t(void)close(fds[0]);\n\t*ready_fd = fds[1];\n',
    to: '\t(void)close(fds[0]);\n\t*ready_fd = fds[1];\n\t(void)daemon_report(fds[1], 0, "");\n\t*ready_fd = -1;\n',
    fails: /^FAIL a second instance is refused with exit 1/m,
    rule: /APUE 13\.5/,
    // The same promise: the start command reports what happens until the daemon is ready.
    also: [/^FAIL a failure after detaching is printed by the start command, with exit 71/],
  },
  {
    title: 'the signal mask not reset',
    file: 'helper/daemonize.c',
    from: '\treturn sigprocmask(SIG_SETMASK, &none, NULL);',
    to: '\treturn sigprocmask(SIG_BLOCK, &none, NULL);',
    fails: /^FAIL the starter's blocked SIGQUIT and SIGWINCH are unblocked/m,
    rule: /daemon\(7\) step 3: reset the signal mask/,
  },
  {
    title: 'the pid file opened without O_CLOEXEC',
    file: 'helper/pidfile.c',
    from: 'O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW',
    to: 'O_RDWR | O_CREAT | O_NOFOLLOW',
    fails: /^FAIL every descriptor it holds beyond 0-2 is close-on-exec/m,
    rule: /O_CLOEXEC at creation/,
  },
  {
    title: 'the echo server keeps a socket it does not use',
    file: 'src/echo.c',
    from: 'unix_addr(path, &sun, &len) == -1 || (fd = socket_cloexec(SOCK_STREAM, 1)) == -1',
    to: 'unix_addr(path, &sun, &len) == -1 || (fd = (socket_cloexec(SOCK_STREAM, 1), socket_cloexec(SOCK_STREAM, 1))) == -1',
    fails: /^FAIL each socket it holds is its own/m,
    rule: /a daemon holds only the descriptors it needs/,
    flags: ['--reload', 'single', '--payload', 'echo'],
  },
  {
    title: 'accepted clients left blocking',
    file: 'helper/fd.c',
    from: 'accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)',
    to: 'accept4(lfd, NULL, NULL, SOCK_CLOEXEC)',
    fails: /^FAIL a client that sends without reading does not hold up another/m,
    rule: /a server of many clients never blocks on one/,
    flags: ['--reload', 'single', '--payload', 'echo'],
    anyAccount: true,
  },
  {
    title: 'no setsid()',
    file: 'helper/daemonize.c',
    from: '\tif (setsid() == -1)\n\t\treturn -1;\n',
    to: '',
    fails: /^FAIL it has no controlling terminal/m,
    rule: /APUE 13\.3 rule 3: a daemon has no controlling terminal/,
    // Its session is still the starter's.
    kills: [/^FAIL it runs in a new session of its own/],
  },
  {
    title: 'the pid file left behind at exit',
    file: 'src/main.c',
    from: '\tif (pidfile_remove(d.pidfile, d.pidfd) == -1)\n\t\tlog_warn("cannot remove %s", d.pidfile);\n',
    to: '',
    fails: /^FAIL the pid file it wrote is removed/m,
    rule: /a clean exit removes the pid file/,
    also: [/^FAIL the pid file is removed at exit/, /^FAIL SIGINT is a clean exit too: status 0, pid file removed/],
  },
  {
    title: 'stdin left on what the starter gave',
    file: 'helper/daemonize.c',
    from: '\tfor (i = 0; i <= 2; i++) {',
    to: '\tfor (i = 1; i <= 2; i++) {',
    fails: /^FAIL fds 0, 1 and 2 are \/dev\/null/m,
    rule: /APUE 13\.3 rule 6, daemon\(7\) step 9/,
  },
  {
    title: 'READY=1 never sent',
    file: 'helper/notify.c',
    from: '"READY=1\\nSTATUS=%s"',
    to: '"STATUS=%s"',
    fails: /^FAIL it sends READY=1 once started/m,
    rule: /sd_notify\(3\): READY=1 when start-up is complete/,
    // The same message ends a reload, and is what an abstract NOTIFY_SOCKET must receive.
    also: [/^FAIL SIGHUP sends RELOADING=1 with MONOTONIC_USEC, then READY=1/, /^FAIL an abstract NOTIFY_SOCKET/],
  },
  {
    title: 'STOPPING=1 never sent',
    file: 'helper/notify.c',
    from: '"STOPPING=1\\nSTATUS=stopping"',
    to: '"STATUS=stopping"',
    fails: /^FAIL it sends STOPPING=1/m,
    rule: /sd_notify\(3\): STOPPING=1 when shutting down/,
  },
  {
    title: '-t says nothing of a good config',
    file: 'src/main.c',
    from: '"%s: %s: configuration OK\\n"',
    to: '"%s: %s\\n"',
    fails: /^FAIL -t accepts a good config/m,
    rule: /-t checks the config and exits/,
    anyAccount: true,
  },
  {
    title: 'an unknown option exits 1',
    file: 'src/main.c',
    from: '\t\tdefault:\n\t\t\tusage(stderr);\n\t\t\treturn EXIT_USAGE;',
    to: '\t\tdefault:\n\t\t\tusage(stderr);\n\t\t\treturn 1;',
    fails: /^FAIL an unknown option exits 64/m,
    rule: /sysexits EX_USAGE/,
    anyAccount: true,
  },
  {
    title: 'multi model: the sigwait thread ignores SIGHUP',
    file: 'helper/signals.c',
    from: '\t\tif (sig == SIGHUP)\n\t\t\t(void)src->reload(',
    to: '\t\tif (sig == SIGHUP && sig == 0)\n\t\t\t(void)src->reload(',
    fails: /^FAIL SIGHUP applies the changed config/m,
    rule: /APUE 13\.6/,
    // A reload that never happens sends no RELOADING=1, logs no broken config, and applies nothing.
    also: [
      /^FAIL SIGHUP sends RELOADING=1 with MONOTONIC_USEC, then READY=1/,
      /^FAIL MONOTONIC_USEC is CLOCK_MONOTONIC at the reload/,
      /^FAIL a broken config on SIGHUP is logged as file:line/,
      /^FAIL it is alive and still runs on the old config/,
    ],
    flags: ['--reload', 'multi', '--payload', 'tick'],
  },
  {
    title: 'a live socket taken for a stale one',
    file: 'src/echo.c',
    from: 'if (echo_stale(path, &sun, len, err, errlen) != 1)',
    to: 'if (echo_stale(path, &sun, len, err, errlen) == -1)',
    fails: /^FAIL another daemon on the same socket is refused, and the live socket is kept/m,
    rule: /never unlink a live socket/,
    // The second daemon took the path over, so the socket file outlives the first one's exit.
    also: [/^FAIL the socket file is removed at exit/],
    flags: ['--reload', 'single', '--payload', 'echo'],
  },
  {
    title: 'no umask()',
    file: 'helper/daemonize.c',
    from: '\t(void)umask(mask);\n',
    to: '\t(void)mask;\n',
    fails: /^FAIL its umask is 0022/m,
    rule: /APUE 13\.3 rule 1, daemon\(7\) step 10/,
  },
  {
    title: 'MONOTONIC_USEC read from the wall clock',
    file: 'helper/notify.c',
    from: 'clock_gettime(CLOCK_MONOTONIC, &ts)',
    to: 'clock_gettime(CLOCK_REALTIME, &ts)',
    fails: /^FAIL MONOTONIC_USEC is CLOCK_MONOTONIC at the reload/m,
    rule: /sd_notify\(3\): MONOTONIC_USEC= is CLOCK_MONOTONIC/,
  },
  {
    title: 'syslog lines with the wrong facility',
    file: 'helper/log.c',
    from: 'log_facility | severity,',
    to: 'LOG_USER | severity,',
    fails: /^FAIL its syslog priority is facility daemon plus the severity/m,
    rule: /RFC 3164 4\.1\.1, APUE 13\.4: PRI is facility \* 8 \+ severity/,
    root: true,
  },
  {
    title: "syslog lines with the parent's pid",
    file: 'helper/log.c',
    from: '(long)getpid(), msg',
    to: '(long)getppid(), msg',
    fails: /^FAIL syslog gets its lines as myd\[\d+\]: the ident, and LOG_PID's pid/m,
    rule: /APUE 13\.4: openlog\(ident, LOG_PID, facility\)/,
    root: true,
  },
  {
    title: 'the log socket forgotten at detaching: the detached daemon logs into a stale descriptor',
    file: 'helper/log.c',
    from: '\tlog_fd = -1;\n\tlog_socket();',
    to: '\tlog_socket();',
    fails: /^FAIL syslog gets its lines as myd\[\d+\]/m,
    rule: /a new log socket once detached/,
    // No line arrives at all, so none has a priority to check.
    also: [/^FAIL its syslog priority is facility daemon plus the severity/],
    root: true,
  },
  // Detached with nothing on /dev/log, the start says nothing: every line goes nowhere, unseen.
  {
    title: 'no word on stderr when syslog cannot be reached',
    file: 'src/main.c',
    from: '\t\t(void)log_syslog_check(MYD_NAME);\n',
    to: '',
    fails: /^FAIL a start with nothing on \/dev\/log says so once on stderr, before detaching/m,
    rule: /detached, stderr is \/dev\/null: say where the logs \(do not\) go/,
    root: true,
  },
  // The reachability test asks the wrong socket: it warns although a receiver listens.
  {
    title: 'syslog reported unreachable although a receiver listens (the wrong path tried)',
    file: 'helper/log.c',
    from: 'if (unix_addr(LOG_SOCKET, &sun, &len) == 0 &&',
    to: 'if (unix_addr(LOG_SOCKET ".none", &sun, &len) == 0 &&',
    fails: /^FAIL a start with a syslog receiver says nothing about syslog on stderr/m,
    rule: /stderr before detaching is for what the starter must know/,
    root: true,
  },
  // Run as root: --user nobody. The starter's groups (root's) stay; nobody's are never set.
  {
    title: 'the supplementary groups kept (no setgroups)',
    file: 'helper/privdrop.c',
    from: '\tif (setgroups((size_t)a.ngroups, a.groups) == -1) {\n\t\tprivdrop_error(err, errlen, "set the supplementary groups of", user);\n\t\treturn -1;\n\t}\n',
    to: '',
    fails: /^FAIL its supplementary groups are nobody's/m,
    rule: /daemon\(7\) step 13: drop the supplementary groups too/,
    flags: ['--reload', 'single', '--payload', 'tick', '--user', 'nobody'],
    root: true,
  },
  // Run as root. getgid()/getegid() are right, so privdrop()'s own proof passes; Gid: shows a saved gid 0,
  // from which the process can setegid(0) back to the root group.
  {
    title: 'the saved set-group-ID left at root (setresgid with -1)',
    file: 'helper/privdrop.c',
    from: 'if (setgid(a.gid) == -1) {',
    to: 'if (setresgid(a.gid, a.gid, (gid_t)-1) == -1) {',
    fails: /^FAIL it dropped to nobody \(uid \d+, gid \d+\) for good/m,
    rule: /daemon\(7\) step 13: drop privileges \(real, effective and saved ids\)/,
    flags: ['--reload', 'single', '--payload', 'tick', '--user', 'nobody'],
    root: true,
  },
  // 'stderr once, not twice' applied to both modes: in -f there is no readiness pipe to carry the reason instead.
  {
    title: 'start-up failures never reach stderr in the foreground',
    file: 'src/main.c',
    from: '\tif (d.ready_fd != -1)\n\t\tlog_stderr(0);\n\tlog_warnx("%s", msg);',
    to: '\tlog_stderr(0);\n\tlog_warnx("%s", msg);',
    fails: /^FAIL a second instance in the foreground \(-f\) is refused the same way/m,
    rule: /APUE 13\.5: one instance, whatever the mode/,
  },
  {
    title: 'the pid file opened with O_TRUNC',
    file: 'helper/pidfile.c',
    from: 'O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,',
    to: 'O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,',
    fails: /^FAIL the refused instances leave the daemon and its pid file alone/m,
    rule: /a loser must not truncate the winner's file/,
  },
  // Short lines go out in one send(2) and are unaffected; a 1 MiB one needs several, and each restarts at buf[0].
  {
    title: 'a partial send resent from the start of the buffer',
    file: 'src/echo.c',
    from: 'n = send(fd, c->buf + c->sent, c->ready - c->sent, ECHO_SEND_FLAGS);',
    to: 'n = send(fd, c->buf, c->ready - c->sent, ECHO_SEND_FLAGS);',
    fails: /^FAIL a 1 MiB line, sent whole before reading, comes back whole/m,
    rule: /a long line never blocks or crashes the daemon/,
    flags: ['--reload', 'single', '--payload', 'echo'],
    anyAccount: true,
  },
  // also: the same APUE 13.5 rule from the other side: a refusal must come from the lock and name its holder,
  // but open(O_EXCL) fails EEXIST first, so both second instances exit 71 with "File exists" instead of 1 naming the pid.
  {
    title: 'the pid file created with O_EXCL (its existence taken for a running daemon)',
    file: 'helper/pidfile.c',
    from: 'O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,',
    to: 'O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,',
    fails: /^FAIL a new start takes over the stale pid file/m,
    rule: /APUE 13\.5: the lock, not the file's existence, says whether a daemon runs/,
    also: [
      /^FAIL a second instance is refused with exit 1/,
      /^FAIL a second instance in the foreground \(-f\) is refused the same way/,
    ],
  },
  // also: the same restart: the start that should take over the stale socket fails "Address already in use",
  // so the takeover check (pid file and socket) fails with it. The live-socket refusal still passes.
  {
    title: 'an existing socket file always refused (no stale check)',
    file: 'src/echo.c',
    from: '\t\tif (errno != EADDRINUSE) {\n\t\t\techo_syserr(err, errlen, "bind", path);\n\t\t\tgoto fail;\n\t\t}\n',
    to: '\t\techo_syserr(err, errlen, "bind", path);\n\t\tgoto fail;\n',
    fails: /^FAIL the restarted daemon serves the socket/m,
    rule: /a stale socket \(nobody listening\) is replaced/,
    also: [/^FAIL a new start takes over the stale pid file and socket/],
    flags: ['--reload', 'single', '--payload', 'echo'],
  },
  // "interval_typo = 1" is taken for interval; -t's "no_such_key" is still unknown, so only the start check fails.
  {
    title: 'config keys matched by prefix (strncmp)',
    file: 'src/config.c',
    from: 'if (strcmp(key, config_keys[i]) == 0)',
    to: 'if (strncmp(key, config_keys[i], strlen(config_keys[i])) == 0)',
    fails: /^FAIL a bad config at start exits 78 with file:line, and starts nothing/m,
    rule: /the config is validated before detaching; errors are file:line: reason/,
  },
  // --scope user. A fallback that exists would start a daemon outside the check's directory.
  {
    title: 'XDG_RUNTIME_DIR unset falls back to a fixed directory',
    file: 'src/path.c',
    from: '\t\tdir = getenv("XDG_RUNTIME_DIR");\n',
    to: '\t\tif ((dir = getenv("XDG_RUNTIME_DIR")) == NULL)\n\t\t\tdir = "/nonexistent/run";\n',
    fails: /^FAIL without XDG_RUNTIME_DIR the default pid file is refused, saying why/m,
    rule: /a per-user service keeps its pid file under \$XDG_RUNTIME_DIR, expanded at run time/,
    flags: ['--reload', 'single', '--payload', 'tick', '--scope', 'user'],
  },
  // t.conf's unknown key is on line 3 after a comment and a blank line: reported as line 2.
  {
    title: 'blank lines skipped before they are counted',
    file: 'src/config.c',
    from: '\twhile (p < end) {\n\t\tlineno++;',
    to: "\twhile (p < end) {\n\t\tif (*p == '\\n') {\n\t\t\tp++;\n\t\t\tcontinue;\n\t\t}\n\t\tlineno++;",
    fails: /^FAIL -t rejects an unknown key with file:line/m,
    rule: /strict parsing: file:line: reason/,
  },
  // also: the SIGHUP check writes the same BROKEN_VALUE: now parsed, the reload fails later, at bind(2), without file:line.
  {
    title: 'a relative echo socket path accepted (path_expand makes it absolute)',
    file: 'src/config.c',
    from: '\tif (value[0] != \'/\' &&\n\t    strncmp(value, "$XDG_RUNTIME_DIR/", sizeof("$XDG_RUNTIME_DIR/") - 1) != 0) {\n\t\t(void)snprintf(why, whylen, "socket must be an absolute path, got \\"%.64s\\"", value);\n\t\treturn -1;\n\t}\n',
    to: '',
    fails: /^FAIL -t rejects a bad value with file:line/m,
    rule: /strict parsing: file:line: reason/,
    also: [/^FAIL a broken config on SIGHUP is logged as file:line/],
    flags: ['--reload', 'single', '--payload', 'echo'],
  },
  {
    title: 'a line without "=" ignored',
    file: 'src/config.c',
    from: '\t\t(void)snprintf(why, whylen, "expected \\"key = value\\", got \\"%.64s\\"", key);\n\t\treturn -1;',
    to: '\t\t(void)snprintf(why, whylen, "expected \\"key = value\\", got \\"%.64s\\"", key);\n\t\treturn 0;',
    fails: /^FAIL -t rejects a line without "=" with file:line/m,
    rule: /strict parsing: file:line: reason/,
  },
  {
    title: 'a missing config reported without its path',
    file: 'src/config.c',
    from: 'return config_syserr(path, "cannot open", err, errlen);',
    to: 'return config_syserr("the config file", "cannot open", err, errlen);',
    fails: /^FAIL -t on a missing file names it/m,
    rule: /messages name the object and the cause/,
  },
  {
    title: '-h missing from the getopt string',
    file: 'src/main.c',
    from: '"fc:p:tsVh"',
    to: '"fc:p:tsV"',
    fails: /^FAIL -h prints the usage, exit 0/m,
    rule: /rule: usage\(\)/,
    anyAccount: true,
  },
  {
    title: '-V missing from the getopt string',
    file: 'src/main.c',
    from: '"fc:p:tsVh"',
    to: '"fc:p:tsh"',
    fails: /^FAIL -V prints the version, exit 0/m,
    rule: /rule: -V$/m,
    anyAccount: true,
  },
  {
    title: 'extra arguments not refused',
    file: 'src/main.c',
    from: '\tif (optind != argc) {',
    to: '\tif (optind > argc) {',
    fails: /^FAIL an extra argument exits 64/m,
    rule: /sysexits EX_USAGE/,
    anyAccount: true,
  },
  // also: that check fails on purpose when the -f pid file was never written (check.sh says so).
  {
    title: 'no pid written in the foreground',
    file: 'src/main.c',
    from: '\tif (pidfile_write(d.pidfd) == -1)',
    to: '\tif (!foreground && pidfile_write(d.pidfd) == -1)',
    fails: /^FAIL it stays in the foreground: the pid file holds the started process/m,
    rule: /-f: no fork/,
    also: [/^FAIL the pid file it wrote is removed/],
  },
  // echo payload: with tick the payload and reload checks grep "myd: alpha"/"myd: bravo" and would fail too.
  {
    title: 'stderr lines without the ident',
    file: 'helper/log.c',
    from: '(void)fprintf(stderr, "%s: %s\\n", log_ident, msg);',
    to: '(void)fprintf(stderr, "%s\\n", msg);',
    fails: /^FAIL log lines carry the daemon's name/m,
    rule: /APUE 13\.4: log_open\(\) records the ident/,
    flags: ['--reload', 'single', '--payload', 'echo'],
    anyAccount: true,
  },
  // also: the same property, a stop signal ends in status 0; SIGINT takes the same return.
  {
    title: 'the exit status inverted (71 on a clean exit)',
    file: 'src/main.c',
    from: 'return rc == -1 ? EXIT_OSERR : 0;',
    to: 'return rc == 0 ? EXIT_OSERR : 0;',
    fails: /^FAIL SIGTERM in the foreground: exit status 0/m,
    rule: /SIGTERM means a clean exit/,
    also: [/^FAIL SIGINT is a clean exit too: status 0, pid file removed/],
  },
  {
    title: 'SIGINT not a stop signal (logged as a spare one)',
    file: 'helper/signals.c',
    from: 'else if (sig == SIGTERM || sig == SIGINT)',
    to: 'else if (sig == SIGTERM)',
    fails: /^FAIL SIGINT is a clean exit too: status 0, pid file removed/m,
    rule: /SIGINT, like SIGTERM, means a clean exit/,
  },
  {
    title: 'an abstract echo socket (@name) accepted',
    file: 'src/config.c',
    from: '\tif (value[0] == \'@\') {\n\t\t(void)snprintf(why, whylen, "socket must be an absolute path: an abstract socket "\n\t\t    "(@name) has no permissions, any local user could connect");\n\t\treturn -1;\n\t}\n',
    to: '',
    fails: /^FAIL -t refuses an abstract echo socket/m,
    rule: /unix\(7\): an abstract socket has no permissions/,
    flags: ['--reload', 'single', '--payload', 'echo'],
  },
  {
    title: 'NOTIFY_SOCKET=@name not supported',
    file: 'helper/notify.c',
    from: "if (path[0] != '/' && path[0] != '@')",
    to: "if (path[0] != '/')",
    fails: /^FAIL an abstract NOTIFY_SOCKET/m,
    rule: /sd_notify\(3\): a NOTIFY_SOCKET starting with @ is in the abstract namespace/,
  },
  {
    title: "the start command exits 1 for any of the daemon's failures",
    file: 'helper/daemonize.c',
    from: '\texit(status);\n}',
    to: '\texit(status == 0 ? 0 : EXIT_FAILURE);\n}',
    fails: /^FAIL a failure after detaching is printed by the start command, with exit 71/m,
    rule: /the readiness pipe carries the daemon's reason and status back/,
  },
  {
    title: 'the pid file left for the init script to remove (detached only)',
    file: 'src/main.c',
    from: '\tif (pidfile_remove(d.pidfile, d.pidfd) == -1)\n\t\tlog_warn("cannot remove %s", d.pidfile);\n\tlog_info("stopped");',
    to: '\tif (foreground && pidfile_remove(d.pidfile, d.pidfd) == -1)\n\t\tlog_warn("cannot remove %s", d.pidfile);\n\tlog_info("stopped");',
    fails: /^FAIL the pid file is removed at exit/m,
    rule: /a clean exit removes the pid file/,
  },
  {
    title: 'the socket file not removed at exit',
    file: 'src/echo.c',
    from: '\techo_unlink(p->cf.socket, &p->st);\n\t(void)close(p->fds[1].fd);\n\tfree(p->fds);',
    to: '\t(void)close(p->fds[1].fd);\n\tfree(p->fds);',
    fails: /^FAIL the socket file is removed at exit/m,
    rule: /a clean exit removes the socket/,
    flags: ['--reload', 'single', '--payload', 'echo'],
  },
  {
    title: 'no READY=1 after a successful reload',
    file: 'src/reload.c',
    from: '\tlog_info("configuration reloaded from %s: %s", path, what);\n\t(void)notify_ready(what);\n',
    to: '\tlog_info("configuration reloaded from %s: %s", path, what);\n',
    fails: /^FAIL SIGHUP sends RELOADING=1 with MONOTONIC_USEC, then READY=1/m,
    rule: /RELOADING=1 \+ MONOTONIC_USEC at the start of a reload, READY=1 at its end/,
  },
  {
    title: 'a failed reload logged without its reason',
    file: 'src/reload.c',
    from: 'log_warnx("reload failed: %s; keeping the previous configuration", err);',
    to: 'log_warnx("reload failed; keeping the previous configuration");',
    fails: /^FAIL a broken config on SIGHUP is logged as file:line/m,
    rule: /a failed reload is harmless/,
  },
  // It exits cleanly (STOPPING=1, status 0, pid file removed), so only the liveness check sees it.
  {
    title: 'a broken config on SIGHUP stops the daemon',
    file: 'helper/signals.c',
    from: '\t\t\t(void)src->reload(src->arg, in_loop_here, NULL);',
    to: '\t\t\tif (src->reload(src->arg, in_loop_here, NULL) == -1)\n\t\t\t\tgot_stop = 1;',
    fails: /^FAIL it is alive and still runs on the old config/m,
    rule: /a failed reload keeps the previous configuration in force/,
  },
  {
    title: 'a broken config on SIGHUP stops the echo daemon',
    file: 'helper/signals.c',
    from: '\t\t\t(void)src->reload(src->arg, in_loop_here, NULL);',
    to: '\t\t\tif (src->reload(src->arg, in_loop_here, NULL) == -1)\n\t\t\t\tgot_stop = 1;',
    fails: /^FAIL it is alive and still serves the old config's socket/m,
    rule: /a failed reload keeps the previous configuration in force/,
    flags: ['--reload', 'single', '--payload', 'echo'],
  },
  {
    title: 'setsid() before the first fork: the started process leads the session',
    file: 'helper/daemonize.c',
    from: '\tif ((pid = fork()) == -1) {\n\t\tsaved = errno;\n\t\t(void)close(fds[0]);\n\t\t(void)close(fds[1]);\n\t\terrno = saved;\n\t\treturn -1;\n\t}\n\tif (pid > 0) {\n\t\t(void)close(fds[1]);\n\t\toriginal_wait(name, fds[0], pid);\n\t}\n\t(void)close(fds[0]);\n\t*ready_fd = fds[1];\n\n\t/* APUE 13.3 rule 3, daemon(7) step 6: a new session, with no controlling terminal. */\n\tif (setsid() == -1)\n\t\treturn -1;\n',
    to: '\tif (setsid() == -1)\n\t\treturn -1;\n\tif ((pid = fork()) == -1) {\n\t\tsaved = errno;\n\t\t(void)close(fds[0]);\n\t\t(void)close(fds[1]);\n\t\terrno = saved;\n\t\treturn -1;\n\t}\n\tif (pid > 0) {\n\t\t(void)close(fds[1]);\n\t\toriginal_wait(name, fds[0], pid);\n\t}\n\t(void)close(fds[0]);\n\t*ready_fd = fds[1];\n',
    fails: /^FAIL it forked before setsid\(\)/m,
    rule: /APUE 13\.3 rule 2: fork and let the parent exit; the child is not a process group leader/,
  },
  {
    title: 'the pid file truncated after the pid is written',
    file: 'helper/pidfile.c',
    from: '\tif (ftruncate(fd, 0) == -1)\n\t\treturn -1;\n\tif ((n = pwrite(fd, buf, (size_t)len, 0)) != len) {',
    to: '\tif ((n = pwrite(fd, buf, (size_t)len, 0)) != len || ftruncate(fd, 0) == -1) {',
    fails: /^FAIL the pid file holds the live daemon's pid the moment start returns/m,
    rule: /daemon\(7\) step 12, APUE 13\.5: the pid file is written before ready is reported/,
    // The same empty pid file, seen by the checks that read it.
    also: [
      /^FAIL the refused instances leave the daemon and its pid file alone/,
      /^FAIL it stays in the foreground: the pid file holds the started process/,
      /^FAIL the pid file it wrote is removed/,
    ],
  },
  {
    title: 'ppoll retried on EINTR: SIGTERM noticed only at the next tick',
    file: 'helper/signals.c',
    from: '\tif (ppoll(fds, n, left, &wait_mask) >= 0) {',
    to: '\twhile (ppoll(fds, n, left, &wait_mask) == -1)\n\t\tif (errno != EINTR)\n\t\t\treturn -1;\n\t{',
    fails: /^FAIL SIGTERM stops it within 3 s/m,
    rule: /SIGTERM means a clean, prompt exit/,
    // Every stop by a signal: the daemon is killed in the end, and leaves its pid file.
    also: [
      /^FAIL the pid file is removed at exit/,
      /^FAIL SIGTERM in the foreground: exit status 0/,
      /^FAIL it sends STOPPING=1/,
      /^FAIL the pid file it wrote is removed/,
      /^FAIL SIGINT is a clean exit too/,
    ],
  },
  {
    title: 'the tick deadline test inverted: the tick never runs',
    file: 'src/tick.c',
    from: '\tif (ts_before(&now, &p->next))\n\t\treturn;\n\ttick_run',
    to: '\tif (!ts_before(&now, &p->next))\n\t\treturn;\n\ttick_run',
    fails: /^FAIL the payload runs: the tick message reaches stderr/m,
    rule: /-f logs to stderr as well as syslog/,
    // The reload checks watch the tick's message change: with no tick, they see nothing.
    also: [/^FAIL SIGHUP applies the changed config/, /^FAIL it is alive and still runs on the old config/],
  },
  {
    title: "a departing client's slot filled without the last client's state",
    file: 'src/echo.c',
    from: '\tp->fds[i] = p->fds[p->n];\n\tp->cl[i] = p->cl[p->n];\n',
    to: '\tp->fds[i] = p->fds[p->n];\n',
    fails: /^FAIL when the first of three clients leaves, the other two are still served/m,
    rule: /keeps each one's state, whatever order they leave in/,
    flags: ['--reload', 'single', '--payload', 'echo'],
    anyAccount: true,
  },
  {
    title: 'a connection dropped after its first line',
    file: 'src/echo.c',
    from: '(c->eof && c->sent == c->ready && c->len == 0)',
    to: '(c->sent == c->ready && c->len == 0)',
    fails: /^FAIL three lines in turn on one connection each come back/m,
    rule: /a connection lasts until the client closes it/,
    // Each of the three clients is cut off after its first line, too.
    also: [/^FAIL when the first of three clients leaves, the other two are still served/],
    flags: ['--reload', 'multi', '--payload', 'echo'],
    anyAccount: true,
  },
  {
    title: 'end-of-file never noted: the connection is kept, and polled, forever',
    file: 'src/echo.c',
    from: '\t\tc->eof = 1;\n\t\tc->ready = c->len;\n',
    to: '\t\tc->ready = c->len;\n',
    fails: /^FAIL every client's descriptor is closed once it has left/m,
    rule: /no leak, no busy loop on a dead socket/,
    // The half-closing client waits for an end-of-file that never comes.
    also: [/^FAIL a last line without a newline comes back when the client shuts down its side/],
    flags: ['--reload', 'single', '--payload', 'echo'],
    anyAccount: true,
  },
  {
    title: 'a last line without a newline dropped at end-of-file',
    file: 'src/echo.c',
    from: '\t\tc->eof = 1;\n\t\tc->ready = c->len;\n',
    to: '\t\tc->eof = 1;\n\t\tc->len = 0;\n',
    fails: /^FAIL a last line without a newline comes back when the client shuts down its side/m,
    rule: /shutdown\(2\): end-of-file ends the last line/,
    flags: ['--reload', 'single', '--payload', 'echo'],
    anyAccount: true,
  },
  {
    title: 'an interval read up to its first non-digit',
    file: 'src/config.c',
    from: "\t\tif (*s < '0' || *s > '9')\n\t\t\treturn -1;",
    to: "\t\tif (*s < '0' || *s > '9')\n\t\t\tbreak;",
    fails: /^FAIL -t rejects a number followed by words/m,
    rule: /strict parsing: a value is all number or an error/,
  },
  {
    title: "the start command exits with the report's length, not its status",
    file: 'helper/daemonize.c',
    from: '\texit(status);\n}',
    to: '\texit((int)len);\n}',
    fails: /^FAIL the start command exits 0 once the daemon is ready/m,
    rule: /daemon\(7\) steps 14-15: the original process exits 0 only after the daemon reports ready/,
    // The same status, where a start fails, and where the restart test needs a start to succeed.
    also: [
      /^FAIL a failure after detaching is printed by the start command, with exit 71/,
      /^FAIL a start for the kill -9 test/,
      /^FAIL a second instance is refused with exit 1/,
    ],
  },
  {
    title: "each read's first byte garbled (a case flip)",
    file: 'src/echo.c',
    from: '\tn = read(fd, c->buf + c->len, c->cap - c->len);\n',
    to: '\tn = read(fd, c->buf + c->len, c->cap - c->len);\n\tif (n > 0)\n\t\tc->buf[c->len] ^= 0x20;\n',
    fails: /^FAIL a line sent to \S+ comes back/m,
    rule: /the echo payload: each line is echoed/,
    kills: [/^FAIL 50 clients connected at once each get their own line back/, /^FAIL the payload runs: \S+ echoes/],
    // Every check that sends a line and reads it back.
    also: [
      /^FAIL three lines in turn on one connection/,
      /^FAIL a last line without a newline comes back/,
      /^FAIL when the first of three clients leaves/,
      /^FAIL a client that sends without reading does not hold up another/,
      /^FAIL a 1 MiB line, sent whole before reading, comes back whole/,
      /^FAIL a client that vanishes mid-line does not disturb the daemon/,
      /^FAIL another daemon on the same socket is refused, and the live socket is kept/,
      /^FAIL the restarted daemon serves the socket/,
      /^FAIL SIGHUP applies the changed config: the socket moved/,
      /^FAIL it is alive and still serves the old config's socket/,
    ],
    flags: ['--reload', 'multi', '--payload', 'echo'],
    anyAccount: true,
  },
  {
    title: 'a failed send ends the whole daemon (exit in the payload)',
    file: 'src/echo.c',
    from: '\t\tif (rc == -1 || (c->eof && c->sent == c->ready && c->len == 0))\n\t\t\tclient_drop(p, i);',
    to: '\t\tif (rc == -1)\n\t\t\texit(EXIT_FAILURE);\n\t\tif (c->eof && c->sent == c->ready && c->len == 0)\n\t\t\tclient_drop(p, i);',
    fails: /^FAIL a client that vanishes mid-line does not disturb the daemon/m,
    rule: /a mid-line disconnect is harmless/,
    // The first send to fail kills it: the stalled client's, when that client leaves with its echo
    // unread, or the one cut mid-line. The daemon is gone after it, without its clean exit: nothing
    // left to check it by, and its pid file and socket stay.
    also: [
      /^FAIL a 1 MiB line, sent whole before reading, comes back whole/,
      /^FAIL every client's descriptor is closed once it has left/,
      /^FAIL another daemon on the same socket is refused, and the live socket is kept/,
      /^FAIL the pid file is removed at exit/,
      /^FAIL the socket file is removed at exit/,
    ],
    flags: ['--reload', 'single', '--payload', 'echo'],
    anyAccount: true,
  },

  // --lang typescript: the helper's part that only a TypeScript daemon has (native/child.c), each
  // rule broken at a time, caught by the checks of Node from outside.
  {
    title: 'typescript: Node in a session of its own',
    file: 'native/child.c',
    from: '\t(void)unsetenv("NOTIFY_SOCKET");\n',
    to: '\t(void)unsetenv("NOTIFY_SOCKET");\n\t(void)setsid();\n',
    fails: /^FAIL Node runs as the helper's child .*, in its session/m,
    rule: /Node inherits the session and no terminal/,
    flags: TS_TICK,
  },
  {
    title: 'typescript: Node in another working directory',
    file: 'native/child.c',
    from: '\t(void)unsetenv("NOTIFY_SOCKET");\n',
    to: '\t(void)unsetenv("NOTIFY_SOCKET");\n\tif (chdir("/tmp") == -1)\n\t\treturn;\n',
    fails: /^FAIL Node's working directory is \/ and its umask/m,
    rule: /APUE 13\.3 rules 1 and 4/,
    flags: TS_TICK,
  },
  {
    // (A pid file without O_CLOEXEC no longer reaches Node: close_inherited() in its child closes it
    // too, so the helper's own check of close-on-exec is what that mutation fails.)
    title: "typescript: Node's stdin not /dev/null (its output pipe)",
    file: 'native/child.c',
    from: 'if (out != -1 && (dup2(out, STDOUT_FILENO) == -1 || dup2(out, STDERR_FILENO) == -1))',
    to: 'if (out != -1 && (dup2(out, STDIN_FILENO) == -1 || dup2(out, STDOUT_FILENO) == -1 ||\n\t    dup2(out, STDERR_FILENO) == -1))',
    fails: /^FAIL Node holds 0 on \/dev\/null and 3 on the channel, and nothing on the pid file/m,
    rule: /drops the helper's fcntl lock/,
    flags: TS_TICK,
  },
  {
    title: "typescript: the helper keeps the channel's other end",
    file: 'native/child.c',
    from: '\t(void)close(chan[1]);\n\t(void)close(out[1]);\n\tc->fds[1].fd = chan[0];',
    to: '\t(void)close(out[1]);\n\tc->fds[1].fd = chan[0];',
    fails: /^FAIL each socket and pipe it holds is its own/m,
    rule: /a daemon holds only the descriptors it needs/,
    // Node's end of file never comes while the helper holds both ends: it learns of Node's death
    // only when the stop reaps it.
    also: [/^FAIL kill -9 of Node makes the helper exit non-zero/],
    flags: TS_ECHO,
  },
  {
    title: 'typescript: in the foreground, what the starter leaked reaches Node',
    file: 'native/child.c',
    from: '\tif (chan != -1 && close_inherited(3) == -1)\n\t\treturn;\n',
    to: '',
    fails: /^FAIL in the foreground, what the starter leaked \(fd 8\) does not reach Node/m,
    rule: /APUE 13\.3 rule 5: the helper keeps what it was given/,
    flags: TS_ECHO,
  },
  {
    title: 'typescript: Node keeps the default actions of the spare signals (SIGUSR1 opens its inspector)',
    file: 'src/main.ts',
    from: "for (const sig of ['SIGUSR1', 'SIGUSR2', 'SIGALRM'] as const)",
    to: "for (const sig of [] as ('SIGUSR1' | 'SIGUSR2' | 'SIGALRM')[])",
    fails: /^FAIL Node ignores SIGUSR1 \(no inspector\), SIGUSR2 and SIGALRM/m,
    rule: /a stray signal must neither kill the daemon nor open a debugger/,
    // SIGUSR2 killed Node, so the kill -9 that follows finds none to kill.
    also: [/^FAIL kill -9 of Node makes the helper exit non-zero/],
    flags: TS_ECHO,
  },
  {
    title: 'typescript: the helper does not stop when Node dies',
    file: 'native/child.c',
    from: '\t(void)raise(SIGTERM);\n',
    to: '',
    fails: /^FAIL kill -9 of Node makes the helper exit non-zero/m,
    rule: /the init system must see the service fail/,
    flags: TS_ECHO,
  },
  {
    title: "typescript: Node outlives a killed helper (no PR_SET_PDEATHSIG, and it holds the channel's other end)",
    file: 'native/child.c',
    from: 'prctl(PR_SET_PDEATHSIG, SIGTERM)',
    to: 'prctl(PR_SET_PDEATHSIG, 0)',
    more: [
      {
        from: '\t\texec_node(config, pidfile, 0, chan[1], out[1], parent);',
        to: '\t\t(void)dup2(chan[0], 9);\n\t\texec_node(config, pidfile, 0, chan[1], out[1], parent);',
      },
    ],
    fails: /^FAIL kill -9 of the helper takes Node down with it/m,
    rule: /PR_SET_PDEATHSIG, and end of file on the channel/,
    // Node holds the channel's other end, so the helper never sees Node's end either; and the
    // orphan keeps the socket the next start needs.
    also: [
      /^FAIL kill -9 of Node makes the helper exit non-zero/,
      /^FAIL a new start takes over the stale pid file/,
      /^FAIL the restarted daemon serves the socket/,
      /^FAIL each socket and pipe it holds is its own/,
    ],
    flags: TS_ECHO,
  },
  {
    title: 'typescript: Node started as root (no privilege drop before it)',
    file: 'native/main.c',
    from: '\tif ((rc = privdrop(MYD_USER, NULL, err, sizeof(err))) == -1)\n\t\tstartup_fail(EXIT_OSERR, "%s", err);\n\tif (rc == 1)',
    to: '\trc = 1;\n\tif (rc == 1)',
    fails: /^FAIL Node runs as nobody: it never runs as root/m,
    rule: /the privileges are dropped before Node starts/,
    kills: [/^FAIL it dropped to nobody/],
    also: [/^FAIL its supplementary groups are nobody's/],
    flags: [...TS_ECHO, '--user', 'nobody'],
    root: true,
  },
];
