#!/usr/bin/env node
// Build the published CLI: one esbuild bundle of generators/cli (yeoman-generator, the bare yeoman
// environment, mem-fs, ejs, inquirer and Prettier's standalone core included), split so that --help and
// a bad flag load only the small entry chunk. Dev-only: not part of the published package. What the
// bundle leaves out, and why, is in bin/bundle-options.mjs.
import { readFileSync, rmSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist');

rmSync(outdir, { recursive: true, force: true });
const result = await esbuild.build(
  bundleOptions(
    {
      cli: join(root, 'generators/cli/main.ts'),
      // The Prettier thread (generators/core/format.ts), found beside the chunks at run time.
      'format-worker': join(root, 'generators/core/format-worker.ts'),
    },
    outdir,
  ),
);

// The bundle carries other people's code: ship their licenses with it.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(.*node_modules[/\\](?:@[^/\\]+[/\\])?[^/\\]+)/.exec(input);
  if (m && !packages.has(m[1])) packages.set(m[1], JSON.parse(readFileSync(join(root, m[1], 'package.json'), 'utf8')));
}
const notices = [...packages]
  .sort(([, a], [, b]) => (a.name < b.name ? -1 : 1))
  .map(([dir, pkg]) => {
    const file = readdirSync(join(root, dir)).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file ? readFileSync(join(root, dir, file), 'utf8').trim() : `License: ${pkg.license}`;
    return `${pkg.name}@${pkg.version} (${pkg.license})\n\n${text}\n`;
  });
writeFileSync(
  join(outdir, 'THIRD-PARTY-LICENSES.txt'),
  `create-daemon bundles the following packages.\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`,
);
if (!existsSync(join(outdir, 'cli.mjs'))) throw new Error('build produced no dist/cli.mjs');
if (process.env.CREATE_DAEMON_METAFILE)
  writeFileSync(process.env.CREATE_DAEMON_METAFILE, JSON.stringify(result.metafile));
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(
  `dist: ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB, ${packages.size} bundled packages`,
);
