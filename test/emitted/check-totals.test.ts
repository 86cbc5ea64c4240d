// make check counts the same checks whatever fails: when the detached start fails, every check of
// a property the daemon should have had is still printed, as a FAIL ("not checked"), so that a
// broken daemon never shows fewer failures than there are properties it lacks, and a grade's
// denominator does not move.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { checkSummary, generateProject, run, WERROR } from '../support/project.js';
import { describeWith, isRoot } from '../support/tools.js';

const CELLS: readonly (readonly string[])[] = [
  ['--reload', 'single', '--payload', 'tick'],
  ['--reload', 'multi', '--payload', 'echo', ...(isRoot ? ['--user', 'nobody'] : [])],
];

describeWith(['make', 'gcc'])('the number of checks', () => {
  for (const flags of CELLS)
    it(`is the same when the detached start fails: ${flags.join(' ')}`, () => {
      const good = generateProject(flags);
      const ok = run(['make', 'check', WERROR], { cwd: good });
      expect(ok.status, ok.out).toBe(0);
      // make check prints the checks, not the command that runs them (GRADER_DIR="" sh tests/check.sh).
      expect(ok.out).not.toMatch(/GRADER_DIR|sh tests\/check\.sh/);
      const total = checkSummary(ok.out)!.passed;

      const broken = generateProject(flags);
      const file = join(broken, 'helper/daemonize.c');
      const from = '\t*ready_fd = -1;\n\t/* Before the first fork';
      const src = readFileSync(file, 'utf8');
      expect(src).toContain(from);
      writeFileSync(
        file,
        src.replace(from, '\t*ready_fd = -1;\n\terrno = ENOSYS;\n\treturn -1;\n\t/* Before the first fork'),
      );
      const r = run(['make', 'check', WERROR], { cwd: broken });
      expect(r.status, r.out).not.toBe(0);
      const sum = checkSummary(r.out)!;
      expect(r.out).toMatch(/^FAIL the start command exits 0 once the daemon is ready/m);
      expect(sum.passed + sum.failed, r.out).toBe(total);
    });
});
