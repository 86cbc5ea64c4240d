// An ASan + UBSan build (clang) must pass the project's own make check. The daemon detaches and
// its stderr is /dev/null, so sanitizer reports go to files (log_path), which must not appear.
import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { daemonMatrix } from '../support/matrix.js';
import { cellFlags, checkSummary, generateProject, run } from '../support/project.js';
import { describeWith } from '../support/tools.js';

const SAN = '-fsanitize=address,undefined';

describeWith(['make', 'clang'])('ASan + UBSan build', () => {
  for (const cell of daemonMatrix().filter((c) => c.given.user)) {
    it(`passes make check with no sanitizer report: ${cell.title}`, () => {
      const dir = generateProject(cellFlags(cell));
      const logs = join(dir, 'sanitizer-logs');
      mkdirSync(logs);
      chmodSync(logs, 0o777); // the daemon may have dropped to nobody
      const r = run(
        [
          'make',
          'check',
          'CC=clang',
          `CFLAGS=-O1 -g -Werror ${SAN} -fno-omit-frame-pointer -fno-sanitize-recover=all`,
          `LDFLAGS=${SAN}`,
        ],
        {
          cwd: dir,
          env: {
            ASAN_OPTIONS: `log_path=${logs}/asan:detect_leaks=1:abort_on_error=0`,
            UBSAN_OPTIONS: `log_path=${logs}/ubsan:print_stacktrace=1:halt_on_error=1`,
          },
        },
      );
      const reports = readdirSync(logs).map((f) => `${f}:\n${readFileSync(join(logs, f), 'utf8')}`);
      expect(reports.join('\n'), 'sanitizer reports').toBe('');
      expect(r.status, r.out).toBe(0);
      expect(checkSummary(r.out)?.failed, r.out).toBe(0);
    });
  }
});
