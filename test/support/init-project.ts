// Generated projects for the init-system tests: the real CLI writes them, and `make` builds the real
// daemon in them. Tests that need the daemon skip (with the reason) until the emitted project has a
// Makefile, exactly like a missing tool.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CliResult, copyCli, ROOT, runCli, tempDir } from './cli.js';

export interface Project {
  readonly dir: string;
  readonly name: string;
  /** The answers saved in .yo-rc.json. */
  readonly answers: Record<string, unknown>;
}

let snapshot: string | undefined;

/**
 * The built CLI (bin/, dist/, templates/, package.json), copied once per test file into a private
 * directory: another `npm run build` in the same tree (a teammate, a bench) then cannot swap dist/
 * chunks under a running test. A copy taken mid-build is detected by a real scaffold run, and retaken.
 */
export function cliBin(): string {
  if (snapshot !== undefined) return snapshot;
  for (let attempt = 0; ; attempt++) {
    const bin = copyCli();
    const probe = join(dirname(dirname(bin)), 'probe');
    const r = spawnSync(
      process.execPath,
      [bin, 'probe', '--yes', '--dir', probe, '--init', 'systemd,sysv,launchd,openrc,runit,rcd'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    if (r.status === 0) return (snapshot = bin);
    if (attempt >= 20) throw new Error(`the built CLI does not run (npm run build?): ${r.stderr}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
}

/** runCli on the private copy of the CLI. */
export function cli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  return runCli(args, cwd, env, cliBin());
}

/** Runs the real CLI: create-daemon <name> --yes --dir <tmp>/<name> ...flags. Throws with its stderr on failure. */
export function generate(name: string, flags: readonly string[] = [], parent = tempDir('cd-init-')): Project {
  mkdirSync(parent, { recursive: true });
  const dir = join(parent, name);
  const r = cli([name, '--yes', '--dir', dir, ...flags], parent);
  if (r.status !== 0) throw new Error(`create-daemon ${name} ${flags.join(' ')} exited ${r.status}: ${r.stderr}`);
  const answers = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['create-daemon'];
  return { dir, name, answers };
}

export const read = (p: Project, rel: string): string => readFileSync(join(p.dir, rel), 'utf8');

/** Why the real daemon cannot be built yet, or undefined when templates/project has its Makefile. */
export function noDaemonReason(): string | undefined {
  return existsSync(join(ROOT, 'templates/project/Makefile'))
    ? undefined
    : 'the emitted project has no Makefile yet (templates/project/Makefile), so there is no real daemon to run';
}

export function sh(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number; input?: string } = {},
): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeout ?? 120_000,
    input: opts.input,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
}

/** Runs a command and throws with its output unless it exits 0. */
export function must(cmd: string, args: readonly string[], opts: Parameters<typeof sh>[2] = {}): string {
  const r = sh(cmd, args, opts);
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Builds the daemon with the project's own Makefile; returns the binary's path. */
export function buildDaemon(p: Project): string {
  // A --lang typescript project builds with tsc from node_modules: the repository's own, linked
  // (its Makefile would otherwise run npm install).
  const modules = join(p.dir, 'node_modules');
  if (p.answers['lang'] === 'typescript' && !existsSync(modules)) symlinkSync(join(ROOT, 'node_modules'), modules);
  must('make', ['-s'], { cwd: p.dir, timeout: 170_000 });
  const bin = join(p.dir, p.name);
  if (!existsSync(bin)) throw new Error(`make did not produce ${bin}`);
  return bin;
}

/** `make install` with extra variables (DESTDIR=..., PREFIX=..., INIT_SYSTEMS=...). */
export function makeInstall(p: Project, vars: readonly string[]): string {
  return must('make', ['-s', 'install', ...vars], { cwd: p.dir });
}

/** Polls `check` every 100 ms until it returns a value other than undefined, or throws after `ms`. */
export async function waitFor<T>(what: string, check: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** True while pid names a live process (a zombie, which PID 1 reaps late here, counts as dead). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
