// The hostile review's findings on start-up, the lock, signals and messages, each as the property
// that must hold, in both reload models: closed stdio at start, the lock race between open and
// lock, hard-linked and non-regular pid files, the spare and fatal signals, SIGPIPE while the start
// command dies, a forked helper that keeps the readiness pipe, the -s query, /dev/null missing,
// and a config the --user account cannot read. The races are made to happen on cue by an
// LD_PRELOAD shim (fixtures/shim.c).
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  copyFileSync,
  cpSync,
  rmSync,
  writeFileSync,
  chmodSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { tempDir } from '../support/cli.js';
import { alive, cli } from '../support/init-project.js';
import { killUnder, make, run, WERROR } from '../support/project.js';
import { isRoot, itWith, missingReason } from '../support/tools.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SHIM_SRC = new URL('./fixtures/shim.c', import.meta.url).pathname;

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const readPid = (file: string): number => Number(readFileSync(file, 'utf8').trim());
const fdTarget = (pid: number, fd: number): string => {
  const r = spawnSync('readlink', [`/proc/${pid}/fd/${fd}`], { encoding: 'utf8' });
  return r.stdout.trim();
};
/** The signal numbers in a /proc/PID/status mask field (SigBlk, SigIgn...). */
const maskHas = (hex: string, sig: number): boolean => (BigInt(`0x${hex}`) >> BigInt(sig - 1)) % 2n === 1n;

const reason = missingReason(['make', 'cc']);

