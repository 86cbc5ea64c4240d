// The emitted project's files (everything but init/), as data. The template tree under
// templates/project mirrors the output; whole-file variants (signals-single.c / signals-multi.c,
// tick.c / echo.c) are picked by `when`, small differences are ejs ifs inside one template.
import type { Answers } from './conventions.js';
import type { FileEntry } from './manifest-types.js';

const single = (a: Answers): boolean => a.reload === 'single';
const multi = (a: Answers): boolean => a.reload === 'multi';
const tick = (a: Answers): boolean => a.payload === 'tick';
const echo = (a: Answers): boolean => a.payload === 'echo';
const dropsPrivileges = (a: Answers): boolean => a.user !== '';
const starter = (a: Answers): boolean => a.starter;

/** A template emitted under its own name. */
const same = (path: string, extra: Partial<FileEntry> = {}): FileEntry => ({
  template: `project/${path}`,
  destination: path,
  ...extra,
});

export const PROJECT_FILES: readonly FileEntry[] = [
  same('Makefile'),
  // A course-assignment starter gets a README written for students; the C templates hold
  // both the reference and the TODO bodies (<% if (starter) %>), so they cannot diverge.
  same('README.md', { when: (a) => !starter(a) }),
  { template: 'project/README-starter.md', destination: 'README.md', when: starter },
  { template: 'project/_gitignore', destination: '.gitignore' },
  { template: 'project/_editorconfig', destination: '.editorconfig' },
  { template: 'project/_clang-format', destination: '.clang-format' },
  { template: 'project/etc/daemon.conf', destination: 'etc/{name}.conf' },

  // The native helper: one concern per file.
  same('helper/compat.h'),
  same('helper/daemonize.c'),
  same('helper/daemonize.h'),
  same('helper/errstr.c'),
  same('helper/errstr.h'),
  same('helper/exitcodes.h'),
  same('helper/fd.c'),
  same('helper/fd.h'),
  same('helper/features.sh'),
  same('helper/log.c'),
  same('helper/log.h'),
  same('helper/notify.c'),
  same('helper/notify.h'),
  same('helper/pidfile.c'),
  same('helper/pidfile.h'),
  { template: 'project/helper/signals-single.c', destination: 'helper/signals.c', when: single },
  { template: 'project/helper/signals-multi.c', destination: 'helper/signals.c', when: multi },
  same('helper/signals.h'),
  same('helper/timespec.h'),
  same('helper/privdrop.c', { when: dropsPrivileges }),
  same('helper/privdrop.h', { when: dropsPrivileges }),

  // The daemon: main, config, reload and the chosen payload.
  same('src/config.c'),
  same('src/config.h'),
  same('src/defaults.h'),
  same('src/main.c'),
  same('src/path.c'),
  same('src/path.h'),
  same('src/payload.h'),
  same('src/reload.c'),
  same('src/reload.h'),
  same('src/tick.c', { when: tick }),
  same('src/echo.c', { when: echo }),

  // The self-test (make check) and the config parser's fuzzer (make fuzz).
  same('tests/check.sh', { mode: 0o755 }),
  same('tests/probe.c'),
  // The starter's step drivers: each exercise file's functions checked on their own.
  same('tests/step.c', { when: starter }),
  same('tests/step.h', { when: starter }),
  same('tests/step-daemonize.c', { when: starter }),
  same('tests/step-log.c', { when: starter }),
  same('tests/step-pidfile.c', { when: starter }),
  {
    template: 'project/tests/step-signals-single.c',
    destination: 'tests/step-signals.c',
    when: (a) => starter(a) && single(a),
  },
  {
    template: 'project/tests/step-signals-multi.c',
    destination: 'tests/step-signals.c',
    when: (a) => starter(a) && multi(a),
  },
  same('fuzz/config-fuzz.c'),
  same('fuzz/corpus/default.conf'),
  same('fuzz/corpus/tricky.conf'),
  same('fuzz/corpus/errors.conf'),
  same('fuzz/corpus/crlf.conf'),
];
