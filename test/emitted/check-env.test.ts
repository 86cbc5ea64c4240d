// make check in the environments it meets: as root with a --user account that does not exist yet,
// as an unprivileged account under umask 027 with no terminal, and where no pty can be had. An untouched project passes
// in each, and says with a `skip` line what it could not check there: never a silent pass.
import { expect } from 'vitest';
import { checkSummary, chownTree, generateProject, make, run, WERROR } from '../support/project.js';
import { isRoot, itWith } from '../support/tools.js';

const asRoot = () => (isRoot ? undefined : 'needs root (an account to switch to, a missing account to be root for)');

itWith(['make', 'cc', 'setpriv'], asRoot)(
  'as root with a --user account that does not exist: one skip line says how to create it, the rest run and pass',
  () => {
    const dir = generateProject(['--payload', 'echo', '--user', 'cdmissing']);
    expect(run(['id', '-u', 'cdmissing']).status, 'the account must not exist').not.toBe(0);
    const r = run(['make', 'check', WERROR], { cwd: dir });
    expect(r.status, r.out).toBe(0);
    expect(r.out).not.toContain('invalid user');
    const skips = r.out.split('\n').filter((l) => l.startsWith('skip '));
    // The drop, and syslog: the rest ran as nobody, who cannot make a private /dev/log.
    expect(skips, r.out).toHaveLength(2);
    expect(skips[0]).toContain('there is no account cdmissing: create it (useradd --system');
    expect(skips[0]).toContain('the other checks ran as nobody');
    expect(skips[1]).toMatch(/^skip the syslog datagrams .*not running as root/);
    expect(checkSummary(r.out)!.passed).toBeGreaterThanOrEqual(45);
  },
);

itWith(['make', 'cc', 'setpriv'], asRoot)(
  'as nobody, under umask 027, with no terminal: an untouched --user project passes, and the drop is a skip line',
  () => {
    const dir = generateProject(['--payload', 'echo', '--user', 'daemon']);
    make(dir, [WERROR, 'all', 'tests/probe']);
    const nobody = Number(run(['id', '-u', 'nobody']).out.trim());
    const nogroup = Number(run(['id', '-g', 'nobody']).out.trim());
    chownTree(dir, nobody, nogroup);
    const r = run(
      [
        'setpriv',
        `--reuid=${nobody}`,
        `--regid=${nogroup}`,
        '--clear-groups',
        'sh',
        '-c',
        'umask 027 && make -s check',
      ],
      { cwd: dir, env: { HOME: '/nonexistent' } },
    );
    expect(r.status, r.out).toBe(0);
    const skips = r.out.split('\n').filter((l) => l.startsWith('skip '));
    expect(skips.join('\n'), r.out).toMatch(/^skip the drop to daemon .*not running as root/m);
    expect(skips.join('\n'), r.out).toMatch(/^skip the syslog datagrams .*not running as root/m);
    expect(skips, r.out).toHaveLength(2);
    expect(r.out).toMatch(/^ok +its umask is 0022$/m);
    expect(checkSummary(r.out)!.failed).toBe(0);
  },
);

itWith(['make', 'cc', 'unshare'], asRoot)(
  'without a pseudo-terminal to start it from: the controlling-terminal check is a skip line saying why',
  () => {
    const dir = generateProject(['--payload', 'tick']);
    make(dir, [WERROR, 'all', 'tests/probe']);
    // /dev/ptmx hidden (in a private mount namespace): no pty can be had, as in a bare chroot.
    const r = run(
      [
        'unshare',
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-c',
        'mount --bind /dev/null /dev/ptmx && make -s check',
      ],
      { cwd: dir },
    );
    expect(r.status, r.out).toBe(0);
    const skips = r.out.split('\n').filter((l) => l.startsWith('skip '));
    expect(skips, r.out).toEqual([
      expect.stringMatching(/^skip it has no controlling terminal \(no pseudo-terminal to start it from: .+\)$/),
    ]);
    expect(r.out).not.toMatch(/^ok +it has no controlling terminal/m);
    expect(checkSummary(r.out)!.failed).toBe(0);
  },
);
