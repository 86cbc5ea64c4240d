// A target inside /proc, /sys or /dev is refused before anything is written or asked: Node's own
// mkdirSync loops forever on /proc (issue 14, item 8). Symlinks are followed, also dangling ones.
import { spawnSync } from 'node:child_process';
import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { cliBin } from '../support/init-project.js';
import { itWith } from '../support/tools.js';

/** The CLI with no terminal, bounded: the bug this guards against never returns. */
function run(args: string[], cwd: string, tty = false) {
  const argv = [process.execPath, cliBin(), ...args];
  const [cmd, rest] = tty ? ['script', ['-qec', argv.join(' '), '/dev/null']] : [argv[0]!, argv.slice(1)];
  const r = spawnSync(cmd, rest, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' },
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const refusal = (dir: string, kernel: string, real?: string) =>
  `create-daemon: cannot generate into ${dir}${real ? ` (it resolves to ${real})` : ''}: ${kernel} is a kernel file system, not storage; choose another --dir\n`;

describe('a target inside a kernel file system', () => {
  for (const [dir, kernel] of [
    ['/proc/q', '/proc'],
    ['/proc', '/proc'],
    ['/sys/q', '/sys'],
    ['/dev/shm/q/deeper', '/dev'],
  ] as const)
    it(`--dir ${dir}: one line, exit 2, nothing written`, () => {
      const r = run(['q', '--yes', '--dir', dir], tempDir());
      expect(r.stderr).toBe(refusal(dir, kernel));
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
    });

  it('the name alone, run from /proc: refused as /proc/q', () => {
    const r = run(['q', '--yes'], '/proc');
    expect(r.stderr).toBe(refusal('/proc/q', '/proc'));
    expect(r.status).toBe(2);
  });

  it('through a symlink of an existing parent, and through a dangling one', () => {
    const cwd = tempDir();
    symlinkSync('/proc/self', join(cwd, 'self'));
    symlinkSync('/sys/no-such-dir', join(cwd, 'dangling'));
    const before = readdirSync(cwd).sort();
    const viaProc = run(['q', '--yes', '--dir', 'self/q'], cwd);
    expect(viaProc.stderr).toMatch(
      new RegExp(
        `^create-daemon: cannot generate into ${cwd}/self/q \\(it resolves to /proc/\\d+/q\\): /proc is a kernel file system, not storage; choose another --dir\\n$`,
      ),
    );
    expect(viaProc.status).toBe(2);
    const viaDangling = run(['q', '--yes', '--dir', 'dangling/a/b'], cwd);
    expect(viaDangling.stderr).toBe(refusal(`${cwd}/dangling/a/b`, '/sys', '/sys/no-such-dir/a/b'));
    expect(viaDangling.status).toBe(2);
    expect(readdirSync(cwd).sort()).toEqual(before);
  });

  it('a directory merely named like one (./proc/q) is fine', () => {
    const cwd = tempDir();
    const r = run(['q', '--yes', '--dir', 'proc/q'], cwd);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  itWith(['script'])('interactive: refused before the first question', () => {
    const r = run(['q', '--dir', '/proc/q'], tempDir(), true);
    expect(r.stdout.replace(/\r/g, '')).toBe(refusal('/proc/q', '/proc'));
    expect(r.status).toBe(2);
  });
});
