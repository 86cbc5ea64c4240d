// FreeBSD rc.d script: there is no FreeBSD here, so only shellcheck and its rc.subr(8) structure.
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { itWith } from '../support/tools.js';
import { alive, generate, read, sh } from '../support/init-project.js';

describe('FreeBSD rc.d script (no FreeBSD here: shellcheck and structure checks only)', () => {
  for (const flags of [[], ['--user', 'daemon', '--pidfile', '/var/run/rc-d/rc-d.pid']]) {
    const label = flags.length ? flags.join(' ') : 'default answers';
    itWith(['shellcheck'])(`no FreeBSD here: shellcheck -s sh is clean (${label})`, () => {
      const p = generate('rc-d', ['--init', 'rcd', ...flags]);
      const r = sh('shellcheck', ['-s', 'sh', '-S', 'style', 'init/rcd/rc-d'], { cwd: p.dir });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });

    itWith(['dash'])(`no FreeBSD here: rc.subr structure (${label})`, () => {
      const p = generate('rc-d', ['--init', 'rcd', ...flags]);
      const s = read(p, 'init/rcd/rc-d');
      expect(s.split('\n')[0]).toBe('#!/bin/sh');
      expect(s).toMatch(/^# PROVIDE: rc_d$/m);
      expect(s).toMatch(/^# REQUIRE: /m);
      expect(s).toMatch(/^\. \/etc\/rc\.subr$/m);
      // A dash in the daemon name cannot be in a shell variable: rc.subr's name is the C identifier.
      expect(s).toMatch(/^name=rc_d$/m);
      expect(s).toMatch(/^rcvar=rc_d_enable$/m);
      expect(s).toMatch(/^: "\$\{rc_d_enable:=NO\}"$/m);
      expect(s).toMatch(/^command='\/usr\/local\/sbin\/rc-d'$/m);
      expect(s).toMatch(/^pidfile="\$\{rc_d_pidfile\}"$/m);
      const pid = flags.length ? '/var/run/rc-d/rc-d.pid' : '/run/rc-d.pid';
      expect(s).toContain(`: "\${rc_d_pidfile:=${pid}}"`);
      expect(s).toMatch(/^extra_commands="reload configtest"$/m);
      expect(s).toMatch(/^reload_cmd="\$\{name\}_reload"$/m);
      expect(s).toMatch(/^status_cmd="\$\{name\}_status"$/m);
      expect(s).toContain('"${command}" -s -p "${pidfile}"');
      expect(s).toMatch(/^configtest_cmd="\$\{name\}_configtest"$/m);
      expect(s).toMatch(/^rc_d_configtest\(\)\n\{\n\t"\$\{command\}" -t -c /m);
      expect(s).toMatch(/^load_rc_config "\$name"$/m);
      expect(s.trimEnd().split('\n').at(-1)).toBe('run_rc_command "$1"');
      // Without -f: the daemon detaches, as rc.subr expects.
      expect(s).toMatch(/^command_args="-c \$\{rc_d_config\} -p \$\{pidfile\}"$/m);
      if (flags.length) expect(s).toMatch(/install -d -m 0755 -o "\$\{rc_d_user_account\}"/);
      expect(sh('dash', ['-n', 'init/rcd/rc-d'], { cwd: p.dir }).status).toBe(0);
    });

    itWith(['dash'])(`no FreeBSD here: the defaults it gives rc.subr are the plain paths (${label})`, () => {
      const p = generate('rc-d', ['--init', 'rcd', ...flags]);
      // Run the script's own default lines under dash, as rc.subr's sh would, and read the values back.
      const defaults = read(p, 'init/rcd/rc-d')
        .split('\n')
        .filter((l) => l.startsWith(': "${'))
        .join('\n');
      const r = sh('dash', ['-c', `${defaults}\nprintf '%s|%s|%s' "$rc_d_enable" "$rc_d_config" "$rc_d_pidfile"`]);
      const pid = flags.length ? '/var/run/rc-d/rc-d.pid' : '/run/rc-d.pid';
      expect(r.stdout).toBe(`NO|/etc/rc-d.conf|${pid}`);
    });
  }
});

// Without FreeBSD's rc.subr, the script's own status, stop and reload functions run under dash
// against a real daemon, with a stand-in for the two rc.subr calls they make (wait_for_pids and
// the dispatch): they must ask the lock (-s), so a replaced binary does not fool them.
const RC_SUBR_STANDIN = [
  'load_rc_config() { :; }',
  'wait_for_pids() { while kill -0 "$1" 2>/dev/null; do sleep 0.1; done; }',
  'run_rc_command() { eval "\\$${1}_cmd"; }',
].join('\n');

describe('FreeBSD rc.d script: status, stop and reload ask the lock', () => {
  itWith(['dash', 'make', 'cc'])(
    'status names the running daemon after its binary is replaced; stop and reload reach it',
    () => {
      const p = generate('rc-d', ['--init', 'rcd']);
      expect(sh('make', ['-s'], { cwd: p.dir }).status).toBe(0);
      const run = join(p.dir, 'run');
      mkdirSync(run);
      writeFileSync(join(run, 'd.conf'), 'interval = 3600\nmessage = rcd\n');
      const bin = join(run, 'rc-d');
      copyFileSync(join(p.dir, 'rc-d'), bin);
      const pidfile = join(run, 'd.pid');
      const script = read(p, 'init/rcd/rc-d')
        .replace(/^\. \/etc\/rc\.subr$/m, () => RC_SUBR_STANDIN)
        .replace(/^command=.*$/m, `command='${bin}'`);
      const stub = join(run, 'rc-d.sh');
      writeFileSync(stub, script);
      const act = (cmd: string) =>
        sh('dash', [stub, cmd], { env: { rc_d_pidfile: pidfile, rc_d_config: join(run, 'd.conf') } });
      expect(act('status').status).toBe(1);
      expect(sh(bin, ['-c', join(run, 'd.conf'), '-p', pidfile]).status).toBe(0);
      const pid = Number(readFileSync(pidfile, 'utf8'));
      try {
        copyFileSync(bin, `${bin}.new`);
        renameSync(`${bin}.new`, bin);
        const s = act('status');
        expect(s.status, s.stdout + s.stderr).toBe(0);
        expect(s.stdout).toContain(`running as pid ${pid}`);
        expect(act('reload').status).toBe(0);
        const stop = act('stop');
        expect(stop.status, stop.stdout + stop.stderr).toBe(0);
        expect(alive(pid)).toBe(false);
        expect(existsSync(pidfile)).toBe(false);
      } finally {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    },
  );
});
