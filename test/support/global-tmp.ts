// vitest globalSetup: one temporary directory for the whole run, which every test's tempDir() is
// made in, and which teardown removes, also when tests failed or a test forgot its own: the run
// leaves nothing in /tmp. Processes still running from it (a detached daemon) are killed first.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killUnder } from './processes.js';

export function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'cdt-'));
  // Traversable by everyone: some tests run make check or a daemon as an unprivileged account.
  chmodSync(root, 0o755);
  // The workers are started after this, with this environment.
  process.env.CREATE_DAEMON_TEST_TMP = root;
  return () => {
    killUnder(root);
    if (process.env.CREATE_DAEMON_KEEP_TMP === '1') console.warn(`kept ${root} (CREATE_DAEMON_KEEP_TMP=1)`);
    else rmSync(root, { recursive: true, force: true });
  };
}
