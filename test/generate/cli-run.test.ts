// The real CLI, non-interactive: what it writes, that the same answers give the same bytes, --help,
// --version, re-runs into an existing project, and the `units` round trip.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from 'prettier';
import { describe, expect, it } from 'vitest';
import { CONVENTIONS, FACILITIES, INIT_SYSTEMS } from '../../generators/core/conventions.js';
import { snapshotTree, tempDir } from '../support/cli.js';
// cli(): a private copy of the built CLI, so a teammate's `npm run build` cannot swap dist/ under a run.
import { cli as runCli } from '../support/init-project.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const FLAGS = ['--reload', 'multi', '--payload', 'echo', '--init', INIT_SYSTEMS.join(','), '--facility', 'local3'];

describe('a non-interactive run', () => {
  it('with no terminal on stdin behaves as --yes and saves every answer under "create-daemon"', () => {
    const cwd = tempDir();
    const r = runCli(['myd'], cwd);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/cd \.\/myd\n\s+make +# build \.\/myd\n\s+make check/);
    expect(r.stdout).toMatch(/systemd: +sudo make install/);
    const saved = JSON.parse(readFileSync(join(cwd, 'myd/.yo-rc.json'), 'utf8'));
    expect(Object.keys(saved)).toEqual(['create-daemon']);
    expect(Object.keys(saved['create-daemon'])).toEqual(CONVENTIONS.map((c) => c.key));
  });

  it('is deterministic: the same answers give byte-identical trees with the same modes', () => {
    const a = tempDir();
    const b = tempDir();
    expect(runCli(['myd', '--yes', ...FLAGS], a).status).toBe(0);
    expect(runCli(['myd', '--yes', ...FLAGS], b).status).toBe(0);
    const ta = snapshotTree(join(a, 'myd'));
    expect(ta.size).toBeGreaterThan(20);
    expect(snapshotTree(join(b, 'myd'))).toEqual(ta);
    for (const [path, { contents }] of ta) expect(contents, path).not.toMatch(/20\d\d-\d\d-\d\dT/);
  });

  it('every emitted JSON, Markdown and YAML file is as Prettier formats it', async () => {
    const cwd = tempDir();
    expect(runCli(['myd', '--yes', ...FLAGS], cwd).status).toBe(0);
    const pretty = [...snapshotTree(join(cwd, 'myd'))].filter(([p]) => /\.(json|md|ya?ml)$/.test(p));
    expect(pretty.map(([p]) => p)).toEqual(expect.arrayContaining(['.yo-rc.json', 'README.md']));
    for (const [path, { contents }] of pretty)
      expect(await check(contents, { filepath: path, proseWrap: 'preserve' }), path).toBe(true);
  });

  it('re-run with --force restores edited files and keeps the answers given', () => {
    const cwd = tempDir();
    expect(runCli(['myd', '--yes', ...FLAGS], cwd).status).toBe(0);
    const root = join(cwd, 'myd');
    const before = snapshotTree(root);
    writeFileSync(join(root, 'Makefile'), 'edited\n');
    const r = runCli(['myd', '--yes', '--force', ...FLAGS], cwd);
    expect(r.status).toBe(0);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('what a run prints: each file once, with one word for what happened', () => {
  /** The lines before the next steps: one per file. */
  const fileLines = (stdout: string) => stdout.slice(0, stdout.indexOf('\n\nCreated ')).split('\n');

  it('a fresh run: "create" for every file written, .yo-rc.json included, in path order, and nothing else', () => {
    const cwd = tempDir();
    const r = runCli(['myd', '--yes'], cwd);
    expect(r.status, r.stderr).toBe(0);
    const files = [...snapshotTree(join(cwd, 'myd')).keys()];
    expect(files).toContain('.yo-rc.json');
    expect(fileLines(r.stdout)).toEqual(files.map((f) => `   create myd/${f}`));
    expect(r.stdout).not.toMatch(/^ *force /m);
  });

  it('a re-run with --force: the edited file "overwrite", the rest "identical", once each', () => {
    const cwd = tempDir();
    expect(runCli(['myd', '--yes'], cwd).status).toBe(0);
    writeFileSync(join(cwd, 'myd/Makefile'), 'edited\n');
    const r = runCli(['myd', '--yes', '--force'], cwd);
    expect(r.status, r.stderr).toBe(0);
    const files = [...snapshotTree(join(cwd, 'myd')).keys()];
    expect(fileLines(r.stdout)).toEqual(
      files.map((f) =>
        f === 'Makefile' ? 'overwrite myd/Makefile (edited; replaced as you asked)' : `identical myd/${f}`,
      ),
    );
  });
});

describe('--dir .: the next steps name the current directory', () => {
  it('"Created myd in the current directory", and no "cd ."', () => {
    const cwd = tempDir();
    const r = runCli(['myd', '--yes', '--dir', '.'], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      '\n\nCreated myd in the current directory. Next steps:\n\n  make             # build ./myd\n',
    );
    expect(r.stdout).not.toMatch(/\bcd \.|\.\. Next/);
    expect(r.stdout).toMatch(/^   create Makefile$/m);
  });
});

describe('--help and --version', () => {
  it('--help lists every option with its choices and default', () => {
    const r = runCli(['--help'], tempDir());
    expect(r.status).toBe(0);
    for (const row of CONVENTIONS.filter((c) => c.flag)) {
      const line = r.stdout.split('\n').findIndex((l) => l.includes(`--${row.flag} `));
      expect(line, row.flag).toBeGreaterThan(-1);
    }
    for (const word of [...FACILITIES, ...INIT_SYSTEMS, 'notify|forking|simple', 'single|multi', 'tick|echo'])
      expect(r.stdout).toContain(word);
    expect(r.stdout).toMatch(/--yes .*never prompt/);
    expect(r.stdout).toMatch(/--pidfile <path> .*\(default \/run\/<name>\.pid/);
    expect(runCli(['-h'], tempDir()).stdout).toBe(r.stdout);
  });

  it('units --help lists only what units accepts', () => {
    const r = runCli(['units', '--help'], tempDir());
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--check/);
    expect(r.stdout).toMatch(/--systemd-type/);
    expect(r.stdout).not.toMatch(/--pidfile/);
  });

  it('--version and -V print the program and the package version', () => {
    expect(runCli(['--version'], tempDir()).stdout).toBe(`create-daemon ${pkg.version}\n`);
    expect(runCli(['-V'], tempDir()).stdout).toBe(`create-daemon ${pkg.version}\n`);
  });
});

describe('create-daemon units: the saved-answers round trip', () => {
  it('re-renders init/ from .yo-rc.json, and its flags change the saved answers', () => {
    const cwd = tempDir();
    expect(runCli(['myd', '--yes'], cwd).status).toBe(0);
    const root = join(cwd, 'myd');
    const r = runCli(['units', '--yes', '--init', 'systemd,runit', '--systemd-type', 'forking'], root);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const saved = JSON.parse(readFileSync(join(root, '.yo-rc.json'), 'utf8'))['create-daemon'];
    expect(saved).toMatchObject({ init: ['systemd', 'runit'], systemdType: 'forking', name: 'myd' });
    expect(readFileSync(join(root, 'init/systemd/myd.service'), 'utf8')).toMatch(/^Type=forking$/m);
    expect(readFileSync(join(root, 'init/runit/myd/run'), 'utf8')).toMatch(/exec .*myd.* -f/);
  });

  it('notes when a flag changes what the C sources came from, with the command that regenerates them', () => {
    const cwd = tempDir();
    expect(runCli(['myd', '--yes', '--payload', 'echo', '--pidfile', '/run/myd/myd.pid'], cwd).status).toBe(0);
    const root = join(cwd, 'myd');
    const r = runCli(['units', '--yes', '--user', 'daemon'], root);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      "create-daemon: note: --user also shapes the privilege drop (helper/privdrop.c), which units leaves alone; to regenerate the whole project, run: create-daemon myd --dir . --payload 'echo' --user 'daemon' --pidfile '/run/myd/myd.pid' (in a terminal; it asks before overwriting each file you edited)\n",
    );
    expect(runCli(['units', '--yes', '--systemd-type', 'simple'], root).stderr).toBe('');
  });

  it('refuses a flag the compiled-in answers contradict, and gives the command that regenerates the project', () => {
    const cwd = tempDir();
    expect(runCli(['myd', '--yes'], cwd).status).toBe(0);
    const root = join(cwd, 'myd');
    const user = runCli(['units', '--yes', '--user', 'svc'], root);
    expect(user.status).toBe(2);
    expect(user.stderr).toMatch(
      /^create-daemon: --user does not fit the saved answers, which are compiled into the daemon: saved pidfile "\/run\/myd.pid" sits directly in \/run, .*; regenerate the project with: create-daemon myd --dir \. --user 'svc' \(in a terminal; it asks before overwriting each file you edited\)\n$/,
    );
    const scope = runCli(['units', '--yes', '--scope', 'user', '--init', 'systemd'], root);
    expect(scope.status).toBe(2);
    // The pid file was a default, so the command leaves it out and the per-user default applies.
    expect(scope.stderr).toMatch(
      /regenerate the project with: create-daemon myd --dir \. --scope 'user' --init 'systemd' \(in a terminal; it asks before overwriting each file you edited\)\n$/,
    );
    const regenerated = runCli(['myd', '--dir', '.', '--force', '--scope', 'user', '--init', 'systemd'], root);
    expect(regenerated.status).toBe(0);
    expect(JSON.parse(readFileSync(join(root, '.yo-rc.json'), 'utf8'))['create-daemon'].pidfile).toBe(
      '$XDG_RUNTIME_DIR/myd.pid',
    );
  });

  it('runs from a subdirectory of the project, as yeoman finds .yo-rc.json upward', () => {
    const cwd = tempDir();
    expect(runCli(['myd', '--yes'], cwd).status).toBe(0);
    const r = runCli(['units', '--yes', '--check'], join(cwd, 'myd', 'init', 'systemd'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('outside a project it says so and exits 2', () => {
    const cwd = tempDir();
    const r = runCli(['units', '--yes'], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`create-daemon: not a create-daemon project (no .yo-rc.json in ${cwd})\n`);
  });

  it('rejects flags that only the app takes', () => {
    const r = runCli(['units', '--pidfile', '/run/x.pid'], tempDir());
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('create-daemon: unknown option --pidfile; see create-daemon units --help\n');
  });
});
