// The mutations make check must catch (test/support/mutation-suite.ts runs them): one rule broken
// in the emitted C at a time, each with the FAIL line it must cause and the rule that line cites.

export interface Mutation {
  readonly title: string;
  readonly file: string;
  readonly from: string;
  readonly to: string;
  /** The FAIL line make check must print, and the rule it must cite. */
  readonly fails: RegExp;
  readonly rule: RegExp;
  /** Other FAIL lines this mutation may cause (checks of the same property); any other is a defect. */
  readonly also?: readonly RegExp[];
  /** The project's flags, when not the default single-threaded tick daemon. */
  readonly flags?: readonly string[];
  /** The check runs only as root (a private /dev/log, a privilege drop): skipped otherwise, saying so. */
  readonly root?: boolean;
}

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
    from: 'apply(&cf, err, sizeof(err), arg) == -1',
    to: '(arg == NULL && apply(&cf, err, sizeof(err), arg) == -1)',
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
  },
  {
    title: 'no setsid()',
    file: 'helper/daemonize.c',
    from: '\tif (setsid() == -1)\n\t\treturn -1;\n',
    to: '',
    fails: /^FAIL it has no controlling terminal/m,
    rule: /APUE 13\.3 rule 3: a daemon has no controlling terminal/,
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
  },
  {
    title: 'an unknown option exits 1',
    file: 'src/main.c',
    from: '\t\tdefault:\n\t\t\tusage(stderr);\n\t\t\treturn EXIT_USAGE;',
    to: '\t\tdefault:\n\t\t\tusage(stderr);\n\t\t\treturn 1;',
    fails: /^FAIL an unknown option exits 64/m,
    rule: /sysexits EX_USAGE/,
  },
  {
    title: 'multi model: the sigwait thread ignores SIGHUP',
    file: 'helper/signals.c',
    from: '\t\tif (sig == SIGHUP)\n\t\t\t(void)reload_config(',
    to: '\t\tif (sig == SIGHUP && sig == 0)\n\t\t\t(void)reload_config(',
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
];
