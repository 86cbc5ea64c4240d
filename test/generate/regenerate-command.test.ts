// The command `units` suggests for regenerating the whole project (issue 14, item 11): run as printed,
// it must never overwrite a hand edit silently. It carries no --force: in a terminal the app asks about
// each edited file; without one it refuses the non-empty directory and writes nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotTree, tempDir } from '../support/cli.js';
import { cli, cliBin } from '../support/init-project.js';
import { itWith } from '../support/tools.js';
import { Terminal } from '../support/tty.js';

const terminals: Terminal[] = [];
afterEach(() => terminals.splice(0).forEach((t) => t.close()));

const EDIT = '/* my own change */\n';

/** An echo project with a hand edit in src/echo.c, and the command `units --user daemon` suggests. */
function editedProject(): { root: string; command: string } {
  const cwd = tempDir();
  const made = cli(['myd', '--yes', '--payload', 'echo', '--pidfile', '/run/myd/myd.pid'], cwd);
  expect(made.status, made.stderr).toBe(0);
  const root = join(cwd, 'myd');
  writeFileSync(join(root, 'src/echo.c'), `${readFileSync(join(root, 'src/echo.c'), 'utf8')}${EDIT}`);
  const r = cli(['units', '--yes', '--user', 'daemon'], root);
  expect(r.status, r.stderr).toBe(0);
  const suggested =
    / run: (create-daemon .*) \(in a terminal; it asks before overwriting each file you edited\)\n$/.exec(r.stderr);
  expect(suggested, r.stderr).not.toBeNull();
  expect(suggested![1]).toBe("create-daemon myd --dir . --payload 'echo' --user 'daemon' --pidfile '/run/myd/myd.pid'");
  // What the project outside init/ was generated from, where the saved answers now differ.
  expect(JSON.parse(readFileSync(join(root, '.yo-rc.json'), 'utf8'))['create-daemon-sources']).toEqual({ user: '' });
  return { root, command: suggested![1]!.replace(/^create-daemon /, '') };
}

describe('the regenerating command that units suggests, run as printed', () => {
  it('without a terminal: refuses the non-empty directory, exit 2, src/echo.c and everything else untouched', () => {
    const { root, command } = editedProject();
    const before = snapshotTree(root);
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cliBin()}" ${command}`], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(r.stderr).toBe(
      `create-daemon: ${root} is not empty; use --force to write into it, or --dir to choose another\n`,
    );
    expect(r.status).toBe(2);
    expect(snapshotTree(root)).toEqual(before);
  });

  itWith(['tmux'])(
    'in a terminal: asks about src/echo.c; "n" keeps the edit, the rest follows the answers',
    async () => {
      const { root, command } = editedProject();
      const t = new Terminal(root, `${process.execPath} ${cliBin()} ${command}`);
      terminals.push(t);
      await t.answer(/.* is not empty\. Write into it/, 'y', 'Enter');
      // Every convention question keeps its default. Only the file edited by hand is asked about ("n"):
      // the files that --user changes (Makefile, src/main.c, ...) are as generated from the answers
      // before units saved --user, which units recorded beside them (create-daemon-sources).
      const asked: string[] = [];
      for (;;) {
        expect(asked.length, t.screen()).toBeLessThan(40);
        const screen = await t.waitFor(/^\? .*$|^\s*Created myd/m);
        const question = /^\? (.*)$/m.exec(screen)?.[1];
        if (question === undefined) break;
        const file = /^(\S+) was edited\. Overwrite it\?/.exec(question)?.[1];
        if (file !== undefined) asked.push(file);
        t.send(...(file === undefined ? [] : [file === 'src/echo.c' ? 'n' : 'y']), 'Enter');
        // Answered once its line turns into "✔ ..." (the default hint after the words is replaced then).
        await t.waitFor(new RegExp(`✔ ${question.slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      }
      expect(asked).toEqual(['src/echo.c']);
      expect(await t.exitStatus(), t.screen()).toBe(0);
      rmSync(join(root, '.exit-status'));
      expect(readFileSync(join(root, 'src/echo.c'), 'utf8')).toContain(EDIT);
      expect(t.screen()).toMatch(/^ +skip src\/echo\.c \(edited; kept as you asked\)$/m);
      const saved = JSON.parse(readFileSync(join(root, '.yo-rc.json'), 'utf8'));
      expect(saved['create-daemon'].user).toBe('daemon');
      expect(saved).not.toHaveProperty('create-daemon-sources'); // the whole project follows the answers again
      expect(existsSync(join(root, 'helper/privdrop.c'))).toBe(true);
    },
  );
});
