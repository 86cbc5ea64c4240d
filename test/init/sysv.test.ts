// The SysV/LSB init script: lint-clean, and really run as root under dash and busybox sh against the
// real daemon, with every LSB exit code asserted. Runs inside a private mount namespace (fresh /run,
// private /dev with a syslog receiver) so the host is not touched.
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
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

const rootReason = () => (isRoot ? undefined : 'must run as root (init scripts start daemons in /run)');

describe('SysV script: lint', () => {
  const variants: [string, string[]][] = [
    ['default answers', []],
    ['--user daemon --pidfile /var/run/lsbu/lsbu.pid', ['--user', 'daemon', '--pidfile', '/var/run/lsbu/lsbu.pid']],
  ];
  const projects = new Map<string, Project>();
  beforeAll(() => {
    for (const [label, flags] of variants) projects.set(label, generate('lsbu', ['--init', 'sysv', ...flags]));
  });

  for (const [label] of variants) {
    itWith(['shellcheck'])(`shellcheck -s sh is clean (${label})`, () => {
      const p = projects.get(label)!;
      const r = sh('shellcheck', ['-s', 'sh', '-S', 'style', 'init/sysv/lsbu', 'init/sysv/lsbu.default'], {
        cwd: p.dir,
      });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });

    itWith(['checkbashisms'])(`checkbashisms finds nothing (${label})`, () => {
      const p = projects.get(label)!;
      const r = sh('checkbashisms', ['--force', '--extra', 'init/sysv/lsbu'], { cwd: p.dir });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });

    itWith(['insserv'])(`insserv -n accepts the LSB header (${label})`, () => {
      const p = projects.get(label)!;
      const root = tempDir('cd-insserv-');
      for (const d of ['init.d', 'rc0.d', 'rc1.d', 'rc2.d', 'rc3.d', 'rc4.d', 'rc5.d', 'rc6.d', 'rcS.d'])
        mkdirSync(join(root, d));
      cpSync(join(p.dir, 'init/sysv/lsbu'), join(root, 'init.d/lsbu'));
      const r = sh('insserv', ['-n', '-p', join(root, 'init.d'), 'lsbu']);
      expect(r.status).toBe(0);
      // insserv reports what it would do on stderr; anything else is a complaint about the header.
      const complaints = r.stderr
        .split('\n')
        .filter((l) => l !== '' && !/enable service \.\.\/init\.d\/lsbu ->|dryrun, not creating/.test(l));
      expect(complaints).toEqual([]);
      expect(r.stderr).toMatch(/rc2\.d\/S\d\dlsbu/);
      expect(r.stderr).toMatch(/rc0\.d\/K\d\dlsbu/);
    });
  }

  itWith(['dash', 'busybox'])('parses under dash -n and busybox sh -n', () => {
    const p = projects.get('default answers')!;
    for (const shell of [
      ['dash', '-n'],
      ['busybox', 'sh', '-n'],
    ]) {
      const r = sh(shell[0]!, [...shell.slice(1), 'init/sysv/lsbu'], { cwd: p.dir });
      expect(r.stderr, shell.join(' ')).toBe('');
      expect(r.status).toBe(0);
    }
  });

  itWith([])('has the full LSB header, every action, and sources /etc/default with set -a', () => {
    const p = projects.get('default answers')!;
    const s = read(p, 'init/sysv/lsbu');
    for (const field of [
      'Provides',
      'Required-Start',
      'Required-Stop',
      'Default-Start',
      'Default-Stop',
      'Short-Description',
      'Description',
    ])
      expect(s).toMatch(new RegExp(`^# ${field}:\\s+\\S`, 'm'));
    expect(s).toMatch(/^# Required-Start:\s+\$remote_fs \$syslog$/m);
    expect(s).toMatch(/^# Required-Stop:\s+\$remote_fs \$syslog$/m);
    for (const action of ['start', 'stop', 'restart', 'try-restart', 'reload', 'force-reload', 'status', 'configtest'])
      expect(s).toMatch(new RegExp(`^(${action}|.*\\| ${action}|${action} \\|.*)\\)$`, 'm'));
    expect(s).toMatch(/set -a\n[^\n]*\n?[^\n]*\. \/etc\/default\/"\$NAME"\n\tset \+a/);
    expect(s).toContain('--exec "$DAEMON"');
    // Status asks the daemon's lock (-s), never /proc/PID/exe, which an upgrade replaces.
    expect(s).toContain('"$DAEMON" -s -p "$PIDFILE"');
    expect(s).not.toMatch(/readlink \/proc|--status/);
    expect(read(p, 'init/sysv/lsbu.default')).toMatch(/#CONFIG='\/etc\/lsbu.conf'/);
  });
});

/**
 * One daemon installed under a temporary PREFIX and SYSCONFDIR (which also proves install.mk's
 * binary-path rewrite), run by its init script inside a mount namespace.
 */
function lifecycle(name: string, shell: readonly string[], opts: { fallback: boolean; flags?: readonly string[] }) {
  const tools = [...NS_TOOLS, 'make', 'dash', ...(opts.fallback ? [] : ['start-stop-daemon'])];
  describeWith(tools, () => rootReason() ?? noDaemonReason())(
    `SysV ${name} run as root under ${shell.join(' ')}${opts.fallback ? ', without start-stop-daemon (portable fallback)' : ', with start-stop-daemon'}${opts.flags ? ` (${opts.flags.join(' ')})` : ''}`,
    () => {
      let p: Project;
      let ns: MountNs;
      let T: string;
      const pidfile = opts.flags?.includes('--user') ? `/run/${name}/${name}.pid` : `/run/${name}.pid`;
      const conf = () => join(T, 'etc', `${name}.conf`);
      const init = () => join(T, 'etc/init.d', name);
      const act = (action: string) => ns.run([...shell, init(), action]);
      const pid = (): number | undefined => {
        const r = ns.run(['cat', pidfile]);
        return r.status === 0 ? Number(r.stdout.trim()) : undefined;
      };

      beforeAll(async () => {
        T = tempDir('cd-sysv-');
        // The daemon may drop to another account: it must still read its config below T.
        chmodSync(T, 0o755);
        p = generate(name, ['--init', 'sysv', '--config', join(T, 'etc', `${name}.conf`), ...(opts.flags ?? [])], T);
        buildDaemon(p);
        makeInstall(p, [`PREFIX=${T}/prefix`, `SYSCONFDIR=${T}/etc`, 'INIT_SYSTEMS=sysv']);
        writeFileSync(conf(), 'interval = 1\nmessage = alpha-tick\n');
        chmodSync(join(T, 'etc'), 0o755);
        // The script reads /etc/default/<name>: a private /etc/default holds the installed copy.
        mkdirSync(join(T, 'etc/default'), { recursive: true });
        ns = await MountNs.open({
          work: join(T, 'ns'),
          binds: [[join(T, 'etc/default'), '/etc/default']],
          // Hides start-stop-daemon from the script: /dev/null is not executable.
          setup: opts.fallback ? 'mount --bind /dev/null /usr/sbin/start-stop-daemon' : '',
        });
      });

      afterAll(() => {
        if (ns) {
          const left = pid();
          ns.run([...shell, init(), 'stop']);
          if (left !== undefined && alive(left)) process.kill(left, 'SIGKILL');
          ns.close();
        }
      });

      itWith([])('installed the script with the binary path rewritten to the PREFIX', () => {
        const s = readFileSync(init(), 'utf8');
        expect(s).toContain(`DAEMON='${T}/prefix/sbin/${name}'`);
        expect(s).not.toContain('/usr/local/sbin');
        expect(existsSync(join(T, 'etc/default', name))).toBe(true);
        if (opts.fallback) expect(ns.sh('command -v start-stop-daemon').status).not.toBe(0);
      });

      itWith([])('status of a stopped daemon is 3; reload and force-reload of it are 7; try-restart is 0', () => {
        expect(act('status').status).toBe(3);
        expect(act('reload').status).toBe(7);
        expect(act('force-reload').status).toBe(7);
        expect(act('try-restart').status).toBe(0);
        expect(pid()).toBeUndefined();
      });

      itWith([])('configtest runs the daemon with -t: 0 "configuration OK"', () => {
        const r = act('configtest');
        expect(r.out).toContain('configuration OK');
        expect(r.status).toBe(0);
      });

      let first = 0;
      itWith([])('start is 0 and leaves a running daemon; status is 0 and names its pid', async () => {
        const r = act('start');
        expect(r.out).not.toMatch(/not found|syntax error/i);
        expect(r.status, r.out).toBe(0);
        // The daemon reports ready before start returns: the pid file is already there.
        first = pid()!;
        expect(first).toBeGreaterThan(1);
        expect(alive(first)).toBe(true);
        expect(readFileSync(`/proc/${first}/cmdline`, 'utf8').split('\0')[0]).toBe(`${T}/prefix/sbin/${name}`);
        const s = act('status');
        expect(s.status).toBe(0);
        expect(s.out).toContain(`pid ${first}`);
        if (opts.flags?.includes('--user')) {
          // Started as root, the daemon dropped to the account; the script made it the pid directory.
          const uid = sh('id', ['-u', 'daemon']).stdout.trim();
          expect(
            /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(readFileSync(`/proc/${first}/status`, 'utf8'))!.slice(1),
          ).toEqual([uid, uid, uid]);
          expect(ns.run(['stat', '-c', '%u', `/run/${name}`]).stdout.trim()).toBe(uid);
        }
        await waitFor('the first tick in syslog', () =>
          readFileSync(ns.syslog, 'utf8').includes('alpha-tick') ? true : undefined,
        );
      });

      itWith([])('start again is 0 and keeps the same daemon', () => {
        const r = act('start');
        expect(r.status).toBe(0);
        expect(r.out).toContain('already running');
        expect(pid()).toBe(first);
      });

      // An account that cannot read the pid file (root's, 0600) cannot know: every action says so
      // and fails, and none reports "not running" (stop used to say so and exit 0).
      itWith(['setpriv'])(
        'run by an account that cannot query the lock: status 4, every action 1, nothing done',
        () => {
          const asNobody = (action: string) =>
            ns.run(['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...shell, init(), action]);
          const s = asNobody('status');
          expect(s.status, s.out).toBe(4);
          expect(s.out).toMatch(
            new RegExp(
              `^${name}: cannot tell whether it runs, so nothing was done: cannot query .*: Permission denied$`,
              'm',
            ),
          );
          expect(s.out).not.toMatch(/not running/);
          for (const action of ['stop', 'start', 'reload', 'try-restart']) {
            const r = asNobody(action);
            expect(r.status, `${action}: ${r.out}`).toBe(1);
            expect(r.out, action).toContain('cannot tell whether it runs');
          }
          expect(alive(first)).toBe(true);
          expect(pid()).toBe(first);
        },
      );

      itWith([])('reload is 0, keeps the pid and applies the changed config', async () => {
        writeFileSync(conf(), 'interval = 1\nmessage = beta-tick\n');
        const r = act('reload');
        expect(r.status, r.out).toBe(0);
        await waitFor('the reloaded message in syslog', () =>
          readFileSync(ns.syslog, 'utf8').includes('beta-tick') ? true : undefined,
        );
        expect(pid()).toBe(first);
        expect(alive(first)).toBe(true);
      });

      itWith([])('force-reload of a running daemon is 0 and keeps the pid', () => {
        expect(act('force-reload').status).toBe(0);
        expect(pid()).toBe(first);
      });

      let second = 0;
      itWith([])('restart is 0 and the pid changes', async () => {
        const r = act('restart');
        expect(r.status, r.out).toBe(0);
        second = pid()!;
        expect(second).toBeGreaterThan(1);
        expect(second).not.toBe(first);
        await waitFor('the old daemon to exit', () => (alive(first) ? undefined : true));
        expect(act('status').status).toBe(0);
      });

      itWith([])('try-restart of a running daemon is 0 and the pid changes', () => {
        expect(act('try-restart').status).toBe(0);
        const third = pid()!;
        expect(third).not.toBe(second);
        expect(alive(third)).toBe(true);
        second = third;
      });

      itWith([])(
        'after the binary is replaced (a package upgrade), status names the daemon and restart leaves one',
        async () => {
          const bin = `${T}/prefix/sbin/${name}`;
          copyFileSync(bin, `${bin}.new`);
          renameSync(`${bin}.new`, bin);
          const s = act('status');
          expect(s.status, s.out).toBe(0);
          expect(s.out).toContain(`pid ${second}`);
          const r = act('restart');
          expect(r.status, r.out).toBe(0);
          await waitFor('the old daemon to exit', () => (alive(second) ? undefined : true));
          const third = pid()!;
          expect(third).not.toBe(second);
          const running = readdirSync('/proc').filter((d) => {
            if (!/^\d+$/.test(d)) return false;
            try {
              return readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0')[0] === bin && alive(Number(d));
            } catch {
              return false;
            }
          });
          expect(running, 'one daemon after the restart').toEqual([String(third)]);
          second = third;
        },
      );

      itWith([])(
        'a broken config: configtest is 6 with file:line, reload refuses (6) and the daemon keeps running',
        () => {
          writeFileSync(conf(), 'interval = 1\nthis line is not key = value\n');
          const c = act('configtest');
          expect(c.status).toBe(6);
          expect(c.out).toContain(`${name}.conf:2`);
          expect(act('reload').status).toBe(6);
          expect(act('status').status).toBe(0);
          expect(pid()).toBe(second);
          writeFileSync(conf(), 'interval = 1\nmessage = beta-tick\n');
        },
      );

      itWith([])('stop is 0, the daemon is gone with its pid file; status is 3; stop again is 0', async () => {
        const r = act('stop');
        expect(r.status, r.out).toBe(0);
        await waitFor('the daemon to exit', () => (alive(second) ? undefined : true));
        expect(pid()).toBeUndefined();
        expect(act('status').status).toBe(3);
        expect(act('stop').status).toBe(0);
      });

      itWith([])(
        'a stale pid file (daemon killed with SIGKILL): status is 1, start is 0 with a new daemon, stop is 0',
        async () => {
          expect(act('start').status).toBe(0);
          const victim = pid()!;
          process.kill(victim, 'SIGKILL');
          await waitFor('the killed daemon to die', () => (alive(victim) ? undefined : true));
          expect(pid()).toBe(victim);
          const s = act('status');
          expect(s.status).toBe(1);
          expect(s.out).toContain('not running');
          const r = act('start');
          expect(r.status, r.out).toBe(0);
          const fresh = pid()!;
          expect(fresh).not.toBe(victim);
          expect(alive(fresh)).toBe(true);
          expect(act('stop').status).toBe(0);
          await waitFor('the daemon to exit', () => (alive(fresh) ? undefined : true));
          // A stale pid file left by a killed daemon is cleaned by stop as well.
          expect(act('start').status).toBe(0);
          const again = pid()!;
          process.kill(again, 'SIGKILL');
          await waitFor('the killed daemon to die', () => (alive(again) ? undefined : true));
          expect(act('stop').status).toBe(0);
          expect(act('status').status).toBe(3);
        },
      );

      itWith([])('start with a broken config is 6 and starts nothing', () => {
        writeFileSync(conf(), 'interval = 1\nthis line is not key = value\n');
        const r = act('start');
        expect(r.status, r.out).toBe(6);
        expect(pid()).toBeUndefined();
        expect(act('status').status).toBe(3);
        writeFileSync(conf(), 'interval = 1\nmessage = beta-tick\n');
      });

      itWith([])('an unknown action and no action are 2, with a usage line', () => {
        const r = act('frobnicate');
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(
          /^Usage: .*\{start\|stop\|restart\|try-restart\|reload\|force-reload\|status\|configtest\}/,
        );
        expect(ns.run([...shell, init()]).status).toBe(2);
      });

      itWith([])('variables from /etc/default/<name> are exported to the daemon (set -a)', async () => {
        writeFileSync(join(T, 'etc/default', name), 'CD_FROM_DEFAULTS=visible\n');
        expect(act('start').status).toBe(0);
        const d = pid()!;
        const env = readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
        expect(env).toContain('CD_FROM_DEFAULTS=visible');
        expect(act('stop').status).toBe(0);
        await waitFor('the daemon to exit', () => (alive(d) ? undefined : true));
      });
    },
  );
}

lifecycle('lsbdash', ['dash'], { fallback: false });
lifecycle('lsbbbox', ['busybox', 'sh'], { fallback: true });
lifecycle('lsbuser', ['dash'], { fallback: false, flags: ['--user', 'daemon'] });
