// The POSIX fallbacks that macOS and the BSDs build (a self-pipe and poll instead of ppoll; pipe,
// socket, socketpair and accept + fcntl instead of pipe2, SOCK_CLOEXEC and accept4; a walk of
// /dev/fd instead of close_range; no MSG_NOSIGNAL), proven on Linux: `make PORTABLE=1` forces
// every one of them, and each pairwise reload x payload x user cell (test/support/matrix.ts: every
// pair of values once, so every emitted file of every shape), built so with gcc and with clang at
// -Werror, must pass its whole `make check`.
import { expect, it } from 'vitest';
import { describeWith } from '../support/tools.js';
import { pairwiseMatrix } from '../support/matrix.js';
import { cellFlags, checkSummary, generateProject, make, run, WERROR } from '../support/project.js';

/** The Linux-only calls; a PORTABLE=1 binary must import none of them. */
const LINUX_ONLY = ['ppoll', 'pipe2', 'accept4', 'close_range'] as const;

/** The binary's undefined dynamic symbols, without versions (nm comes with gcc's binutils). */
function imports(dir: string): string[] {
  const r = run(['nm', '-D', '--undefined-only', 'myd'], { cwd: dir });
  expect(r.status, r.out).toBe(0);
  return r.out
    .split('\n')
    .map((l) => l.trim().split(/\s+/).pop()!.replace(/@.*/, ''))
    .filter(Boolean);
}

// Four of the eight cells: the other four would build and check the same fallbacks in other
// combinations (each minute of CI counts).
for (const cell of pairwiseMatrix()) {
  const payload = cell.given.payload as 'tick' | 'echo';
  const multi = cell.given.reload === 'multi';
  describeWith(['make', 'gcc', 'clang'])(`${cell.title}, PORTABLE=1`, () => {
    for (const cc of ['gcc', 'clang']) {
      // make check runs on gcc's build; clang's is built and inspected (the same C: each minute of CI counts).
      it(`${cc} builds the POSIX fallbacks at -Werror${cc === 'gcc' ? ' and make check passes' : ''}`, () => {
        const dir = generateProject(cellFlags(cell));
        const args = [`CC=${cc}`, 'PORTABLE=1', WERROR];
        expect(make(dir, args)).not.toMatch(/warning:/);
        const used = imports(dir);
        for (const call of LINUX_ONLY) expect(used, `PORTABLE=1 must not call ${call}`).not.toContain(call);
        // The fallbacks themselves are what runs.
        for (const call of ['poll', 'pipe', 'socketpair', 'fcntl']) expect(used).toContain(call);
        if (payload === 'echo') expect(used).toContain('accept');
        if (cc !== 'gcc') return;

        const r = run(['make', 'check', ...args], { cwd: dir });
        expect(r.out, r.out).not.toMatch(/^FAIL /m);
        expect(r.status, r.out).toBe(0);
        const summary = checkSummary(r.out);
        expect(summary, r.out).toBeDefined();
        expect(summary!.failed).toBe(0);
        expect(summary!.passed).toBeGreaterThanOrEqual(payload === 'echo' ? 48 : 40);
      });
    }
    // The same cell without the knob uses the atomic Linux calls: the knob, not the host, decides.
    // Every cell (--user adds privdrop.c, which calls none of them): each reload model with each payload.
    it('the default build uses the Linux calls instead', () => {
      const dir = generateProject(cellFlags(cell));
      make(dir, ['CC=gcc', WERROR]);
      const used = imports(dir);
      const want = ['ppoll', 'pipe2', 'close_range', ...(payload === 'echo' ? ['accept4'] : [])];
      for (const call of want) expect(used, `the default build calls ${call}`).toContain(call);
      if (!multi) expect(used).not.toContain('poll');
    });
  });
}
