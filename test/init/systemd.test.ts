// The systemd unit: structure per answer, `systemd-analyze verify` with an empty stderr against a root
// staged by `make install DESTDIR=...`, the `security` exposure threshold, and a Type=notify run of
// the unit's exact ExecStart without systemd (NOTIFY_SOCKET bound by a tiny receiver).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { describeWith, itWith } from '../support/tools.js';
import { tempDir } from '../support/cli.js';
import {
  alive,
  buildDaemon,
  generate,
  makeInstall,
  must,
  noDaemonReason,
  read,
  sh,
  waitFor,
  type Project,
} from '../support/init-project.js';

const THRESHOLD = 2.0;
const unitOf = (p: Project) => read(p, `init/systemd/${p.name}.service`);
const values = (unit: string, key: string) => [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]!);
const value = (unit: string, key: string) => values(unit, key).at(-1);

/**
 * make install DESTDIR=<stage>, plus the operating-system parts the unit refers to and a real root
 * would have: systemd's own units (sysinit.target ...) and /bin/kill for ExecReload=.
 */
function stage(p: Project): string {
  const root = join(p.dir, 'stage');
  makeInstall(p, [`DESTDIR=${root}`, 'INIT_SYSTEMS=systemd']);
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  cpSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true });
  cpSync('/usr/bin/kill', join(root, 'usr/bin/kill'));
  if (!existsSync(join(root, 'bin'))) symlinkSync('usr/bin', join(root, 'bin'));
  return root;
}

const verify = (root: string, unit: string) => sh('systemd-analyze', ['verify', `--root=${root}`, '--man=no', unit]);
function exposure(root: string, unit: string): { score: number; status: number | null; out: string } {
  const r = sh('systemd-analyze', [
    'security',
    '--offline=true',
    `--root=${root}`,
    `--threshold=${THRESHOLD * 10}`,
    unit,
  ]);
  const m = /Overall exposure level for \S+: (\d+\.\d)/.exec(r.stdout);
  return { score: m ? Number(m[1]) : NaN, status: r.status, out: r.stdout + r.stderr };
}

