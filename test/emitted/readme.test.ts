// The emitted README's rule table cites file:line for each APUE 13.3 rule and daemon(7) step.
// Every citation must land on the comment that names that rule, in every matrix cell, so an
// edit to a C template that shifts lines fails here instead of leaving a stale table.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonMatrix } from '../support/matrix.js';
import { cli } from '../support/init-project.js';
import { cellFlags, generateProject } from '../support/project.js';

/** 1-based [first, last] line of C function fn: the comment block above its definition to its closing brace. */
function functionLines(lines: readonly string[], fn: string): [number, number] {
  const def = lines.findIndex((l) => l.startsWith(`${fn}(`));
  if (def === -1) return [0, 0];
  let from = def;
  while (from > 0 && lines[from - 1]!.trim() !== '' && lines[from - 1] !== '}') from--;
  return [from + 1, lines.indexOf('}', def) + 1];
}

describe('emitted README rule table', () => {
  const cells = [
    ...daemonMatrix().map((c) => ({ title: c.title, flags: cellFlags(c) })),
    ...daemonMatrix().map((c) => ({
      title: `${c.title} lang=typescript`,
      flags: [...cellFlags(c), '--lang', 'typescript'],
    })),
  ];
  for (const cell of cells) {
    it(`cites lines that name their rule (${cell.title})`, () => {
      const dir = generateProject(cell.flags);
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
        for (const m of row.matchAll(/`([\w/.-]+\.(?:c|ts)):(\d+)`(?: (?:in|at) `(\w+)\(\)`)?/g)) {
          const file = join(dir, m[1]!);
          expect(existsSync(file), `${label}: ${m[1]} is not emitted`).toBe(true);
          const lines = readFileSync(file, 'utf8').split('\n');
          const line = lines[Number(m[2]) - 1] ?? '';
          // The row's own label (APUE 13.5, daemon(7) step 12 ...), or the call the row names.
          const named = line.includes(label) || (label === 'APUE 13.5' && /APUE 13\.5/.test(line));
          expect(named, `${label} cites ${m[1]}:${m[2]}, which reads: ${line.trim()}`).toBe(true);
          // "in `f()`" / "at `f()`": the line is f's own, in its body or the comment just above it
          // (not a file header that happens to name the rule).
          if (m[3]) {
            const [from, to] = functionLines(lines, m[3]);
            expect(from, `${label}: ${m[1]} defines no ${m[3]}()`).toBeGreaterThan(0);
            const at = Number(m[2]);
            expect(
              at >= from && at <= to,
              `${label} cites ${m[1]}:${at}, outside ${m[3]}() (lines ${from}-${to})`,
            ).toBe(true);
          }
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

describe('emitted README of a TypeScript daemon', () => {
  it('says why the helper exists, with sources, and what CI proves, each claim backed by the test that does it', () => {
    const dir = generateProject(['--lang', 'typescript']);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const why = readme.slice(readme.indexOf('## Why a helper in C'), readme.indexOf('## The command line'));
    for (const reason of [
      /`fork\(\)` in a running Node is undefined/,
      /no `setsid`, no fcntl locks/,
      /`sd_notify`/,
      /syslog/,
    ])
      expect(why).toMatch(reason);
    expect(why).toContain('https://docs.libuv.org/');
    expect(why).toContain('https://nodejs.org/api/dgram.html');
    const root = join(import.meta.dirname, '..', '..');
    for (const [row, test] of [
      [
        /^\| Linux, glibc, Node\.js 20, 22 and 24\s+\|.*\|\s+yes\s+\|\s+yes, on each Node\s+\|$/m,
        'test/emitted/typescript.test.ts',
      ],
      [/^\| Linux, musl .*\|\s+yes\s+\|\s+yes: `make check-daemon`/m, 'test/emitted/cross-musl.test.ts'],
      [
        /^\| Linux under systemd 252 as PID 1\s+\|.*crashed \(Node, then the helper\)/m,
        'test/init/systemd-live.test.ts',
      ],
      [/^\| macOS, x86_64 and arm64\s+\|\s+the helper with/m, 'test/emitted/cross-macos.test.ts'],
    ] as const) {
      expect(readme).toMatch(row);
      expect(existsSync(join(root, test)), test).toBe(true);
    }
    // No C daemon's files in its table.
    expect(readme).not.toMatch(/`src\/main\.c`|`fuzz\//);
  });
});

describe('emitted README and the init systems', () => {
  it('repeats no init-system list: the same README for any --init, left alone by units --init, which updates init/README.md', () => {
    const a = generateProject(['--init', 'systemd']);
    const b = generateProject(['--init', 'openrc,runit,rcd']);
    const readme = readFileSync(join(a, 'README.md'), 'utf8');
    expect(readFileSync(join(b, 'README.md'), 'utf8')).toBe(readme);
    expect(readme).toContain('[`init/README.md`](init/README.md)');
    const r = cli(['units', '--init', 'systemd,openrc'], a);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(a, 'README.md'), 'utf8')).toBe(readme);
    expect(readFileSync(join(a, 'init/README.md'), 'utf8')).toMatch(/^## OpenRC$/m);
  });

  it("the Install block says plain make install picks this machine's init system, INIT_SYSTEMS exactly", () => {
    const readme = readFileSync(join(generateProject([]), 'README.md'), 'utf8');
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('## What each file does'));
    // No init system by name: a default project has no runit, and make refuses a name it lacks.
    expect(install).toMatch(/make install INIT_SYSTEMS=name +# exactly these \(names from INIT_CHOSEN\)/);
    expect(install).not.toMatch(/INIT_SYSTEMS="?(systemd|sysv|launchd|openrc|runit|rcd)/);
    expect(install).toMatch(/the init-system files this machine can use/);
    expect(install).toMatch(/on macOS, launchd's/);
    expect(install).toMatch(/an edited one\s+is kept/);
  });
});

describe('emitted README wording', () => {
  for (const payload of ['tick', 'echo'])
    it(`says what a clean exit removes, and why the umask is not 0, truly (${payload})`, () => {
      const readme = readFileSync(join(generateProject(['--payload', payload]), 'README.md'), 'utf8');
      expect(readme).not.toMatch(/the pid file are/);
      expect(readme).toContain(
        payload === 'tick' ? 'the pid file is removed' : 'the pid file and the socket are removed',
      );
      // The daemon sets its own files' modes; the umask guards what is added later.
      expect(readme).not.toMatch(/0\s+would make them writable/);
      expect(readme).toMatch(/the pid file 0600/);
    });
});
