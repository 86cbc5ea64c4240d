// Re-running into an existing project: every overwrite is settled before the first write, files the
// old answers generated but the new ones do not are removed while unedited, and a failure (a cancel,
// an unwritable file, a reader that goes away) never leaves a half-written tree.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotTree, tempDir } from '../support/cli.js';
// cli(): a private copy of the built CLI, so a teammate's `npm run build` cannot swap dist/ under a run.
import { cli as runCli, cliBin } from '../support/init-project.js';
import { isRoot, itWith } from '../support/tools.js';
import { Terminal } from '../support/tty.js';

const ALL = ['--init', 'systemd,sysv,launchd,openrc,runit,rcd'];
const terminals: Terminal[] = [];
afterEach(() => terminals.splice(0).forEach((t) => t.close()));

function project(flags: string[] = []): string {
  const cwd = tempDir();
  const r = runCli(['myd', '--yes', ...flags], cwd);
  expect(r.status, r.stderr).toBe(0);
  return join(cwd, 'myd');
}

describe('re-running into an existing project', () => {
  it('keeps the maintainer and the release date recorded at the first run, whoever runs it and when', () => {
    const cwd = tempDir();
    const first = runCli(['myd', '--yes'], cwd, {
      DEBFULLNAME: 'Ada Lovelace',
      DEBEMAIL: 'ada@example.com',
      SOURCE_DATE_EPOCH: '1700000000',
    });
    expect(first.status, first.stderr).toBe(0);
    const root = join(cwd, 'myd');
    const saved = () => JSON.parse(readFileSync(join(root, '.yo-rc.json'), 'utf8'))['create-daemon'];
    expect(saved()).toMatchObject({ maintainer: 'Ada Lovelace <ada@example.com>', released: '2023-11-14' });
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toContain('Copyright (c) 2023 Ada Lovelace');
    const again = runCli(['myd', '--yes', '--force', '--payload', 'echo'], cwd, {
      DEBFULLNAME: 'Someone Else',
      DEBEMAIL: 'else@example.com',
      SOURCE_DATE_EPOCH: '1800000000',
    });
    expect(again.status, again.stderr).toBe(0);
    expect(saved()).toMatchObject({
      payload: 'echo',
      maintainer: 'Ada Lovelace <ada@example.com>',
      released: '2023-11-14',
    });
    expect(again.stdout).not.toMatch(/update myd\/LICENSE/);
  });

  it('--force with new answers removes what only the old answers generated, but keeps edited files', () => {
    const root = project(['--payload', 'echo', ...ALL]);
    writeFileSync(join(root, 'init/openrc/myd'), '#!/sbin/openrc-run\n# mine\n');
    const r = runCli(['myd', '--yes', '--force', '--payload', 'tick', '--init', 'systemd'], join(root, '..'));
    expect(r.status, r.stderr).toBe(0);
    // Each file once, removals included, in our words: never again in yeoman's ("force").
    const lines = r.stdout.slice(0, r.stdout.indexOf('\n\nCreated ')).split('\n');
    expect(lines).toContain('   remove myd/src/echo.c (the answers no longer generate it)');
    expect(lines).toContain('   remove myd/init/runit/myd/run (the answers no longer generate it)');
    expect(lines).toContain('     keep myd/init/openrc/myd (the answers no longer generate it, but it was edited)');
    expect(lines).toContain('   create myd/src/tick.c');
    expect(lines).toContain('   update myd/.yo-rc.json');
    const paths = lines.map((l) => /^ *\w+ (\S+)/.exec(l)?.[1]);
    expect(new Set(paths).size).toBe(lines.length);
    expect(r.stdout).not.toMatch(/^ *force /m);
    expect(existsSync(join(root, 'src/echo.c'))).toBe(false);
    expect(existsSync(join(root, 'src/tick.c'))).toBe(true);
    expect(existsSync(join(root, 'init/sysv'))).toBe(false);
    expect(existsSync(join(root, 'init/runit'))).toBe(false);
    expect(readFileSync(join(root, 'init/openrc/myd'), 'utf8')).toContain('# mine');
    const fresh = project(['--payload', 'tick', '--init', 'systemd']);
    const tree = snapshotTree(root);
    tree.delete('init/openrc/myd');
    expect(tree).toEqual(snapshotTree(fresh));
  });

  it('--force with the same answers rewrites nothing: every file keeps its inode', () => {
    const root = project();
    const inode = () => execFileSync('stat', ['-c', '%i', join(root, 'Makefile')], { encoding: 'utf8' });
    const before = inode();
    expect(runCli(['myd', '--yes', '--force'], join(root, '..')).status).toBe(0);
    expect(inode()).toBe(before);
  });

  itWith(['tmux'])('Ctrl-C at an "overwrite?" question leaves every file as it was', async () => {
    const root = project(['--payload', 'echo']);
    writeFileSync(join(root, 'Makefile'), 'edited\n');
    writeFileSync(join(root, 'README.md'), 'edited too\n');
    const before = snapshotTree(root);
    const flags =
      '--lang c --payload tick --reload multi --description d --scope system --init systemd --systemd-type notify';
    const rest =
      "--user '' --pidfile /run/myd.pid --config /etc/myd.conf --facility daemon --umask 022 --license MIT --fleet ''";
    const t = new Terminal(join(root, '..'), `${process.execPath} ${cliBin()} myd ${flags} ${rest}`);
    terminals.push(t);
    await t.waitFor(/is not empty\. Write into it/);
    t.send('y', 'Enter');
    await t.answer(/Course-assignment starter/, 'Enter');
    await t.waitFor(/\? (Makefile|README\.md) was edited\. Overwrite it\?/);
    t.send('C-c');
    expect(await t.exitStatus()).toBe(130);
    rmSync(join(root, '..', '.exit-status'));
    expect(snapshotTree(root)).toEqual(before);
  });

  itWith(['runuser'], () => (isRoot ? undefined : 'needs root to run the CLI as nobody'))(
    'a file it may not overwrite stops the run before anything is written',
    () => {
      const root = project();
      execFileSync('chown', ['-R', 'nobody', join(root, '..')]);
      chownSync(join(root, 'Makefile'), 0, 0);
      chmodSync(join(root, 'Makefile'), 0o444);
      const before = snapshotTree(root);
      // The private copy of the CLI sits in a mkdtemp directory (mode 700): let nobody read it.
      chmodSync(dirname(dirname(cliBin())), 0o755);
      const r = spawnSync(
        'runuser',
        ['-u', 'nobody', '--', process.execPath, cliBin(), 'myd', '--yes', '--force', '--payload', 'echo'],
        {
          cwd: join(root, '..'),
          encoding: 'utf8',
        },
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        `create-daemon: cannot write ${join(root, 'Makefile')}: permission denied; nothing was written\n`,
      );
      expect(snapshotTree(root)).toEqual(before);
    },
  );

  it('a reader that goes away early does not cut the project short', () => {
    const cwd = tempDir();
    const r = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${cliBin()}" myd --yes | head -n 1 >/dev/null; echo "$?"`],
      {
        cwd,
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(snapshotTree(join(cwd, 'myd'))).toEqual(snapshotTree(project()));
  });
});
