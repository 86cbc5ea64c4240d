// The esbuild options of the published bundle, shared by bin/build.mjs and bench/scaffold.mjs (which
// bundles a minimal yeoman generator the same way, to measure what any yeoman run costs). Dev-only.
//
// What is left out, and why (bench/README.md has what each cut bought):
// - fly-import: yeoman-environment's on-demand package installer (@npmcli/arborist, pacote, sigstore,
//   tar, ...). create-daemon never installs or looks up generators.
// - @inquirer/external-editor: only the "editor" prompt type uses it; no convention does.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

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
  // read-pkg imports it for its normalize option, which yeoman-generator sets to false. Loading it cost
  // about 25 ms: spdx-correct sorts its table with localeCompare, which starts ICU's collator.
  'normalize-package-data': `${fail('normalize package.json files')} export default unused;`,
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

/** esbuild options for an ESM bundle of `entryPoints` into `outdir`, with the stubs above. */
export function bundleOptions(entryPoints, outdir) {
  return {
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.17',
    // CREATE_DAEMON_PROFILE=1 keeps names and lines readable for a CPU profile (bench/README.md).
    minify: !process.env.CREATE_DAEMON_PROFILE,
    legalComments: 'none',
    metafile: true,
    define: { CREATE_DAEMON_BUNDLE: 'true' },
    // Some bundled CommonJS modules call require() for Node built-ins.
    banner: { js: "import{createRequire as __cdRequire}from'node:module';const require=__cdRequire(import.meta.url);" },
    plugins: [stubs, inlinePackageJson],
    logLevel: 'warning',
  };
}
