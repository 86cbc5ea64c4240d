#!/usr/bin/env node
// Build the published CLI: one esbuild bundle of generators/cli (yeoman-generator, the bare yeoman
// environment, mem-fs, ejs, inquirer and Prettier's standalone core included), split so that --help and
// a bad flag load only the small entry chunk. Dev-only: not part of the published package.
//
// What is left out, and why (bench/README.md has what each cut bought):
// - fly-import: yeoman-environment's on-demand package installer (@npmcli/arborist, pacote, sigstore,
//   tar, ...). create-daemon never installs or looks up generators.
// - @inquirer/external-editor: only the "editor" prompt type uses it; no convention does.
import { readFileSync, rmSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist');

const fail = (what) => `const unused = () => { throw new Error('create-daemon does not ${what}'); };`;
const STUBS = {
  // yeoman-environment's on-demand package installer (@npmcli/arborist, pacote, sigstore, tar, ...).
  'fly-import': `${fail('install packages')}
    export class FlyRepository { install() { unused(); } }
    export const flyImport = unused;`,
  // Only the "editor" prompt type uses it (iconv-lite, chardet); no convention does.
  '@inquirer/external-editor': `${fail('bundle the editor prompt')}
    export const edit = unused; export const editAsync = unused;`,
  // yeoman-generator's spawnCommand and git mixins, and the package-manager install step: unused.
  execa: `${fail('spawn commands through yeoman')}
    export const execa = unused, execaSync = unused, execaCommand = unused, execaCommandSync = unused;`,
  'simple-git': `${fail('use git through yeoman')}
    export const simpleGit = unused, CheckRepoActions = {}, CleanOptions = {};`,
  'latest-version': `${fail('query the npm registry')} export default unused;`,
  'which-package-manager': `${fail('run a package manager')} export const whichPackageManager = unused;`,
  // inquirer (and rxjs under it) loads only when a prompt is really shown: --yes never pays for it.
  inquirer: `
    export function createPromptModule(options) {
      let real;
      const prompt = async (questions, answers) => {
        real ??= (await import('inquirer?real')).createPromptModule(options);
        return real(questions, answers);
      };
      prompt.prompts = {};
      prompt.restoreDefaultPrompts = () => {};
      prompt.registerPrompt = () => { throw new Error('create-daemon registers no custom prompts'); };
      return prompt;
    }
    export default { createPromptModule };`,
};

/** Replace unused heavy modules with stubs that fail loudly if ever reached. */
const stubs = {
  name: 'stubs',
  setup(build) {
    const names = Object.keys(STUBS).map((n) => n.replace(/[/@.-]/g, (c) => `\\${c}`));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (a) => ({ path: a.path, namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, (a) => ({
      contents: STUBS[a.path],
      loader: 'js',
      resolveDir: root,
    }));
    // The lazy inquirer stub reaches the real package through this name.
    build.onResolve({ filter: /^inquirer\?real$/ }, () => ({ path: fileURLToPath(import.meta.resolve('inquirer')) }));
  },
};

/**
 * yeoman-generator and yeoman-environment read their own package.json at run time (for version checks);
 * a bundle has none beside it, so inline each one. A changed upstream fails the build, not a user's run.
 */
const OWN_PACKAGE_JSON = [
  [
    /yeoman-generator[/\\]dist[/\\]generator\.js$/,
    "JSON.parse(readFileSync(pathJoin(_dirname, '../package.json'), 'utf8'))",
  ],
  [/yeoman-environment[/\\]dist[/\\]environment-base\.js$/, "require('../package.json')"],
];
const inlinePackageJson = {
  name: 'inline-package-json',
  setup(build) {
    for (const [filter, read] of OWN_PACKAGE_JSON) {
      build.onLoad({ filter }, (a) => {
        const source = readFileSync(a.path, 'utf8');
        const pkg = readFileSync(join(dirname(a.path), '../package.json'), 'utf8');
        if (!source.includes(read)) throw new Error(`${a.path} no longer reads its package.json as ${read}`);
        return { contents: source.replace(read, `(${pkg.trim()})`), loader: 'js' };
      });
    }
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: { cli: join(root, 'generators/cli/main.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.17',
  minify: true,
  legalComments: 'none',
  metafile: true,
  define: { CREATE_DAEMON_BUNDLE: 'true' },
  // Some bundled CommonJS modules call require() for Node built-ins.
  banner: { js: "import{createRequire as __cdRequire}from'node:module';const require=__cdRequire(import.meta.url);" },
  plugins: [stubs, inlinePackageJson],
  logLevel: 'warning',
});

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
