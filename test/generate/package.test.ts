// The published package: packed, installed into an empty directory, and run from there. It carries
// no tests, sources or maps, and installs as one package with no dependencies. And the development
// install: a fresh clone's `npm install` has nothing to warn about.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/cli.js';
import { itWith } from '../support/tools.js';

interface Packed {
  filename: string;
  unpackedSize: number;
  files: { path: string }[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** npm's environment: its cache and logs in the test's directory, not in ~/.npm. */
const npmEnv = (dir: string): NodeJS.ProcessEnv => ({ ...process.env, npm_config_cache: join(dir, 'npm-cache') });

describe("a fresh clone's npm install", () => {
  // The set-up command writes ./myd inside the clone; git ignores it, so `git status` stays clean.
  const notAClone = () =>
    spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: ROOT }).status === 0
      ? undefined
      : 'the package is not a git clone here';
  itWith(['git'], notAClone)("ignores the directory the README's set-up command writes", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const name = /^npm install && npx create-daemon (\w+) --yes/m.exec(readme)?.[1];
    expect(name, 'the set-up line').toBeDefined();
    const r = spawnSync('git', ['check-ignore', '-q', `${name}/`], { cwd: ROOT });
    expect(r.status, `${name}/ is not ignored by .gitignore`).toBe(0);
  });

  // An unmet peer range is what npm's `warn ERESOLVE overriding peer dependency` reports (vite wants
  // esbuild ^0.27 || ^0.28); the lock file alone says whether one is left, without installing.
  itWith(['npm'])('meets every peer dependency range (no ERESOLVE warning)', () => {
    const r = spawnSync('npm', ['ls', '--all', '--package-lock-only', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: npmEnv(tempDir('cd-npm-ls-')),
    });
    expect((JSON.parse(r.stdout) as { problems?: string[] }).problems ?? []).toEqual([]);
    expect(r.status).toBe(0);
  });

  // npm warns about each dependency whose install scripts allowScripts neither allows nor denies.
  it('decides about every dependency that has install scripts (no install-scripts warning)', () => {
    const lock = readJson<{ packages: Record<string, { hasInstallScript?: boolean }> }>(
      join(ROOT, 'package-lock.json'),
    );
    const decided = Object.keys(readJson<{ allowScripts?: object }>(join(ROOT, 'package.json')).allowScripts ?? {});
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(withScripts.filter((name) => !decided.some((d) => d === name || d.startsWith(`${name}@`)))).toEqual([]);
  });
});

describe('the packed package', () => {
  // `npm run package` (bin/pack.mjs), the tarball that is published: its manifest has only what a user
  // needs, and npm installs it, and runs it the README's way, without a warning.
  itWith(['npm', 'make', 'cc', 'tar'])(
    'installs from its tarball into an empty directory and generates a project that builds',
    () => {
      const out = tempDir('cd-pack-');
      // pack.mjs stages in the test's directory.
      const env = { ...npmEnv(out), TMPDIR: out };
      const [packed] = JSON.parse(
        execFileSync(process.execPath, [join(ROOT, 'bin/pack.mjs'), out, '--json'], {
          cwd: ROOT,
          encoding: 'utf8',
          env,
        }),
      ) as Packed[];
      const tarball = join(out, packed!.filename);
      const paths = packed!.files.map((f) => f.path);
      expect(paths).toEqual(
        expect.arrayContaining(['bin/create-daemon.js', 'dist/cli.mjs', 'package.json', 'README.md']),
      );
      // The TypeScript under templates/ is what --lang typescript emits, not the package's own code.
      expect(
        paths.filter((p) =>
          /^(test|generators|bench|\.ci)\/|\.map$|^(?!templates\/).*\.ts$|^bin\/(build|pack)/.test(p),
        ),
      ).toEqual([]);
      expect(paths.some((p) => p.startsWith('templates/project/'))).toBe(true);
      expect(packed!.unpackedSize).toBeLessThan(10 * 1024 * 1024);
      expect(readdirSync(out).filter((f) => f.startsWith('create-daemon-pack-'))).toEqual([]); // the stage is gone

      execFileSync('tar', ['-xzf', tarball, '-C', out, 'package/package.json']);
      const manifest = readJson<Record<string, unknown>>(join(out, 'package/package.json'));
      const source = readJson<Record<string, unknown>>(join(ROOT, 'package.json'));
      for (const field of ['scripts', 'devDependencies', 'dependencies', 'allowScripts', 'private', 'files'])
        expect(manifest, field).not.toHaveProperty(field);
      for (const field of ['name', 'version', 'description', 'license', 'type', 'bin', 'engines'])
        expect(manifest[field], field).toEqual(source[field]);

      const app = join(out, 'app');
      execFileSync('mkdir', [app]);
      writeFileSync(join(app, 'package.json'), '{"name":"probe","version":"0.0.0","private":true}\n');
      const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], {
        cwd: app,
        encoding: 'utf8',
        env,
      });
      expect(install.stderr).not.toMatch(/npm warn/i); // before: install-scripts (prepare: npm run build)
      expect(install.status).toBe(0);
      const lock = readJson<{ packages: object }>(join(app, 'package-lock.json'));
      const installed = Object.keys(lock.packages).filter((p) => p.startsWith('node_modules/'));
      expect(installed).toEqual(['node_modules/create-daemon']);

      const r = spawnSync(join(app, 'node_modules/.bin/create-daemon'), ['myd', '--yes', '--payload', 'echo'], {
        cwd: app,
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(existsSync(join(app, 'myd/src/echo.c'))).toBe(true);
      execFileSync('make', ['-s', '-C', join(app, 'myd')], { stdio: 'pipe' });
      expect(execFileSync(join(app, 'myd/myd'), ['-V'], { encoding: 'utf8' })).toMatch(/^myd /);

      // The README's own line for running a tarball before the package is published, as printed
      // (with this tarball's path, --offline, and --yes for the generator's questions).
      const line = readFileSync(join(ROOT, 'README.md'), 'utf8')
        .split('\n')
        .find((l) => l.startsWith('npm exec '));
      expect(line, 'README.md has an `npm exec --package=...tgz` line').toBeDefined();
      const words = line!.replace(/#.*/, '').trim().split(/\s+/);
      expect(words).toEqual([
        'npm',
        'exec',
        '--yes',
        `--package=/path/to/${packed!.filename}`,
        '--',
        'create-daemon',
        'myd',
      ]);
      const elsewhere = join(out, 'elsewhere');
      execFileSync('mkdir', [elsewhere]);
      const args = words.slice(1).map((w) => w.replace('/path/to/', `${out}/`));
      const exec = spawnSync('npm', ['exec', '--offline', ...args.slice(1), '--yes'], {
        cwd: elsewhere,
        encoding: 'utf8',
        env,
      });
      expect(exec.stderr).toBe('');
      expect(exec.status).toBe(0);
      expect(existsSync(join(elsewhere, 'myd/src/main.c'))).toBe(true);
    },
  );

  // The root package.json is the development one: `npm publish` refuses it (private), and `npm pack`
  // names the command that packs the published manifest instead of packing this one.
  itWith(['npm'])('cannot be packed or published from the development manifest', () => {
    expect(readJson<{ private?: boolean }>(join(ROOT, 'package.json')).private).toBe(true);
    const out = tempDir('cd-pack-root-');
    const r = spawnSync('npm', ['pack', '--dry-run', '--pack-destination', out], {
      cwd: ROOT,
      encoding: 'utf8',
      env: npmEnv(out),
    });
    expect(r.stderr).toContain('run `npm run package`');
    expect(r.status).not.toBe(0);
  });
});
