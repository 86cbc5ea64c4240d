// FreeBSD rc.d script: there is no FreeBSD here, so only shellcheck and its rc.subr(8) structure.
import { describe, expect } from 'vitest';
import { itWith } from '../support/tools.js';
import { generate, read, sh } from '../support/init-project.js';

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
      expect(s).toMatch(/^sig_reload="HUP"$/m);
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
