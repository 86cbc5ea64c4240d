// The daemon from outside, beyond its own make check: no wakeups at all while idle (the later
// benchmark wants 0 context switches), resident memory within 2 MiB, a prompt SIGTERM, and
// make check passing as an unprivileged account too.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { alive } from '../support/init-project.js';
import { daemonMatrix } from '../support/matrix.js';
import { cellFlags, checkSummary, generateProject, make, run, WERROR } from '../support/project.js';
import { describeWith, isRoot } from '../support/tools.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Context switches of every thread of pid, voluntary and not. */
function switches(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
    for (const m of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)) total += Number(m[1]);
  }
  return total;
}

const field = (pid: number, key: string) =>
  Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

describeWith(['make', 'gcc'])('idle cost, memory and stop latency', () => {
  for (const cell of daemonMatrix()) {
    it(`idles with 0 wakeups in RSS <= 2 MiB and stops promptly: ${cell.title}`, async () => {
      const dir = generateProject(cellFlags(cell));
      make(dir, [WERROR]);
      // After the drop the daemon must still remove its pid file and socket here.
      if (cell.given.user && isRoot) run(['chown', String(cell.given.user), dir]);
      const conf = join(dir, 'idle.conf');
      const pidfile = join(dir, 'idle.pid');
      const echo = cell.given.payload === 'echo';
      writeFileSync(conf, echo ? `socket = ${join(dir, 'idle.sock')}\n` : 'interval = 3600\nmessage = idle\n');
      const start = run(['./myd', '-c', conf, '-p', pidfile], { cwd: dir });
      expect(start.status, start.out).toBe(0);
      const pid = Number(readFileSync(pidfile, 'utf8'));
      try {
        await sleep(200);
        const before = switches(pid);
        await sleep(3000);
        expect(switches(pid) - before, 'context switches in 3 s of idling').toBe(0);
        const rss = field(pid, 'VmRSS');
        console.log(`${cell.title}: VmRSS ${rss} kB, ${field(pid, 'Threads')} thread(s)`);
        expect(rss).toBeLessThanOrEqual(2048);
        const t0 = process.hrtime.bigint();
        process.kill(pid, 'SIGTERM');
        while (alive(pid)) await new Promise((r) => setImmediate(r));
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        console.log(`${cell.title}: SIGTERM to exit ${ms.toFixed(2)} ms`);
        // Typically 2-5 ms; the bound leaves room for a CI machine busy compiling other cells.
        expect(ms).toBeLessThan(250);
        expect(() => readFileSync(pidfile)).toThrow();
      } finally {
        if (alive(pid)) process.kill(pid, 'SIGKILL');
      }
    });
  }
});

describeWith(['make', 'gcc', 'runuser'], () => (isRoot ? undefined : 'already unprivileged: the build tests cover it'))(
  'make check as an unprivileged account',
  () => {
    const wanted = ['reload=single payload=tick user=nobody', 'reload=multi payload=echo'];
    for (const cell of daemonMatrix().filter((c) => wanted.includes(c.title))) {
      it(`passes as nobody: ${cell.title}`, () => {
        const dir = generateProject(cellFlags(cell));
        run(['chown', '-R', 'nobody', dir]);
        const r = run(['runuser', '-u', 'nobody', '--', 'make', 'check', WERROR], { cwd: dir });
        expect(r.status, r.out).toBe(0);
        expect(checkSummary(r.out)?.failed, r.out).toBe(0);
      });
    }
  },
);

describeWith(['make', 'gcc'])('names and descriptions that need escaping', () => {
  it('a dashed name and a hostile description build at -Werror and pass make check', () => {
    const description = 'He said "hi" $HOME \\ <b> */ 100% `x` #not-a-comment';
    const dir = generateProject(['--description', description, '--payload', 'echo', '--reload', 'multi'], 'my-d');
    const r = run(['make', 'check', WERROR], { cwd: dir });
    expect(r.out).not.toMatch(/warning:/);
    expect(r.status, r.out).toBe(0);
    expect(checkSummary(r.out)?.failed, r.out).toBe(0);
    expect(readFileSync(join(dir, 'src/defaults.h'), 'utf8')).toMatch(/#define MY_D_NAME\t"my-d"/);
  });
});
