// The echo server's bounds, from outside (hostile review item 4): max_clients served at once, the
// others wait until one leaves; and max_buffered bounds the memory of clients that never read.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { alive } from '../support/init-project.js';
import { generateProject, make, run, WERROR } from '../support/project.js';
import { itWith } from '../support/tools.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssKiB = (pid: number): number =>
  Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

function connect(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createConnection(path, () => resolve(s));
    s.on('error', reject);
  });
}

/** Resolves with what came back for one line within ms ('' if nothing did). */
function echoOf(s: Socket, line: string, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const onData = (d: Buffer) => {
      got += d.toString();
      if (got.includes('\n')) done();
    };
    const t = setTimeout(() => done(), ms);
    const done = () => {
      clearTimeout(t);
      s.off('data', onData);
      resolve(got);
    };
    s.on('data', onData);
    s.write(`${line}\n`);
  });
}

for (const reload of ['single', 'multi'] as const) {
  describe(`reload=${reload} payload=echo: bounds`, () => {
    const start = (extra: string) => {
      const dir = generateProject(['--reload', reload, '--payload', 'echo']);
      make(dir, [WERROR]);
      const run = join(dir, 'run');
      mkdirSync(run);
      const conf = join(run, 'd.conf');
      writeFileSync(conf, `socket = ${run}/d.sock\n${extra}`);
      const r = spawnSync('./myd', ['-c', conf, '-p', join(run, 'd.pid')], { cwd: dir, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return { sock: join(run, 'd.sock'), pid: Number(readFileSync(join(run, 'd.pid'), 'utf8')) };
    };

    itWith(['make', 'cc'])('max_clients are served at once; the next waits until one leaves', async () => {
      const { sock, pid } = start('max_clients = 5\n');
      const clients: Socket[] = [];
      try {
        for (let i = 0; i < 5; i++) {
          const c = await connect(sock);
          clients.push(c);
          expect(await echoOf(c, `client-${i}`, 3000)).toBe(`client-${i}\n`);
        }
        const sixth = await connect(sock);
        clients.push(sixth);
        let got = '';
        sixth.on('data', (d: Buffer) => (got += d.toString()));
        sixth.write('sixth\n');
        await sleep(800);
        expect(got, 'served while five others held every slot').toBe('');
        clients[0]!.destroy();
        for (let i = 0; i < 300 && !got.includes('\n'); i++) await sleep(10);
        expect(got).toBe('sixth\n');
      } finally {
        clients.forEach((c) => c.destroy());
        process.kill(pid, 'SIGTERM');
      }
      for (let i = 0; i < 200 && alive(pid); i++) await sleep(10);
      expect(alive(pid)).toBe(false);
    });

    itWith(['make', 'cc'])(
      '100 clients that send 1 MiB without a newline and never read stay within max_buffered',
      async () => {
        const { sock, pid } = start('max_buffered = 8M\n');
        const clients: Socket[] = [];
        const chunk = Buffer.alloc(1024 * 1024, 'x');
        try {
          for (let i = 0; i < 100; i++) {
            const c = await connect(sock);
            c.on('error', () => {});
            c.pause();
            c.write(chunk);
            clients.push(c);
          }
          await sleep(2000);
          const rss = rssKiB(pid);
          console.log(`reload=${reload}: VmRSS ${rss} kB with 100 clients x 1 MiB unread, max_buffered 8M`);
          // 8 MiB of buffers plus the daemon itself; without the budget it would hold about 100 MiB.
          expect(rss).toBeLessThan(8 * 1024 + 6 * 1024);
          expect(alive(pid)).toBe(true);
        } finally {
          clients.forEach((c) => c.destroy());
          process.kill(pid, 'SIGTERM');
        }
        for (let i = 0; i < 300 && alive(pid); i++) await sleep(10);
        expect(alive(pid)).toBe(false);
      },
    );

    // Out of descriptors while clients come and go: each departure frees one descriptor, and a
    // daemon that ends its accept rest there retries, fails and logs at the rate clients churn.
    // The rest stays 1 s and the warning comes once per 10 s, with the count of the held-back ones.
    itWith(['make', 'cc', 'prlimit'])(
      'out of descriptors, the accept warning comes once per 10 s and counts one retry per second',
      async () => {
        const dir = generateProject(['--reload', reload, '--payload', 'echo']);
        make(dir, [WERROR]);
        const runDir = join(dir, 'run');
        mkdirSync(runDir);
        const sock = join(runDir, 'd.sock');
        writeFileSync(join(runDir, 'd.conf'), `socket = ${sock}\n`);
        const d = spawn('./myd', ['-f', '-c', join(runDir, 'd.conf'), '-p', join(runDir, 'd.pid')], {
          cwd: dir,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        d.stderr!.on('data', (b: Buffer) => (err += b.toString()));
        let stop = false;
        try {
          // The file appears at bind(2), the listener at listen(2): retry until it answers.
          let c: Socket | undefined;
          for (let i = 0; !c; i++) {
            c = await connect(sock).catch(async (e: NodeJS.ErrnoException) => {
              if (i >= 300 || (e.code !== 'ENOENT' && e.code !== 'ECONNREFUSED')) throw e;
              await sleep(10);
              return undefined;
            });
          }
          expect(await echoOf(c, 'warm-up', 3000)).toBe('warm-up\n');
          c.destroy();
          await sleep(100);
          // Room for one client: the limit is the lowest free descriptor plus one (what the
          // daemon inherited above it, in the foreground, stays open and does not count).
          const fds = new Set(readdirSync(`/proc/${d.pid}/fd`).map(Number));
          let free = 0;
          while (fds.has(free)) free++;
          const p = run(['prlimit', `--pid=${d.pid}`, `--nofile=${free + 1}:${free + 1}`]);
          expect(p.status, p.out).toBe(0);
          // Twelve clients that connect, ask for one echo, leave and come again, for 11.5 s.
          let served = 0;
          const churn = async () => {
            while (!stop) {
              const s = await connect(sock).catch(() => null);
              if (s === null) {
                await sleep(20);
                continue;
              }
              s.on('error', () => {});
              if ((await echoOf(s, 'churn', 200)) === 'churn\n') served++;
              s.destroy();
            }
          };
          const workers = Array.from({ length: 12 }, churn);
          await sleep(11_500);
          stop = true;
          await Promise.all(workers);
          const warnings = err.split('\n').filter((l) => l.includes('cannot accept'));
          expect(warnings.length, err).toBeGreaterThanOrEqual(2);
          expect(warnings.length, err).toBeLessThanOrEqual(2);
          const held = /and (\d+) more like it in the last 10 s/.exec(warnings[1]!);
          expect(held, warnings[1]).not.toBeNull();
          // One failed accept per 1 s rest: about 10 in 10 s, not one per departing client.
          expect(Number(held![1]), err).toBeLessThanOrEqual(12);
          expect(served, 'the daemon went on serving within the limit').toBeGreaterThan(0);
        } finally {
          stop = true;
          d.kill('SIGTERM');
          await new Promise((r) => (d.exitCode !== null ? r(null) : d.once('exit', r)));
        }
      },
      40_000,
    );
  });
}

describe('PORTABLE=1 (the BSD path): a refused connect is not proof that a socket is stale', () => {
  itWith(['make', 'cc'])(
    'a live listener that refuses twice keeps its socket file; the daemon says it is in use',
    async () => {
      const dir = generateProject(['--payload', 'echo']);
      make(dir, ['PORTABLE=1', WERROR]);
      const shim = join(dir, 'shim.so');
      const b = run([
        'cc',
        '-shared',
        '-fPIC',
        '-o',
        shim,
        new URL('./fixtures/shim.c', import.meta.url).pathname,
        '-ldl',
      ]);
      expect(b.status, b.out).toBe(0);
      const runDir = join(dir, 'run');
      mkdirSync(runDir);
      const sock = join(runDir, 'live.sock');
      // The daemon's probe connects and leaves at once: its reset is expected.
      const server = createServer((c) => {
        c.on('error', () => {});
        c.end('live\n');
      });
      await new Promise<void>((r) => server.listen(sock, r));
      try {
        writeFileSync(join(runDir, 'd.conf'), `socket = ${sock}\n`);
        const r = await new Promise<{ status: number | null; err: string }>((resolve) => {
          let err = '';
          const p = spawn('./myd', ['-c', join(runDir, 'd.conf'), '-p', join(runDir, 'd.pid')], {
            cwd: dir,
            env: { ...process.env, LD_PRELOAD: shim, SHIM_REFUSE_CONNECT: `2:${sock}` },
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
          p.on('exit', (status) => resolve({ status, err }));
        });
        expect(r.status, r.err).toBe(71);
        expect(r.err).toContain('another process is listening');
        expect(existsSync(sock), 'the live socket file was removed').toBe(true);
        const c = await connect(sock);
        const got = await new Promise<string>((res) => c.once('data', (d) => res(d.toString())));
        expect(got).toBe('live\n');
        c.destroy();
      } finally {
        server.close();
        // A daemon that wrongly started (it took the socket) must not outlive the test.
        const pidFile = join(runDir, 'd.pid');
        if (existsSync(pidFile)) {
          const pid = Number(readFileSync(pidFile, 'utf8'));
          if (pid > 0 && alive(pid)) process.kill(pid, 'SIGTERM');
        }
      }
    },
  );
});
