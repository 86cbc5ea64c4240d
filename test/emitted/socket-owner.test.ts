// With --user and the echo payload, the socket belongs to the account whichever init system started
// the daemon: as root (SysV, OpenRC, rc.d) it is handed over as privileges are dropped.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { generateProject, make, WERROR } from '../support/project.js';
import { isRoot, itWith } from '../support/tools.js';

describe('the echo socket with --user', () => {
  itWith(['make', 'cc', 'runuser', 'python3'], () =>
    isRoot ? undefined : 'needs root, to start the daemon as an init script does',
  )('started as root, the daemon hands its socket to the account, which can then connect', () => {
    const dir = generateProject(['--payload', 'echo', '--user', 'daemon', '--pidfile', '/run/myd/myd.pid']);
    make(dir, [WERROR]);
    const run = join(dir, 'run');
    mkdirSync(run);
    const daemonUid = Number(execFileSync('id', ['-u', 'daemon'], { encoding: 'utf8' }).trim());
    chownSync(run, daemonUid, 0);
    const conf = join(dir, 'sock.conf');
    writeFileSync(conf, `socket = ${run}/myd.sock\n`);
    const start = spawnSync('./myd', ['-c', conf, '-p', `${run}/myd.pid`], { cwd: dir, encoding: 'utf8' });
    expect(start.status, start.stderr).toBe(0);
    const pid = Number(readFileSync(`${run}/myd.pid`, 'utf8'));
    try {
      expect(statSync(`${run}/myd.sock`).uid).toBe(daemonUid);
      // The account itself connects: a write on a UNIX socket file needs write permission on it.
      const echo = spawnSync(
        'runuser',
        [
          '-u',
          'daemon',
          '--',
          'python3',
          '-c',
          `import socket;s=socket.socket(socket.AF_UNIX);s.connect("${run}/myd.sock");s.sendall(b"hi\\n");print(s.recv(3).decode(),end="")`,
        ],
        { encoding: 'utf8' },
      );
      expect(echo.stderr).toBe('');
      expect(echo.stdout).toBe('hi\n');
    } finally {
      process.kill(pid, 'SIGTERM');
    }
  });
});
