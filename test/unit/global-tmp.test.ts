// The run leaves nothing in the system's temporary directory (test/support/global-tmp.ts): the workers
// and every child they start make their temporary files in the run's directory, and the teardown,
// which runs whether tests passed or failed, kills what still runs from there and removes it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setup } from '../support/global-tmp.js';
import { isRoot, itWith } from '../support/tools.js';

const runRoot = process.env.CREATE_DAEMON_TEST_TMP;

describe("the run's temporary directory", () => {
  it('is where this worker and its children make temporary files', () => {
    expect(runRoot, 'globalSetup ran').toBeDefined();
    expect(tmpdir()).toBe(runRoot);
    const made = spawnSync('sh', ['-c', 'd=$(mktemp -d) && echo "$d" && rmdir "$d"'], { encoding: 'utf8' });
    expect(made.stdout.startsWith(`${runRoot}${sep}`), made.stdout).toBe(true);
  });

  it('is sticky and world-writable, like /tmp', () => {
    expect(statSync(runRoot!).mode & 0o7777).toBe(0o1777);
  });

  itWith(['setpriv'], () => (isRoot ? undefined : 'needs root, to switch to nobody'))(
    'takes an unprivileged account’s mktemp (make check as nobody)',
    () => {
      const r = spawnSync(
        'setpriv',
        ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sh', '-c', 'd=$(mktemp -d) && rmdir "$d" && echo ok'],
        { encoding: 'utf8' },
      );
      expect(r.stdout.trim(), r.stderr).toBe('ok');
    },
  );
});

describe('the teardown', () => {
  const saved = { tmp: process.env.TMPDIR, run: process.env.CREATE_DAEMON_TEST_TMP };
  afterEach(() => {
    process.env.TMPDIR = saved.tmp;
    process.env.CREATE_DAEMON_TEST_TMP = saved.run;
  });

  it('kills what still runs from the directory and removes it, whatever the tests left', () => {
    const teardown = setup();
    const root = process.env.CREATE_DAEMON_TEST_TMP!;
    // What a failed test leaves: a tree, and a detached process whose command line names a path in it.
    const left = join(root, 'cd-failed', 'project');
    mkdirSync(left, { recursive: true });
    writeFileSync(join(left, 'myd.pid'), '1\n');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', join(left, 'myd')], {
      detached: true,
      stdio: 'ignore',
    });
    child.unref();
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    teardown();
    expect(existsSync(root)).toBe(false);
    return expect(exited).resolves.toBe('SIGKILL');
  });
});
