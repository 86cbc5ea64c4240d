// The README's "try it" lines work as printed: the generator's next steps and the README give the
// same foreground command, and for the echo payload that command serves a socket in the project
// directory (a config that sets no socket puts it beside the pid file), which the README's own
// client line reaches, as root (with and without --user) and as an ordinary account.
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { cli } from '../support/init-project.js';
import { chownTree, Foreground, make, run, WERROR } from '../support/project.js';
import { describeWith, isRoot, itWith } from '../support/tools.js';

/** The command of the first line of a sh block that contains marker (its comment cut off). */
function commandLine(text: string, marker: string): string {
  const line = text.split('\n').find((l) => l.includes(marker));
  expect(line, `a line with "${marker}"`).toBeDefined();
  return line!.replace(/\s+#.*$/, '').trim();
}

/** Generates myd with the real CLI; returns the directory and what the CLI printed. */
function scaffold(flags: readonly string[]): { dir: string; stdout: string } {
  const parent = tempDir('cd-try-');
  chmodSync(parent, 0o755); // an ordinary account must reach the project
  const dir = join(parent, 'myd');
  const r = cli(['myd', '--yes', '--dir', dir, ...flags], parent);
  expect(r.status, r.stderr).toBe(0);
  return { dir, stdout: r.stdout };
}

describeWith(['make', 'gcc'])('the README try-it lines', () => {
  for (const payload of ['tick', 'echo'])
    it(`the README's foreground command is the one the generator prints, with the pid file in the project (${payload})`, () => {
      const { dir, stdout } = scaffold(['--payload', payload]);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      const printed = commandLine(stdout, 'try it in the foreground');
      expect(commandLine(readme, 'run in the foreground')).toBe(printed);
      expect(printed).toBe('./myd -f -c etc/myd.conf -p "$PWD/myd.pid"');
      // The generator refuses pid files in /tmp; no README example uses one.
      expect(readme).not.toMatch(/-p \/tmp\//);
    });

  // --user names an account that need not exist yet: the README and the next steps say how to make
  // it, and the foreground line fails the way the README says until it exists.
  itWith([], () => (isRoot ? undefined : 'needs root: only root drops privileges'))(
    'with --user, says the account must exist and how to create it; until then the try-it line says "no account"',
    () => {
      const account = 'cdnosuchacct';
      expect(run(['id', '-u', account]).status).not.toBe(0);
      const { dir, stdout } = scaffold(['--payload', 'tick', '--user', account, '--pidfile', '/run/myd/myd.pid']);
      const create = `sudo useradd --system --no-create-home --shell /usr/sbin/nologin ${account}`;
      expect(commandLine(stdout, 'the account it drops to')).toBe(create);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      expect(commandLine(readme, '# Linux')).toBe(create);
      expect(readme).toContain(`stop at once with \`no account ${account}\``);
      make(dir, [WERROR, 'myd']);
      const r = run(['sh', '-c', commandLine(readme, 'run in the foreground')], { cwd: dir, timeout: 10_000 });
      expect(r.status).not.toBe(0);
      expect(r.out).toContain(`no account ${account}`);
    },
  );

  const cases: [string, readonly string[], 'self' | 'nobody'][] = [
    ['echo, as the invoking user', [], 'self'],
    ['echo --user nobody, as the invoking user', ['--user', 'nobody'], 'self'],
    ['echo, as an ordinary account (nobody)', [], 'nobody'],
  ];
  for (const [title, flags, as] of cases)
    itWith(as === 'nobody' ? ['setpriv'] : [], () =>
      as === 'nobody' && !isRoot ? 'needs root, to run the daemon as nobody' : undefined,
    )(`serves ${'myd.sock'} in the project directory and answers the README's client line (${title})`, async () => {
      const { dir } = scaffold(['--payload', 'echo', ...flags]);
      make(dir, [WERROR, 'myd', 'tests/probe']);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      const start = commandLine(readme, 'run in the foreground');
      const talk = commandLine(readme, 'tests/probe echo');
      expect(readme).toMatch(/socat - UNIX-CONNECT:myd\.sock/);
      let prefix: string[] = [];
      if (as === 'nobody') {
        const uid = Number(run(['id', '-u', 'nobody']).out.trim());
        const gid = Number(run(['id', '-g', 'nobody']).out.trim());
        chownTree(dir, uid, gid);
        prefix = ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups'];
      }
      const d = new Foreground([...prefix, 'sh', '-c', `exec ${start}`], { cwd: dir });
      await d.waitFor(`echoing on ${dir}/myd.sock`);
      const r = run([...prefix, 'sh', '-c', talk], { cwd: dir, timeout: 10_000 });
      expect(r.status, `${talk}: ${r.out}\n${d.stderr}`).toBe(0);
      d.child.kill('SIGINT');
      expect(await d.exited()).toBe(0);
      // Nothing to give up: the daemon removes its files. Dropped to nobody in a directory root
      // owns, it cannot, and says so, as the README warns.
      if (flags.includes('--user') && isRoot) {
        expect(d.stderr).toMatch(/cannot remove .*myd\.sock/);
        expect(readme).toMatch(/Ctrl-C then says it cannot remove `myd\.sock`/);
        // "harmless: the next start reuses the pid file and replaces the stale socket"
        const again = new Foreground([...prefix, 'sh', '-c', `exec ${start}`], { cwd: dir });
        await again.waitFor(`echoing on ${dir}/myd.sock`);
        const r2 = run(['sh', '-c', talk], { cwd: dir, timeout: 10_000 });
        expect(r2.status, `${r2.out}\n${again.stderr}`).toBe(0);
        again.child.kill('SIGINT');
        expect(await again.exited()).toBe(0);
      } else {
        expect(existsSync(join(dir, 'myd.sock')), d.stderr).toBe(false);
        expect(existsSync(join(dir, 'myd.pid')), d.stderr).toBe(false);
      }
    });
});
