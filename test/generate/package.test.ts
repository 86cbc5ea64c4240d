// The published package: packed, installed into an empty directory, and run from there. It carries
// no tests, sources or maps, and installs as one package with no dependencies. And the development
// install: a fresh clone's `npm install` has nothing to warn about.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/cli.js';
import { itWith } from '../support/tools.js';

interface Packed {
  filename: string;
  unpackedSize: number;
  files: { path: string }[];
}

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

describe("a fresh clone's npm install", () => {
  // An unmet peer range is what npm's `warn ERESOLVE overriding peer dependency` reports (vite wants
  // esbuild ^0.27 || ^0.28); the lock file alone says whether one is left, without installing.
  itWith(['npm'])('meets every peer dependency range (no ERESOLVE warning)', () => {
    const r = spawnSync('npm', ['ls', '--all', '--package-lock-only', '--json'], { cwd: ROOT, encoding: 'utf8' });
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
  itWith(['npm', 'make', 'cc'])(
    'installs from its tarball into an empty directory and generates a project that builds',
    () => {
      const out = tempDir('cd-pack-');
      const [packed] = JSON.parse(
        npm(['pack', '--json', '--ignore-scripts', '--pack-destination', out], ROOT),
      ) as Packed[];
      const paths = packed!.files.map((f) => f.path);
      expect(paths).toEqual(
        expect.arrayContaining(['bin/create-daemon.js', 'dist/cli.mjs', 'package.json', 'README.md']),
      );
      expect(paths.filter((p) => /^(test|generators|bench|\.ci)\/|\.map$|\.ts$|^bin\/build/.test(p))).toEqual([]);
      expect(paths.some((p) => p.startsWith('templates/project/'))).toBe(true);
      expect(packed!.unpackedSize).toBeLessThan(10 * 1024 * 1024);

      const app = join(out, 'app');
      execFileSync('mkdir', [app]);
      writeFileSync(join(app, 'package.json'), '{"name":"probe","version":"0.0.0","private":true}\n');
      npm(['install', '--no-audit', '--no-fund', '--offline', join(out, packed!.filename)], app);
      const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as { packages: object };
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
    },
  );
});
