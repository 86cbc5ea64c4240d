// init/install.mk through the emitted Makefile: each chosen file in its system's place, the binary
// path rewritten for another PREFIX, modes, scope user, the SysV/OpenRC name clash, and uninstall.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { describeWith, itWith } from '../support/tools.js';
import { tempDir } from '../support/cli.js';
import { buildDaemon, generate, makeInstall, must, noDaemonReason, type Project } from '../support/init-project.js';

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

  itWith([])('DESTDIR install puts every chosen file in its place with its mode (SysV wins /etc/init.d)', () => {
    const stage = join(tempDir('cd-install-'), 'stage');
    makeInstall(p, [`DESTDIR=${stage}`]);
    const got = files(stage);
    expect(
      Object.fromEntries([...got].filter(([f]) => !f.startsWith('/usr/local/sbin/') && f !== '/etc/ins.conf')),
    ).toEqual({
      '/etc/systemd/system/ins.service': 0o644,
      '/etc/init.d/ins': 0o755,
      '/etc/default/ins': 0o644,
      '/Library/LaunchDaemons/local.ins.plist': 0o644,
      '/etc/sv/ins/run': 0o755,
      '/etc/sv/ins/log/run': 0o755,
      '/usr/local/etc/rc.d/ins': 0o755,
    });
    // The SysV script, not the OpenRC one, took /etc/init.d/ins.
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
    makeInstall(p, [`DESTDIR=${stage}`, 'PREFIX=/opt/ins']);
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
    makeInstall(p, [`DESTDIR=${stage}`]);
    writeFileSync(join(stage, 'etc/default/ins'), 'STOP_TIMEOUT=5\n');
    makeInstall(p, [`DESTDIR=${stage}`]);
    expect(readFileSync(join(stage, 'etc/default/ins'), 'utf8')).toBe('STOP_TIMEOUT=5\n');
    must('make', ['-s', 'uninstall', `DESTDIR=${stage}`], { cwd: p.dir });
    const left = [...files(stage).keys()].filter((f) => f !== '/etc/ins.conf');
    expect(left).toEqual(['/etc/default/ins']);
    expect(existsSync(join(stage, 'etc/sv/ins'))).toBe(false);
  });

  itWith([])('--scope user: the unit and the LaunchAgent go under $(HOME)', () => {
    const u = generate('ins', ['--init', 'systemd,launchd', '--scope', 'user']);
    buildDaemon(u);
    const stage = join(tempDir('cd-install-'), 'stage');
    makeInstall(u, [`DESTDIR=${stage}`, 'HOME=/home/alice']);
    const got = [...files(stage).keys()].filter((f) => !f.startsWith('/usr/local/sbin/') && !f.endsWith('.conf'));
    expect(got.sort()).toEqual([
      '/home/alice/.config/systemd/user/ins.service',
      '/home/alice/Library/LaunchAgents/local.ins.plist',
    ]);
  });
});
