// Optional system tools. A test that needs one skips, and says why, when it is missing;
// CREATE_DAEMON_REQUIRE_TOOLS=1 (set by .ci/run) turns that skip into a failure.
import { execFileSync } from 'node:child_process';
import { it, describe } from 'vitest';

/** The Debian package that provides each tool, for the skip message. */
export const PACKAGE_OF: Readonly<Record<string, string>> = {
  gcc: 'gcc',
  clang: 'clang',
  cppcheck: 'cppcheck',
  valgrind: 'valgrind',
  'systemd-analyze': 'systemd',
  'systemd-nspawn': 'systemd-container',
  nsenter: 'util-linux',
  runuser: 'util-linux',
  prlimit: 'util-linux',
  setpriv: 'util-linux',
  python3: 'python3',
  chpst: 'runit',
  shellcheck: 'shellcheck',
  checkbashisms: 'devscripts',
  dash: 'dash',
  busybox: 'busybox-static',
  'start-stop-daemon': 'dpkg',
  insserv: 'insserv',
  runsv: 'runit',
  sv: 'runit',
  svlogd: 'runit',
  's6-socklog': 's6',
  'openrc-run': 'openrc',
  xmllint: 'libxml2-utils',
  plistutil: 'libplist-utils',
  unshare: 'util-linux',
  script: 'bsdutils',
  tmux: 'tmux',
  make: 'make',
  openssl: 'openssl',
  file: 'file',
  cc: 'gcc',
  npm: 'npm',
  git: 'git',
  tar: 'tar',
  'dpkg-buildpackage': 'dpkg-dev',
  dh: 'debhelper',
  lintian: 'lintian',
  fakeroot: 'fakeroot',
  dch: 'devscripts',
  mandoc: 'mandoc',
  man: 'man-db',
  rpmbuild: 'rpm',
  rpmspec: 'rpm',
  rpm2archive: 'rpm2cpio',
  rpmlint: 'rpmlint',
  podman: 'podman',
  runc: 'runc',
  'musl-gcc': 'musl-tools',
  portablectl: 'systemd-container',
  // Not in Debian 12: the Kubernetes project's apt repository (pkgs.k8s.io) has it.
  kubectl: 'kubectl',
};

const cache = new Map<string, boolean>();

export function hasTool(tool: string): boolean {
  let found = cache.get(tool);
  if (found === undefined) {
    try {
      execFileSync('sh', ['-c', `command -v "$1"`, 'sh', tool], { stdio: 'ignore' });
      found = true;
    } catch {
      found = false;
    }
    cache.set(tool, found);
  }
  return found;
}

export const requireTools = process.env.CREATE_DAEMON_REQUIRE_TOOLS === '1';

/** Why tests needing `tools` cannot run here, or undefined when they can. */
export function missingReason(tools: readonly string[], extra?: () => string | undefined): string | undefined {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length > 0) {
    const pkgs = [...new Set(missing.map((t) => PACKAGE_OF[t] ?? t))].join(' ');
    return `needs ${missing.join(', ')} (apt-get install ${pkgs})`;
  }
  return extra?.();
}

/**
 * `it` for tests that need system tools: runs normally when they are present; otherwise skips
 * with a printed reason, or fails under CREATE_DAEMON_REQUIRE_TOOLS=1.
 */
export function itWith(tools: readonly string[], extra?: () => string | undefined, concurrent = false): typeof it {
  const reason = missingReason(tools, extra);
  if (reason === undefined) return concurrent ? (it.concurrent as unknown as typeof it) : it;
  if (requireTools) {
    const failing = ((name: string) =>
      it(name, () => {
        throw new Error(`CREATE_DAEMON_REQUIRE_TOOLS=1 but this test ${reason}`);
      })) as unknown as typeof it;
    return failing;
  }
  const skipping = ((name: string, ...rest: unknown[]) => {
    console.warn(`skipping "${name}": ${reason}`);
    return (it.skip as (n: string, ...r: unknown[]) => void)(name, ...rest);
  }) as unknown as typeof it;
  return skipping;
}

/** The same as itWith, for a whole describe block. */
export function describeWith(tools: readonly string[], extra?: () => string | undefined): typeof describe {
  const reason = missingReason(tools, extra);
  if (reason === undefined) return describe;
  if (requireTools) {
    return ((name: string) =>
      describe(name, () => {
        it('has the tools it needs', () => {
          throw new Error(`CREATE_DAEMON_REQUIRE_TOOLS=1 but these tests ${reason}`);
        });
      })) as unknown as typeof describe;
  }
  return ((name: string, ...rest: unknown[]) => {
    console.warn(`skipping "${name}": ${reason}`);
    return (describe.skip as (n: string, ...r: unknown[]) => void)(name, ...rest);
  }) as unknown as typeof describe;
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
