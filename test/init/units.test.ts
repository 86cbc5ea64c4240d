// `create-daemon units`, run as a user would (the real CLI, in the project directory): refuses outside
// a project, re-renders init/ and install.mk only, reports identical files, never overwrites an edited
// file without --force (asks when interactive), removes a dropped init system's files only while they
// are as generated, and --check writes nothing and exits 1 on drift.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotTree, tempDir } from '../support/cli.js';
import { itWith } from '../support/tools.js';
import { cli, cliBin, generate, sh, type Project } from '../support/init-project.js';

const units = (p: Project | string, ...args: string[]) => cli(['units', ...args], typeof p === 'string' ? p : p.dir);
const file = (p: Project, rel: string) => readFileSync(join(p.dir, rel), 'utf8');
const saved = (p: Project) => JSON.parse(file(p, '.yo-rc.json'))['create-daemon'];
const fresh = (flags: string[] = []) => generate('un', flags);
/** Runs the CLI on a pty (script(1)); types `answer` once `prompt` shows. */
function interactive(cwd: string, args: string[], prompt: RegExp, answer: string) {
  return new Promise<{ status: number | null; stdout: string }>((resolve) => {
    const child = spawn('script', ['-qec', [process.execPath, cliBin(), ...args].join(' '), '/dev/null'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let answered = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!answered && prompt.test(stdout)) {
        answered = true;
        child.stdin.write(answer);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      child.stdin.end();
      resolve({ status, stdout });
    });
  });
}

/** The files `units` renders: init/, and the packages' parts that follow the init answers. */
const isUnitsFile = (f: string): boolean =>
  f.startsWith('init/') ||
  f.startsWith('fleet/') ||
  f === 'etc/kustomization.yaml' ||
  f === 'debian/rules' ||
  f === 'debian/lintian-overrides' ||
  /^[^/]+\.spec$/.test(f);
const linesOf = (out: string) => out.split('\n').filter((l) => l.trim() !== '');

