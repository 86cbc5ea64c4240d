// --lang typescript: the pairwise reload x payload x user cells (test/support/matrix.ts) are generated,
// their TypeScript compiled by tsc in strict mode, their helper built with gcc and with clang at
// -Werror, and their own make check (the node --test unit tests, then tests/check.sh from outside,
// helper and Node both) passes: on this Node, and for the two cells without --user on Node 22 and on
// Node 24. Then once the way the README says, with npm installing the two dev dependencies from the
// registry (the single echo cell, on this Node).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairwiseMatrix } from '../support/matrix.js';
import { cellFlags, checkSummary, generateProject, linkNodeModules, make, run, WERROR } from '../support/project.js';
import { describeWith, itWith } from '../support/tools.js';
import { cli } from '../support/init-project.js';
import { snapshotTree, tempDir } from '../support/cli.js';

/** Fewer checks than this means the self-test skipped a section it should have run. */
const MIN_CHECKS = { tick: 50, echo: 60 } as const;

/** A TypeScript project whose node_modules is this repository's (typescript and @types/node, the same versions). */
function tsProject(flags: readonly string[]): string {
  const dir = generateProject([...flags, '--lang', 'typescript']);
  linkNodeModules(dir);
  return dir;
}

/** make check's output, which must pass every check (and the unit tests before them). */
function expectCheckPasses(dir: string, args: readonly string[], min: number): string {
  const r = run(['make', 'check', ...args], { cwd: dir });
  expect(r.out, r.out).not.toMatch(/^FAIL /m);
  expect(r.status, r.out).toBe(0);
  // node --test's summary (TAP's "# pass N" on Node 20, the spec reporter's "ℹ pass N" on 22 and
  // later): at least one unit test ran, and none failed.
  expect(r.out, r.out).toMatch(/^(# |ℹ )pass [1-9]\d*$/m);
  expect(r.out, r.out).toMatch(/^(# |ℹ )fail 0$/m);
  const summary = checkSummary(r.out);
  expect(summary, r.out).toBeDefined();
  expect(summary!.failed).toBe(0);
  expect(summary!.passed).toBeGreaterThanOrEqual(min);
  return r.out;
}

const nodes = (process.env.CREATE_DAEMON_EXTRA_NODES ?? '').split(':').filter(Boolean);
const needNodes = () =>
  nodes.length > 0 ? undefined : 'needs CREATE_DAEMON_EXTRA_NODES=/path/to/node22:/path/to/node24 (.ci/run sets it)';

describe('--lang typescript', () => {
  // Every pair of reload, payload and user values, in four cells: the other four would compile and
  // run the same TypeScript and the same helper C in other combinations (each minute of CI counts).
  // The two cells without --user run their make check on the extra Nodes, one each (between them
  // both reload models and both payloads): these node binaries live under root's home (.ci/run),
  // which nobody cannot enter. This Node runs the two --user cells, and the README's npm set-up
  // below (single echo).
  const cells = pairwiseMatrix();
  const extra = cells.filter((c) => !c.given.user);
  for (const cell of cells) {
    const payload = cell.given.payload as 'tick' | 'echo';
    const i = extra.indexOf(cell);
    const node = i === -1 ? undefined : nodes[i % Math.max(nodes.length, 1)];
    const on = node === undefined ? '' : `, with NODE= the extra Node number ${i + 1}`;
    describeWith(['make', 'gcc', 'clang'])(cell.title, () => {
      it(`tsc (strict) and gcc (and clang, for single) at -Werror build it, and its make check passes${on}`, () => {
        const dir = tsProject(cellFlags(cell));
        // make runs tsc in strict mode (tsconfig.json): any TypeScript error fails it.
        const gcc = make(dir, ['CC=gcc', WERROR]);
        expect(gcc).toMatch(/node_modules\/\.bin\/tsc -p \./);
        expect(gcc).not.toMatch(/warning:|error:|error TS/);
        const out = expectCheckPasses(
          dir,
          [...(node === undefined ? [] : [`NODE=${node}`]), 'CC=gcc', WERROR],
          MIN_CHECKS[payload],
        );
        // The helper runs the node it was built with: its full path is compiled in.
        if (node !== undefined) expect(readFileSync(join(dir, 'native/paths.h'), 'utf8')).toContain(`"${node}"`);
        // The checks that only a TypeScript daemon has, each run.
        expect(out).toMatch(/^ok +Node runs as the helper's child/m);
        expect(out).toMatch(/^ok +kill -9 of the helper takes Node down with it/m);
        expect(out).toMatch(/^ok +kill -9 of Node makes the helper exit non-zero/m);
        if (cell.given.user && process.getuid?.() === 0) expect(out).toMatch(/^ok +Node runs as nobody/m);
        // clang: the helper again, from scratch (helper/have.h names the compiler, so all of it). The
        // multi cells' helper C is the single cells' byte for byte (--reload is Node's model): once.
        if (cell.given.reload === 'single') {
          const clang = make(dir, ['CC=clang', WERROR]);
          expect(clang).toMatch(/clang .*native\/child\.c/);
          expect(clang).not.toMatch(/warning:|error:/);
        }
      });
    });
  }

  itWith(['make', 'gcc'])('--scope user: make check passes (-t needs no $XDG_RUNTIME_DIR, the start does)', () => {
    const dir = tsProject(['--scope', 'user', '--payload', 'echo']);
    make(dir, ['CC=gcc', WERROR]);
    // check-daemon: the unit tests are every project's, run in the cells above.
    const r = run(['make', 'check-daemon', 'CC=gcc', WERROR], { cwd: dir });
    expect(r.status, r.out).toBe(0);
    expect(checkSummary(r.out)?.failed, r.out).toBe(0);
    const out = r.out;
    expect(out).toMatch(/^ok +-t accepts a good config/m);
    expect(out).toMatch(/^ok +without XDG_RUNTIME_DIR the default pid file is refused/m);
  });

  itWith(['make', 'gcc'])(
    'make install puts the helper, the compiled TypeScript and the config where the installed helper finds them',
    () => {
      const dir = tsProject(['--payload', 'tick']);
      const prefix = join(tempDir('cd-ts-prefix-'), 'usr');
      const conf = join(prefix, 'etc/myd.conf');
      const vars = [`PREFIX=${prefix}`, `CONFFILE=${conf}`, `SYSCONFDIR=${prefix}/etc`, 'INIT_SYSTEMS=', WERROR];
      make(dir, ['install', ...vars]);
      const lib = join(prefix, 'lib/myd');
      const installed = readdirSync(lib).sort();
      expect(installed).toContain('main.js');
      expect(installed).toContain('package.json');
      expect(installed.filter((f) => f.endsWith('.test.js'))).toEqual([]);
      expect(JSON.parse(readFileSync(join(lib, 'package.json'), 'utf8'))).toEqual({ type: 'module' });
      // The installed helper runs LIBDIR's main.js, not this tree's: it works with the tree gone.
      rmSync(join(dir, 'dist'), { recursive: true });
      const t = run([join(prefix, 'sbin/myd'), '-t', '-c', conf]);
      expect(t.out).toBe(`myd: ${conf}: configuration OK\n`);
      expect(t.status).toBe(0);
      const fg = run([
        'timeout',
        '--preserve-status',
        '-s',
        'INT',
        '2',
        join(prefix, 'sbin/myd'),
        '-f',
        '-c',
        conf,
        '-p',
        join(prefix, 'myd.pid'),
      ]);
      expect(fg.out).toMatch(/^myd: started \(version 0\.1\.0\): /m);
      expect(fg.out).toMatch(/^myd: stopped$/m);
      expect(fg.status, fg.out).toBe(0);
      make(dir, ['uninstall', ...vars]);
      expect(existsSync(lib)).toBe(false);
      expect(existsSync(join(prefix, 'sbin/myd'))).toBe(false);
    },
  );

  it("gets the C daemon's init-system files, tested there, but for the systemd unit's two lines", () => {
    const flags = ['--init', 'systemd,sysv,launchd,openrc,runit,rcd', '--payload', 'echo', '--user', 'svc'];
    const c = generateProject(flags);
    const ts = generateProject([...flags, '--lang', 'typescript']);
    const files = (dir: string) => snapshotTree(join(dir, 'init'));
    const [a, b] = [files(c), files(ts)];
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, f] of a) {
      if (path.endsWith('.service')) continue;
      expect(b.get(path), path).toEqual(f);
    }
    const unit = b.get('systemd/myd.service')!.contents;
    expect(unit).toMatch(/^KillMode=mixed$/m);
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=/m);
    expect(a.get('systemd/myd.service')!.contents).toMatch(/^MemoryDenyWriteExecute=yes$/m);
  });

  itWith(['make', 'gcc'])('a Node that never says READY fails the start after CHILD_READY_SEC, leaving nothing', () => {
    const dir = tsProject(['--payload', 'tick']);
    make(dir, ['CPPFLAGS=-DCHILD_READY_SEC=2', WERROR]);
    // A payload that hangs before READY (the channel open, nothing said).
    writeFileSync(join(dir, 'dist/main.js'), 'setInterval(() => {}, 1e9);\n');
    const pidfile = join(dir, 'hang.pid');
    const t0 = Date.now();
    const r = run([join(dir, 'myd'), '-c', join(dir, 'etc/myd.conf'), '-p', pidfile], { timeout: 20_000 });
    expect(r.out).toMatch(/^myd: node did not say it was ready within 2 s: stopped it$/m);
    expect(r.status).toBe(70);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(existsSync(pidfile)).toBe(false);
    expect(run(['pgrep', '-f', join(dir, 'dist/main.js')]).status).toBe(1);
  });

  it('is refused with --starter, saying why', () => {
    const r = cli(['myd', '--yes', '--lang', 'typescript', '--starter'], tempDir());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--starter: the starter is a C exercise .*use --lang c/);
  });
});

describe('--lang typescript on Node 22 and 24', () => {
  // The two cells without --user above run their make check on them; here, that they were given.
  itWith([], needNodes)('CREATE_DAEMON_EXTRA_NODES names the extra Nodes the cells above run on', () => {
    expect(nodes.length).toBeGreaterThanOrEqual(1);
  });
});

describe('--lang typescript, set up as its README says', () => {
  itWith(['make', 'cc', 'npm'])('make installs typescript and @types/node with npm, then builds and checks', () => {
    const dir = generateProject(['--lang', 'typescript', '--payload', 'echo']);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toMatch(/^make +# npm install \(typescript, @types\/node\)/m);
    make(dir, [], {}, 300_000);
    expect(existsSync(join(dir, 'node_modules/.bin/tsc'))).toBe(true);
    expect(existsSync(join(dir, 'dist/main.js'))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toBeUndefined();
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@types/node', 'typescript']);
    expectCheckPasses(dir, [], 60);
  });
});