describe('systemd unit: contents follow the answers', () => {
  itWith([])(
    'default answers: Type=notify with -f, reload by SIGHUP, Restart=on-failure, WantedBy=multi-user.target',
    () => {
      const u = unitOf(generate('sdu', ['--init', 'systemd']));
      expect(value(u, 'Type')).toBe('notify');
      expect(value(u, 'ExecStart')).toBe('/usr/local/sbin/sdu -f');
      expect(value(u, 'NotifyAccess')).toBe('main');
      expect(value(u, 'ExecReload')).toBe('/bin/kill -HUP $MAINPID');
      expect(value(u, 'Restart')).toBe('on-failure');
      expect(value(u, 'PIDFile')).toBeUndefined();
      expect(value(u, 'User')).toBeUndefined();
      expect(value(u, 'WantedBy')).toBe('multi-user.target');
      // /run/sdu.pid sits directly in /run: no RuntimeDirectory=, and /run stays writable for it.
      expect(value(u, 'RuntimeDirectory')).toBeUndefined();
      expect(values(u, 'ReadWritePaths')).toEqual(['/run']);
    },
  );

  itWith([])('--systemd-type forking: no -f, PIDFile= is the pid file', () => {
    const u = unitOf(generate('sdu', ['--init', 'systemd', '--systemd-type', 'forking']));
    expect(value(u, 'Type')).toBe('forking');
    expect(value(u, 'ExecStart')).toBe('/usr/local/sbin/sdu');
    expect(value(u, 'PIDFile')).toBe('/run/sdu.pid');
    expect(value(u, 'NotifyAccess')).toBeUndefined();
  });

  itWith([])('--systemd-type simple: -f, no PIDFile=', () => {
    const u = unitOf(generate('sdu', ['--init', 'systemd', '--systemd-type', 'simple']));
    expect(value(u, 'Type')).toBe('simple');
    expect(value(u, 'ExecStart')).toBe('/usr/local/sbin/sdu -f');
    expect(value(u, 'PIDFile')).toBeUndefined();
  });

  itWith([])('--user daemon: User=, RuntimeDirectory= for /run/<name>/, no ReadWritePaths=', () => {
    const u = unitOf(generate('sdu', ['--init', 'systemd', '--user', 'daemon', '--systemd-type', 'forking']));
    expect(value(u, 'User')).toBe('daemon');
    expect(value(u, 'RuntimeDirectory')).toBe('sdu');
    expect(value(u, 'PIDFile')).toBe('/run/sdu/sdu.pid');
    expect(values(u, 'ReadWritePaths')).toEqual([]);
    // Group= is left to the account's primary group on purpose (see the comment in the unit).
    expect(value(u, 'Group')).toBeUndefined();
    expect(u).toMatch(/^# .*Group= is left unset/m);
  });

  itWith([])('--pidfile /var/run/<dir>/x.pid (APUE spelling) still gets RuntimeDirectory=<dir>', () => {
    const u = unitOf(generate('sdu', ['--init', 'systemd', '--pidfile', '/var/run/sdu-d/sdu.pid']));
    expect(value(u, 'RuntimeDirectory')).toBe('sdu-d');
  });

  itWith([])('a hostile description is one escaped line: % doubled, no injected keys', () => {
    const u = unitOf(generate('sdu', ['--init', 'systemd', '--description', 'evil %n\nExecStartPre=/bin/rm -rf /']));
    expect(value(u, 'Description')).toBe('evil %%n ExecStartPre=/bin/rm -rf /');
    expect(values(u, 'ExecStartPre')).toEqual([]);
  });

  itWith([])('hardening is on, and every directive has its own comment line above it', () => {
    const u = unitOf(generate('sdu', ['--init', 'systemd']));
    const lines = u.split('\n');
    const start = lines.findIndex((l) => l.startsWith('NoNewPrivileges='));
    const end = lines.findIndex((l, i) => i > start && l.trim() === '');
    const directives = lines.slice(start, end).filter((l) => !l.startsWith('#'));
    for (const d of [
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateMounts=yes',
      'PrivateTmp=yes',
      'PrivateDevices=yes',
      'CapabilityBoundingSet=',
      'RestrictAddressFamilies=AF_UNIX',
      'SystemCallFilter=@system-service',
      'RestrictNamespaces=yes',
      'LockPersonality=yes',
      'MemoryDenyWriteExecute=yes',
    ])
      expect(directives).toContain(d);
    expect(directives.length).toBeGreaterThanOrEqual(20);
    for (const d of directives) {
      const i = lines.indexOf(d);
      expect(lines[i - 1], `comment above ${d}`).toMatch(/^# \S/);
    }
  });

  // Without systemd as PID 1 the sandbox cannot be applied here; this checks the unit's own rules:
  // under ProtectSystem=strict only RuntimeDirectory= and ReadWritePaths= are writable, and
  // ProtectHome/PrivateTmp hide /home, /root, /run/user, /tmp and /var/tmp.
  for (const flags of [
    [],
    ['--payload', 'echo'],
    ['--user', 'daemon', '--payload', 'echo'],
    ['--pidfile', '/var/lib/sdu/sdu.pid', '--payload', 'echo'],
    ['--pidfile', '/var/run/sdu.pid'],
  ]) {
    itWith([])(
      `the hardened unit keeps the pid file, echo socket and config reachable (${flags.join(' ') || 'default answers'})`,
      () => {
        const p = generate('sdu', ['--init', 'systemd', ...flags]);
        const u = unitOf(p);
        expect(value(u, 'ProtectSystem')).toBe('strict');
        const writable = [...values(u, 'RuntimeDirectory').map((d) => `/run/${d}`), ...values(u, 'ReadWritePaths')].map(
          (d) => d.replace(/^\/var\/run(\/|$)/, '/run$1'),
        );
        const under = (path: string, dirs: string[]) => dirs.some((d) => path === d || path.startsWith(`${d}/`));
        const pidfile = String(p.answers.pidfile).replace(/^\/var\/run\//, '/run/');
        const pidDir = pidfile.slice(0, pidfile.lastIndexOf('/'));
        expect(under(pidDir, writable), `${pidDir} writable in ${writable.join(' ')}`).toBe(true);
        // The echo socket is created next to the pid file (pidDir/name.sock), and AF_UNIX is allowed.
        if (flags.includes('echo'))
          expect(read(p, 'etc/sdu.conf')).toMatch(
            new RegExp(`^#?\\s*socket = ${pidDir.replace(/\//g, '\\/')}/sdu\\.sock$`, 'm'),
          );
        expect(value(u, 'RestrictAddressFamilies')).toBe('AF_UNIX');
        const hidden = ['/home', '/root', '/run/user', '/tmp', '/var/tmp'];
        expect(under(String(p.answers.config), hidden)).toBe(false);
        expect(under(pidfile, hidden)).toBe(false);
      },
    );
  }

  itWith([])('--scope user: a user unit for default.target, %t pid file, and the README notes lingering', () => {
    const p = generate('sdu', ['--init', 'systemd', '--scope', 'user', '--systemd-type', 'forking']);
    const u = unitOf(p);
    expect(value(u, 'WantedBy')).toBe('default.target');
    expect(value(u, 'PIDFile')).toBe('%t/sdu.pid');
    expect(value(u, 'ProtectSystem')).toBeUndefined();
    expect(value(u, 'NoNewPrivileges')).toBe('yes');
    expect(read(p, 'init/install.mk')).toMatch(/^SYSTEMDUNITDIR = \$\(HOME\)\/\.config\/systemd\/user$/m);
    expect(read(p, 'init/README.md')).toMatch(/loginctl enable-linger/);
  });
});

describeWith(['systemd-analyze', 'make'], noDaemonReason)(
  'systemd-analyze on a root staged by make install DESTDIR=',
  () => {
    const cases: [string, string[]][] = [
      ['default answers', []],
      ['--systemd-type notify', ['--systemd-type', 'notify']],
      ['--systemd-type forking', ['--systemd-type', 'forking']],
      ['--systemd-type simple', ['--systemd-type', 'simple']],
      ['--user daemon --payload echo', ['--user', 'daemon', '--payload', 'echo']],
      ['--user daemon --systemd-type forking', ['--user', 'daemon', '--systemd-type', 'forking']],
    ];
    const T = tempDir('cd-systemd-');
    /** A generated project with its daemon built, so that make install has the binary to install. */
    const project = (flags: string[], where: string) => {
      const p = generate('sdv', ['--init', 'systemd', ...flags], join(T, where));
      buildDaemon(p);
      return p;
    };

    for (const [label, flags] of cases) {
      itWith([])(`${label}: verify has an empty stderr and exposure is at most ${THRESHOLD}`, () => {
        const p = project(flags, label.replace(/\W+/g, '_'));
        const root = stage(p);
        const unit = '/etc/systemd/system/sdv.service';
        expect(existsSync(join(root, unit))).toBe(true);
        const v = verify(root, unit);
        expect(v.stderr).toBe('');
        expect(v.status).toBe(0);
        const e = exposure(root, unit);
        expect(e.score, e.out).toBeLessThanOrEqual(THRESHOLD);
        expect(e.status, e.out).toBe(0);
      });
    }

    itWith([])(
      'the exposure recorded in init/README.md is the one systemd-analyze reports for the default answers',
      () => {
        const p = project([], 'readme');
        const root = stage(p);
        const measured = exposure(root, '/etc/systemd/system/sdv.service').score;
        const recorded = /rates its exposure \*\*(\d+\.\d) [A-Z]+\*\*/.exec(read(p, 'init/README.md'));
        expect(recorded, 'README records the score').not.toBeNull();
        expect(Number(recorded![1])).toBe(measured);
      },
    );

    itWith([])('verify catches a broken unit in the same setup (a typo in Type= and an unknown key)', () => {
      const p = project([], 'broken');
      const file = join(p.dir, 'init/systemd/sdv.service');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^Type=notify$/m, 'Type=notifx\nFrobnicate=yes'));
      const v = verify(stage(p), '/etc/systemd/system/sdv.service');
      expect(v.stderr).toMatch(/notifx/);
      expect(v.stderr).toMatch(/Frobnicate/);
    });

    itWith([])("--user nobody: the only complaint is systemd's own warning about the nobody account", () => {
      const p = project(['--user', 'nobody'], 'nobody');
      const v = verify(stage(p), '/etc/systemd/system/sdv.service');
      expect(v.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/Special user nobody configured, this is not safe!$/),
      ]);
    });

    itWith([])('--scope user: verify --user has an empty stderr, on a unit installed with PREFIX= and HOME=', () => {
      const p = project(['--scope', 'user', '--systemd-type', 'forking'], 'user');
      // systemd-analyze --user cannot take --root=; the unit must name a binary that exists, which is
      // what PREFIX= gives (install.mk rewrites ExecStart to it).
      makeInstall(p, [`PREFIX=${T}/user/prefix`, `HOME=${T}/user/home`, 'INIT_SYSTEMS=systemd']);
      const unit = join(T, 'user/home/.config/systemd/user/sdv.service');
      expect(value(readFileSync(unit, 'utf8'), 'ExecStart')).toBe(`${T}/user/prefix/sbin/sdv`);
      mkdirSync(join(T, 'xdg'), { mode: 0o700 });
      const v = sh('systemd-analyze', ['verify', '--user', '--man=no', unit], {
        env: { XDG_RUNTIME_DIR: join(T, 'xdg') },
      });
      expect(v.stderr).toBe('');
      expect(v.status).toBe(0);
    });
  },
);

