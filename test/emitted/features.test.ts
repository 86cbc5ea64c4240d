// The optional calls are chosen by trying them (helper/features.sh writes helper/have.h), not by
// the system's name: a toolchain that lacks one gets the next best, and PORTABLE=1 gets none. And
// the small shared pieces exist once: descriptors in fd.c, time sums in timespec.h, error texts in
// errstr.c, exit statuses in exitcodes.h.
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateProject, make, run, WERROR } from '../support/project.js';
import { describeWith } from '../support/tools.js';

const imports = (dir: string): string[] =>
  run(['nm', '-D', '--undefined-only', 'myd'], { cwd: dir })
    .out.split('\n')
    .map((l) => l.trim().split(/\s+/).pop()!.replace(/@.*/, ''))
    .filter(Boolean);

const sources = (dir: string): Map<string, string> => {
  const m = new Map<string, string>();
  for (const sub of ['helper', 'src'])
    for (const f of readdirSync(join(dir, sub)))
      if (/\.[ch]$/.test(f)) m.set(`${sub}/${f}`, readFileSync(join(dir, sub, f), 'utf8'));
  return m;
};

describeWith(['make', 'gcc'])('optional calls are tested for, not assumed', () => {
  it('have.h defines what this toolchain has, and none of it with PORTABLE=1', () => {
    const dir = generateProject(['--payload', 'echo']);
    make(dir, [WERROR]);
    const have = readFileSync(join(dir, 'helper/have.h'), 'utf8');
    for (const f of ['PIPE2', 'SOCK_CLOEXEC', 'ACCEPT4', 'PPOLL', 'CLOSE_RANGE', 'CLOSEFROM', 'MSG_NOSIGNAL'])
      expect(have).toContain(`#define HAVE_${f}\t1`);
    make(dir, ['PORTABLE=1', WERROR]);
    const none = readFileSync(join(dir, 'helper/have.h'), 'utf8');
    expect(none).not.toMatch(/#define HAVE_[A-Z0-9_]+\t1/);
    // Switching PORTABLE rebuilt the objects without a `make clean`.
    expect(imports(dir)).not.toContain('ppoll');
  });

  it("the Makefile's flags select XSI, where FreeBSD shows SA_RESTART (POSIX 2008 alone hides it there)", () => {
    // No FreeBSD headers here (zig has none): glibc says which feature level the flags select.
    const dir = generateProject(['--reload', 'single', '--payload', 'tick']);
    writeFileSync(
      join(dir, 'xsi.mk'),
      "xsi:\n\t@printf '#include <signal.h>\\n' | $(CC) $(ALL_CFLAGS) -E -dM -x c -\n",
    );
    const r = run(['make', '-s', '-f', 'Makefile', '-f', 'xsi.mk', 'xsi'], { cwd: dir });
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/^#define __USE_XOPEN_EXTENDED 1$/m);
    expect(r.out).toMatch(/^#define _XOPEN_SOURCE 700$/m);
    // The single model uses it, and the build at -Werror (build-*.test.ts) compiles that file.
    expect(readFileSync(join(dir, 'helper/signals.c'), 'utf8')).toContain('SA_RESTART');
  });

  it('a toolchain without close_range gets closefrom(3), and make check still passes', () => {
    const dir = generateProject(['--payload', 'tick']);
    // A compiler whose libc "lacks" close_range: the name does not link.
    const cc = join(dir, 'cc-no-close-range');
    writeFileSync(cc, '#!/bin/sh\nexec gcc -Dclose_range=cd_no_such_function "$@"\n');
    chmodSync(cc, 0o755);
    make(dir, [`CC=${cc}`, WERROR]);
    const have = readFileSync(join(dir, 'helper/have.h'), 'utf8');
    expect(have).toContain('/* #undef HAVE_CLOSE_RANGE */');
    expect(have).toContain('#define HAVE_CLOSEFROM\t1');
    const used = imports(dir);
    expect(used).toContain('closefrom');
    expect(used).not.toContain('close_range');
    const r = run(['make', 'check', `CC=${cc}`, WERROR], { cwd: dir });
    expect(r.status, r.out).toBe(0);
  });
});

describe('the shared pieces exist once', () => {
  it('no source decides for itself which calls exist, fatal() is gone, and 71 is spelled EXIT_OSERR', () => {
    for (const flags of [
      ['--reload', 'single', '--payload', 'echo'],
      ['--reload', 'multi', '--payload', 'tick', '--user', 'daemon'],
    ]) {
      const files = sources(generateProject(flags));
      for (const [name, text] of files) {
        // Visibility macros live in compat.h, call availability in have.h, never in a source.
        if (name !== 'helper/compat.h')
          expect(text, `${name} sets _GNU_SOURCE itself`).not.toContain('#define _GNU_SOURCE');
        expect(text, `${name} decides a HAVE_ itself`).not.toMatch(/#define HAVE_[A-Z0-9_]+\s+1/);
        expect(text, name).not.toMatch(/\bfatalx?\(/);
        if (name !== 'helper/exitcodes.h') expect(text, `${name} spells out 71`).not.toMatch(/\b71\b/);
        if (name !== 'helper/errstr.c') expect(text, `${name} calls strerror_r`).not.toContain('strerror_r(');
        if (name !== 'helper/timespec.h') {
          expect(text, `${name} rounds to milliseconds itself`).not.toContain('% 1000000L');
          expect(text, `${name} subtracts timespecs itself`).not.toContain('tv_nsec += 1000000000L');
        }
        if (name !== 'helper/fd.c') {
          expect(text, `${name} builds a sockaddr_un itself`).not.toMatch(/sun_family\s*=/);
          expect(text, `${name} defines a descriptor helper`).not.toMatch(/^(fd_cloexec|pipe_cloexec|wakeup_pair)\(/m);
        }
      }
    }
  });
});
