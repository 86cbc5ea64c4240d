#!/usr/bin/env node
// Scaffolding speed and package footprint, side by side with create-vite, in one run.
//
//   node bench/scaffold.mjs [runs]        (default 10 runs; it builds dist/ first)
//
// Each round runs every command once, in alternation, each into a fresh directory, so that machine
// noise hits them all alike; the report gives medians and ratios, never a lone absolute time.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cache, createVite, median, npm, root, VITE, yeomanFloor } from './lib.mjs';

const runs = Number(process.argv[2] ?? 10);
const node = process.execPath;

mkdirSync(cache, { recursive: true });
// Measure what is in the tree now.
execFileSync(node, [join(root, 'bin/build.mjs')], { stdio: 'ignore' });
const viteBin = createVite();

// "Plain yeoman": our own generator compiled by tsc and run through yeoman-environment's full
// createEnv().run(), as a yeoman generator usually runs: what the bundle and the lazy loading saved.
const plainDir = join(cache, 'plain');
execFileSync(join(root, 'node_modules/.bin/tsc'), [
  '-p',
  join(root, 'tsconfig.build.json'),
  '--outDir',
  join(plainDir, 'generators'),
]);
writeFileSync(join(plainDir, 'package.json'), '{"type":"module"}\n');
const plainRunner = join(plainDir, 'run.mjs');
writeFileSync(
  plainRunner,
  `import { createEnv } from ${JSON.stringify(join(root, 'node_modules/yeoman-environment/dist/index.js'))};
const env = createEnv({ skipInstall: true });
env.register(${JSON.stringify(join(plainDir, 'generators/app/index.js'))}, { namespace: 'create-daemon:app' });
await env.run(['create-daemon:app'], { given: { name: process.argv[2] }, yes: true, skipInstall: true });
`,
);
// tsc's output looks for templates two levels up from generators/core: give it the package's own.
rmSync(join(plainDir, 'templates'), { force: true, recursive: true });
execFileSync('ln', ['-s', join(root, 'templates'), join(plainDir, 'templates')]);

// The floors (bench/floors/): what any yeoman run, and Prettier on the emitted README, cost on their own.
const floorBundle = await yeomanFloor();

const project = mkdtempSync(join(tmpdir(), 'cd-bench-units-'));
execFileSync(node, [join(root, 'bin/create-daemon.js'), 'myd', '--yes', '--dir', project], { stdio: 'ignore' });

const COMMANDS = {
  'node -e ""': () => [node, ['-e', '']],
  'create-vite --template vanilla-ts': (dir) => [node, [viteBin, dir, '--template', 'vanilla-ts', '--no-interactive']],
  'create-daemon myd --yes': (dir) => [node, [join(root, 'bin/create-daemon.js'), 'myd', '--yes', '--dir', dir]],
  // What switching V8's optimising compilers off (cli/main.ts) buys: the same run with them on.
  'create-daemon myd --yes, V8 opt. on': (dir) => [
    node,
    [join(root, 'bin/create-daemon.js'), 'myd', '--yes', '--dir', dir],
    undefined,
    { CREATE_DAEMON_V8_OPT: '1' },
  ],
  'create-daemon units --yes': () => [node, [join(root, 'bin/create-daemon.js'), 'units', '--yes', '--force'], project],
  'create-daemon --help': () => [node, [join(root, 'bin/create-daemon.js'), '--help']],
  'plain yeoman-environment run': (dir) => [node, [plainRunner, 'myd'], dir],
  'floor: yeoman, 20 constant files': (dir) => [node, [floorBundle], dir],
  'floor: Prettier on the README': (dir) => [node, [join(root, 'bench/floors/prettier.mjs'), project], dir],
};

const times = Object.fromEntries(Object.keys(COMMANDS).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
  for (const [label, make] of Object.entries(COMMANDS)) {
    const parent = mkdtempSync(join(tmpdir(), 'cd-bench-'));
    const dir = join(parent, 'out');
    if (label.startsWith('plain') || label.startsWith('floor')) mkdirSync(dir);
    const [cmd, args, cwd = parent, env = {}] = make(dir);
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${label} failed (${r.status}): ${r.stderr}`);
    times[label].push(ms);
    rmSync(parent, { recursive: true, force: true });
  }
}
rmSync(project, { recursive: true, force: true });

const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
const vite = m['create-vite --template vanilla-ts'];
const floor = m['node -e ""'];
console.log(`scaffold, ${runs} alternating runs, medians (node ${process.version}, ${process.platform}):`);
for (const [label, ms] of Object.entries(m))
  console.log(
    `  ${label.padEnd(36)} ${ms.toFixed(0).padStart(6)} ms   ${(ms / vite).toFixed(2)}x create-vite   ${(ms / floor).toFixed(2)}x node`,
  );

// Footprint: our packed package against create-vite's.
const packDir = mkdtempSync(join(tmpdir(), 'cd-bench-pack-'));
const [ours] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], root));
const [theirs] = JSON.parse(npm(['pack', '--json', '--dry-run', `create-vite@${VITE}`], packDir));
const installDir = join(packDir, 'install');
mkdirSync(installDir);
writeFileSync(join(installDir, 'package.json'), '{"name":"probe","version":"0.0.0"}\n');
npm(['install', '--no-audit', '--no-fund', '--silent', join(packDir, ours.filename)], installDir);
const lock = JSON.parse(readFileSync(join(installDir, 'package-lock.json'), 'utf8'));
const installed = Object.keys(lock.packages).filter((p) => p.startsWith('node_modules/'));
const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;
console.log('footprint:');
console.log(
  `  create-daemon  packed ${kib(ours.size)}, unpacked ${kib(ours.unpackedSize)}, ${ours.entryCount} files, ${installed.length} packages installed (itself included)`,
);
console.log(
  `  create-vite    packed ${kib(theirs.size)}, unpacked ${kib(theirs.unpackedSize)}, ${theirs.entryCount} files`,
);
rmSync(packDir, { recursive: true, force: true });
