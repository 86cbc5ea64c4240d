// Under systemd, stderr is often the journal itself (JOURNAL_STREAM names it): the daemon then logs
// through syslog only, so that the journal does not record every line twice.
import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { generateProject, make, WERROR } from '../support/project.js';
import { itWith } from '../support/tools.js';

describe('stderr and the journal', () => {
  itWith(['make', 'cc', 'timeout'])('in -f, stderr carries the log unless it is the JOURNAL_STREAM', () => {
    const dir = generateProject([]);
    make(dir, [WERROR]);
    const runWith = (journal: (st: { dev: number; ino: number }) => string | undefined) => {
      const file = join(dir, 'stderr.txt');
      writeFileSync(file, '');
      const fd = openSync(file, 'w');
      const value = journal(fstatSync(fd));
      // timeout(1) sends SIGTERM after 0.3 s: a clean stop, with "started" and "stopped" logged.
      const r = spawnSync('timeout', ['0.3', './myd', '-f', '-c', 'etc/myd.conf', '-p', join(dir, 'myd.pid')], {
        cwd: dir,
        stdio: ['ignore', 'ignore', fd],
        env: { ...process.env, ...(value === undefined ? {} : { JOURNAL_STREAM: value }) },
      });
      closeSync(fd);
      expect(r.status, readFileSync(file, 'utf8')).toBe(124);
      return readFileSync(file, 'utf8');
    };
    expect(runWith(() => undefined)).toMatch(/^myd: started .*\nmyd: stopped\n$/);
    expect(runWith((st) => `${st.dev}:${st.ino + 1}`)).toMatch(/^myd: started/);
    expect(runWith((st) => `${st.dev}:${st.ino}`)).toBe('');
  });
});
