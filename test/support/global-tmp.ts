// vitest globalSetup: one temporary directory for the whole run, which every test's tempDir() is
// made in, and which teardown removes, also when tests failed or a test forgot its own: the run
// leaves nothing in /tmp. Processes still running from it (a detached daemon) are killed first.
// test/unit/global-tmp.test.ts checks that the workers and their children use it.
// Teardown also removes the cgroups podman's cgroupfs manager made during the run and never removes
// (libpod_parent and its conmon cgroup, in every hierarchy): only once every worker is done, since
// the test files that run podman share them, and only the ones the run made.
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killUnder } from './processes.js';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Every directory at or below libpod_parent in every cgroup hierarchy, deepest first. */
export function podmanCgroups(root = CGROUP_ROOT): string[] {
  const tree = (dir: string): string[] => [
    ...readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => tree(join(dir, e.name))),
    dir,
  ];
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((h) => join(root, h, 'libpod_parent'))
    .filter((d) => existsSync(d))
    .flatMap(tree);
}

export function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'cdt-'));
  const cgroupsBefore = new Set(podmanCgroups());
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
    for (const cg of podmanCgroups()) {
      if (cgroupsBefore.has(cg)) continue;
      try {
        rmdirSync(cg);
      } catch {
        // still in use (a process in it): not the run's to remove
      }
    }
    if (process.env.CREATE_DAEMON_KEEP_TMP === '1') console.warn(`kept ${root} (CREATE_DAEMON_KEEP_TMP=1)`);
    else rmSync(root, { recursive: true, force: true });
  };
}
