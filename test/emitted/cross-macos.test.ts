// macOS, built here with zig cc (test/support/zig.ts): every reload x payload x --user cell, for
// x86_64 and arm64, with the poll(2) fallbacks macOS uses (its own have.h) and with PORTABLE=1,
// at the full warning set as errors. Built and linked, not run: there is no macOS here.
import { expect, it } from 'vitest';
import { describeWith } from '../support/tools.js';
import { daemonMatrix } from '../support/matrix.js';
import { cellFlags, generateProject, make, run, WERROR } from '../support/project.js';
import { COLD, ZIG_ENV, zigCC, zigReason } from '../support/zig.js';

const ARCHES = [
  ['x86_64-macos', 'x86_64'],
  ['aarch64-macos', 'arm64'],
] as const;
/** PORTABLE=1 once, on x86_64: the fallbacks are the same C for both architectures (CI time counts). */
const PORTABLES: Record<string, readonly string[]> = { x86_64: ['0', '1'], arm64: ['0'] };

for (const cell of daemonMatrix()) {
  describeWith(['make', 'file'], zigReason)(cell.title, () => {
    it(
      'builds for macOS x86_64 and arm64, with and without PORTABLE=1, with no warning',
      () => {
        const dir = generateProject(cellFlags(cell));
        for (const [target, arch] of ARCHES)
          for (const portable of PORTABLES[arch] ?? ['0', '1']) {
            make(dir, ['clean'], ZIG_ENV, COLD);
            const out = make(dir, [zigCC(target), `PORTABLE=${portable}`, WERROR], ZIG_ENV, COLD);
            expect(out, `${target} PORTABLE=${portable}`).not.toMatch(/warning:/);
            const kind = run(['file', '-b', `${dir}/myd`]).out;
            expect(kind, `${target} PORTABLE=${portable}`).toMatch(new RegExp(`^Mach-O 64-bit ${arch} executable`));
          }
      },
      COLD,
    );
  });
}

// The TypeScript daemon's helper (the helper library, native/main.c and native/child.c, which has a
// Linux-only part): both shapes it comes in (with and without --user), both architectures, both ways.
for (const flags of [
  ['--lang', 'typescript', '--payload', 'echo'],
  ['--lang', 'typescript', '--payload', 'tick', '--user', 'nobody'],
]) {
  describeWith(['make', 'file'], zigReason)(flags.join(' '), () => {
    it(
      'its helper builds for macOS x86_64 and arm64, with and without PORTABLE=1, with no warning',
      () => {
        const dir = generateProject(flags);
        for (const [target, arch] of ARCHES)
          for (const portable of PORTABLES[arch] ?? ['0', '1']) {
            // The helper alone: dist/ is JavaScript, the same everywhere, and tsc needs no cross build.
            run(['rm', '-f', 'myd', 'native/myd.installed', 'helper/have.h', 'native/paths.h'], { cwd: dir });
            const out = make(
              dir,
              [zigCC(target), `PORTABLE=${portable}`, WERROR, 'myd', 'native/myd.installed'],
              ZIG_ENV,
              COLD,
            );
            expect(out, `${target} PORTABLE=${portable}`).not.toMatch(/warning:/);
            for (const bin of ['myd', 'native/myd.installed'])
              expect(run(['file', '-b', `${dir}/${bin}`]).out, `${target} PORTABLE=${portable}`).toMatch(
                new RegExp(`^Mach-O 64-bit ${arch} executable`),
              );
          }
      },
      COLD,
    );
  });
}
