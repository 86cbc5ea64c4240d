// OpenRC: the openrc-run script started, queried, reloaded and stopped for real, inside a mount
// namespace (TOOLS.md: a tmpfs /run/openrc with its state directories and a softlevel file), with
// supervise-daemon running the real daemon in the foreground.
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { describeWith, isRoot, itWith } from '../support/tools.js';
import { tempDir } from '../support/cli.js';
import {
  alive,
  buildDaemon,
  generate,
  makeInstall,
  noDaemonReason,
  read,
  sh,
  waitFor,
  type Project,
} from '../support/init-project.js';
import { MountNs, NS_TOOLS } from '../support/mount-ns.js';

const STATE_DIRS = [
  'daemons',
  'exclusive',
  'failed',
  'hotplugged',
  'inactive',
  'options',
  'scheduled',
  'started',
  'starting',
  'stopping',
  'tmp',
  'wasinactive',
];

describe('OpenRC: script', () => {
  itWith(['shellcheck'])(
    'openrc-run script under supervise-daemon with -f, reload and configtest commands, shellcheck-clean',
    () => {
      const p = generate('orc', ['--init', 'openrc', '--user', 'daemon']);
      const s = read(p, 'init/openrc/orc');
      expect(s.split('\n')[0]).toBe('#!/sbin/openrc-run');
      expect(s).toMatch(/^supervisor=supervise-daemon$/m);
      expect(s).toMatch(/^command_args="-f /m);
      expect(s).toMatch(/^extra_started_commands="reload"$/m);
      expect(s).toMatch(/^extra_commands="configtest"$/m);
      expect(s).toMatch(/^reload\(\) \{[\s\S]*--signal HUP/m);
      expect(s).toMatch(/checkpath --directory --mode 0755 --owner "\$\{daemon_user\}"/);
      const r = sh('shellcheck', ['-s', 'sh', '-S', 'style', 'init/openrc/orc'], { cwd: p.dir });
      expect(r.stdout + r.stderr).toBe('');
    },
  );
});

describeWith([...NS_TOOLS, 'make', 'openrc-run'], () => (isRoot ? noDaemonReason() : 'must run as root'))(
  'OpenRC start, status, reload and stop for real, in a mount namespace',
  () => {
    const name = 'orcd';
    let T: string;
    let p: Project;
    let ns: MountNs;
    const rc = (action: string) => ns.run([`/etc/init.d/${name}`, action]);
    const pid = (): number | undefined => {
      const r = ns.run(['cat', `/run/${name}.pid`]);
      return r.status === 0 ? Number(r.stdout.trim()) : undefined;
    };
    const syslog = () => sh('cat', [ns.syslog]).stdout;
    const conf = () => join(T, 'etc', `${name}.conf`);

    beforeAll(async () => {
      T = tempDir('cd-openrc-');
      chmodSync(T, 0o755);
      p = generate(name, ['--init', 'openrc', '--config', join(T, 'etc', `${name}.conf`)], T);
      buildDaemon(p);
      makeInstall(p, [`PREFIX=${T}/prefix`, `SYSCONFDIR=${T}/etc`, 'INIT_SYSTEMS=openrc']);
      writeFileSync(conf(), 'interval = 1\nmessage = openrc-first\n');
      ns = await MountNs.open({
        work: join(T, 'ns'),
        // OpenRC keeps its state in /run/openrc and finds services in /etc/init.d: a private copy of
        // /etc/init.d on a tmpfs gets the installed script.
        setup: `mkdir -p ${STATE_DIRS.map((d) => `/run/openrc/${d}`).join(' ')}
echo default >/run/openrc/softlevel
mkdir -p "$W/initd" && cp -a /etc/init.d/. "$W/initd/"
mount -t tmpfs tmpfs /etc/init.d
cp -a "$W/initd/." /etc/init.d/
cp '${T}/etc/init.d/${name}' /etc/init.d/`,
      });
    });

    afterAll(() => {
      if (!ns) return;
      const left = pid();
      rc('stop');
      if (left !== undefined && alive(left)) process.kill(left, 'SIGKILL');
      ns.close();
    });

    itWith([])('status before start is 3 (stopped)', () => {
      expect(rc('status').status).toBe(3);
    });

    let first = 0;
    itWith([])('start is 0: supervise-daemon runs the daemon in the foreground with -f', async () => {
      const r = rc('start');
      expect(r.status, r.out).toBe(0);
      first = (await waitFor('the pid file', pid))!;
      expect(alive(first)).toBe(true);
      expect(
        sh('cat', [`/proc/${first}/cmdline`])
          .stdout.split('\0')
          .slice(0, 2),
      ).toEqual([`${T}/prefix/sbin/${name}`, '-f']);
      await waitFor('the first tick in syslog', () => (syslog().includes('openrc-first') ? true : undefined));
    });

    itWith([])('status is 0 (started)', () => {
      const r = rc('status');
      expect(r.status).toBe(0);
      expect(r.out).toMatch(/started/);
    });

    itWith([])('reload is 0, applies the changed config, keeps the pid', async () => {
      writeFileSync(conf(), 'interval = 1\nmessage = openrc-second\n');
      const r = rc('reload');
      expect(r.status, r.out).toBe(0);
      await waitFor('the reloaded message in syslog', () => (syslog().includes('openrc-second') ? true : undefined));
      expect(pid()).toBe(first);
    });

    itWith([])('reload with a broken config fails and the daemon keeps running', () => {
      writeFileSync(conf(), 'interval = 1\nnot a key value line\n');
      expect(rc('reload').status).not.toBe(0);
      expect(rc('configtest').status).not.toBe(0);
      expect(alive(first)).toBe(true);
      writeFileSync(conf(), 'interval = 1\nmessage = openrc-second\n');
      expect(rc('configtest').status).toBe(0);
    });

    // supervise-daemon knows its child's pid itself (the script's comment says why it needs no -s):
    // replacing the binary, as a package upgrade does, must not fool status, and restart leaves one.
    const daemons = (): number[] =>
      readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .filter((d) => {
          try {
            const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
            if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return false;
            return readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0')[0] === `${T}/prefix/sbin/${name}`;
          } catch {
            return false;
          }
        })
        .map(Number);
    itWith([])(
      'after the binary is replaced (a package upgrade), status is 0 and restart leaves one daemon',
      async () => {
        const bin = `${T}/prefix/sbin/${name}`;
        expect(sh('sh', ['-c', `cp "${bin}" "${bin}.new" && mv "${bin}.new" "${bin}"`]).status).toBe(0);
        expect(sh('readlink', [`/proc/${first}/exe`]).stdout).toMatch(/\(deleted\)/);
        const st = rc('status');
        expect(st.status, st.out).toBe(0);
        expect(st.out).toMatch(/started/);
        const q = ns.run([bin, '-s', '-p', `/run/${name}.pid`]);
        expect(q.stdout.trim(), q.out).toBe(String(first));
        const r = rc('restart');
        expect(r.status, r.out).toBe(0);
        await waitFor('the first daemon to exit', () => (alive(first) ? undefined : true));
        const second = (await waitFor('a new pid file', () => {
          const n = pid();
          return n !== undefined && n !== first && alive(n) ? n : undefined;
        }))!;
        expect(daemons()).toEqual([second]);
        expect(rc('status').status).toBe(0);
        first = second;
      },
    );

    itWith([])('stop is 0, the daemon is gone; status is 3', async () => {
      const r = rc('stop');
      expect(r.status, r.out).toBe(0);
      await waitFor('the daemon to exit', () => (alive(first) ? undefined : true));
      expect(pid()).toBeUndefined();
      expect(rc('status').status).toBe(3);
    });
  },
);
