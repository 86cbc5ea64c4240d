// The first hour's frictions with the command line (issue 14): help as a word, --version, suggestions
// for a misspelt flag or choice, list items with spaces, and a warning for a flag that cannot apply.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('--version', () => {
  it.each([['--version'], ['-V'], ['units', '--version']])('%s prints "create-daemon VERSION"', (...args) => {
    const r = runCli(args, tempDir());
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`create-daemon ${pkg.version}\n`);
  });
});

describe('help as a word', () => {
  it.each([
    [['help'], ['--help']],
    [
      ['help', 'units'],
      ['units', '--help'],
    ],
    [
      ['units', 'help'],
      ['units', '--help'],
    ],
  ])('%j prints what %j prints, and writes nothing', (args, same) => {
    const cwd = tempDir();
    const r = runCli(args, cwd);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(runCli(same, cwd).stdout);
    expect(r.stdout).toMatch(/^create-daemon (units )?\d/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('help on a topic there is none of: one line naming the topics, exit 2', () => {
    const r = runCli(['help', 'foo'], tempDir());
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('create-daemon: no help on "foo": create-daemon help, or create-daemon help units\n');
  });

  it('--help names the word', () => {
    expect(runCli(['--help'], tempDir()).stdout).toMatch(
      /^ +create-daemon help \[units\] +\(this help, or units' help\)$/m,
    );
  });
});

describe('--init as a comma list', () => {
  it.each([
    ['--init', 'systemd,,sysv', 'systemd,sysv'],
    ['--init', 'systemd,', 'systemd,sysv'],
    ['--fleet', ',oci', 'oci,k8s'],
  ])('%s %j: an empty item is refused, not dropped, and nothing is written', (flag, value, like) => {
    const cwd = tempDir();
    const r = runCli(['myd', '--yes', flag, value], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `create-daemon: ${flag} has an empty item in ${JSON.stringify(value)}: give the names with one comma between each, like ${flag} ${like}\n`,
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('"systemd, openrc": the spaces around the items are trimmed, and the list is saved without them', () => {
    const cwd = tempDir();
    const r = runCli(['myd', '--yes', '--init', ' systemd,  openrc '], cwd);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const saved = JSON.parse(readFileSync(join(cwd, 'myd', '.yo-rc.json'), 'utf8'))['create-daemon'];
    expect(saved.init).toEqual(['systemd', 'openrc']);
    expect(readdirSync(join(cwd, 'myd', 'init')).sort()).toEqual(expect.arrayContaining(['openrc', 'systemd']));
    expect(readdirSync(join(cwd, 'myd', 'init'))).not.toContain('sysv');
  });
});

describe('a misspelt flag or choice gets a suggestion', () => {
  it('units: the nearest of the options units takes', () => {
    const r = runCli(['units', '--systemd-typ', 'simple'], tempDir());
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('create-daemon: unknown option --systemd-typ; did you mean --systemd-type?\n');
  });
});

describe('a flag that cannot apply to the other answers: one warning line, and the run goes on', () => {
  const SYSTEMD =
    'create-daemon: warning: --systemd-type notify has no effect: no systemd among the init systems (sysv)\n';

  it('--systemd-type notify --init sysv', () => {
    const cwd = tempDir();
    for (const extra of [['--yes'], []]) {
      const r = runCli(['myd', '--init', 'sysv', '--systemd-type', 'notify', '--force', ...extra], cwd);
      expect(r.stderr).toBe(SYSTEMD);
      expect(r.status).toBe(0);
      expect(readdirSync(join(cwd, 'myd', 'init'))).not.toContain('systemd');
    }
  });

  it('--label without launchd', () => {
    const r = runCli(['myd', '--yes', '--init', 'systemd,sysv', '--label', 'com.example.myd'], tempDir());
    expect(r.stderr).toBe(
      'create-daemon: warning: --label com.example.myd has no effect: no launchd among the init systems (systemd, sysv)\n',
    );
    expect(r.status).toBe(0);
  });

  it('nothing when the flag applies', () => {
    const r = runCli(['myd', '--yes', '--init', 'systemd', '--systemd-type', 'forking'], tempDir());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('units: against the saved init systems; and --force with --check', () => {
    const cwd = tempDir();
    expect(runCli(['myd', '--yes', '--init', 'sysv'], cwd).status).toBe(0);
    const root = join(cwd, 'myd');
    const r = runCli(['units', '--yes', '--systemd-type', 'notify'], root);
    expect(r.stderr).toBe(SYSTEMD);
    expect(r.status).toBe(0);
    const c = runCli(['units', '--check', '--force'], root);
    expect(c.stderr).toBe('create-daemon: warning: --force has no effect with --check, which writes nothing\n');
    expect(c.status).toBe(0);
    // Adding systemd in the same run makes the flag apply: no warning.
    const both = runCli(['units', '--yes', '--init', 'sysv,systemd', '--systemd-type', 'forking'], root);
    expect(both.stderr).toBe('');
    expect(both.status).toBe(0);
  });
});
