// Bad input: one actionable line on stderr, exit status 2, and nothing written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, tempDir } from '../support/cli.js';

const BAD: ReadonlyArray<[string, string[], RegExp]> = [
  ['name with a space', ['My Daemon'], /^create-daemon: name may hold only .*\(try "my-daemon"\)$/],
  ['name with a path', ['../x'], /^create-daemon: name may hold only a-z, 0-9, "_" and "-", got "..\/x" \(try "x"\)$/],
  ['name starting with a digit', ['1d'], /^create-daemon: name must start with a lower-case letter, got "1d"/],
  ['40-character name', ['a'.repeat(40)], /^create-daemon: name must be at most 31 characters, got 40/],
  ['empty name', [''], /^create-daemon: name: a daemon name is required/],
  [
    'relative pidfile',
    ['myd', '--pidfile', 'run/x.pid'],
    /^create-daemon: --pidfile must be an absolute path, got "run\/x.pid"$/,
  ],
  [
    'pidfile with a newline',
    ['myd', '--pidfile', '/run/x\n.pid'],
    /^create-daemon: --pidfile must not contain control characters such as a newline$/,
  ],
  [
    'pidfile that is a directory',
    ['myd', '--pidfile', '/etc'],
    /^create-daemon: --pidfile "\/etc" is an existing directory; name a file inside it$/,
  ],
  [
    'pidfile in /tmp',
    ['myd', '--pidfile', '/tmp/myd.pid'],
    /^create-daemon: --pidfile must not be in world-writable \/tmp/,
  ],
  [
    'facility local9',
    ['myd', '--facility', 'local9'],
    /^create-daemon: --facility must be one of daemon, .*got "local9"/,
  ],
  [
    'init upstart',
    ['myd', '--init', 'systemd,upstart'],
    /^create-daemon: --init has unknown init system "upstart"; choose from systemd, sysv, launchd, openrc, runit, rcd$/,
  ],
  [
    'init naming a system twice',
    ['myd', '--init', 'systemd,sysv,systemd'],
    /^create-daemon: --init lists systemd twice; give each init system once$/,
  ],
  [
    'init naming a system twice, once with spaces',
    ['myd', '--init', 'systemd, systemd'],
    /^create-daemon: --init lists systemd twice; give each init system once$/,
  ],
  ['reload both', ['myd', '--reload', 'both'], /^create-daemon: --reload must be single or multi, got "both"$/],
  [
    'umask 999',
    ['myd', '--umask', '999'],
    /^create-daemon: --umask must be three octal digits, or four starting with 0, such as 022, 027 or 0022, got "999"$/,
  ],
  [
    'umask of four digits not starting with 0',
    ['myd', '--umask', '1022'],
    /^create-daemon: --umask must be three octal digits, or four starting with 0, such as 022, 027 or 0022, got "1022"$/,
  ],
  [
    'umask of five digits',
    ['myd', '--umask', '00022'],
    /^create-daemon: --umask must be three octal digits, or four starting with 0, such as 022, 027 or 0022, got "00022"$/,
  ],
  ['unknown flag', ['myd', '--frobnicate'], /^create-daemon: unknown option --frobnicate; see create-daemon --help$/],
  [
    'a misspelt flag',
    ['myd', '--pidfle', '/run/x.pid'],
    /^create-daemon: unknown option --pidfle; did you mean --pidfile\?$/,
  ],
  [
    'a misspelt flag with "="',
    ['myd', '--pidfle=/run/x.pid'],
    /^create-daemon: unknown option --pidfle; did you mean --pidfile\?$/,
  ],
  [
    'a long flag with one dash',
    ['myd', '-pidfile', '/run/x.pid'],
    /^create-daemon: unknown option -pidfile; did you mean --pidfile\?$/,
  ],
  ['two letters swapped', ['myd', '--yse'], /^create-daemon: unknown option --yse; did you mean --yes\?$/],
  ['a flag in capitals', ['myd', '--Init', 'sysv'], /^create-daemon: unknown option --Init; did you mean --init\?$/],
  ['a flag cut short', ['myd', '--desc', 'x'], /^create-daemon: unknown option --desc; did you mean --description\?$/],
  [
    'init systemdd',
    ['myd', '--init', 'systemdd'],
    /^create-daemon: --init has unknown init system "systemdd"; did you mean systemd\?$/,
  ],
  [
    'reload threads',
    ['myd', '--reload', 'threads'],
    /^create-daemon: --reload must be single or multi, got "threads"; did you mean multi\?$/,
  ],
  [
    'facility deamon',
    ['myd', '--facility', 'deamon'],
    /^create-daemon: --facility must be one of daemon, .*, uucp, got "deamon"; did you mean daemon\?$/,
  ],
  [
    'payload server',
    ['myd', '--payload', 'server'],
    /^create-daemon: --payload must be tick or echo, got "server"; did you mean echo\?$/,
  ],
  ['flag missing its value', ['myd', '--pidfile'], /^create-daemon: --pidfile needs a value/],
  ['flag whose value is another flag', ['myd', '--pidfile', '--yes'], /^create-daemon: --pidfile needs a value/],
  ['boolean flag given a value', ['myd', '--force=yes'], /^create-daemon: --force takes no value$/],
  [
    'a flag given twice',
    ['myd', '--init', 'systemd', '--init', 'sysv'],
    /^create-daemon: --init given twice; give it once, with a comma list$/,
  ],
  ['a short flag with "="', ['myd', '-h=1'], /^create-daemon: unknown option -h=1; see create-daemon --help$/],
  ['a long boolean flag with "="', ['myd', '--yes=1'], /^create-daemon: --yes takes no value$/],
  ['an empty --dir', ['myd', '--dir', ''], /^create-daemon: --dir needs a path$/],
  ['two names', ['a', 'b'], /^create-daemon: expected one daemon name, got 2: a b$/],
  ['relative config', ['myd', '--config', 'etc/x.conf'], /^create-daemon: --config must be an absolute path/],
  [
    'systemd type',
    ['myd', '--systemd-type', 'forkin'],
    /^create-daemon: --systemd-type must be notify, forking or simple, got "forkin"; did you mean forking\?$/,
  ],
  [
    'user with user scope',
    ['myd', '--scope', 'user', '--user', 'svc'],
    /^create-daemon: --user cannot be combined with --scope user/,
  ],
  [
    'init sysv with --scope user',
    ['myd', '--scope', 'user', '--init', 'systemd,sysv'],
    /^create-daemon: --init sysv runs system services only; with --scope user choose from systemd, launchd$/,
  ],
  [
    'user with a pid file directly in /run',
    ['myd', '--user', 'svc', '--pidfile', '/run/myd.pid'],
    /^create-daemon: --pidfile "\/run\/myd.pid" sits directly in \/run, where --user svc cannot create or remove it; use a directory of its own such as \/run\/myd\/myd.pid$/,
  ],
  [
    'a name that is a Makefile target',
    ['install'],
    /^create-daemon: name "install" would clash with the project's Makefile targets or directories/,
  ],
  [
    'a name that is a subcommand, after a flag',
    ['--reload', 'single', 'units'],
    /^create-daemon: name "units" is a create-daemon subcommand; choose another, such as "unitsd"$/,
  ],
  [
    'the name "help", after a flag',
    ['--reload', 'single', 'help'],
    /^create-daemon: name "help" is a create-daemon subcommand; choose another, such as "helpd"$/,
  ],
  [
    'a path with shell metacharacters',
    ['myd', '--config', '/etc/x#y;z.conf'],
    /^create-daemon: --config may use only letters, digits/,
  ],
  [
    'pid file at the default config file: named as the default, since no --config was given',
    ['myd', '--pidfile', '/etc/myd.conf'],
    /^create-daemon: --pidfile and the default config file \(--config\) must be different files, both are "\/etc\/myd\.conf"$/m,
  ],
  [
    'pid file and config given as the same file',
    ['myd', '--pidfile', '/etc/x.conf', '--config', '/etc/x.conf'],
    /^create-daemon: --pidfile and --config must be different files/,
  ],
  [
    'config in /tmp',
    ['myd', '--config', '/tmp/myd.conf'],
    /^create-daemon: --config must not be in world-writable \/tmp/,
  ],
  [
    'umask taking the owner bits',
    ['myd', '--umask', '777'],
    /^create-daemon: --umask 777 takes read or write away from the files' owner/,
  ],
  [
    'user root',
    ['myd', '--user', 'root'],
    /^create-daemon: --user root is the default; to stay root, leave out --user$/,
  ],
  ['bad label', ['myd', '--label', 'nodots'], /^create-daemon: --label must be reverse-DNS/],
  ['bad payload', ['myd', '--payload', 'http'], /^create-daemon: --payload must be tick or echo, got "http"$/],
  ['bad scope', ['myd', '--scope', 'global'], /^create-daemon: --scope must be system or user, got "global"$/],
  [
    'description with a bell',
    ['myd', '--description', 'a\u0007b'],
    /^create-daemon: --description must not contain control characters/,
  ],
  [
    'a variant seed without a student',
    ['myd', '--starter', '--variant-seed', 'long-enough-secret'],
    /^create-daemon: --variant-seed needs the student id: --student ID, or CREATE_DAEMON_STUDENT=ID$/,
  ],
  [
    'a student without a seed',
    ['myd', '--starter', '--student', 'ada'],
    /^create-daemon: --student names whose variant --variant-seed derives: give --variant-seed too \(or CREATE_DAEMON_VARIANT_SEED\)$/,
  ],
  [
    'a short seed',
    ['myd', '--starter', '--variant-seed', 'short', '--student', 'ada'],
    /^create-daemon: --variant-seed must be the course's secret, at least 8 bytes/,
  ],
  [
    'a student id with a slash',
    ['myd', '--starter', '--variant-seed', 'long-enough-secret', '--student', 'a/b'],
    /^create-daemon: --student must be 1-64 letters, digits and \. _ @ \+ - .*got "a\/b"$/,
  ],
  [
    'a variant of a TypeScript daemon',
    ['myd', '--lang', 'typescript', '--variant-seed', 'long-enough-secret', '--student', 'ada'],
    /^create-daemon: variant \(--variant-seed\) is for the C course starter: drop --variant-seed, or use --lang c$/,
  ],
  [
    'a variant without --starter',
    ['myd', '--variant-seed', 'long-enough-secret', '--student', 'ada'],
    /^create-daemon: variant \(--variant-seed\) is for a course starter: add --starter/,
  ],
];