for (const reload of ['single', 'multi'] as const) {
  describe(`reload=${reload}: start-up, lock, signals and messages under hostile conditions`, () => {
    let parent = '';
    let dir = '';
    let shim = '';
    let n = 0;
    const started: number[] = [];
    /** A fresh scratch directory with a config for this project's echo payload. */
    const scratch = (): { run: string; conf: string; pidf: string; sock: string } => {
      const r = join(parent, `run${n++}`);
      mkdirSync(r);
      chmodSync(r, 0o755);
      writeFileSync(join(r, 'd.conf'), `socket = ${r}/d.sock\n`);
      return { run: r, conf: join(r, 'd.conf'), pidf: join(r, 'd.pid'), sock: join(r, 'd.sock') };
    };
    const track = (pid: number): number => (started.push(pid), pid);
    const stop = async (pid: number): Promise<void> => {
      if (alive(pid)) process.kill(pid, 'SIGTERM');
      await until(`pid ${pid} to exit`, () => !alive(pid));
    };

    beforeAll(() => {
      if (reason) return;
      parent = tempDir('cd-hostile-');
      chmodSync(parent, 0o755);
      dir = join(parent, 'myd');
      const flags = ['myd', '--yes', '--dir', dir, '--reload', reload, '--payload', 'echo'];
      const r = cli(flags, parent);
      if (r.status !== 0) throw new Error(r.stderr);
      make(dir, [WERROR, 'all', 'tests/probe']);
      shim = join(parent, 'shim.so');
      const b = run(['cc', '-shared', '-fPIC', '-o', shim, SHIM_SRC, '-ldl']);
      if (b.status !== 0) throw new Error(b.out);
    }, 120_000);
    afterAll(() => {
      for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
      // Also those a failed test started but never tracked (./myd runs with -c under parent).
      if (parent) killUnder(parent);
      if (parent) rmSync(parent, { recursive: true, force: true });
    });
    const itc = itWith(['make', 'cc']);

    itc('started with fds 0, 1 and 2 closed, it still reports ready and puts /dev/null there', async () => {
      for (const redirect of ['<&- >&- 2>&-', '>&-', '2>&-']) {
        const s = scratch();
        const r = spawnSync('sh', ['-c', `exec ./myd -c "$1" -p "$2" ${redirect}`, 'sh', s.conf, s.pidf], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 10_000,
        });
        expect(r.status, `${redirect}: ${r.stderr}`).toBe(0);
        const pid = track(readPid(s.pidf));
        for (const fd of [0, 1, 2]) expect(fdTarget(pid, fd), `${redirect}: fd ${fd}`).toBe('/dev/null');
        expect(run(['tests/probe', 'echo', s.sock, 'still-serving'], { cwd: dir }).status).toBe(0);
        await stop(pid);
      }
    });

    itc('in the foreground with stderr closed, log lines never land in the pid file', async () => {
      const s = scratch();
      const child = spawn('sh', ['-c', 'exec ./myd -f -c "$1" -p "$2" 2>&-', 'sh', s.conf, s.pidf], {
        cwd: dir,
        stdio: 'ignore',
      });
      await until('the pid file', () => existsSync(s.pidf) && readFileSync(s.pidf, 'utf8').endsWith('\n'));
      const pid = track(child.pid!);
      await sleep(300);
      process.kill(pid, 'SIGHUP');
      await sleep(300);
      expect(readFileSync(s.pidf, 'utf8')).toBe(`${pid}\n`);
      await stop(pid);
    });

    itc('a lock taken on a file that was unlinked meanwhile does not count: one instance only', async () => {
      const s = scratch();
      // B opens the pid file, then (the shim) it is unlinked before B locks it, as a stopping
      // daemon does; B must not run on a lock that guards nothing.
      writeFileSync(s.pidf, '');
      const b = run(['./myd', '-c', s.conf, '-p', s.pidf], {
        cwd: dir,
        env: { LD_PRELOAD: shim, SHIM_UNLINK_BEFORE_LOCK: s.pidf },
      });
      expect(b.status, b.out).toBe(0);
      const bpid = track(readPid(s.pidf));
      // C starts normally: it must find B's lock on the file that now has the name.
      const c = run(['./myd', '-c', s.conf, '-p', s.pidf], { cwd: dir });
      expect(c.status, c.out).toBe(1);
      expect(c.out).toContain(`already running (pid ${bpid})`);
      await stop(bpid);
    });

    itc('a pid file with another hard link is refused, and the other file is left alone', () => {
      const s = scratch();
      const victim = join(s.run, 'precious');
      writeFileSync(victim, 'precious data\n');
      linkSync(victim, s.pidf);
      const r = run(['./myd', '-c', s.conf, '-p', s.pidf], { cwd: dir });
      expect(r.status, r.out).toBe(71);
      expect(r.out).toContain('it has other hard links');
      expect(r.out.split('hard links').length - 1, 'said once').toBe(1);
      expect(readFileSync(victim, 'utf8')).toBe('precious data\n');
    });

    itc('a FIFO at the pid path is refused as "not a regular file", said once', () => {
      const s = scratch();
      expect(spawnSync('mkfifo', [s.pidf]).status).toBe(0);
      const r = run(['./myd', '-c', s.conf, '-p', s.pidf], { cwd: dir, timeout: 10_000 });
      expect(r.status, r.out).toBe(71);
      expect(r.out).toMatch(/cannot use .*d\.pid as the pid file: it is not a regular file/);
      expect(r.out.split('not a regular file').length - 1).toBe(1);
      expect(r.out).not.toContain('Invalid argument');
    });

    /** -s as the init scripts call it: stdout (the pid they would signal), stderr, status. */
    const query = (pidf: string) => {
      const r = spawnSync('./myd', ['-s', '-p', pidf], { cwd: dir, encoding: 'utf8', timeout: 10_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    /**
     * A python3 process that holds a lock on file (a POSIX read lock, or an OFD write lock, which
     * reports no pid) until its stdin closes, or 30 s at most.
     */
    const holdLock = async (file: string, kind: 'read' | 'ofd', uid?: number) => {
      const py = [
        'import fcntl, os, select, struct, sys',
        `fd = os.open(sys.argv[1], os.O_RDONLY if sys.argv[2] == 'read' else os.O_RDWR)`,
        `if sys.argv[2] == 'read': fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)`,
        `else: fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack('hhqqi4x', fcntl.F_WRLCK, 0, 0, 0, 0))`,
        `print('locked', flush=True)`,
        'select.select([sys.stdin], [], [], 30)',
      ].join('\n');
      const child = spawn('python3', ['-c', py, file, kind], { stdio: ['pipe', 'pipe', 'pipe'], uid });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const gone = new Promise<void>((r) => child.on('exit', () => r()));
      await Promise.race([until('the lock', () => out.includes('locked'), 10_000), gone]);
      return {
        pid: child.pid!,
        out: () => out,
        release: async () => (child.stdin!.end(), await gone),
      };
    };

    itc('the pid file is created 0600: no other account can open it to hold a read lock on it', async () => {
      const s = scratch();
      expect(run(['./myd', '-c', s.conf, '-p', s.pidf], { cwd: dir }).status).toBe(0);
      const pid = track(readPid(s.pidf));
      expect(statSync(s.pidf).mode & 0o777).toBe(0o600);
      await stop(pid);
    });

    itWith(['make', 'cc', 'python3'], () => (isRoot ? undefined : 'needs root to try the lock as nobody'))(
      'as nobody, a leftover pid file cannot be opened, so it cannot be locked to block the next start',
      async () => {
        const s = scratch();
        expect(run(['./myd', '-c', s.conf, '-p', s.pidf], { cwd: dir }).status).toBe(0);
        const pid = track(readPid(s.pidf));
        process.kill(pid, 'SIGKILL'); // leaves the pid file behind, as kill -9 does
        await until(`pid ${pid} to die`, () => !alive(pid));
        const h = await holdLock(s.pidf, 'read', 65534);
        expect(h.out()).toContain('Permission denied');
        await h.release();
        const again = run(['./myd', '-c', s.conf, '-p', s.pidf], { cwd: dir });
        expect(again.status, again.out).toBe(0);
        await stop(track(readPid(s.pidf)));
      },
    );

    itWith(['make', 'cc', 'python3'])(
      "someone else's read lock is named as such: the start exits 71 naming its pid, -s says not running",
      async () => {
        const s = scratch();
        // A leftover from kill -9 naming a live process that is not the daemon: this test's own.
        writeFileSync(s.pidf, `${process.pid}\n`);
        const h = await holdLock(s.pidf, 'read');
        try {
          const r = run(['./myd', '-c', s.conf, '-p', s.pidf], { cwd: dir });
          expect(r.status, r.out).toBe(71);
          expect(r.out).toContain(`pid ${h.pid} holds a read lock on it, and is not an instance of myd`);
          expect(r.out).not.toContain('already running');
          const q = query(s.pidf);
          expect(q.status, q.stderr).toBe(3);
          expect(q.stdout).toBe('');
          expect(q.stderr).toContain(`pid ${h.pid} holds a read lock`);
        } finally {
          await h.release();
        }
      },
    );

    itWith(['make', 'cc', 'python3'])(
      'an OFD lock reports no pid: neither the start nor -s names the stale pid in the file, and -s prints nothing',
      async () => {
        const s = scratch();
        writeFileSync(s.pidf, `${process.pid}\n`);
        const h = await holdLock(s.pidf, 'ofd');
        try {
          const r = run(['./myd', '-c', s.conf, '-p', s.pidf], { cwd: dir });
          expect(r.status, r.out).toBe(1);
          expect(r.out).toContain('a process whose pid cannot be known holds it');
          expect(r.out).not.toContain(String(process.pid));
          // Exit 0 would send the init script's kill to whatever -s printed.
          const q = query(s.pidf);
          expect(q.status, q.stderr).toBe(71);
          expect(q.stdout).toBe('');
          expect(q.stderr).not.toContain(String(process.pid));
        } finally {
          await h.release();
        }
      },
    );

    itc('a symbolic link or a directory at the pid path: the start and -s give the same reason, in words', () => {
      const s = scratch();
      const target = join(s.run, 'target');
      writeFileSync(target, 'not a pid file\n');
      symlinkSync(target, s.pidf);
      const cases = [
        { make: () => undefined, why: 'it is a symbolic link, and a pid file is never opened through one' },
        { make: () => (rmSync(s.pidf), mkdirSync(s.pidf)), why: 'it is not a regular file' },
      ];
      for (const c of cases) {
        c.make();
        const r = run(['./myd', '-c', s.conf, '-p', s.pidf], { cwd: dir });
        expect(r.status, r.out).toBe(71);
        expect(r.out).toContain(`cannot use ${s.pidf} as the pid file: ${c.why}`);
        const q = query(s.pidf);
        expect(q.status, q.stderr).toBe(71);
        expect(q.stdout).toBe('');
        expect(q.stderr).toContain(`cannot query ${s.pidf}: ${c.why}`);
      }
      expect(readFileSync(target, 'utf8')).toBe('not a pid file\n');
    });

    itc(
      '-s prints the pid holding the lock (0), or exits 3 when none does, even after the binary is replaced',
      async () => {
        const s = scratch();
        const none = run(['./myd', '-s', '-p', s.pidf], { cwd: dir });
        expect(none.status, none.out).toBe(3);
        expect(run(['./myd', '-c', s.conf, '-p', s.pidf], { cwd: dir }).status).toBe(0);
        const pid = track(readPid(s.pidf));
        // A package upgrade: the binary is replaced under the running daemon.
        const bin = join(s.run, 'myd');
        copyFileSync(join(dir, 'myd'), bin);
        copyFileSync(join(dir, 'myd'), `${bin}.new`);
        renameSync(`${bin}.new`, bin);
        const q = spawnSync(bin, ['-s', '-p', s.pidf], { encoding: 'utf8' });
        expect(q.status, q.stderr).toBe(0);
        expect(q.stdout).toBe(`${pid}\n`);
        await stop(pid);
        // The file is gone now; a stale one left by kill -9 is not a running daemon either.
        writeFileSync(s.pidf, `${pid}\n`);
        expect(run(['./myd', '-s', '-p', s.pidf], { cwd: dir }).status).toBe(3);
        const fifo = join(s.run, 'fifo');
        spawnSync('mkfifo', [fifo]);
        const bad = run(['./myd', '-s', '-p', fifo], { cwd: dir });
        expect(bad.status).toBe(71);
        expect(bad.out).toContain('not a regular file');
      },
    );

    let portable = '';
    /** The same project built with PORTABLE=1 (the self-pipe, signals unblocked), once. */
    const portableDir = (): string => {
      if (!portable) {
        portable = `${dir}-portable`;
        cpSync(dir, portable, { recursive: true });
        make(portable, ['clean']);
        make(portable, [WERROR, 'PORTABLE=1', 'all']);
      }
      return portable;
    };

    itc('spare signals that arrive in the same wait are each logged, once (ppoll and PORTABLE=1)', async () => {
      for (const cwd of [dir, portableDir()]) {
        const s = scratch();
        let err = '';
        const child = spawn('./myd', ['-f', '-c', s.conf, '-p', s.pidf], {
          cwd,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        const pid = track(child.pid!);
        await until('started', () => err.includes('started'));
        // Stopped, the daemon cannot take them one by one: all three are pending when it resumes.
        process.kill(pid, 'SIGSTOP');
        await until('stopped', () => /^State:\s+T/m.test(readFileSync(`/proc/${pid}/status`, 'utf8')));
        for (const sig of ['SIGUSR1', 'SIGUSR2', 'SIGALRM'] as const) process.kill(pid, sig);
        process.kill(pid, 'SIGCONT');
        const names = ['SIGUSR1', 'SIGUSR2', 'SIGALRM'];
        await until('three "ignoring" lines', () => names.every((n) => err.includes(`ignoring ${n}`)), 3000).catch(
          () => undefined,
        );
        await sleep(200);
        for (const n of names) expect(err.split(`ignoring ${n}:`).length - 1, `${cwd}: ${n} in:\n${err}`).toBe(1);
        await stop(pid);
      }
    });

    itc('SIGUSR1, SIGUSR2 and SIGALRM are logged and ignored; SIGQUIT keeps its default (core)', async () => {
      const s = scratch();
      let err = '';
      const child = spawn('./myd', ['-f', '-c', s.conf, '-p', s.pidf], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<string | null>((r) => child.on('exit', (_c, sig) => r(sig)));
      const pid = track(child.pid!);
      await until('started', () => err.includes('started'));
      for (const sig of ['SIGUSR1', 'SIGUSR2', 'SIGALRM'] as const) {
        process.kill(pid, sig);
        await until(`"ignoring ${sig}"`, () => err.includes(`ignoring ${sig}`));
      }
      expect(alive(pid)).toBe(true);
      expect(run(['tests/probe', 'echo', s.sock, 'after-spare'], { cwd: dir }).status).toBe(0);
      // No thread blocks the signals whose default action matters (QUIT, the faults).
      const tasks = spawnSync('ls', [`/proc/${pid}/task`], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n');
      for (const tid of tasks) {
        const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
        const blk = /^SigBlk:\s+([0-9a-f]+)/m.exec(status)![1]!;
        for (const [name, num] of [
          ['SIGQUIT', 3],
          ['SIGILL', 4],
          ['SIGBUS', 7],
          ['SIGFPE', 8],
          ['SIGSEGV', 11],
        ] as const)
          expect(maskHas(blk, num), `thread ${tid} blocks ${name} (SigBlk ${blk})`).toBe(false);
      }
      process.kill(pid, 'SIGQUIT');
      expect(await exited).toBe('SIGQUIT');
    });

    itc('the start command dying while the daemon starts does not kill it before it cleans up (SIGPIPE)', async () => {
      // A start-up that fails after the pid file is written (the socket's directory is missing)
      // reports to the start command, which was killed meanwhile: the report must cost an EPIPE,
      // and the daemon must still remove its pid file and exit.
      const s = scratch();
      writeFileSync(s.conf, `socket = ${s.run}/missing/d.sock\n`);
      const start = spawn('./myd', ['-c', s.conf, '-p', s.pidf], {
        cwd: dir,
        stdio: 'ignore',
        env: { ...process.env, LD_PRELOAD: shim, SHIM_SLOW_TRUNCATE: '600' },
      });
      await until('the pid file', () => existsSync(s.pidf));
      start.kill('SIGKILL');
      await until('the pid', () => !existsSync(s.pidf) || /^\d+\n$/.test(readFileSync(s.pidf, 'utf8')));
      await sleep(1500);
      expect(existsSync(s.pidf), 'the pid file was left behind').toBe(false);
    });

    itc('the start command returns at the report, though a forked helper keeps the pipe open', async () => {
      const s = scratch();
      const holder = join(s.run, 'holder.pid');
      const t0 = Date.now();
      const r = run(['./myd', '-c', s.conf, '-p', s.pidf], {
        cwd: dir,
        timeout: 10_000,
        env: { LD_PRELOAD: shim, SHIM_FORK_HOLDER: holder },
      });
      const ms = Date.now() - t0;
      try {
        expect(r.status, r.out).toBe(0);
        expect(ms, 'the start command waited for the helper').toBeLessThan(5000);
      } finally {
        if (existsSync(holder)) track(readPid(holder));
        if (existsSync(s.pidf)) await stop(track(readPid(s.pidf)));
      }
    });

    itWith(['make', 'cc', 'unshare'], () => (isRoot ? undefined : 'needs root for a private /dev'))(
      'with /dev/null missing, the start fails once, naming /dev/null',
      () => {
        const s = scratch();
        const r = run(
          [
            'unshare',
            '--mount',
            '--propagation',
            'private',
            'sh',
            '-c',
            'mount -t tmpfs tmpfs /dev && exec ./myd -c "$1" -p "$2"',
            'sh',
            s.conf,
            s.pidf,
          ],
          { cwd: dir },
        );
        expect(r.status, r.out).toBe(71);
        expect(r.out).toContain('cannot open /dev/null: No such file or directory');
        expect(r.out.split('/dev/null').length - 1, r.out).toBe(1);
      },
    );
  });
}

describe('--user: a config the account cannot read', () => {
  itWith(['make', 'cc'], () => (isRoot ? undefined : 'needs root to drop privileges'))(
    'refuses to start, saying so, instead of failing every reload later',
    () => {
      const parent = tempDir('cd-hostile-user-');
      try {
        chmodSync(parent, 0o755);
        const dir = join(parent, 'myd');
        const r = cli(['myd', '--yes', '--dir', dir, '--user', 'nobody'], parent);
        expect(r.status, r.stderr).toBe(0);
        make(dir, [WERROR]);
        const runDir = join(parent, 'run');
        mkdirSync(runDir);
        run(['chown', 'nobody', runDir]);
        const conf = join(parent, 'secret.conf');
        writeFileSync(conf, 'interval = 3600\nmessage = hi\n', { mode: 0o600 });
        const start = run(['./myd', '-c', conf, '-p', join(runDir, 'd.pid')], { cwd: dir });
        expect(start.status, start.out).toBe(78);
        expect(start.out).toContain(`cannot read ${conf} as nobody: Permission denied; every reload would fail`);
        expect(existsSync(join(runDir, 'd.pid'))).toBe(false);
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    },
  );
});
