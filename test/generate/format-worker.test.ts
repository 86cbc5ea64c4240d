// The bundle's Prettier thread (core/format.ts): when it cannot start, or dies, the run must fail with a
// message and write nothing; and a run that never asks it for anything must not wait for it.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyCli, runCli, tempDir } from '../support/cli.js';

/** A private copy of the built CLI whose worker is replaced by `worker`. */
function cliWithWorker(worker: string): string {
  const bin = copyCli('cd-worker-');
  writeFileSync(join(dirname(dirname(bin)), 'dist/format-worker.mjs'), worker);
  return bin;
}

describe('the Prettier worker', () => {
  it.each([
    ['cannot start', "throw new Error('worker broken on purpose');\n", /worker broken on purpose/],
    ['exits at once', 'process.exit(3);\n', /the Prettier worker exited with status 3/],
  ])('that %s fails the run with its reason, and nothing is written', (_, worker, reason) => {
    const bin = cliWithWorker(worker);
    const cwd = tempDir();
    const r = runCli(['myd', '--yes'], cwd, {}, bin);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(reason);
    expect(r.stderr.split('\n').every((l) => l === '' || l.startsWith('create-daemon: '))).toBe(true);
    expect(existsSync(join(cwd, 'myd'))).toBe(false);
  });

  it('that runs forever does not keep a failed run alive', () => {
    // The worker starts with every run; outside a project, units fails before any file is rendered. A
    // run held open by the worker would be killed by runCli's timeout and have no exit status.
    const bin = cliWithWorker('setInterval(() => {}, 1000);\n');
    const cwd = tempDir();
    const r = runCli(['units', '--yes'], cwd, {}, bin);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`create-daemon: not a create-daemon project (no .yo-rc.json in ${cwd})\n`);
  });
});