const RECV_SRC = fileURLToPath(new URL('./fixtures/notify-recv.c', import.meta.url));

describeWith(['gcc', 'make'], noDaemonReason)(
  "Type=notify without systemd: the unit's exact ExecStart talks sd_notify",
  () => {
    let T: string;
    let p: Project;
    let recv: ReturnType<typeof spawn> | undefined;
    let daemon: ReturnType<typeof spawn> | undefined;
    beforeAll(() => {
      T = tempDir('cd-notify-');
      p = generate('sdn', ['--init', 'systemd', '--config', `${T}/sdn.conf`, '--pidfile', `${T}/run/sdn.pid`], T);
      buildDaemon(p);
      must('gcc', ['-o', join(T, 'notify-recv'), RECV_SRC]);
      makeInstall(p, [`PREFIX=${T}/prefix`, `SYSCONFDIR=${T}/etc`, 'INIT_SYSTEMS=systemd']);
      mkdirSync(join(T, 'run'));
      writeFileSync(join(T, 'sdn.conf'), 'interval = 1\nmessage = notify-tick\n');
    });
    afterAll(() => {
      if (daemon?.pid && alive(daemon.pid)) daemon.kill('SIGKILL');
      recv?.kill('SIGTERM');
    });

    itWith([])(
      'READY=1 after start, RELOADING=1 with MONOTONIC_USEC then READY=1 on SIGHUP, STOPPING=1 on SIGTERM',
      async () => {
        const unit = readFileSync(join(T, 'etc/systemd/system/sdn.service'), 'utf8');
        const execStart = value(unit, 'ExecStart')!;
        expect(execStart).toBe(`${T}/prefix/sbin/sdn -f`);
        const sock = join(T, 'notify.sock');
        let got = '';
        recv = spawn(join(T, 'notify-recv'), [sock], { stdio: ['ignore', 'pipe', 'inherit'] });
        recv.stdout!.on('data', (d: Buffer) => (got += d.toString()));
        await waitFor('the receiver', () => (got.includes('listening') ? true : undefined));
        // The command line exactly as the unit states it (no shell, as systemd does).
        const [cmd, ...args] = execStart.split(' ');
        daemon = spawn(cmd!, args, {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { PATH: '/usr/bin:/bin', NOTIFY_SOCKET: sock },
        });
        const exited = new Promise<number | null>((r) => daemon!.on('exit', (code) => r(code)));
        await waitFor('READY=1', () => (/^READY=1/m.test(got) ? true : undefined));
        expect(got).not.toMatch(/STOPPING=1/);
        got = '';
        daemon.kill('SIGHUP');
        await waitFor('RELOADING=1 then READY=1', () => (/RELOADING=1[\s\S]*READY=1/.test(got) ? true : undefined));
        expect(got).toMatch(/MONOTONIC_USEC=\d+/);
        daemon.kill('SIGTERM');
        expect(await exited).toBe(0);
        await waitFor('STOPPING=1', () => (/STOPPING=1/.test(got) ? true : undefined));
      },
    );
  },
);
