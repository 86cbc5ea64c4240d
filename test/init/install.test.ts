// init/install.mk through the emitted Makefile: each chosen file in its system's place, the binary
// path rewritten for another PREFIX, modes, scope user, the SysV/OpenRC name clash, and uninstall.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { describeWith, isRoot, itWith } from '../support/tools.js';
import { tempDir } from '../support/cli.js';
import { buildDaemon, generate, makeInstall, must, noDaemonReason, sh, type Project } from '../support/init-project.js';

const ALL = 'systemd,sysv,launchd,openrc,runit,rcd';

function files(root: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(`/${relative(root, p)}`, statSync(p).mode & 0o777);
    }
  };
  walk(root);
  return out;
}

describeWith(['make'], noDaemonReason)('make install / uninstall with init/install.mk', () => {
  let p: Project;
  beforeAll(() => {
    p = generate('ins', ['--init', ALL]);
    buildDaemon(p);
  });

  itWith([])('INIT_SYSTEMS names put each named file in its place with its mode', () => {
    const stage = join(tempDir('cd-install-'), 'stage');
    makeInstall(p, [`DESTDIR=${stage}`, 'INIT_SYSTEMS=systemd sysv launchd runit rcd']);
    const got = files(stage);
    expect(
      Object.fromEntries(
        [...got].filter(
          ([f]) => !f.startsWith('/usr/local/sbin/') && !f.startsWith('/usr/local/share/man/') && f !== '/etc/ins.conf',
        ),
      ),
    ).toEqual({
      '/etc/systemd/system/ins.service': 0o644,
      '/etc/init.d/ins': 0o755,
      '/etc/default/ins': 0o644,
      '/Library/LaunchDaemons/local.ins.plist': 0o644,
      '/etc/sv/ins/run': 0o755,
      '/etc/sv/ins/log/run': 0o755,
      '/usr/local/etc/rc.d/ins': 0o755,
    });
    expect(readFileSync(join(stage, 'etc/init.d/ins'), 'utf8')).toMatch(/^### BEGIN INIT INFO$/m);
    expect(got.get('/usr/local/sbin/ins')).toBe(0o755);
  });

  itWith([])('INIT_SYSTEMS=openrc installs the OpenRC script as /etc/init.d/<name>', () => {
    const stage = join(tempDir('cd-install-'), 'stage');
    makeInstall(p, [`DESTDIR=${stage}`, 'INIT_SYSTEMS=openrc']);
    expect(readFileSync(join(stage, 'etc/init.d/ins'), 'utf8').split('\n')[0]).toBe('#!/sbin/openrc-run');
    expect(existsSync(join(stage, 'etc/systemd'))).toBe(false);
  });

  itWith([])('PREFIX=/opt/ins: every installed file names /opt/ins/sbin/ins, none /usr/local/sbin', () => {
    const stage = join(tempDir('cd-install-'), 'stage');
    makeInstall(p, [`DESTDIR=${stage}`, 'PREFIX=/opt/ins', 'INIT_SYSTEMS=systemd sysv launchd runit rcd']);
    const got = files(stage);
    expect(got.get('/opt/ins/sbin/ins')).toBe(0o755);
    expect(got.has('/opt/ins/etc/rc.d/ins')).toBe(true);
    for (const f of [
      '/etc/systemd/system/ins.service',
      '/etc/init.d/ins',
      '/Library/LaunchDaemons/local.ins.plist',
      '/etc/sv/ins/run',
      '/opt/ins/etc/rc.d/ins',
    ]) {
      const text = readFileSync(join(stage, f), 'utf8');
      expect(text, f).toContain('/opt/ins/sbin/ins');
      expect(text, f).not.toContain('/usr/local/sbin/ins');
    }
    // The generated files themselves are untouched.
    expect(readFileSync(join(p.dir, 'init/systemd/ins.service'), 'utf8')).toContain('ExecStart=/usr/local/sbin/ins -f');
  });

  itWith([])('an existing /etc/default/<name> is kept; uninstall removes the init files and keeps it', () => {
    const stage = join(tempDir('cd-install-'), 'stage');
    const every = 'INIT_SYSTEMS=systemd sysv launchd runit rcd';
    makeInstall(p, [`DESTDIR=${stage}`, every]);
    writeFileSync(join(stage, 'etc/default/ins'), 'STOP_TIMEOUT=5\n');
    makeInstall(p, [`DESTDIR=${stage}`, every]);
    expect(readFileSync(join(stage, 'etc/default/ins'), 'utf8')).toBe('STOP_TIMEOUT=5\n');
    const out = must('make', ['-s', 'uninstall', `DESTDIR=${stage}`], { cwd: p.dir });
    expect(out).toContain(`kept ${stage}/etc/default/ins (your settings): it differs from init/sysv/ins.default`);
    const left = [...files(stage).keys()];
    expect(left).toEqual(['/etc/default/ins']);
    expect(existsSync(join(stage, 'etc/sv/ins'))).toBe(false);
  });

  itWith([])('uninstall: one rule for every settings file: the unedited ones go, the edited ones stay', () => {
    for (const edited of ['etc/default/ins', 'etc/ins.conf', '']) {
      const stage = join(tempDir('cd-install-'), 'stage');
      makeInstall(p, [`DESTDIR=${stage}`, 'INIT_SYSTEMS=sysv']);
      if (edited) writeFileSync(join(stage, edited), '# mine\n');
      const out = must('make', ['-s', 'uninstall', `DESTDIR=${stage}`], { cwd: p.dir });
      for (const f of ['etc/default/ins', 'etc/ins.conf']) {
        expect(existsSync(join(stage, f)), `${f} (edited: ${edited || 'none'})\n${out}`).toBe(f === edited);
        if (f === edited) expect(out).toMatch(new RegExp(`^kept ${stage}/${f} \\(your settings\\)`, 'm'));
      }
    }
  });

  itWith([])('--scope user: the unit and the LaunchAgent go under $(HOME)', () => {
    const u = generate('ins', ['--init', 'systemd,launchd', '--scope', 'user']);
    buildDaemon(u);
    const stage = join(tempDir('cd-install-'), 'stage');
    makeInstall(u, [`DESTDIR=${stage}`, 'HOME=/home/alice', 'INIT_SYSTEMS=systemd launchd']);
    const got = [...files(stage).keys()].filter(
      (f) => !f.startsWith('/usr/local/sbin/') && !f.startsWith('/usr/local/share/man/') && !f.endsWith('.conf'),
    );
    expect(got.sort()).toEqual([
      '/home/alice/.config/systemd/user/ins.service',
      '/home/alice/Library/LaunchAgents/local.ins.plist',
    ]);
  });

  // init/README.md's install row for a per-user unit, run as written: the binary and config by root
  // (sudo), the unit by the user, into that user's home. Plain `make install` as the user failed at
  // the binary, and as root put the unit in root's home.
  itWith(['setpriv'], () => (isRoot ? undefined : 'needs root, to run the user part as nobody'))(
    "--scope user: init/README.md's install row works as written, root's part then the user's",
    () => {
      const u = generate('ins', ['--init', 'systemd', '--scope', 'user']);
      buildDaemon(u);
      const row = /^\| install \| `(.*)` \|$/m.exec(readFileSync(join(u.dir, 'init/README.md'), 'utf8'))?.[1];
      expect(row).toBe(
        'sudo make install INIT_SYSTEMS= && make install-init INIT_SYSTEMS=systemd && systemctl --user daemon-reload',
      );
      const [asRoot, asUser] = row!.split(' && ');
      const work = tempDir('cd-userrow-');
      chmodSync(work, 0o755);
      const stage = join(work, 'stage');
      const home = join(work, 'home');
      mkdirSync(home);
      sh('chown', ['nobody', home]);
      chmodSync(u.dir, 0o755);
      const root = sh('sh', ['-c', `${asRoot!.replace(/^sudo /, '')} DESTDIR=${stage}`], { cwd: u.dir });
      expect(root.status, root.stdout + root.stderr).toBe(0);
      const user = sh(
        'setpriv',
        ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sh', '-c', `${asUser} HOME=${home}`],
        { cwd: u.dir },
      );
      expect(user.status, user.stdout + user.stderr).toBe(0);
      expect([...files(stage).keys()].sort()).toEqual([
        '/etc/ins.conf',
        '/usr/local/sbin/ins',
        '/usr/local/share/man/man5/ins.conf.5',
        '/usr/local/share/man/man8/ins.8',
      ]);
      expect(statSync(join(home, '.config/systemd/user/ins.service')).uid).toBe(statSync(home).uid);
    },
  );

  itWith([])("init/README.md's install rows install that system's files only", () => {
    const all = generate('ins', ['--init', 'systemd,sysv,launchd']);
    const rows = [
      ...readFileSync(join(all.dir, 'init/README.md'), 'utf8').matchAll(/^\| install +\| `([^`]*)` +\|$/gm),
    ].map((m) => m[1]);
    expect(rows).toEqual([
      'make install INIT_SYSTEMS=systemd && systemctl daemon-reload',
      'make install INIT_SYSTEMS=sysv',
      'sudo make install INIT_SYSTEMS=launchd',
    ]);
  });
});

// Plain `make install` (INIT_SYSTEMS=auto) installs what this machine can use. What it looks at is
// staged: a fresh tmpfs on /run in a private mount namespace, holding (or not) the marks of a
// running systemd (/run/systemd/system) or OpenRC (/run/openrc/softlevel), and a `uname` first in
// PATH for another kernel's name.
describeWith(['make', 'unshare'], () => noDaemonReason() ?? (isRoot ? undefined : 'needs root, for a mount namespace'))(
  'plain make install picks the init system this machine uses',
  () => {
    let all: Project;
    let some: Project;
    let mac: Project;
    beforeAll(() => {
      all = generate('ins', ['--init', ALL]);
      some = generate('ins', ['--init', 'launchd,runit']);
      mac = generate('ins', ['--init', 'launchd']);
      for (const q of [all, some, mac]) buildDaemon(q);
    });

    /** The init files plain make install stages, with /run holding `marks` and uname saying `os`. */
    function installed(
      q: Project,
      marks: readonly string[],
      os?: string,
      comm?: string,
    ): { files: string[]; out: string; stage: string } {
      const work = tempDir('cd-detect-');
      const stage = join(work, 'stage');
      const bin = join(work, 'bin');
      mkdirSync(bin);
      if (os) {
        writeFileSync(join(bin, 'uname'), `#!/bin/sh\necho ${os}\n`);
        chmodSync(join(bin, 'uname'), 0o755);
      }
      const mk = marks.map((m) => (m.endsWith('/') ? `mkdir -p ${m}` : `mkdir -p $(dirname ${m}) && : >${m}`));
      // PID 1's name, as make install reads it: a file bound over /proc/1/comm in this namespace.
      if (comm) writeFileSync(join(work, 'comm'), `${comm}\n`);
      const pid1 = comm ? [`mount --bind ${join(work, 'comm')} /proc/1/comm`] : [];
      const script = [
        'set -e',
        'mount -t tmpfs tmpfs /run',
        ...pid1,
        ...mk,
        `exec make -s install DESTDIR=${stage}`,
      ].join('\n');
      const r = sh('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
        cwd: q.dir,
        env: { PATH: `${bin}:${process.env.PATH}` },
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const got = existsSync(stage) ? [...files(stage).keys()] : [];
      const init = got
        .filter(
          (f) => !f.startsWith('/usr/local/sbin/') && !f.startsWith('/usr/local/share/man/') && f !== '/etc/ins.conf',
        )
        .sort();
      return { files: init, out: r.stdout, stage };
    }

    itWith([])('systemd running: only the unit', () => {
      const r = installed(all, ['/run/systemd/system/']);
      expect(r.files).toEqual(['/etc/systemd/system/ins.service']);
      expect(r.out).toMatch(/^installing the systemd files \(this machine runs systemd;/m);
    });

    itWith([])('OpenRC running: only the OpenRC script, as /etc/init.d/<name>', () => {
      const r = installed(all, ['/run/openrc/softlevel']);
      expect(r.files).toEqual(['/etc/init.d/ins']);
      expect(readFileSync(join(r.stage, 'etc/init.d/ins'), 'utf8').split('\n')[0]).toBe('#!/sbin/openrc-run');
    });

    itWith([], () => (existsSync('/etc/init.d') ? undefined : 'this machine has no /etc/init.d'))(
      'neither, PID 1 is init and /etc/init.d exists: the SysV script and its defaults',
      () => {
        const r = installed(all, [], undefined, 'init');
        expect(r.files).toEqual(['/etc/default/ins', '/etc/init.d/ins']);
        expect(r.out).toMatch(/^installing the sysv files \(this machine runs sysv;/m);
      },
    );

    // A container: /etc/init.d exists, but PID 1 is no init system (here, a shell).
    itWith([])('none known runs (PID 1 is a shell): the first chosen one Linux can run, saying so', () => {
      const r = installed(all, [], undefined, 'sh');
      expect(r.files).toEqual(['/etc/systemd/system/ins.service']);
      expect(r.out).toMatch(/^installing the systemd files \(this machine runs no init system known here;/m);
    });

    itWith([])('INIT_SYSTEMS naming a system the project lacks: refused before anything is installed', () => {
      const stage = join(tempDir('cd-unknown-'), 'stage');
      const r = sh('make', ['-s', 'install', `DESTDIR=${stage}`, 'INIT_SYSTEMS=systemd runit'], { cwd: mac.dir });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(
        'make: INIT_SYSTEMS names systemd, which this project has no files for; it has: launchd (create-daemon units --init adds one)',
      );
      expect(existsSync(stage)).toBe(false);
      const u = sh('make', ['-s', 'uninstall', `DESTDIR=${stage}`, 'INIT_SYSTEMS=bogus'], { cwd: mac.dir });
      expect(u.status).not.toBe(0);
      expect(u.stderr).toContain('INIT_SYSTEMS names bogus');
    });

    itWith([])('the running system not chosen: the first chosen one Linux can run (runit, not launchd)', () => {
      expect(installed(some, ['/run/openrc/softlevel']).files).toEqual(['/etc/sv/ins/log/run', '/etc/sv/ins/run']);
    });

    itWith([])('macOS: the LaunchDaemon only; FreeBSD: the rc.d script only', () => {
      expect(installed(all, ['/run/systemd/system/'], 'Darwin').files).toEqual([
        '/Library/LaunchDaemons/local.ins.plist',
      ]);
      expect(installed(all, ['/run/systemd/system/'], 'FreeBSD').files).toEqual(['/usr/local/etc/rc.d/ins']);
    });

    itWith([])('nothing chosen runs here: no init file, and it says so', () => {
      const r = installed(mac, ['/run/systemd/system/']);
      expect(r.files).toEqual([]);
      expect(r.out).toMatch(/^installing no init file: none of launchd runs on Linux/m);
    });
  },
);
