#!/usr/bin/env node
// The startup-snapshot experiment (issue 16), measured side by side in one run, per Node binary:
//
//   node bench/snapshot.mjs [runs] [NODE ...]     (default 10 runs, this node; it builds dist/ first)
//
// It bundles bench/snapshot/entry.ts (create-daemon's CLI, yeoman, ejs and Prettier) into one CommonJS
// file, builds a startup snapshot from it with each NODE (timed; the blob's size), checks that a run
// started from the blob writes byte for byte what the published bundle writes, then times, in
// alternation, each into a fresh directory: node -e "", create-vite, create-daemon myd --yes and units
// --yes from the bundle and from the blob, and the floors: what starting from the blob costs alone, a
// yeoman run that writes 20 constant files (bundled, and from the blob), and Prettier on the emitted
// README (cold, and warm in the blob). Medians and ratios only.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { bundleOptions } from '../bin/bundle-options.mjs';
import { cache, createVite, median, root, yeomanFloor } from './lib.mjs';

const runs = Number(process.argv[2] ?? 10);
const nodes = process.argv.length > 3 ? process.argv.slice(3) : [process.execPath];
const cli = join(root, 'bin/create-daemon.js');

mkdirSync(cache, { recursive: true });
execFileSync(process.execPath, [join(root, 'bin/build.mjs')], { stdio: 'ignore' });
const viteBin = createVite();
const floorBundle = await yeomanFloor();

