// The course-assignment starter's rubric: THE table of graded rules. Each rule has its points,
// its tier, the exercise file whose functions it grades, and a title that names them and the
// rule they follow. tests/rubric (read by tests/check.sh, tests/report.awk and tests/grade.sh)
// and the student's README are both rendered from it; check.sh's `rubric ID` lines name which
// rule each of its checks is graded under.
import type { Answers } from './conventions.js';

export type Tier = 'public' | 'release';

export interface RubricRule {
  /** The id check.sh's `rubric` lines use, and the column name in grade.sh's CSV. */
  readonly id: string;
  readonly points: number;
  /** public: in the student's make check; release: run and shown only when graded. */
  readonly tier: Tier;
  /** The exercise file whose functions the rule grades (tests/grade.sh swaps files whole). */
  readonly file: string;
  /** The functions, as the student's README names them. */
  readonly functions: string;
  /** What the rule asks, with its source (APUE, daemon(7)...). One line, no tabs. */
  readonly title: string;
}

export function rubricRules(a: Pick<Answers, 'reload' | 'variant'>): readonly RubricRule[] {
  const signalFns =
    a.reload === 'single' ? 'on_signal(), signals_init(), signals_run()' : 'signals_init(), signals_run()';
  const d = 'helper/daemonize.c';
  return [
    {
      id: 'log',
      points: 8,
      tier: 'public',
      file: 'helper/log.c',
      functions: 'log_open()',
      title: "syslog under the daemon's name, with LOG_PID and the facility (APUE 13.4)",
    },
    {
      id: 'lock',
      points: 8,
      tier: 'public',
      file: 'helper/pidfile.c',
      functions: 'pidfile_open()',
      title: 'one instance: a write lock on the pid file, held for life (APUE 13.5, daemon(7) step 12)',
    },
    {
      id: 'stale',
      points: 2,
      tier: 'release',
      file: 'helper/pidfile.c',
      functions: 'pidfile_open()',
      title: 'a stale pid file, its daemon killed, is taken over (APUE 13.5: the lock, not the file)',
    },
    {
      id: 'signals',
      points: 10,
      tier: 'public',
      file: 'helper/signals.c',
      functions: signalFns,
      // A variant's rubric is every student's (tests/grade.sh grades them all with it).
      title: `${a.variant === '' ? 'SIGHUP' : "the variant's reload signal"} re-reads the config outside any handler; SIGTERM and SIGINT stop (APUE 13.6, signal-safety(7))`,
    },
    {
      id: 'detach',
      points: 9,
      tier: 'public',
      file: d,
      functions: 'daemonize()',
      title:
        'fork, setsid() in the child, fork again, the helpers called: no controlling terminal, ever (APUE 13.3 rules 2 and 3, daemon(7) steps 5-8)',
    },
    {
      id: 'umask',
      points: 2,
      tier: 'public',
      file: d,
      functions: 'daemonize()',
      title: 'the chosen file mode creation mask (APUE 13.3 rule 1, daemon(7) step 10)',
    },
    {
      id: 'chdir',
      points: 2,
      tier: 'public',
      file: d,
      functions: 'daemonize()',
      title: 'the working directory is / (APUE 13.3 rule 4, daemon(7) step 11)',
    },
    {
      id: 'ready',
      points: 6,
      tier: 'public',
      file: d,
      functions: 'daemonize()',
      title: 'the original process exits only once the daemon is ready, with its status (daemon(7) steps 14-15)',
    },
    {
      id: 'close',
      points: 5,
      tier: 'public',
      file: d,
      functions: 'close_walk(), close_inherited()',
      title: 'every inherited descriptor is closed (APUE 13.3 rule 5, daemon(7) step 1)',
    },
    {
      id: 'stdio',
      points: 4,
      tier: 'public',
      file: d,
      functions: 'null_stdio()',
      title: 'descriptors 0, 1 and 2 on /dev/null (APUE 13.3 rule 6, daemon(7) step 9)',
    },
    {
      id: 'sigreset',
      points: 4,
      tier: 'public',
      file: d,
      functions: 'reset_signals()',
      title: 'default signal dispositions and an empty signal mask (daemon(7) steps 2 and 3)',
    },
  ];
}

/** The exercise files, in the order the assignment takes them: what tests/grade.sh copies. */
export function exerciseFiles(a: Pick<Answers, 'reload' | 'variant'>): readonly string[] {
  return [...new Set(rubricRules(a).map((r) => r.file))];
}
