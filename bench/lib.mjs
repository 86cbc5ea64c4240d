// What bench/scaffold.mjs and bench/snapshot.mjs share: create-vite installed once into the cache, the
// yeoman floor's bundle, and medians.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bundleOptions } from '../bin/bundle-options.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const cache = join(root, 'bench/.cache');
export const VITE = '9.3';

export const npm = (args, cwd) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

/** create-vite's bin, installed once into the cache. */
export function createVite() {
  const viteDir = join(cache, `create-vite-${VITE}`);
  const viteBin = join(viteDir, 'node_modules/create-vite/index.js');
  if (!existsSync(viteBin)) {
    mkdirSync(viteDir, { recursive: true });
    // A package.json of its own, so that npm installs here and not into the enclosing project.
    writeFileSync(join(viteDir, 'package.json'), '{"name":"bench-create-vite","version":"0.0.0","private":true}\n');
    npm(['install', '--no-audit', '--no-fund', '--silent', `create-vite@${VITE}`], viteDir);
  }
  return viteBin;
}

/** bench/floors/yeoman.mjs bundled with the published bundle's options and stubs; returns its entry. */
export async function yeomanFloor() {
  const floorDir = join(cache, 'yeoman-floor');
  rmSync(floorDir, { force: true, recursive: true });
  await esbuild.build(bundleOptions({ floor: join(root, 'bench/floors/yeoman.mjs') }, join(floorDir, 'dist')));
  // yeoman-generator reads the package.json beside its bundle, as it reads ours.
  writeFileSync(join(floorDir, 'package.json'), '{"name":"yeoman-floor","version":"0.0.0","type":"module"}\n');
  return join(floorDir, 'dist/floor.mjs');
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