// What Node 20 needs to serialize the heap, beyond what entry.ts does itself.
const snapshotOnly = {
  name: 'snapshot-only',
  setup(build) {
    // A module-level Intl.Segmenter holds an ICU object: create it on first use instead.
    build.onLoad({ filter: /string-width[/\\]index\.js$/ }, (a) => {
      const from = 'const segmenter = new Intl.Segmenter();';
      const source = readFileSync(a.path, 'utf8');
      if (!source.includes(from)) throw new Error(`${a.path} no longer creates its segmenter as ${from}`);
      const lazy = 'let made; const segmenter = { segment: (s) => (made ??= new Intl.Segmenter()).segment(s) };';
      return { contents: source.replace(from, lazy), loader: 'js' };
    });
    // A snapshot's require() loads built-in modules only; the bundle's optional requires of packages
    // (fdir's picomatch, debug's supports-color) must fail as they do where the package is absent.
    build.onResolve({ filter: /^(node:)?module$/ }, (a) =>
      a.namespace === 'module-shim'
        ? { path: 'node:module', external: true }
        : { path: 'module', namespace: 'module-shim' },
    );
    build.onLoad({ filter: /.*/, namespace: 'module-shim' }, () => ({
      contents: `
        const real = process.getBuiltinModule('node:module');
        const missing = (id) => Object.assign(new Error('Cannot find module ' + id), { code: 'MODULE_NOT_FOUND' });
        const builtinOnly = (id) => { if (real.isBuiltin(id)) return process.getBuiltinModule(id); throw missing(id); };
        builtinOnly.resolve = (id) => { throw missing(id); };
        export const createRequire = () => builtinOnly;
        export const isBuiltin = real.isBuiltin, builtinModules = real.builtinModules;
        export default { ...real, createRequire };`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};
const snapDir = join(cache, 'snapshot');
rmSync(snapDir, { recursive: true, force: true });
const options = bundleOptions({ cli: join(root, 'bench/snapshot/entry.ts') }, snapDir);
await esbuild.build({
  ...options,
  format: 'cjs',
  splitting: false,
  outExtension: { '.js': '.cjs' },
  // paths.ts finds the templates from import.meta.url: where dist/cli.mjs is.
  define: { ...options.define, CREATE_DAEMON_SNAPSHOT: 'true', 'import.meta.url': '__cdMetaUrl' },
  banner: { js: `var __cdMetaUrl = ${JSON.stringify(pathToFileURL(join(root, 'dist/cli.mjs')).href)};` },
  plugins: [snapshotOnly, ...options.plugins],
});
const entry = join(snapDir, 'cli.cjs');

const project = mkdtempSync(join(tmpdir(), 'cd-bench-snap-'));
execFileSync(process.execPath, [cli, 'myd', '--yes', '--dir', project], { stdio: 'ignore' });

/** Every file under dir, with its mode, as one comparable string. */
function tree(dir, at = '') {
  return readdirSync(join(dir, at), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((e) => {
      const path = join(at, e.name);
      if (e.isDirectory()) return tree(dir, path);
      const mode = (statSync(join(dir, path)).mode & 0o777).toString(8);
      return `${path} ${mode}\n${readFileSync(join(dir, path), 'utf8')}`;
    })
    .join('\0');
}

const run = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal ?? r.error}): ${r.stderr}`);
};

for (const node of nodes) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const blob = join(snapDir, `${version}.blob`);
  const started = process.hrtime.bigint();
  run(node, ['--snapshot-blob', blob, '--build-snapshot', entry], snapDir);
  const buildMs = Number(process.hrtime.bigint() - started) / 1e6;
  const snap = (...args) => ['--snapshot-blob', blob, '--', ...args];

  // The blob must change nothing but the time: the same tree as the bundle, for the app and for units.
  const check = mkdtempSync(join(tmpdir(), 'cd-bench-snapcheck-'));
  run(node, [cli, 'myd', '--yes', '--dir', join(check, 'a')], check);
  run(node, snap('cli', 'myd', '--yes', '--dir', join(check, 'b')), check);
  for (const side of ['a', 'b'])
    run(node, snap('cli', 'units', '--yes', '--force', '--init', 'systemd,sysv'), join(check, side));
  const same = tree(join(check, 'a')) === tree(join(check, 'b'));
  rmSync(check, { recursive: true, force: true });
  if (!same) throw new Error(`${version}: a run from the snapshot wrote a different tree than the bundle`);

  const COMMANDS = {
    'node -e ""': () => [['-e', '']],
    'create-vite --template vanilla-ts': (dir) => [[viteBin, dir, '--template', 'vanilla-ts', '--no-interactive']],
    'create-daemon myd --yes': (dir) => [[cli, 'myd', '--yes', '--dir', dir]],
    'snapshot: create-daemon myd --yes': (dir) => [snap('cli', 'myd', '--yes', '--dir', dir)],
    'create-daemon units --yes': () => [[cli, 'units', '--yes', '--force'], project],
    'snapshot: create-daemon units --yes': () => [snap('cli', 'units', '--yes', '--force'), project],
    'snapshot: start only': () => [snap('nothing')],
    'floor: yeoman, 20 files': (dir) => [[floorBundle], dir],
    'snapshot floor: yeoman, 20 files': (dir) => [snap('floor'), dir],
    'floor: Prettier on the README, cold': (dir) => [[join(root, 'bench/floors/prettier.mjs'), project], dir],
    'snapshot: Prettier on the README, warm': (dir) => [snap('readme', project), dir],
  };
  const times = Object.fromEntries(Object.keys(COMMANDS).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [label, make] of Object.entries(COMMANDS)) {
      const parent = mkdtempSync(join(tmpdir(), 'cd-bench-'));
      const dir = join(parent, 'out');
      if (/floor|README/.test(label)) mkdirSync(dir);
      const [args, cwd = parent] = make(dir);
      const start = process.hrtime.bigint();
      run(node, args, cwd);
      times[label].push(Number(process.hrtime.bigint() - start) / 1e6);
      rmSync(parent, { recursive: true, force: true });
    }
  }
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const vite = m['create-vite --template vanilla-ts'];
  const floor = m['node -e ""'];
  console.log(
    `snapshot, node ${version}: blob ${(statSync(blob).size / 2 ** 20).toFixed(1)} MiB, built in ${(buildMs / 1000).toFixed(1)} s; the same tree as the bundle: yes`,
  );
  console.log(`  ${runs} alternating runs, medians:`);
  for (const [label, ms] of Object.entries(m))
    console.log(
      `  ${label.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms   ${(ms / vite).toFixed(2)}x create-vite   ${(ms / floor).toFixed(2)}x node`,
    );
  const [app, appSnap, units, unitsSnap] = [
    'create-daemon myd --yes',
    'snapshot: create-daemon myd --yes',
    'create-daemon units --yes',
    'snapshot: create-daemon units --yes',
  ].map((k) => m[k]);
  console.log(
    `  from the blob: myd --yes ${(appSnap / app).toFixed(2)}x the bundle's time, units ${(unitsSnap / units).toFixed(2)}x`,
  );
  rmSync(blob, { force: true });
}
rmSync(project, { recursive: true, force: true });
