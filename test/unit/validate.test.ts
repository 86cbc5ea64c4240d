import { describe, expect, it } from 'vitest';
import * as v from '../../generators/core/validate.js';
import { CONVENTIONS, FACILITIES, INIT_SYSTEMS } from '../../generators/core/conventions.js';
import { completeAnswers, problems } from '../../generators/core/answers.js';

const noDirs = () => false;

describe('name', () => {
  it.each([
    ['My Daemon', /may hold only/, 'my-daemon'],
    ['../x', /may hold only/, 'x'],
    ['1d', /must start with a lower-case letter/, 'd'],
    ['a'.repeat(40), /at most 31 characters, got 40/, 'a'.repeat(31)],
    ['', /required/, undefined],
    ['my.d', /may hold only/, 'my-d'],
  ])('rejects %j and says how to fix it', (bad, why, suggestion) => {
    const result = v.name(bad);
    expect(result).not.toBe(true);
    expect(result).toMatch(why);
    if (suggestion) expect(result).toContain(`(try "${suggestion}")`);
  });

  it.each(['myd', 'a', 'my-d_2', 'a'.repeat(31)])('accepts %j', (good) => expect(v.name(good)).toBe(true));

  it.each(['units', 'help'])('refuses %j, a create-daemon subcommand', (bad) =>
    expect(v.name(bad)).toBe(`name "${bad}" is a create-daemon subcommand; choose another, such as "${bad}d"`),
  );

  it.each(['install', 'check', 'clean', 'all', 'src', 'helper', 'makefile'])(
    'refuses %j, which would clash with the project',
    (bad) => expect(v.name(bad)).toMatch(/would clash with the project's Makefile targets or directories/),
  );
});

describe('pidfile', () => {
  it.each([
    ['run/x.pid', /must be an absolute path, got "run\/x.pid"/],
    ['/run/x\n.pid', /control characters such as a newline/],
    ['/run/', /must name a file, not a directory/],
    ['/run/../etc/x.pid', /"\." or "\.\." components.*\(use "\/etc\/x.pid"\)/],
    ['/run//x.pid', /normalised path.*\(use "\/run\/x.pid"\)/],
    ['/run/x#y.pid', /may use only letters, digits/],
    ['/run/x;id.pid', /may use only letters, digits/],
    ['/run/é.pid', /may use only letters, digits/],
    ['/tmp/x.pid', /world-writable \/tmp/],
    ['/var/tmp/x.pid', /world-writable/],
    ['/run/my d.pid', /may use only letters, digits/],
    ['$XDG_RUNTIME_DIR/x.pid', /only with --scope user/],
  ])('rejects %j', (bad, why) => {
    expect(v.pidfile(bad, { scope: 'system' }, noDirs)).toMatch(why);
  });

  it('rejects an existing directory, looked up on the file system', () => {
    expect(v.pidfile('/etc', { scope: 'system' })).toMatch(/"\/etc" is an existing directory/);
  });

  it.each([
    ['/run/myd.pid', 'system'],
    ['/var/run/myd.pid', 'system'],
    ['/run/myd/myd.pid', 'system'],
    ['$XDG_RUNTIME_DIR/myd.pid', 'user'],
  ])('accepts %j in %s scope', (good, scope) => expect(v.pidfile(good, { scope }, noDirs)).toBe(true));

  it('refuses combinations: per-user under /run, --user directly in /run, the config file, a too-long socket path', () => {
    expect(v.pidfile('/run/d/d.pid', { scope: 'user' }, noDirs)).toMatch(
      /a per-user service cannot write; use \$XDG_RUNTIME_DIR\/d.pid/,
    );
    expect(v.pidfile('/run/d.pid', { user: 'svc' }, noDirs)).toMatch(/where --user svc cannot create or remove it/);
    expect(v.pidfile('/etc/d.conf', { config: '/etc/d.conf' }, noDirs)).toMatch(
      /pidfile and --config must be different files/,
    );
    expect(v.pidfile('/etc/d.pid', { config: '/etc/d.sock', payload: 'echo', name: 'd' }, noDirs)).toMatch(
      /on the config file/,
    );
    const deep = `/run/${'x'.repeat(95)}/d.pid`;
    expect(v.pidfile(deep, { payload: 'echo', name: 'd' }, noDirs)).toMatch(/must fit in 103 bytes/);
    expect(v.pidfile(deep, { payload: 'tick', name: 'd' }, noDirs)).toBe(true);
    expect(
      v.pidfile(`$XDG_RUNTIME_DIR/${'x'.repeat(80)}/d.pid`, { scope: 'user', payload: 'echo', name: 'd' }, noDirs),
    ).toMatch(/103 bytes/);
  });
});

describe('the other conventions', () => {
  it('facility: local9 is refused with the valid range', () => {
    expect(v.facility(FACILITIES, 'local9')).toMatch(/got "local9" \(local0 \.\.\. local7 exist\)/);
    for (const f of FACILITIES) expect(v.facility(FACILITIES, f)).toBe(true);
  });
  it('init: an unknown system is named, with the choices', () => {
    expect(v.initList(INIT_SYSTEMS, ['systemd', 'upstart'])).toMatch(
      /unknown init system "upstart"; choose from systemd/,
    );
    expect(v.initList(INIT_SYSTEMS, [])).toMatch(/at least one/);
    expect(v.initList(INIT_SYSTEMS, ['systemd', 'sysv', 'systemd'])).toBe(
      'init lists systemd twice; give each init system once',
    );
    expect(v.initList(INIT_SYSTEMS, ['systemd', 'sysv', 'rcd'], 'user')).toBe(
      'init sysv, rcd run system services only; with --scope user choose from systemd, launchd',
    );
    expect(v.initList(INIT_SYSTEMS, ['systemd', 'launchd'], 'user')).toBe(true);
  });
  it('reload: both is refused', () => {
    expect(v.oneOf('reload', ['single', 'multi'], 'both')).toBe('reload must be single or multi, got "both"');
  });
  it.each(['999', '8', '0888', 'abc', '0o22', '', '1022', '00022', '22'])('umask: %j is refused', (bad) =>
    expect(v.umask(bad)).toBe(
      `umask must be three octal digits, or four starting with 0, such as 022, 027 or 0022, got ${JSON.stringify(bad)}`,
    ),
  );
  it.each(['777', '200', '400', '0600'])('umask: %j takes the owner bits and is refused', (bad) =>
    expect(v.umask(bad)).toMatch(/keep the owner bits 0/),
  );
  it.each(['022', '027', '0077', '000', '0022', '0027'])('umask: %j is accepted, as the message says', (good) =>
    expect(v.umask(good)).toBe(true),
  );
  it('umask: 0777, four digits as the message allows, is refused for the owner bits, not the digits', () =>
    expect(v.umask('0777')).toBe(
      "umask 0777 takes read or write away from the files' owner; keep the owner bits 0, such as 077 or 027",
    ));
  it('user: root, a bad name, and --scope user are refused', () => {
    expect(v.user('root')).toBe('user root is the default; to stay root, leave out --user');
    expect(v.user('Bad Name')).toMatch(/POSIX account name/);
    expect(v.user('svc', 'user')).toMatch(/--scope user/);
    expect(v.user('')).toBe(true);
    expect(v.user('_svc-1')).toBe(true);
  });
  it('label must be reverse DNS', () => {
    expect(v.label('myd')).toMatch(/reverse-DNS/);
    expect(v.label('com.example.myd')).toBe(true);
  });
  it('description: control characters other than newline are refused', () => {
    expect(v.description('a\u0007b')).toMatch(/control characters/);
    expect(v.description('a\nb')).toBe(true);
  });
});

describe('suggestions for a mistyped word', () => {
  it.each([
    ['pidfile', 'pidfile', 0],
    ['pidfle', 'pidfile', 1],
    ['pidfiel', 'pidfile', 1],
    ['yse', 'yes', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('editDistance(%j, %j) is %i', (a, b, d) => {
    expect(v.editDistance(a, b)).toBe(d);
    expect(v.editDistance(b, a)).toBe(d);
  });

  it('nearest: a close word, a synonym, a unique beginning, or nothing', () => {
    expect(v.nearest('systemdd', INIT_SYSTEMS)).toBe('systemd');
    expect(v.nearest('SystemD', INIT_SYSTEMS)).toBe('systemd');
    expect(v.nearest('threads', ['single', 'multi'], { threads: 'multi' })).toBe('multi');
    expect(v.nearest('fork', ['notify', 'forking', 'simple'])).toBe('forking');
    expect(v.nearest('upstart', INIT_SYSTEMS)).toBeUndefined();
    expect(v.nearest('both', ['single', 'multi'])).toBeUndefined();
    expect(v.nearest('x', ['rcd', 'sysv'])).toBeUndefined();
  });

  it('choice validators append the suggestion, and say nothing when none is close', () => {
    expect(v.oneOf('reload', ['single', 'multi'], 'mutli')).toBe(
      'reload must be single or multi, got "mutli"; did you mean multi?',
    );
    expect(v.initList(INIT_SYSTEMS, ['systemdd'])).toBe(
      'init has unknown init system "systemdd"; did you mean systemd?',
    );
    expect(v.facility(FACILITIES, 'deamon')).toMatch(/got "deamon"; did you mean daemon\?$/);
  });

  it("the table's synonyms: --reload threads means multi, --init systemv means sysv", () => {
    const reload = CONVENTIONS.find((r) => r.key === 'reload')!;
    expect(reload.validate('threads', {})).toBe('reload must be single or multi, got "threads"; did you mean multi?');
    const init = CONVENTIONS.find((r) => r.key === 'init')!;
    expect(init.validate('systemd,systemv', {})).toBe('init has unknown init system "systemv"; did you mean sysv?');
  });
});

describe('the conventions table', () => {
  it('has unique keys and flags, a help line and a message for every row', () => {
    const keys = CONVENTIONS.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    const flags = CONVENTIONS.flatMap((r) => (r.flag ? [r.flag] : []));
    expect(new Set(flags).size).toBe(flags.length);
    for (const row of CONVENTIONS) {
      expect(row.help.length).toBeGreaterThan(10);
      expect(row.message.length).toBeGreaterThan(5);
    }
  });

  it('every default is valid for every scope and user', () => {
    for (const given of [{}, { user: 'svc' }, { scope: 'user' }, { name: 'my-d', init: 'systemd' }]) {
      const answers = completeAnswers(given);
      expect(problems(answers), JSON.stringify(given)).toEqual([]);
    }
  });

  it('a comma list given as text is split and each item trimmed', () => {
    expect(completeAnswers({ init: ' systemd , openrc,,runit ' }).init).toEqual(['systemd', 'openrc', 'runit']);
  });

  it('defaults follow the other answers: pid file under a directory the --user account owns', () => {
    expect(completeAnswers({ name: 'x' }).pidfile).toBe('/run/x.pid');
    expect(completeAnswers({ name: 'x', user: 'svc' }).pidfile).toBe('/run/x/x.pid');
    expect(completeAnswers({ name: 'x', scope: 'user' }).pidfile).toBe('$XDG_RUNTIME_DIR/x.pid');
    expect(completeAnswers({ name: 'x' }).label).toBe('local.x');
  });

  it('every select row lists its choices, and its default is one of them', () => {
    for (const row of CONVENTIONS.filter((r) => r.kind === 'select' || r.kind === 'checkbox')) {
      expect(row.choices?.length, row.key).toBeGreaterThan(1);
      const d = row.default({});
      for (const value of Array.isArray(d) ? d : [d]) expect(row.choices).toContain(value);
    }
  });
});
