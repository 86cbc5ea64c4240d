// The echo payload's limits (found by review): a hung-up client must not spin the loop, the
// socket file's mode is the configured one whatever the umask, and a reload restores a removed
// socket file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { generateProject, make, WERROR } from '../support/project.js';
import { itWith } from '../support/tools.js';

const cpuTicks = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the daemon detached under umask mask; returns its pid. */
function start(dir: string, run: string, conf: string, mask = '022'): number {
  writeFileSync(join(run, 'd.conf'), conf);
  const r = spawnSync(
    'sh',
    ['-c', `umask ${mask}; exec ./myd -c "$1" -p "$2"`, 'sh', join(run, 'd.conf'), join(run, 'd.pid')],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  expect(r.status, r.stderr).toBe(0);
  return Number(readFileSync(join(run, 'd.pid'), 'utf8'));
}

function echo(sock: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = createConnection(sock);
    let got = '';
    c.on('error', reject);
    c.on('data', (d) => {
      got += d.toString();
      if (got.includes('\n')) {
        c.destroy();
        resolve(got);
      }
    });
    c.write(`${line}\n`);
  });
}

// The daemon binds, sets the mode, then listens (src/echo.c): the file can be seen before its
// mode is set, but nobody can connect until it is. Waits for the first echo (5 s at most).
async function echoOnceUp(sock: string, line: string): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return await echo(sock, line);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (i >= 500 || (code !== 'ENOENT' && code !== 'ECONNREFUSED')) throw e;
      await sleep(10);
    }
  }
}

// Sends lines without reading the echo until both directions are full (no progress for 0.3 s),
// then shuts down both ways, says so by creating argv[2], and holds the fd.
const HANGUP = `
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.setblocking(False)
chunk, stuck, end = (b'x' * 1023 + b'\\n') * 64, 0, time.time() + 10
while stuck < 30 and time.time() < end:
    try: s.send(chunk); stuck = 0
    except BlockingIOError: stuck += 1; time.sleep(0.01)
s.shutdown(socket.SHUT_RDWR)
open(sys.argv[2], 'w').close()
time.sleep(20)
`;

for (const reload of ['single', 'multi'] as const) {
  for (const portable of [false, true]) {
    describe(`reload=${reload} payload=echo${portable ? ' PORTABLE=1' : ''} limits`, () => {
      itWith(['make', 'cc', 'python3'])(
        'a client that hangs up with its echo unsent does not spin the daemon',
        async () => {
          const dir = generateProject(['--reload', reload, '--payload', 'echo']);
          make(dir, portable ? [WERROR, 'PORTABLE=1'] : [WERROR]);
          const run = join(dir, 'run');
          mkdirSync(run);
          const sock = join(run, 'd.sock');
          const pid = start(dir, run, `socket = ${sock}\n`);
          writeFileSync(join(run, 'hangup.py'), HANGUP);
          const down = join(run, 'down');
          const py = spawnSync(
            'sh',
            ['-c', `python3 "$1" "$2" "$3" >/dev/null 2>&1 & echo $!`, 'sh', join(run, 'hangup.py'), sock, down],
            { encoding: 'utf8' },
          );
          const pypid = Number(py.stdout.trim());
          try {
            for (let i = 0; i < 1000 && !existsSync(down); i++) await sleep(10);
            expect(existsSync(down), 'the client never filled both directions').toBe(true);
            await sleep(300);
            const before = cpuTicks(pid);
            await sleep(1500);
            // A spinning loop burns ~150 ticks in 1.5 s.
            expect(cpuTicks(pid) - before).toBeLessThan(20);
            expect(await echo(sock, 'still here')).toBe('still here\n');
          } finally {
            try {
              process.kill(pypid, 'SIGKILL');
            } catch {
              /* gone */
            }
            process.kill(pid, 'SIGTERM');
          }
        },
      );
    });
  }

  describe(`reload=${reload} payload=echo socket file`, () => {
    itWith(['make', 'cc'])(
      'the socket file has exactly socket_mode, under any umask, and a reload applies a new one',
      async () => {
        const dir = generateProject(['--reload', reload, '--payload', 'echo']);
        make(dir, [WERROR]);
        for (const mask of ['022', '077']) {
          const run = join(dir, `run${mask}`);
          mkdirSync(run);
          const sock = join(run, 'd.sock');
          const pid = start(dir, run, `socket = ${sock}\nsocket_mode = 0660\n`, mask);
          try {
            expect(statSync(sock).mode & 0o7777).toBe(0o660);
            const sock2 = join(run, 'e.sock');
            writeFileSync(join(run, 'd.conf'), `socket = ${sock2}\nsocket_mode = 0600\n`);
            process.kill(pid, 'SIGHUP');
            expect(await echoOnceUp(sock2, 'moded')).toBe('moded\n');
            expect(statSync(sock2).mode & 0o7777).toBe(0o600);
          } finally {
            process.kill(pid, 'SIGTERM');
          }
        }
      },
    );

    itWith(['make', 'cc'])('a reload restores a removed socket file', async () => {
      const dir = generateProject(['--reload', reload, '--payload', 'echo']);
      make(dir, [WERROR]);
      const run = join(dir, 'run');
      mkdirSync(run);
      const sock = join(run, 'd.sock');
      const pid = start(dir, run, `socket = ${sock}\n`);
      try {
        rmSync(sock);
        process.kill(pid, 'SIGHUP');
        expect(await echoOnceUp(sock, 'back')).toBe('back\n');
      } finally {
        process.kill(pid, 'SIGTERM');
      }
    });

    itWith(['make', 'cc'])('an abstract socket (@name) is refused with the reason, exit 78', () => {
      const dir = generateProject(['--reload', reload, '--payload', 'echo']);
      make(dir, [WERROR]);
      writeFileSync(join(dir, 'a.conf'), 'socket = @myd-abstract\n');
      const r = spawnSync('./myd', ['-t', '-c', join(dir, 'a.conf')], { cwd: dir, encoding: 'utf8' });
      expect(r.status).toBe(78);
      expect(r.stderr + r.stdout).toContain(
        'an abstract socket (@name) has no permissions, any local user could connect',
      );
    });
  });
}
