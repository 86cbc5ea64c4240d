// make install / make uninstall into a staging root: the binary, the config (never overwriting
// an edited one) and the init files go where each system expects them, and come out again.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { generateProject, make, WERROR } from '../support/project.js';
import { describeWith } from '../support/tools.js';
import { runCli } from '../support/cli.js';

describeWith(['make', 'gcc'])('make install and uninstall', () => {
  it('stages the binary, the config and the init files, and removes them again', () => {
    const dir = generateProject(['--init', 'systemd,sysv,runit', '--user', 'nobody']);
    make(dir, [WERROR]);
    const stage = join(dir, 'stage');
    const vars = [`DESTDIR=${stage}`, 'PREFIX=/usr', 'INIT_SYSTEMS=systemd sysv runit'];
    make(dir, ['install', ...vars]);
    const bin = join(stage, 'usr/sbin/myd');
    expect(statSync(bin).mode & 0o777).toBe(0o755);
    const conf = join(stage, 'etc/myd.conf');
    expect(readFileSync(conf, 'utf8')).toBe(readFileSync(join(dir, 'etc/myd.conf'), 'utf8'));
    expect(existsSync(join(stage, 'etc/systemd/system/myd.service'))).toBe(true);
    expect(existsSync(join(stage, 'etc/init.d/myd'))).toBe(true);
    expect(existsSync(join(stage, 'etc/sv/myd/run'))).toBe(true);

    // An administrator's edit survives a second install and the uninstall.
    writeFileSync(conf, 'interval = 5\n');
    expect(make(dir, ['install', ...vars])).toMatch(/kept the existing/);
    expect(readFileSync(conf, 'utf8')).toBe('interval = 5\n');
    make(dir, ['uninstall', ...vars]);
    expect(existsSync(bin)).toBe(false);
    expect(existsSync(join(stage, 'etc/systemd/system/myd.service'))).toBe(false);
    expect(readFileSync(conf, 'utf8')).toBe('interval = 5\n');

    // An unchanged config goes with the rest.
    make(dir, ['install', ...vars]);
    writeFileSync(conf, readFileSync(join(dir, 'etc/myd.conf')));
    make(dir, ['uninstall', ...vars]);
    expect(existsSync(conf)).toBe(false);
  });

  it('uninstall removes the files of an init system dropped since the install (create-daemon units --init)', () => {
    const dir = generateProject(['--init', 'systemd,sysv,runit']);
    make(dir, [WERROR]);
    const stage = join(dir, 'stage');
    make(dir, ['install', `DESTDIR=${stage}`, 'PREFIX=/usr', 'INIT_SYSTEMS=systemd sysv runit']);
    const r = runCli(['units', '--yes', '--init', 'systemd'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'init/sysv'))).toBe(false);
    // A file of the same name that is not this daemon's (another package's rc.d script): left alone.
    mkdirSync(join(stage, 'usr/etc/rc.d'), { recursive: true });
    writeFileSync(join(stage, 'usr/etc/rc.d/myd'), '#!/bin/sh\n# another package of the same name\n');
    const out = make(dir, ['uninstall', `DESTDIR=${stage}`, 'PREFIX=/usr']);
    expect(readFileSync(join(stage, 'usr/etc/rc.d/myd'), 'utf8')).toContain('another package');
    for (const f of ['etc/systemd/system/myd.service', 'etc/init.d/myd', 'etc/sv/myd/run', 'usr/sbin/myd'])
      expect(existsSync(join(stage, f)), f).toBe(false);
    expect(existsSync(join(stage, 'etc/sv/myd'))).toBe(false);
    // The operator's settings for the dropped system are kept: nothing is left to compare them with.
    expect(out).toContain(
      `kept ${stage}/etc/default/myd (your settings): sysv is no longer chosen, so there is nothing to compare it with`,
    );
    expect(existsSync(join(stage, 'etc/default/myd'))).toBe(true);
  });
});
