// A private podman for one test file (../shared/TOOLS.md's recipe): its own containers.conf and
// storage.conf in a temporary directory, so that nothing touches /var/lib/containers, /run/libpod,
// the shared-memory lock segment or another test file's containers. runc (crun cannot run here),
// cgroupfs, file locks, file events, storage under the directory. cleanup() removes every pod,
// container, volume and image with `podman system reset`, removes the cgroups podman 4.3's cgroupfs
// manager leaves behind for each pod (libpod_parent/<pod id> in every hierarchy), unmounts what a
// crashed podman may have left under the directory, removes it, and says which mounts (none, it is
// checked) remain.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { keepTmp, tempDir } from './cli.js';

export interface Podman {
  /** The directory that holds the configuration, the storage and the run state. */
  readonly dir: string;
  /** CONTAINERS_CONF and CONTAINERS_STORAGE_CONF: for `make image`, or anything else that runs podman. */
  readonly env: Readonly<Record<string, string>>;
  /** podman with args; never throws. */
  run(args: readonly string[], opts?: { env?: NodeJS.ProcessEnv; timeout?: number }): SpawnSyncReturns<string>;
  /** podman with args; throws with its output unless it exits 0; returns stdout. */
  must(args: readonly string[], opts?: { env?: NodeJS.ProcessEnv; timeout?: number }): string;
  /** Removes everything; returns the mount points still under dir and the pods' cgroups still there (none, normally). */
  cleanup(): string[];
}

/** Mount points at or below dir in this mount namespace, deepest first (mountinfo's field 5, octal escapes decoded). */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((m): m is string => m !== undefined)
    .map((m) => m.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/** A cgroup directory and the ones below it, deepest first: the order rmdir needs. */
function cgroupTree(dir: string): string[] {
  const below = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => cgroupTree(join(dir, e.name)));
  return [...below, dir];
}

/** The cgroups podman's cgroupfs manager made for these pods, in every hierarchy (v1 and the unified one). */
export function podCgroups(podIds: readonly string[], root = '/sys/fs/cgroup'): string[] {
  if (!existsSync(root)) return [];
  const hierarchies = readdirSync(root).map((h) => join(root, h, 'libpod_parent'));
  return hierarchies.flatMap((parent) =>
    podIds
      .map((id) => join(parent, id))
      .filter((d) => existsSync(d))
      .flatMap(cgroupTree),
  );
}

/** Podman with a private configuration and storage in a new temporary directory. */
export function privatePodman(prefix = 'cd-podman-'): Podman {
  const dir = tempDir(prefix);
  const conf = join(dir, 'containers.conf');
  const storage = join(dir, 'storage.conf');
  writeFileSync(
    conf,
    [
      '[containers]',
      // Root here lacks CAP_SYS_RESOURCE: podman's default limits (nofile 1048576) cannot be set.
      'default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]',
      '[engine]',
      'runtime = "runc"',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      // Not the shared-memory segment every root podman shares (/dev/shm/libpod_lock), whose
      // locks a reset in another test file would free under this one.
      'lock_type = "file"',
      `tmp_dir = "${dir}/tmp"`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    storage,
    ['[storage]', 'driver = "overlay"', `graphroot = "${dir}/store"`, `runroot = "${dir}/run"`, ''].join('\n'),
  );
  const env = { CONTAINERS_CONF: conf, CONTAINERS_STORAGE_CONF: storage };
  const run: Podman['run'] = (args, opts = {}) =>
    spawnSync('podman', args, {
      env: { ...process.env, ...env, ...opts.env },
      encoding: 'utf8',
      timeout: opts.timeout ?? 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return {
    dir,
    env,
    run,
    must(args, opts) {
      const r = run(args, opts);
      if (r.status !== 0)
        throw new Error(`podman ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
      return r.stdout;
    },
    cleanup() {
      // Stop at once whatever a failed test left running, then everything else goes with the reset.
      const pods = run(['pod', 'ls', '--quiet', '--no-trunc']).stdout.split('\n').filter(Boolean);
      run(['pod', 'rm', '--all', '--force', '--time', '0']);
      run(['rm', '--all', '--force', '--time', '0']);
      run(['system', 'reset', '--force']);
      // Each pod's cgroup outlives it (podman 4.3, cgroupfs): empty, it goes; a busy one stays.
      for (const cg of podCgroups(pods)) {
        try {
          rmdirSync(cg);
        } catch {
          // a process is still in it: leave it rather than fail the cleanup
        }
      }
      for (const m of mountsUnder(dir)) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
      const left = mountsUnder(dir);
      if (left.length === 0 && !keepTmp) rmSync(dir, { recursive: true, force: true });
      return [...left, ...podCgroups(pods)];
    },
  };
}

/** A podman test file's afterAll: its private podman and its directory removed, and nothing left behind. */
export function removePodmanTest(pm: Podman | undefined, dir: string | undefined): void {
  const left = pm?.cleanup() ?? [];
  if (dir) rmSync(dir, { recursive: true, force: true });
  expect(left, 'no mount under the private podman directory, no pod cgroup is left').toEqual([]);
}
