// Found by review: an accept(2) that fails for want of descriptors must not spin the loop (and, in the
// single model, starve SIGTERM), and a SIGHUP that lands while the daemon starts must not kill it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { generateProject, make, WERROR } from '../support/project.js';
import { itWith } from '../support/tools.js';

const cpuTicks = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
const gone = (pid: number): boolean =>
  !existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const reload of ['single', 'multi'] as const) {
  describe(`reload=${reload} payload=echo under pressure`, () => {
    itWith(['make', 'cc', 'prlimit'])(
      'out of descriptors, the listener rests instead of spinning, and SIGTERM still works',
      async () => {
        const dir = generateProject(['--reload', reload, '--payload', 'echo']);
        make(dir, [WERROR]);
        const run = join(dir, 'run');
        mkdirSync(run);
        writeFileSync(join(run, 'd.conf'), `socket = ${run}/d.sock\n`);
        expect(spawnSync('./myd', ['-c', join(run, 'd.conf'), '-p', join(run, 'd.pid')], { cwd: dir }).status).toBe(0);
        const pid = Number(readFileSync(join(run, 'd.pid'), 'utf8'));
        try {
          // Room for 0-2 and the listener only: every accept(2) fails with EMFILE.
          expect(spawnSync('prlimit', [`--pid=${pid}`, '--nofile=4:4']).status).toBe(0);
          const clients = [0, 1, 2].map(() => createConnection(join(run, 'd.sock')).on('error', () => {}));
          await sleep(500);
          const before = cpuTicks(pid);
          await sleep(1500);
          // A spinning loop burns ~150 ticks in 1.5 s; a resting one almost none.
          expect(cpuTicks(pid) - before).toBeLessThan(15);
          clients.forEach((c) => c.destroy());
        } finally {
          process.kill(pid, 'SIGTERM');
        }
        for (let i = 0; i < 100 && !gone(pid); i++) await sleep(20);
        expect(gone(pid)).toBe(true);
        expect(existsSync(join(run, 'd.pid'))).toBe(false);
      },
    );

    itWith(['make', 'cc'])('a SIGHUP sent as soon as the pid file appears never kills a starting daemon', async () => {
      const dir = generateProject(['--reload', reload, '--payload', 'echo']);
      make(dir, [WERROR]);
      const run = join(dir, 'run');
      mkdirSync(run);
      writeFileSync(join(run, 'd.conf'), `socket = ${run}/d.sock\n`);
      for (let i = 0; i < 15; i++) {
        rmSync(join(run, 'd.pid'), { force: true });
        const start = spawn('./myd', ['-c', join(run, 'd.conf'), '-p', join(run, 'd.pid')], { cwd: dir });
        const status = new Promise<number | null>((r) => start.on('exit', (code) => r(code)));
        let pid = 0;
        while (!pid) {
          const text = existsSync(join(run, 'd.pid')) ? readFileSync(join(run, 'd.pid'), 'utf8') : '';
          pid = Number(text) || 0;
        }
        process.kill(pid, 'SIGHUP');
        expect(await status, `start ${i}`).toBe(0);
        process.kill(pid, 'SIGTERM');
        for (let k = 0; k < 100 && !gone(pid); k++) await sleep(10);
        expect(gone(pid)).toBe(true);
      }
    });
  });
}
