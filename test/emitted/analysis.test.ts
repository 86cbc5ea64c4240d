// Static analysis of the emitted C: the project's own `make lint` (cppcheck, then the clang
// static analyzer one file at a time) must be silent, for each reload x payload cell.
import { expect, it } from 'vitest';
import { daemonMatrix } from '../support/matrix.js';
import { cellFlags, generateProject, make, run } from '../support/project.js';
import { describeWith } from '../support/tools.js';

describeWith(['make', 'cppcheck', 'clang'])('make lint (cppcheck, clang --analyze)', () => {
  // With --user (privdrop.c is emitted, main.c has the drop), plus one cell without it.
  const cells = daemonMatrix().filter(
    (c) => c.given.user || (c.given.reload === 'single' && c.given.payload === 'tick'),
  );
  for (const cell of cells) {
    it(`is silent: ${cell.title}`, () => {
      const dir = generateProject(cellFlags(cell));
      const out = make(dir, ['lint']);
      expect(out).not.toMatch(/warning:|error:|\(style\)|\(warning\)|\(portability\)|\(performance\)/);
      expect(out).toMatch(/clang --analyze src\/main\.c/);
    });
  }
  // The TypeScript daemon's helper: native/ (main.c with its ts branches, child.c), with and without --user.
  // (--user: main.c's drop and privdrop.c; the rest of native/ is the same in every project.)
  for (const flags of [['--lang', 'typescript', '--payload', 'echo', '--user', 'nobody']]) {
    it(`is silent: ${flags.join(' ')}`, () => {
      const dir = generateProject(flags);
      const out = make(dir, ['lint']);
      expect(out).not.toMatch(/warning:|error:|\(style\)|\(warning\)|\(portability\)|\(performance\)/);
      expect(out).toMatch(/clang --analyze native\/child\.c/);
      expect(out).toMatch(/clang --analyze native\/main\.c/);
    });
  }
});

describeWith(['shellcheck'])('the self-test script', () => {
  // The starter's check.sh has a section of its own (the step drivers), in both models.
  const cells = [
    ...daemonMatrix().map(cellFlags),
    ['--scope', 'user'],
    ['--starter', '--reload', 'single'],
    ['--starter', '--reload', 'multi'],
    ['--lang', 'typescript', '--payload', 'echo', '--user', 'nobody'],
    ['--lang', 'typescript', '--payload', 'tick', '--scope', 'user'],
  ];
  for (const flags of cells) {
    it(`is clean POSIX sh for shellcheck: ${flags.join(' ')}`, () => {
      const dir = generateProject(flags);
      const r = run(['shellcheck', '-s', 'sh', 'tests/check.sh'], { cwd: dir });
      expect(r.out).toBe('');
      expect(r.status).toBe(0);
    });
  }
});
