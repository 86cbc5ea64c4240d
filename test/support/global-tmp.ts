// vitest globalSetup: one temporary directory for the whole run, which every test's tempDir() is
// made in, and which teardown removes, also when tests failed or a test forgot its own: the run
// leaves nothing in /tmp. Processes still running from it (a detached daemon) are killed first.
// test/unit/global-tmp.test.ts checks that the workers and their children use it.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killUnder } from './processes.js';

export function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'cdt-'));
  // The run's own /tmp: world-writable and sticky like /tmp, since some tests run make check or a
  // daemon as an unprivileged account, whose mktemp writes here.
  chmodSync(root, 0o1777);
  // The workers are started after this, with this environment. TMPDIR sends everything the tests'
  // children make in the temporary directory (make check's directories, the compiler's files, npm's
  // staging) here too, so that one killed by a timeout is still removed below.
  process.env.CREATE_DAEMON_TEST_TMP = root;
  process.env.TMPDIR = root;
  return () => {
    killUnder(root);
    if (process.env.CREATE_DAEMON_KEEP_TMP === '1') console.warn(`kept ${root} (CREATE_DAEMON_KEEP_TMP=1)`);
    else rmSync(root, { recursive: true, force: true });
  };
}
