import { describe, expect, it } from 'vitest';
import { completeAnswers } from '../../generators/core/answers.js';
import { buildContext } from '../../generators/core/context.js';

describe('render context', () => {
  it('derives C identifiers, syslog constants and the umask literal once', () => {
    const ctx = buildContext(completeAnswers({ name: 'my-d', facility: 'local3', umask: '027' }));
    expect(ctx.ident).toBe('my_d');
    expect(ctx.IDENT).toBe('MY_D');
    expect(ctx.facilityC).toBe('LOG_LOCAL3');
    expect(ctx.umaskC).toBe('0027');
    expect(buildContext(completeAnswers({ umask: '0077' })).umaskC).toBe('0077');
    expect(ctx.c.name).toBe('"my-d"');
    expect(ctx.sh.pidfile).toBe("'/run/my-d.pid'");
    expect(ctx.binPath).toBe('/usr/local/sbin/my-d');
  });

  it('places the socket and RuntimeDirectory= beside the pid file', () => {
    const plain = buildContext(completeAnswers({ name: 'd' }));
    expect([plain.pidDir, plain.runtimeDirectory, plain.socket]).toEqual(['/run', '', '/run/d.sock']);
    const owned = buildContext(completeAnswers({ name: 'd', user: 'svc' }));
    expect([owned.pidDir, owned.runtimeDirectory, owned.socket]).toEqual(['/run/d', 'd', '/run/d/d.sock']);
    const apue = buildContext(completeAnswers({ name: 'd', pidfile: '/var/run/d/x.pid' }));
    expect(apue.runtimeDirectory).toBe('d');
    const user = buildContext(completeAnswers({ name: 'd', scope: 'user' }));
    expect([user.pidfileXdg, user.pidDir, user.runtimeDirectory]).toEqual([true, '$XDG_RUNTIME_DIR', '']);
    const elsewhere = buildContext(completeAnswers({ name: 'd', pidfile: '/srv/d/d.pid' }));
    expect(elsewhere.runtimeDirectory).toBe('');
  });

  it('lists the chosen init systems in table order with one flag each', () => {
    const ctx = buildContext(completeAnswers({ init: 'runit,systemd' }));
    expect(ctx.init).toEqual(['systemd', 'runit']);
    expect(ctx.has).toMatchObject({ systemd: true, runit: true, sysv: false, launchd: false });
  });

  it('escapes the description for every target language', () => {
    const ctx = buildContext(completeAnswers({ description: `a "b" 'c' <d> 50%\ne` }));
    expect(ctx.c.description).toBe('"a \\"b\\" \'c\' <d> 50%\\ne"');
    expect(ctx.sh.description).toBe(`'a "b" '\\''c'\\'' <d> 50% e'`);
    expect(ctx.dq.description).toBe('a \\"b\\" \'c\' <d> 50%\ne');
    expect(ctx.xml.description).toBe('a &quot;b&quot; &apos;c&apos; &lt;d&gt; 50%\ne');
    expect(ctx.unit.description).toBe(`a "b" 'c' <d> 50%% e`);
    expect(ctx.line.description).toBe(`a "b" 'c' <d> 50% e`);
  });
});

describe('systemd values', () => {
  it('unit.pidfile uses %t for a pid file under $XDG_RUNTIME_DIR', () => {
    expect(buildContext(completeAnswers({ name: 'd', scope: 'user' })).unit.pidfile).toBe('%t/d.pid');
    expect(buildContext(completeAnswers({ name: 'd' })).unit.pidfile).toBe('/run/d.pid');
  });
});
