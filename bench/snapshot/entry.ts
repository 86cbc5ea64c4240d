// The V8 startup snapshot the scaffold-time issue asked for, as a measurement (bench/snapshot.mjs):
// create-daemon's CLI, yeoman, ejs and Prettier evaluated and warmed up once, by
// `node --snapshot-blob B --build-snapshot cli.cjs`, then started from the blob. What Node 20 needs
// before its heap can be serialized, each found by a failed build:
// - no native handle may be alive: the streams behind process.stdout/stderr/stdin (ora, restore-cursor,
//   debug and colors touch them while loading) are stand-ins until the process starts for real, and
//   signal listeners (signal-exit) are recorded and installed at start;
// - no ICU object: string-width's module-level Intl.Segmenter is made lazy (bench/snapshot.mjs);
// - require() reaches only built-in modules: createRequire is shimmed to that (bench/snapshot.mjs);
// - V8 flags are part of the blob: the warm-up run keeps them as they are.
// And one thing Node gets wrong: in a started snapshot, require('node:console') has no Console.
//
// Started as `node --snapshot-blob B -- MODE ARGS...`:
//   cli ARGS...     create-daemon ARGS...
//   floor           a yeoman run that writes 20 constant files (bench/floors/yeoman.mjs, from the heap)
//   readme PROJECT  Prettier on PROJECT/README.md, written to ./README.md (bench/floors/prettier.mjs, warm)
//   nothing         exits: what starting from the blob costs
import console_ from 'node:console';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startupSnapshot } from 'node:v8';
import { main } from '../../generators/cli/main.js';
import { formatText } from '../../generators/core/format.js';

let started = false;

for (const name of ['stdout', 'stderr', 'stdin'] as const) {
  const real = Object.getOwnPropertyDescriptor(process, name)!.get!;
  const fake = Object.assign(new EventEmitter(), {
    fd: ['stdin', 'stdout', 'stderr'].indexOf(name),
    isTTY: false,
    write: () => true,
    hasColors: () => false,
    getColorDepth: () => 1,
  });
  // What a module keeps while loading is this proxy: the stand-in now, the real stream once started.
  const standIn = new Proxy(fake, {
    get(target, key) {
      if (!started) return Reflect.get(target, key);
      const stream = real.call(process);
      const value = Reflect.get(stream, key);
      return typeof value === 'function' ? value.bind(stream) : value;
    },
  });
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: true,
    get: () => (started ? real.call(process) : standIn),
  });
}

type Listen = (event: string, listener: (...a: unknown[]) => void) => unknown;
const deferred: [Listen, string, (...a: unknown[]) => void][] = [];
const proc = process as unknown as Record<string, Listen>;
for (const method of ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener']) {
  const original = proc[method]!;
  proc[method] = (event, listener) => {
    if (started || !event.startsWith?.('SIG')) return original.call(process, event, listener);
    deferred.push([original, event, listener]);
    return process;
  };
}

const ConsoleClass = (console_ as unknown as { Console: unknown }).Console;

async function inTemp(work: () => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cd-snapshot-warm-'));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    await work();
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function floor(): Promise<void> {
  // @ts-expect-error: a plain .mjs of the benchmarks, without types
  const { runFloor } = (await import('../floors/floor-generator.mjs')) as { runFloor: () => Promise<void> };
  await runFloor();
}

async function readme(project: string): Promise<void> {
  writeFileSync('README.md', await formatText('markdown', readFileSync(join(project, 'README.md'), 'utf8')));
}

/** Everything a run loads and compiles, done once while the snapshot is built. */
async function warm(): Promise<void> {
  // The run must not set V8 flags (cli/main.ts's tuneForShortRun): they are part of the blob.
  process.env.CREATE_DAEMON_V8_OPT = '1';
  await inTemp(async () => {
    if ((await main(['warm', '--yes'])) !== 0) throw new Error('the warm-up run failed');
    process.chdir('warm');
    if ((await main(['units', '--yes', '--force'])) !== 0) throw new Error('the warm-up units run failed');
    await readme('.');
  });
  await inTemp(floor);
  delete process.env.CREATE_DAEMON_V8_OPT;
}

warm().catch((error: unknown) => {
  process.stderr.write(`snapshot warm-up: ${String(error)}\n`);
  process.exit(1);
});

startupSnapshot.setDeserializeMainFunction(() => {
  started = true;
  for (const [listen, event, listener] of deferred) listen.call(process, event, listener);
  const builtin = process.getBuiltinModule('node:console') as { Console?: unknown };
  builtin.Console ??= ConsoleClass;
  const [mode, ...args] = process.argv.slice(1);
  const done = (code: number) => (process.exitCode = code);
  if (mode === 'cli') void main(args).then(done);
  else if (mode === 'floor') void floor().then(() => done(0));
  else if (mode === 'readme') void readme(args[0]!).then(() => done(0));
  else if (mode !== 'nothing') done(2);
});