it("a course's seed in the environment and a starter with no student: refused, not a handout without a variant", () => {
  const cwd = tempDir();
  const r = runCli(['myd', '--starter', '--yes'], cwd, { CREATE_DAEMON_VARIANT_SEED: 'long-enough-secret' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(
    /^create-daemon: CREATE_DAEMON_VARIANT_SEED is set but no student is named: give --student ID \(or CREATE_DAEMON_STUDENT\) for that student's handout, or unset CREATE_DAEMON_VARIANT_SEED for a handout without a variant\n$/,
  );
  expect(readdirSync(cwd)).toEqual([]);
  // The student alone is half of the settings too.
  const half = runCli(['myd', '--starter', '--yes'], cwd, { CREATE_DAEMON_STUDENT: 'ada' });
  expect(half.status).toBe(2);
  expect(half.stderr).toMatch(/^create-daemon: CREATE_DAEMON_STUDENT is set but no seed: give --variant-seed/);
  expect(readdirSync(cwd)).toEqual([]);
  // Not a starter (the reference, with both still exported): no variant, and no refusal.
  const ref = runCli(['myd', '--yes'], cwd, {
    CREATE_DAEMON_VARIANT_SEED: 'long-enough-secret',
    CREATE_DAEMON_STUDENT: 'ada',
  });
  expect(ref.status, ref.stderr).toBe(0);
  expect(readFileSync(join(cwd, 'myd', '.yo-rc.json'), 'utf8')).toContain('"variant": ""');
});

it('a seed tests/grade.sh could not read the same: not UTF-8, or with a line end or a CR', () => {
  const cwd = tempDir();
  // Bytes that are not UTF-8 reach Node as U+FFFD: through sh, as a teacher's loop would export them.
  const latin1 = spawnSync(
    'sh',
    [
      '-c',
      'CREATE_DAEMON_VARIANT_SEED="$(printf "cl\\351-secret-2026")" exec "$0" "$1" myd --starter --yes --student ada',
      process.execPath,
      BIN,
    ],
    { cwd, encoding: 'utf8' },
  );
  expect(latin1.status).toBe(2);
  expect(latin1.stderr).toBe(
    'create-daemon: --variant-seed must be UTF-8 text (this one has bytes that are not): choose another secret\n',
  );
  for (const seed of ['a-secret\r', 'two\nlines-secret']) {
    const r = runCli(['myd', '--starter', '--yes', '--student', 'ada', '--variant-seed', seed], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^create-daemon: --variant-seed must be on one line, with no control character/);
  }
  // Eight bytes, as grade.sh counts them: three two-byte letters are too short (four would do).
  const short = runCli(['myd', '--starter', '--yes', '--student', 'ada', '--variant-seed', 'ééé'], cwd);
  expect(short.status).toBe(2);
  expect(readdirSync(cwd)).toEqual([]);
});

describe('a bad value exits 2 with one line and writes nothing', () => {
  it.each(BAD)('%s', (_what, args, message) => {
    const cwd = tempDir();
    for (const extra of [[], ['--yes']]) {
      const r = runCli([...args, ...extra], cwd);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(readdirSync(cwd)).toEqual([]);
    }
  });
});

describe('the target directory', () => {
  it('a non-empty directory is refused without --force, and left untouched', () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'myd'));
    writeFileSync(join(cwd, 'myd', 'keep.txt'), 'mine\n');
    const r = runCli(['myd', '--yes'], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^create-daemon: .*\/myd is not empty; use --force to write into it, or --dir to choose another\n$/,
    );
    expect(readdirSync(join(cwd, 'myd'))).toEqual(['keep.txt']);
  });

  it('a file in the way is refused', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'myd'), '');
    const r = runCli(['myd', '--yes'], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/myd exists and is not a directory/);
  });

  it('a parent in the way is named, in one line, before anything is written: a file, a link to nothing', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'afile'), '');
    symlinkSync(join(cwd, 'nowhere', 'x'), join(cwd, 'dangling'));
    const cases: [string, RegExp][] = [
      ['afile/x/y', /^create-daemon: cannot create \S+\/afile\/x\/y: \S+\/afile is not a directory\n$/],
      ['dangling/q', /^create-daemon: cannot create \S+\/dangling\/q: \S+\/dangling is a symbolic link to nothing\n$/],
      ['dangling', /^create-daemon: cannot create \S+\/dangling: it is a symbolic link to nothing\n$/],
    ];
    for (const [dir, message] of cases) {
      const r = runCli(['myd', '--yes', '--dir', dir], cwd);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(cwd).sort()).toEqual(['afile', 'dangling']);
  });

  it('--dir decides where to write, and a bad value there still writes nothing', () => {
    const cwd = tempDir();
    const r = runCli(['myd', '--yes', '--dir', 'sub/out', '--umask', '9'], cwd);
    expect(r.status).toBe(2);
    expect(existsSync(join(cwd, 'sub'))).toBe(false);
  });
});
