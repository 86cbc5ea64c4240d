// The emitted project's files (everything but init/), as data. The template tree under
// templates/project mirrors the output; whole-file variants (signals-single.c / signals-multi.c,
// tick.c / echo.c) are picked by `when`, small differences are ejs ifs inside one template.
import { type Answers, LICENSES } from './conventions.js';
import type { FileEntry } from './manifest-types.js';
import { TS_SOURCES } from './ts-sources.js';

const single = (a: Answers): boolean => a.reload === 'single';
const multi = (a: Answers): boolean => a.reload === 'multi';
const tick = (a: Answers): boolean => a.payload === 'tick';
const echo = (a: Answers): boolean => a.payload === 'echo';
const dropsPrivileges = (a: Answers): boolean => a.user !== '';
const starter = (a: Answers): boolean => a.starter;
const systemScope = (a: Answers): boolean => a.scope === 'system';
const c = (a: Answers): boolean => a.lang === 'c';
const ts = (a: Answers): boolean => a.lang === 'typescript';
/** Both conditions. */
const and =
  (...fs: ((a: Answers) => boolean)[]) =>
  (a: Answers): boolean =>
    fs.every((f) => f(a));

/** A template emitted under its own name. */
const same = (path: string, extra: Partial<FileEntry> = {}): FileEntry => ({
  template: `project/${path}`,
  destination: path,
  ...extra,
});

/** A template of the TypeScript flavour (templates/project/ts/), emitted at `path`. */
const tsSame = (path: string, extra: Partial<FileEntry> = {}): FileEntry => ({
  template: `project/ts/${path}`,
  destination: path,
  when: ts,
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
  // The license chosen (--license): its text, from templates/project/licenses/<SPDX id>.
  ...LICENSES.filter((id) => id !== 'none').map((id): FileEntry => ({
    template: `project/licenses/${id}`,
    destination: 'LICENSE',
    when: (a) => a.license === id,
  })),
  // The GitHub Actions workflow: make check with gcc and clang, make lint, and a macOS build.
  // Never run by create-daemon (no GitHub runner here): test/generate/workflow.test.ts lints it.
  { template: 'project/github/ci.yml', destination: '.github/workflows/ci.yml' },
  // The man pages (mdoc), which make install installs with the Makefile's RELEASED as their date.
  { template: 'project/man/daemon.8', destination: 'man/{name}.8' },
  { template: 'project/man/daemon.conf.5', destination: 'man/{name}.conf.5' },
  // The Debian package (debian/): for a system service only (a per-user service has no place in a
  // system package). debian/rules follows the init answers, so it is in init-manifest.ts.
  ...(['control', 'changelog', 'copyright', 'source/format'] as const).map((f): FileEntry => ({
    template: `debian/${f}`,
    destination: `debian/${f}`,
    when: systemScope,
  })),
  // The account the daemon runs as, created at install (adduser --system).
  { template: 'debian/postinst', destination: 'debian/postinst', when: and(systemScope, dropsPrivileges) },

  // The native helper: one concern per file. The same library for both languages.
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
  // The TypeScript flavour's helper waits for signals and for Node in one thread: --reload
  // chooses how the Node side handles a reload (docs/ARCHITECTURE.md).
  { template: 'project/helper/signals-single.c', destination: 'helper/signals.c', when: (a) => single(a) || ts(a) },
  { template: 'project/helper/signals-multi.c', destination: 'helper/signals.c', when: and(multi, c) },
  same('helper/signals.h'),
  same('helper/timespec.h'),
  same('helper/privdrop.c', { when: dropsPrivileges }),
  same('helper/privdrop.h', { when: dropsPrivileges }),

  // The C daemon: main, config, reload and the chosen payload.
  same('src/config.c', { when: c }),
  same('src/config.h', { when: c }),
  same('src/defaults.h', { when: c }),
  same('src/main.c', { when: c }),
  same('src/path.c', { when: c }),
  same('src/path.h', { when: c }),
  same('src/payload.h', { when: c }),
  same('src/reload.c', { when: c }),
  same('src/reload.h', { when: c }),
  // A course's per-student variant (core/variant.ts): tests/grade.sh rewrites both per student.
  same('src/variant.h', { when: (a) => a.variant !== '' }),
  same('src/variant.c', { when: (a) => a.variant !== '' }),
  same('src/tick.c', { when: and(c, tick) }),
  same('src/echo.c', { when: and(c, echo) }),

  // The TypeScript daemon: the helper's program (native/: the same main.c as the C daemon's,
  // with Node as its payload), the daemon in src/*.ts and its unit tests.
  tsSame('package.json'),
  tsSame('tsconfig.json'),
  { template: 'project/src/main.c', destination: 'native/main.c', when: ts },
  { template: 'project/src/defaults.h', destination: 'native/defaults.h', when: ts },
  { template: 'project/src/path.c', destination: 'native/path.c', when: ts },
  { template: 'project/src/path.h', destination: 'native/path.h', when: ts },
  tsSame('native/child.c'),
  tsSame('native/child.h'),
  tsSame('native/paths.sh'),
  tsSame('native/script.c'),
  ...TS_SOURCES.map((f) => tsSame(`src/${f}`)),

  // The self-test (make check) and the config parser's fuzzer (make fuzz).
  same('tests/check.sh', { mode: 0o755 }),
  same('tests/probe.c'),
  same('tests/variant', { when: (a) => a.variant !== '' }),
  // The starter's step drivers: each exercise file's functions checked on their own.
  // todo(), the stubs' body: outside the exercise files, so that each can be replaced whole.
  same('helper/todo.c', { when: starter }),
  same('helper/todo.h', { when: starter }),
  // The rubric (core/rubric.ts), the score in each platform's format, and the grader.
  same('tests/rubric', { when: starter }),
  same('tests/report.awk', { when: starter }),
  same('tests/grade.sh', { when: starter, mode: 0o755 }),
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
  same('fuzz/config-fuzz.c', { when: c }),
  same('fuzz/corpus/default.conf', { when: c }),
  same('fuzz/corpus/tricky.conf', { when: c }),
  same('fuzz/corpus/errors.conf', { when: c }),
  same('fuzz/corpus/crlf.conf', { when: c }),
];
