// The build-and-check suite for one reload model: each reload x payload x user cell is
// generated, built with gcc and with clang at -Werror, and its own `make check` must pass.
import { expect, it } from 'vitest';
import { describeWith } from './tools.js';
import { daemonMatrix } from './matrix.js';
import { cellFlags, checkSummary, generateProject, make, run, WERROR } from './project.js';

/** Fewer checks than this means the self-test skipped a section it should have run. */
const MIN_CHECKS = { tick: 40, echo: 48 } as const;

export function buildSuite(reload: 'single' | 'multi'): void {
  for (const cell of daemonMatrix().filter((c) => c.given.reload === reload)) {
    const payload = cell.given.payload as 'tick' | 'echo';
    describeWith(['make', 'gcc', 'clang'])(cell.title, () => {
      for (const cc of ['gcc', 'clang']) {
        // make check runs on gcc's build; clang's is built at -Werror (the same C: each minute of CI counts).
        it(`${cc} builds it at -Werror${cc === 'gcc' ? ' and its make check passes' : ''}`, () => {
          const dir = generateProject(cellFlags(cell));
          const build = make(dir, [`CC=${cc}`, WERROR]);
          expect(build).not.toMatch(/warning:/);
          if (cc !== 'gcc') return;
          const r = run(['make', 'check', `CC=${cc}`, WERROR], { cwd: dir });
          expect(r.out, r.out).not.toMatch(/^FAIL /m);
          expect(r.status, r.out).toBe(0);
          const summary = checkSummary(r.out);
          expect(summary, r.out).toBeDefined();
          expect(summary!.failed).toBe(0);
          expect(summary!.passed).toBeGreaterThanOrEqual(MIN_CHECKS[payload]);
        });
      }
    });
  }
}
