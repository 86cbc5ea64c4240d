// musl, as Alpine (with OpenRC) runs it: each reload model and payload (CELLS below) linked static
// with zig cc -target x86_64-linux-musl (test/support/zig.ts), and its full make check passes here.
import { expect, it } from 'vitest';
import { describeWith } from '../support/tools.js';
import { daemonMatrix } from '../support/matrix.js';
import { cellFlags, checkSummary, generateProject, linkNodeModules, make, run, WERROR } from '../support/project.js';
import { COLD, ZIG_ENV, zigCC, zigReason } from '../support/zig.js';

/** Fewer checks than this means the self-test skipped a section it should have run. */
const MIN_CHECKS = { tick: 40, echo: 48 } as const;
const MUSL = zigCC('x86_64-linux-musl');

// Two of the eight cells: the defaults (single, tick, no --user), and every other value at once
// (multi, echo, --user), so that every C file of every project shape (each signals.c, tick.c and
// echo.c, privdrop.c) is compiled, linked against musl and make-checked under it. Which files go
// together is the same C as with glibc, whose builds (build-single, build-multi) run all eight;
// the other six here would repeat the same files against the same libc (each minute of CI counts).
const CELLS = daemonMatrix().filter((c) =>
  c.given.reload === 'single'
    ? c.given.payload === 'tick' && !c.given.user
    : c.given.payload === 'echo' && Boolean(c.given.user),
);

for (const cell of CELLS) {
  describeWith(['make', 'file'], zigReason)(cell.title, () => {
    it(
      'links a static musl binary with no warning, and its make check passes',
      () => {
        const dir = generateProject(cellFlags(cell));
        const out = make(dir, [MUSL, WERROR], ZIG_ENV, COLD);
        expect(out).not.toMatch(/warning:/);
        expect(run(['file', '-b', `${dir}/myd`]).out).toMatch(
          /^ELF 64-bit LSB executable, x86-64, .*statically linked/,
        );
        const r = run(['make', 'check', MUSL, WERROR], { cwd: dir, env: ZIG_ENV, timeout: COLD });
        expect(r.out, r.out).not.toMatch(/^FAIL /m);
        expect(r.status, r.out).toBe(0);
        const summary = checkSummary(r.out);
        expect(summary, r.out).toBeDefined();
        expect(summary!.failed).toBe(0);
        expect(summary!.passed).toBeGreaterThanOrEqual(MIN_CHECKS[cell.given.payload as 'tick' | 'echo']);
      },
      COLD,
    );
  });
}

// The TypeScript daemon's helper, the same library and native/main.c and native/child.c, linked static
// with musl: the helper's make check-daemon passes with it (Node itself is this machine's).
// One cell: the helper's C is the same in every TypeScript project but for --user's privdrop.c.
for (const flags of [['--lang', 'typescript', '--reload', 'single', '--payload', 'echo', '--user', 'nobody']]) {
  describeWith(['make', 'file'], zigReason)(flags.join(' '), () => {
    it(
      'links a static musl helper with no warning, and its make check-daemon passes',
      () => {
        const dir = generateProject(flags);
        linkNodeModules(dir);
        const out = make(dir, [MUSL, WERROR], ZIG_ENV, COLD);
        expect(out).not.toMatch(/warning:/);
        for (const bin of ['myd', 'native/myd.installed'])
          expect(run(['file', '-b', `${dir}/${bin}`]).out).toMatch(
            /^ELF 64-bit LSB executable, x86-64, .*statically linked/,
          );
        const r = run(['make', 'check-daemon', MUSL, WERROR], { cwd: dir, env: ZIG_ENV, timeout: COLD });
        expect(r.out, r.out).not.toMatch(/^FAIL /m);
        expect(r.status, r.out).toBe(0);
        expect(checkSummary(r.out)?.failed, r.out).toBe(0);
        expect(checkSummary(r.out)!.passed).toBeGreaterThanOrEqual(50);
      },
      COLD,
    );
  });
}
