// The emitted README's rule table cites file:line for each APUE 13.3 rule and daemon(7) step.
// Every citation must land on the comment that names that rule, in every matrix cell, so an
// edit to a C template that shifts lines fails here instead of leaving a stale table.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonMatrix } from '../support/matrix.js';
import { cellFlags, generateProject } from '../support/project.js';

describe('emitted README rule table', () => {
  for (const cell of daemonMatrix()) {
    it(`cites lines that name their rule (${cell.title})`, () => {
      const dir = generateProject(cellFlags(cell));
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      const rows = readme.split('\n').filter((l) => /^\| (APUE|daemon\(7\))/.test(l));
      const labels = rows.map((r) => r.split('|')[1]!.trim());
      const steps = ['step 1', 'steps 2 and 3', 'step 4', 'step 5', 'step 6', 'steps 7-8', 'step 9', 'step 10'];
      steps.push('step 11', 'step 12', 'step 13', 'step 14', 'step 15');
      for (const want of [
        ...[1, 2, 3, 4, 5, 6].map((n) => `APUE 13.3 rule ${n}`),
        'APUE 13.4',
        'APUE 13.5',
        'APUE 13.6',
        ...steps.map((s) => `daemon(7) ${s}`),
      ])
        expect(labels, `the table has a row for ${want}`).toContain(want);
      let cited = 0;
      for (const row of rows) {
        const label = row.split('|')[1]!.trim();
        for (const m of row.matchAll(/`([\w/.-]+\.c):(\d+)`/g)) {
          const file = join(dir, m[1]!);
          expect(existsSync(file), `${label}: ${m[1]} is not emitted`).toBe(true);
          const lines = readFileSync(file, 'utf8').split('\n');
          const line = lines[Number(m[2]) - 1] ?? '';
          // The row's own label (APUE 13.5, daemon(7) step 12 ...), or the call the row names.
          const named = line.includes(label) || (label === 'APUE 13.5' && /APUE 13\.5/.test(line));
          expect(named, `${label} cites ${m[1]}:${m[2]}, which reads: ${line.trim()}`).toBe(true);
          cited++;
        }
      }
      expect(cited).toBeGreaterThanOrEqual(20);
    });
  }
});

describe('emitted README platform table', () => {
  it('says which systems CI builds and runs, each claim backed by the test file that does it, and FreeBSD as claimed only', () => {
    const dir = generateProject(['--reload', 'single', '--payload', 'tick']);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    // The cells of the row that names the system (prettier pads the table).
    const row = (system: RegExp) =>
      (readme.split('\n').find((l) => system.test(l)) ?? '')
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
    const root = join(import.meta.dirname, '..', '..');
    const claims: [RegExp, string, RegExp, string][] = [
      [/^\| Linux, musl/, 'yes', /^yes$/, 'test/emitted/cross-musl.test.ts'],
      [/^\| macOS, x86_64 and arm64/, 'yes', /^no: /, 'test/emitted/cross-macos.test.ts'],
      [/^\| Linux under systemd 252/, 'yes', /real `systemctl`$/, 'test/init/systemd-live.test.ts'],
      [/^\| Linux, glibc/, 'yes', /^yes, both ways$/, 'test/emitted/portable.test.ts'],
    ];
    for (const [system, built, run, test] of claims) {
      expect(row(system)[2], `${system}`).toBe(built);
      expect(row(system)[3], `${system}`).toMatch(run);
      expect(existsSync(join(root, test)), test).toBe(true);
    }
    expect(row(/^\| FreeBSD/).slice(2)).toEqual(['no', 'no']);
    expect(readme).toContain('FreeBSD is claimed, not built');
  });
});
