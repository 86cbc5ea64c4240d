// Every check of make check has a mutation that kills it: for each kind of project, every `ok` line
// of an untouched project's make check is the named target (`fails` or `kills`) of one of the mutations in
// test/emitted/mutations.ts, which the mutation suites run. A check with none is a check nothing
// proves can fail, and so is a defect, like a test that asserts nothing.
import { expect, it } from 'vitest';
import { MUTATIONS } from './mutations.js';
import { generateProject, isTypeScript, linkNodeModules, run, WERROR } from '../support/project.js';
import { describeWith, isRoot } from '../support/tools.js';

const CELLS: readonly (readonly string[])[] = [
  ['--reload', 'single', '--payload', 'tick'],
  ['--reload', 'single', '--payload', 'echo'],
  ['--reload', 'multi', '--payload', 'tick'],
  ['--reload', 'multi', '--payload', 'echo'],
  ['--reload', 'single', '--payload', 'tick', '--scope', 'user'],
  // The drop's checks run only as root.
  ...(isRoot ? [['--reload', 'multi', '--payload', 'echo', '--user', 'nobody']] : []),
  // The TypeScript daemon: the same checks, and its own of Node (as root, the account's too).
  isRoot
    ? ['--lang', 'typescript', '--reload', 'multi', '--payload', 'echo', '--user', 'nobody']
    : ['--lang', 'typescript', '--reload', 'single', '--payload', 'echo'],
];

/** The mutations that name a check as their target, by the check's FAIL line. */
export function killersOf(check: string): string[] {
  const line = `FAIL ${check}`;
  return MUTATIONS.filter((m) => [m.fails, ...(m.kills ?? [])].some((k) => k.test(line))).map((m) => m.title);
}

describeWith(['make', 'gcc'])('every check has a killing mutation', () => {
  for (const flags of CELLS)
    it(`every check of ${flags.join(' ')} is a mutation's target`, () => {
      const dir = generateProject(flags);
      if (isTypeScript(flags)) linkNodeModules(dir);
      const r = run(['make', 'check', WERROR], { cwd: dir });
      expect(r.status, r.out).toBe(0);
      const checks = [...r.out.matchAll(/^ok {3}(.*)$/gm)].map((c) => c[1]!);
      expect(checks.length, r.out).toBeGreaterThanOrEqual(40);
      const unkilled = checks.filter((c) => killersOf(c).length === 0);
      expect(unkilled, 'checks no mutation in test/emitted/mutations.ts targets').toEqual([]);
    });
});