describe('create-daemon units', () => {
  it('outside a project: "not a create-daemon project (no .yo-rc.json in DIR)", exit 2, nothing written', () => {
    const dir = tempDir('cd-units-');
    const r = units(dir);
    expect(r.stderr).toBe(`create-daemon: not a create-daemon project (no .yo-rc.json in ${dir})\n`);
    expect(r.status).toBe(2);
    expect(snapshotTree(dir).size).toBe(0);
  });

  it('a corrupt .yo-rc.json: the parse error, exit 2, nothing written', () => {
    const dir = tempDir('cd-units-');
    writeFileSync(join(dir, '.yo-rc.json'), '{"create-daemon": {"name": "un",');
    const r = units(dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^create-daemon: ${join(dir, '.yo-rc.json').replace(/[.]/g, '\\.')}: .*JSON`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect([...snapshotTree(dir).keys()]).toEqual(['.yo-rc.json']);
  });

  it('an unchanged project: every init file reported identical, nothing changes, exit 0', () => {
    const p = fresh();
    const before = snapshotTree(p.dir);
    const r = units(p);
    expect(r.status, r.stderr).toBe(0);
    const inits = [...before.keys()].filter(isUnitsFile);
    expect(linesOf(r.stdout)).toEqual(['.yo-rc.json', ...inits].map((f) => `identical ${f}`));
    expect(snapshotTree(p.dir)).toEqual(before);
  });

  it('flags change the saved answers and re-render init/ and install.mk only', () => {
    const p = fresh();
    const before = snapshotTree(p.dir);
    const r = units(p, '--systemd-type', 'forking', '--init', 'systemd,runit');
    expect(r.status, r.stderr).toBe(0);
    expect(saved(p).systemdType).toBe('forking');
    expect(saved(p).init).toEqual(['systemd', 'runit']);
    expect(file(p, 'init/systemd/un.service')).toMatch(/^Type=forking$/m);
    expect(file(p, 'init/install.mk')).toMatch(/^INIT_CHOSEN = systemd runit$/m);
    expect(existsSync(join(p.dir, 'init/runit/un/run'))).toBe(true);
    // Everything outside init/ (but the answers) is untouched.
    const after = snapshotTree(p.dir);
    for (const [f, v] of before) if (!isUnitsFile(f) && f !== '.yo-rc.json') expect(after.get(f), f).toEqual(v);
    for (const f of after.keys()) if (!isUnitsFile(f)) expect(before.has(f), f).toBe(true);
    expect(linesOf(r.stdout)).toContain('   update init/systemd/un.service');
    expect(linesOf(r.stdout)).toContain('   create init/runit/un/run');
  });

  it('an edited file, non-interactive: lists it, exits 1 and writes nothing; --force overwrites it', () => {
    const p = fresh();
    const unit = join(p.dir, 'init/systemd/un.service');
    writeFileSync(unit, `${file(p, 'init/systemd/un.service')}# my local change\n`);
    const before = snapshotTree(p.dir);
    const r = units(p, '--systemd-type', 'simple');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('create-daemon: init/systemd/un.service was edited; not overwriting it');
    expect(r.stderr).toMatch(/nothing was written; rerun with --force/);
    expect(snapshotTree(p.dir)).toEqual(before);
    expect(saved(p).systemdType).toBe('notify');

    const f = units(p, '--systemd-type', 'simple', '--force');
    expect(f.status, f.stderr).toBe(0);
    expect(file(p, 'init/systemd/un.service')).not.toContain('# my local change');
    expect(file(p, 'init/systemd/un.service')).toMatch(/^Type=simple$/m);
    expect(saved(p).systemdType).toBe('simple');
  });

  it('an edited file is also protected when the answers do not change (regenerate after edit)', () => {
    const p = fresh();
    writeFileSync(join(p.dir, 'init/sysv/un'), 'my own script\n');
    const r = units(p);
    expect(r.status).toBe(1);
    expect(file(p, 'init/sysv/un')).toBe('my own script\n');
  });

  it('a dropped init system: files still as generated are removed (and their empty directories), edited ones kept', () => {
    const p = fresh(['--init', 'systemd,sysv,launchd,runit']);
    writeFileSync(join(p.dir, 'init/sysv/un.default'), 'CD_MINE=1\n');
    const r = units(p, '--init', 'systemd');
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(p.dir, 'init/sysv/un'))).toBe(false);
    expect(file(p, 'init/sysv/un.default')).toBe('CD_MINE=1\n');
    expect(existsSync(join(p.dir, 'init/launchd'))).toBe(false);
    expect(existsSync(join(p.dir, 'init/runit'))).toBe(false);
    expect(existsSync(join(p.dir, 'init/systemd/un.service'))).toBe(true);
    // Each file once, with one word for what happened: no second list in yeoman's words ("force").
    expect(r.stdout).toBe(
      [
        '   update .yo-rc.json',
        // The package's SysV parts go with the SysV script; the spec packages the unit alone already.
        '   remove debian/lintian-overrides (the answers no longer generate it)',
        '   update debian/rules',
        '   update init/README.md',
        '   update init/install.mk',
        '   remove init/launchd/local.un.plist (the answers no longer generate it)',
        '   remove init/runit/un/log/run (the answers no longer generate it)',
        '   remove init/runit/un/run (the answers no longer generate it)',
        'identical init/systemd/un.service',
        '   remove init/sysv/un (the answers no longer generate it)',
        '     keep init/sysv/un.default (the answers no longer generate it, but it was edited)',
        'identical un.spec',
        '',
      ].join('\n'),
    );
  });

  it("--fleet: adds an engine's files, keeps an edited one, and removes a dropped engine's unedited ones", () => {
    const p = fresh(['--fleet', 'portable']);
    const unit = 'fleet/portable/un.service';
    expect(file(p, 'init/install.mk')).toMatch(/^include fleet\/portable\/portable\.mk$/m);
    const before = snapshotTree(p.dir);
    const r = units(p, '--fleet', 'portable,k8s');
    expect(r.status, r.stderr).toBe(0);
    expect(saved(p).fleet).toEqual(['portable', 'k8s']);
    // k8s runs the OCI image: its files come with the image's.
    for (const f of ['fleet/k8s/base/deployment.yaml', 'etc/kustomization.yaml', 'fleet/oci/Containerfile'])
      expect(linesOf(r.stdout), f).toContain(`   create ${f}`);
    expect(file(p, 'init/install.mk')).toMatch(/^include fleet\/oci\/oci\.mk$/m);
    // Nothing outside the units group changed (the answers aside).
    const after = snapshotTree(p.dir);
    for (const [f, v] of before) if (!isUnitsFile(f) && f !== '.yo-rc.json') expect(after.get(f), f).toEqual(v);

    writeFileSync(join(p.dir, unit), `${file(p, unit)}# my change\n`);
    const d = units(p, '--fleet', 'k8s');
    expect(d.status, d.stderr).toBe(0);
    expect(linesOf(d.stdout)).toContain(`     keep ${unit} (the answers no longer generate it, but it was edited)`);
    expect(linesOf(d.stdout)).toContain('   remove fleet/portable/portable.mk (the answers no longer generate it)');
    expect(file(p, unit)).toMatch(/# my change\n$/);
    expect(existsSync(join(p.dir, 'fleet/portable/portable.mk'))).toBe(false);
    expect(file(p, 'init/install.mk')).not.toMatch(/portable\.mk/);
  });

  it('--fleet with --lang typescript: one line, exit 2, nothing written', () => {
    const parent = tempDir('cd-units-');
    const r = cli(['tsd', '--yes', '--lang', 'typescript', '--fleet', 'oci'], parent);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^create-daemon: --fleet ships the static C daemon in its images .*--lang c\n$/);
    expect(snapshotTree(parent).size).toBe(0);
  });

  it('--check: exit 0 and writes nothing when init/ matches the saved answers', () => {
    const p = fresh();
    const before = snapshotTree(p.dir);
    const r = units(p, '--check');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    // Each init file once (the plan was printed a second time by the report).
    const out = linesOf(r.stdout);
    expect(out.length).toBeGreaterThanOrEqual(5);
    expect(
      out.every((l) => /^ *identical /.test(l) && isUnitsFile(l.trim().split(' ')[1]!)),
      r.stdout,
    ).toBe(true);
    expect(new Set(out).size).toBe(out.length);
    expect(snapshotTree(p.dir)).toEqual(before);
  });

  it('--check: exit 1, writes nothing, and summarises edited, missing, mode and new-answer drift', () => {
    const p = fresh();
    writeFileSync(join(p.dir, 'init/systemd/un.service'), 'edited\n');
    sh('rm', [join(p.dir, 'init/launchd/local.un.plist')]);
    chmodSync(join(p.dir, 'init/sysv/un'), 0o644);
    const before = snapshotTree(p.dir);
    const r = units(p, '--check');
    expect(r.status).toBe(1);
    const out = linesOf(r.stdout);
    expect(out).toContain('   edited init/systemd/un.service (differs from what the saved answers generate)');
    expect(out).toContain('   create init/launchd/local.un.plist');
    expect(out).toContain('    chmod init/sysv/un (to 755)');
    expect(r.stderr).toBe(
      'create-daemon: the init-system files (init/, debian/rules, the spec) differ from what .yo-rc.json generates (3 files); run create-daemon units --force (edited files are overwritten only then) to update it\n',
    );
    expect(snapshotTree(p.dir)).toEqual(before);

    const q = fresh();
    const beforeQ = snapshotTree(q.dir);
    const withFlags = units(q, '--check', '--init', 'systemd,openrc');
    expect(withFlags.status).toBe(1);
    expect(linesOf(withFlags.stdout)).toContain('   create init/openrc/un');
    expect(linesOf(withFlags.stdout)).toContain('   remove init/sysv/un (the answers no longer generate it)');
    expect(snapshotTree(q.dir)).toEqual(beforeQ);
  });

  it('a mode change alone is repaired without touching the contents', () => {
    const p = fresh();
    chmodSync(join(p.dir, 'init/sysv/un'), 0o600);
    const r = units(p);
    expect(r.status, r.stderr).toBe(0);
    expect(snapshotTree(p.dir).get('init/sysv/un')!.mode).toBe(0o755);
  });

  it('a bad flag value: one line, exit 2, nothing written', () => {
    const p = fresh();
    const before = snapshotTree(p.dir);
    const r = units(p, '--systemd-type', 'forkin');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(snapshotTree(p.dir)).toEqual(before);
  });

  // An interactive run needs a terminal: script(1) gives the CLI a pty and forwards our answers.
  for (const [answer, overwritten] of [
    ['n', false],
    ['y', true],
  ] as const) {
    itWith(['script'])(
      `interactive: asks before overwriting an edited file; "${answer}" ${overwritten ? 'overwrites it' : 'keeps it'}`,
      async () => {
        const p = fresh();
        mkdirSync(join(p.dir, 'init/systemd'), { recursive: true });
        writeFileSync(join(p.dir, 'init/systemd/un.service'), 'edited by hand\n');
        const r = await interactive(p.dir, ['units', '--systemd-type', 'simple'], /Overwrite it\?/, `${answer}\r`);
        expect(r.stdout).toMatch(/init\/systemd\/un\.service was edited\. Overwrite it\?/);
        expect(r.status, r.stdout).toBe(0);
        const unit = file(p, 'init/systemd/un.service');
        if (overwritten) expect(unit).toMatch(/^Type=simple$/m);
        else expect(unit).toBe('edited by hand\n');
        // The other files follow the new answers either way.
        expect(saved(p).systemdType).toBe('simple');
        expect(file(p, 'init/README.md')).toMatch(/Type=simple/);
      },
    );
  }
});
