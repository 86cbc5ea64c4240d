// Generated projects for the emitted-daemon tests (test/emitted): the real CLI writes each one
// into a fresh temporary directory; helpers build it, run its make targets and drive the daemon.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lchownSync,
  lstatSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { onTestFinished } from 'vitest';
import { basename, dirname, join } from 'node:path';
import type { Cell } from './matrix.js';
import { keepTmp, ROOT, tempDir } from './cli.js';
import { killUnder } from './processes.js';

export { killUnder };
import { cli } from './init-project.js';

/** Runs the real CLI: create-daemon <name> --yes --dir <fresh tmp>/<name> ...flags; returns the directory. */
export function generateProject(flags: readonly string[], name = 'myd'): string {
  const dir = join(testParent(), name);
  scaffold(dir, flags);
  return dir;
}

/** onTestFinished, or a concurrent test's own (its context's: the global one may pick another test). */
export type OnFinished = typeof onTestFinished;

/** A fresh parent directory, removed (with any daemon left under it) when the current test ends. */
function testParent(finished: OnFinished = onTestFinished): string {
  const parent = tempDir('cd-emitted-');
  // Readable by everyone, so that a test can run make check as an unprivileged account.
  chmodSync(parent, 0o755);
  // Removed when the test ends, failed or not (CREATE_DAEMON_KEEP_TMP=1 keeps a failed one, to look at);
  // a daemon a failed test never got to stop must not outlive it either.
  finished(({ task }) => {
    killUnder(parent);
    if (task.result?.state === 'pass' || !keepTmp) rmSync(parent, { recursive: true, force: true });
    else console.warn(`kept ${parent} (CREATE_DAEMON_KEEP_TMP=1)`);
  });
  return parent;
}

function scaffold(dir: string, flags: readonly string[]): void {
  const name = basename(dir);
  // A private copy of the built CLI: a concurrent `npm run build` cannot swap dist/ under us.
  const r = cli([name, '--yes', '--dir', dir, ...flags], dirname(dir));
  if (r.status !== 0) throw new Error(`create-daemon ${name} ${flags.join(' ')} exited ${r.status}: ${r.stderr}`);
}

/** True for the flags of a --lang typescript project. */
export const isTypeScript = (flags: readonly string[]): boolean =>
  flags.some((f, i) => f === '--lang' && flags[i + 1] === 'typescript');

/**
 * A TypeScript project's node_modules, as this repository's (typescript and @types/node, the versions
 * the emitted package.json asks for): make then runs no npm install. A symbolic link, never copied.
 */
export function linkNodeModules(dir: string): void {
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
}

const built = new Map<string, string>();

/**
 * Like generateProject, but the project is a copy (timestamps kept) of one generated and built with
 * WERROR once per test file and flags: a test that edits one source file then rebuilds that object
 * alone. The built originals live in this run's temporary directory (test/support/global-tmp.ts).
 */
export function prebuiltProject(flags: readonly string[], name = 'myd', finished?: OnFinished): string {
  const key = [name, ...flags].join('\0');
  let base = built.get(key);
  if (base === undefined) {
    const parent = tempDir('cd-built-');
    chmodSync(parent, 0o755);
    base = join(parent, name);
    scaffold(base, flags);
    if (isTypeScript(flags)) linkNodeModules(base);
    make(base, ['all', 'tests/probe', WERROR]);
    built.set(key, base);
  }
  const dir = join(testParent(finished), name);
  cpSync(base, dir, { recursive: true, preserveTimestamps: true });
  return dir;
}

/**
 * chown -R to uid, so that make check can write helper/have.h and its scratch files as that account. A
 * symbolic link is changed itself, never followed (a TypeScript project's node_modules is this repository's).
 */
export function chownTree(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = lstatSync(p);
    if (st.isSymbolicLink()) lchownSync(p, uid, gid);
    else if (st.isDirectory()) chownTree(p, uid, gid);
    else chownSync(p, uid, gid);
  }
}

/** The CLI flags for a daemonMatrix() cell. */
export function cellFlags(cell: Cell): string[] {
  const g = cell.given as Record<string, string | undefined>;
  const flags = ['--reload', g.reload ?? 'single', '--payload', g.payload ?? 'tick'];
  if (g.user) flags.push('--user', g.user);
  return flags;
}

export interface RunResult {
  readonly status: number | null;
  readonly out: string;
}

/** Runs argv to completion; `out` is stdout and stderr together, for failure messages. */
export function run(
  argv: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): RunResult {
  const [cmd, ...args] = argv as [string, ...string[]];
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeout ?? 170_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}` };
}

/**
 * run(), without blocking: for tests that run side by side (it.concurrent), each mostly waiting on a
 * daemon. The same result; a timeout kills the command's process group.
 */
export function runAsync(
  argv: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<RunResult> {
  const [cmd, ...args] = argv as [string, ...string[]];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => chunks.push(b));
    child.stderr!.on('data', (b: Buffer) => chunks.push(b));
    let note = '';
    const timer = setTimeout(() => {
      note = `\n${cmd} timed out after ${opts.timeout ?? 170_000} ms`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, opts.timeout ?? 170_000);
    child.on('error', (e) => {
      note = `\n${e.message}`;
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out: `${Buffer.concat(chunks).toString('utf8')}${note}` });
    });
  });
}

/** Runs make in dir with the given arguments; throws with the output unless it exits 0. */
export function make(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, timeout?: number): string {
  const r = run(['make', ...args], { cwd: dir, env, timeout });
  if (r.status !== 0) throw new Error(`make ${args.join(' ')} in ${dir} exited ${r.status}:\n${r.out}`);
  return r.out;
}

/** The compiler flags every build in these tests uses: warnings are errors. */
export const WERROR = 'CFLAGS=-O2 -g -Werror';

/** Parses the self-test's last line, "N passed, M failed". */
export function checkSummary(out: string): { passed: number; failed: number } | undefined {
  const m = /^(\d+) passed, (\d+) failed$/m.exec(out);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}

/** A daemon started in the foreground (-f), with its stderr collected as it arrives. */
export class Foreground {
  readonly child: ChildProcess;
  private err = '';

  constructor(argv: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    const [cmd, ...args] = argv as [string, ...string[]];
    this.child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
    // A failed test must not leave its daemon running.
    onTestFinished(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    });
  }

  get stderr(): string {
    return this.err;
  }

  get pid(): number {
    return this.child.pid!;
  }

  count(text: string): number {
    return this.err.split(text).length - 1;
  }

  /** Waits until stderr holds text at least n times; throws with the log after ms. */
  async waitFor(text: string, n = 1, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (this.count(text) < n) {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(
          `the daemon exited (${this.child.exitCode ?? this.child.signalCode}) while waiting for "${text}":\n${this.err}`,
        );
      if (Date.now() > end)
        throw new Error(`timed out after ${ms} ms waiting for "${text}" x${n}:\n${this.err.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Resolves with the exit status (or signal name) once the process has exited. */
  exited(ms = 20_000): Promise<number | string> {
    return new Promise((resolve, reject) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        resolve(this.child.exitCode ?? this.child.signalCode!);
        return;
      }
      const t = setTimeout(() => reject(new Error(`the daemon did not exit within ${ms} ms:\n${this.err}`)), ms);
      this.child.on('exit', (code, signal) => {
        clearTimeout(t);
        resolve(code ?? signal!);
      });
    });
  }
}

export const readText = (dir: string, rel: string): string => readFileSync(join(dir, rel), 'utf8');
