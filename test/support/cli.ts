// The real CLI as a child process, the way a user or a script runs it (stdin is not a terminal).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin/create-daemon.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a create-daemon bin (the tree's own by default) with stdin not a terminal. */
export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, bin = BIN): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A fresh directory under this run's own (test/support/global-tmp.ts, removed when the run ends,
 * whatever failed), or under the system's when a test file runs outside vitest's global setup.
 */
export const tempDir = (prefix = 'cd-'): string =>
  mkdtempSync(join(process.env.CREATE_DAEMON_TEST_TMP ?? tmpdir(), prefix));

/** CREATE_DAEMON_KEEP_TMP=1: keep a failed test's directories, and the run's, to look at. */
export const keepTmp = process.env.CREATE_DAEMON_KEEP_TMP === '1';

/** A copy of the built CLI (bin/, dist/, templates/, package.json) in a new directory; returns its bin. */
export function copyCli(prefix = 'cd-cli-'): string {
  const root = tempDir(prefix);
  for (const part of ['bin', 'dist', 'templates', 'package.json'])
    cpSync(join(ROOT, part), join(root, part), { recursive: true });
  return join(root, 'bin/create-daemon.js');
}

/** Every file below dir (relative paths, sorted), with its contents and mode. */
export function snapshotTree(dir: string): Map<string, { contents: string; mode: number }> {
  const out = new Map<string, { contents: string; mode: number }>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out.set(relative(dir, p), { contents: readFileSync(p, 'utf8'), mode: statSync(p).mode & 0o777 });
    }
  };
  walk(dir);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}
