#!/usr/bin/env node
// Pack the published package (`npm run package` builds first, then runs this): copies what package.json's
// `files` names, the README and any license file into a scratch directory, writes there a package.json
// that holds only what a user of the package needs (no scripts, devDependencies or allowScripts), and
// runs `npm pack` on that directory. Usage: node bin/pack.mjs [destination directory] [--json]; the
// tarball, create-daemon-<version>.tgz, goes to the destination (default: the repository root).
// Publish that tarball: `npm publish ./create-daemon-<version>.tgz` (the root package.json is private).
// Dev-only: not part of the published package.
//
// Why a staged copy, not a prepack script that trims package.json in place and a postpack that
// restores it: `npm publish` reads package.json again after postpack and sends that manifest, scripts
// and all, to the registry as the version's metadata; `npm pack --ignore-scripts` would skip the trim;
// and for the length of a pack the working tree's package.json would have no scripts. `npm pack` in
// the root runs `node bin/pack.mjs --refuse` as prepack: it fails and names this command.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package.json fields a user of the package needs; every other field is left out. */
export const USER_FIELDS = [
  'name',
  'version',
  'description',
  'keywords',
  'homepage',
  'bugs',
  'repository',
  'license',
  'author',
  'contributors',
  'funding',
  'type',
  'bin',
  'main',
  'exports',
  'engines',
  'os',
  'cpu',
  'dependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'optionalDependencies',
];

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

if (args.includes('--refuse')) {
  console.error(
    'create-daemon: `npm pack` here would ship the development package.json; run `npm run package`, which packs ' +
      'the package with the manifest a user needs (README.md, "Development")',
  );
  process.exit(1);
}

const json = args.includes('--json');
const dest = resolve(args.find((a) => !a.startsWith('--')) ?? root);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (!existsSync(join(root, 'dist/cli.mjs'))) throw new Error('no dist/cli.mjs: run `npm run build` first');

const stage = mkdtempSync(join(tmpdir(), 'create-daemon-pack-'));
try {
  const extra = readdirSync(root).filter((f) => /^(readme\.md|licen[cs]e|copying)/i.test(f));
  for (const entry of [...pkg.files, ...extra]) {
    if (/[*?[{]/.test(entry)) throw new Error(`package.json files: ${entry}: patterns are not staged, name paths`);
    cpSync(join(root, entry), join(stage, entry), { recursive: true });
  }
  const manifest = Object.fromEntries(USER_FIELDS.filter((f) => f in pkg).map((f) => [f, pkg[f]]));
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest, stage], {
    cwd: stage,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (json) process.stdout.write(out);
  else {
    const [packed] = JSON.parse(out);
    const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
    console.log(
      `${join(dest, packed.filename)}: ${packed.entryCount} files, ${kib(packed.size)} packed, ${kib(packed.unpackedSize)} unpacked`,
    );
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}
