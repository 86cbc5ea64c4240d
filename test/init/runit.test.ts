// runit really supervising the real daemon: run execs it in the foreground, log/run keeps its stderr
// with svlogd; up, hup (reload applied), term (back under a new pid), down, exit. Inside a private
// mount namespace (fresh /run and /var/log, syslog receiver on a private /dev).
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('runit: run scripts', () => {
  itWith(['shellcheck'])(
    'run and log/run are POSIX sh, shellcheck-clean, exec the daemon with -f, stderr folded into the log',
    () => {
      for (const flags of [[], ['--user', 'daemon']]) {
        const p = generate('rsv', ['--init', 'runit', ...flags]);
        const r = sh('shellcheck', ['-s', 'sh', '-S', 'style', 'init/runit/rsv/run', 'init/runit/rsv/log/run'], {
          cwd: p.dir,
        });
        expect(r.stdout + r.stderr).toBe('');
        const run = read(p, 'init/runit/rsv/run');
        expect(run).toMatch(/^exec 2>&1$/m);
        if (flags.length === 0) expect(run).toMatch(/^exec '\/usr\/local\/sbin\/rsv' -f$/m);
        else expect(run).toMatch(/^exec chpst -u 'daemon' '\/usr\/local\/sbin\/rsv' -f$/m);
        expect(read(p, 'init/runit/rsv/log/run')).toMatch(/^exec svlogd -tt "\$LOGDIR"$/m);
      }
    },
  );
});

function supervised(name: string, flags: readonly string[]) {
  describeWith([...NS_TOOLS, 'make', 'runsv', 'sv', 'svlogd', 'chpst'], () =>
    isRoot ? noDaemonReason() : 'must run as root (runsv runs the daemon as root or drops with chpst)',
  )(`runit supervising the real daemon${flags.length ? ` (${flags.join(' ')})` : ''}`, () => {
    let T: string;
    let p: Project;
    let ns: MountNs;
    let runsv = 0;
    const svdir = () => join(T, 'etc/sv', name);
    const sv = (...args: string[]) => ns.run(['sv', ...args, svdir()]);
    const status = () => sv('status').stdout;
    const runningPid = (): number | undefined => {
      const m = /^run: \S+: \(pid (\d+)\)/.exec(status());
      return m ? Number(m[1]) : undefined;
    };
    const log = () => ns.run(['cat', `/var/log/${name}/current`]).stdout;
    const conf = () => join(T, 'etc', `${name}.conf`);

    beforeAll(async () => {
      T = tempDir('cd-runit-');
      // The daemon may run as another account: it must reach its config below T.
      chmodSync(T, 0o755);
      p = generate(name, ['--init', 'runit', '--config', join(T, 'etc', `${name}.conf`), ...flags], T);
      buildDaemon(p);
      makeInstall(p, [`PREFIX=${T}/prefix`, `SYSCONFDIR=${T}/etc`, 'INIT_SYSTEMS=runit']);
      writeFileSync(conf(), 'interval = 1\nmessage = first-tick\n');
      chmodSync(join(T, 'etc'), 0o755);
      // Start with the service down, so that "up" is the first command.
      writeFileSync(join(svdir(), 'down'), '');
      ns = await MountNs.open({ work: join(T, 'ns') });
      const r = ns.sh(`runsv "$1" </dev/null >/dev/null 2>&1 & echo $!`.replace('"$1"', `'${svdir()}'`));
      runsv = Number(r.stdout.trim());
      await waitFor('runsv to answer', () => (/^down: /.test(status()) ? true : undefined));
    });

    afterAll(() => {
      if (!ns) return;
      const left = runningPid();
      ns.run(['sv', '-w', '10', 'exit', svdir()]);
      if (left !== undefined && alive(left)) process.kill(left, 'SIGKILL');
      if (runsv && alive(runsv)) process.kill(runsv, 'SIGKILL');
      ns.close();
    });

    let first = 0;
    itWith([])('sv -w 7 up: the daemon runs in the foreground under runsv, and its output reaches svlogd', async () => {
      const r = sv('-w', '7', 'up');
      expect(r.status, r.out).toBe(0);
      first = (await waitFor('a running pid', runningPid))!;
      expect(alive(first)).toBe(true);
      // Foreground: runsv is its parent, and it is the exact binary with -f.
      const stat = readFileSync(`/proc/${first}/stat`, 'utf8');
      expect(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])).toBe(runsv);
      // sv reports the pid as soon as runsv forks, before run (and chpst) exec: wait for the last exec,
      // which keeps the pid. A run script that forked the daemon instead would never get there.
      const argv = () => readFileSync(`/proc/${first}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const want = [`${T}/prefix/sbin/${name}`, '-f'];
      await waitFor(`pid ${first} to exec ${want.join(' ')} (it runs ${argv().join(' ')})`, () =>
        argv().join('\0') === want.join('\0') ? true : undefined,
      ).catch(() => undefined);
      expect(argv()).toEqual(want);
      await waitFor('the tick in the svlogd log', () => (log().includes('first-tick') ? true : undefined));
      if (flags.includes('--user')) {
        const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${first}/status`, 'utf8'))![1];
        expect(uid).toBe(sh('id', ['-u', 'daemon']).stdout.trim());
      }
    });

    itWith([])('sv -w 7 hup: the changed config is applied, same pid', async () => {
      writeFileSync(conf(), 'interval = 1\nmessage = second-tick\n');
      const r = sv('-w', '7', 'hup');
      expect(r.status, r.out).toBe(0);
      await waitFor('the reloaded message in the log', () => (log().includes('second-tick') ? true : undefined));
      expect(runningPid()).toBe(first);
    });

    itWith([])('sv -w 7 term: the daemon exits and runsv brings it back under a new pid', async () => {
      const r = sv('-w', '7', 'term');
      expect(r.status, r.out).toBe(0);
      const second = await waitFor('a new pid', () => {
        const pid = runningPid();
        return pid !== undefined && pid !== first ? pid : undefined;
      });
      expect(alive(second)).toBe(true);
      await waitFor('the old daemon to be gone', () => (alive(first) ? undefined : true));
      first = second;
    });

    itWith([])('sv -w 7 down: the daemon is stopped and stays down', async () => {
      expect(status()).toMatch(/^run: /);
      const r = sv('-w', '7', 'down');
      expect(r.status, r.out).toBe(0);
      expect(status()).toMatch(/^down: /);
      await waitFor('the daemon to exit', () => (alive(first) ? undefined : true));
      // A clean exit on SIGTERM: the daemon logged it and removed its pid file.
      expect(ns.run(['test', '-e', `/run/${name}${flags.includes('--user') ? `/${name}` : ''}.pid`]).status).not.toBe(
        0,
      );
    });

    itWith([])('sv -w 10 exit: runsv and its log service exit', async () => {
      expect(status()).toMatch(/^down: /);
      const r = sv('-w', '10', 'exit');
      expect(r.status, r.out).toBe(0);
      await waitFor('runsv to exit', () => (alive(runsv) ? undefined : true));
      expect(sv('status').status).not.toBe(0);
    });
  });
}

supervised('rsvd', []);
supervised('rsvu', ['--user', 'daemon']);
