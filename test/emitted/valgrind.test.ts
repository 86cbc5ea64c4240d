// valgrind memcheck over 200 sequential reloads: one SIGHUP, wait until the daemon has logged
// its effect, then the next (signals sent in a burst coalesce). Every 20th config is broken, to
// run the failure path too. Zero errors and zero leaks of any kind, including still reachable.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { daemonMatrix } from '../support/matrix.js';
import { cellFlags, Foreground, generateProject, make, run } from '../support/project.js';
import { describeWith } from '../support/tools.js';

const RELOADS = 200;

describeWith(['make', 'gcc', 'valgrind'])('valgrind memcheck over 200 reloads', () => {
  for (const cell of daemonMatrix().filter((c) => !c.given.user)) {
    const echo = cell.given.payload === 'echo';
    it(`no errors and no leaks: ${cell.title}`, { timeout: 170_000 }, async () => {
      const dir = generateProject(cellFlags(cell));
      make(dir, ['CFLAGS=-O0 -g -Werror']);
      const conf = join(dir, 'test.conf');
      const good = (i: number) =>
        echo ? `socket = ${join(dir, i % 2 ? 'b.sock' : 'a.sock')}\n` : `interval = 3600\nmessage = reload ${i}\n`;
      writeFileSync(conf, good(0));
      const log = join(dir, 'valgrind.log');
      const d = new Foreground(
        [
          'valgrind',
          '--leak-check=full',
          '--show-leak-kinds=all',
          '--errors-for-leak-kinds=all',
          '--error-exitcode=99',
          `--log-file=${log}`,
          './myd',
          '-f',
          '-c',
          conf,
          '-p',
          join(dir, 'test.pid'),
        ],
        { cwd: dir },
      );
      await d.waitFor('started', 1, 30_000);
      for (let i = 1; i <= RELOADS; i++) {
        writeFileSync(conf, i % 20 === 0 ? (echo ? 'socket = relative\n' : 'interval = never\n') : good(i));
        d.child.kill('SIGHUP');
        await d.waitFor(
          i % 20 === 0 ? 'reload failed' : 'configuration reloaded',
          i % 20 === 0 ? i / 20 : i - Math.floor(i / 20),
          20_000,
        );
      }
      if (echo) {
        // Clients too, on the socket the last good config chose: many, a 1 MiB line, a cut.
        make(dir, ['tests/probe']);
        const lastGood = RELOADS % 20 === 0 ? RELOADS - 1 : RELOADS;
        const sock = join(dir, lastGood % 2 ? 'b.sock' : 'a.sock');
        for (const args of [
          ['echo', sock, 'hi'],
          ['echo-many', sock, '20'],
          ['echo-big', sock, '1048576'],
          ['echo-cut', sock],
          ['echo', sock, 'after'],
        ])
          expect(run(['./tests/probe', ...args], { cwd: dir }).status, args.join(' ')).toBe(0);
      }
      d.child.kill('SIGTERM');
      const status = await d.exited(30_000);
      const report = readFileSync(log, 'utf8');
      expect(d.count('configuration reloaded') + d.count('reload failed')).toBe(RELOADS);
      expect(report).toMatch(/ERROR SUMMARY: 0 errors from 0 contexts/);
      expect(report).toMatch(/All heap blocks were freed -- no leaks are possible/);
      expect(status, report).toBe(0);
    });
  }
});
