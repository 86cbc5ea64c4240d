/*
 * config.test.ts: the config grammar (config.ts), against the C daemon's messages: every error
 * as "file:line: reason", the limits, the defaults, CRLF, and describe().
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe as group, test } from 'node:test';

import {
  type Config,
  type EchoConfig,
  type ParseOptions,
  type TickConfig,
  SUN_PATH,
  defaults,
  describe,
  load,
  parse,
} from './config.js';
import { TICK_INTERVAL, TICK_MESSAGE } from './defaults.js';

const F = '/etc/myd.conf';
const tick = (text: string | Uint8Array): TickConfig => ok(text, { payload: 'tick' }) as TickConfig;
const echo = (text: string | Uint8Array, opts: ParseOptions = {}): EchoConfig =>
  ok(text, { payload: 'echo', socketDefault: '/run/myd.sock', ...opts }) as EchoConfig;

function ok(text: string | Uint8Array, opts: ParseOptions): Config {
  const r = parse(text, F, opts);
  if (!r.ok) assert.fail(`expected a good config, got: ${r.error}`);
  return r.config;
}

function bad(text: string | Uint8Array, error: string, opts: ParseOptions = { payload: 'tick' }): void {
  const r = parse(text, F, { socketDefault: '/run/myd.sock', ...opts });
  assert.equal(r.ok, false, `expected an error for ${JSON.stringify(text)}`);
  if (!r.ok) assert.equal(r.error, error);
}
const badEcho = (text: string, error: string, opts: ParseOptions = {}): void =>
  bad(text, error, { payload: 'echo', ...opts });

group('the grammar (both payloads)', () => {
  test('an empty file, comments and blank lines keep the defaults', () => {
    assert.deepEqual(tick(''), defaults('tick'));
    assert.deepEqual(tick('# a comment\n\n   \t\n  # indented comment\n'), defaults('tick'));
    assert.deepEqual(tick(''), { payload: 'tick', interval: TICK_INTERVAL, message: TICK_MESSAGE });
  });
  test('blanks around key and value are ignored; the value is the rest of the line, # included', () => {
    const cf = tick(' \tinterval\t =  5 \t\nmessage =  a # not a comment  \n');
    assert.equal(cf.interval, 5);
    assert.equal(cf.message, 'a # not a comment');
  });
  test('a last line without a newline counts', () => assert.equal(tick('interval = 7').interval, 7));
  test('CRLF line ends are accepted', () => {
    const cf = tick('# dos\r\ninterval = 9\r\nmessage = hi there \r\n');
    assert.deepEqual(cf, { payload: 'tick', interval: 9, message: 'hi there' });
  });
  test('a CR elsewhere is a control character', () => {
    bad('message = a\rb\n', `${F}:1: control character 0x0d`);
    bad('message = a\r\r\n', `${F}:1: control character 0x0d`);
  });
  test('control characters and DEL are refused, in comments too', () => {
    bad('interval = 1\nmessage = a\x01b\n', `${F}:2: control character 0x01`);
    bad('message = a\x7fb', `${F}:1: control character 0x7f`);
    bad('# a \x1b[31m comment', `${F}:1: control character 0x1b`);
    bad('message = a\x0bb', `${F}:1: control character 0x0b`);
  });
  test('a NUL byte is refused with its line', () => {
    bad('# one\nmessage = a\0b\n', `${F}:2: NUL byte in line`);
    bad(Buffer.from([0x23, 0x0a, 0x00]), `${F}:2: NUL byte in line`);
  });
  test('a line of 1024 bytes is accepted; 1025 is too long (the CR counts)', () => {
    const msg = (n: number): string => 'message = ' + 'x'.repeat(n - 10);
    assert.equal(tick(msg(1024) + '\n').message.length, 1014);
    bad(msg(1025) + '\n', `${F}:1: line too long (more than 1024 bytes)`);
    bad('\n' + msg(1024) + '\r\n', `${F}:2: line too long (more than 1024 bytes)`);
    /* bytes, not characters */
    bad('message = ' + 'é'.repeat(508), `${F}:1: line too long (more than 1024 bytes)`);
  });
  test('a line without "=" is refused, quoted up to 64 bytes', () => {
    bad('# a comment\n\njust some words\n', `${F}:3: expected "key = value", got "just some words"`);
    bad('w'.repeat(100), `${F}:1: expected "key = value", got "${'w'.repeat(64)}"`);
  });
  test('a missing key is refused', () => bad('  = 5', `${F}:1: missing key before "="`));
  test('an unknown key is refused, named', () => {
    bad('# a comment\n\nno_such_key = 1\n', `${F}:3: unknown key "no_such_key"`);
    bad('Interval = 1', `${F}:1: unknown key "Interval"`);
    bad('my key = 1', `${F}:1: unknown key "my key"`);
    bad('k'.repeat(80) + ' = 1', `${F}:1: unknown key "${'k'.repeat(64)}"`);
    bad('socket = /x', `${F}:1: unknown key "socket"`);
    badEcho('interval = 1', `${F}:1: unknown key "interval"`);
  });
  test('a repeated key is refused, naming both lines', () => {
    bad('interval = 1\n\ninterval = 2\n', `${F}:3: duplicate key "interval" (first set on line 1)`);
    bad('message = a\nmessage =\n', `${F}:2: duplicate key "message" (first set on line 1)`);
  });
  test('an empty value is refused', () => {
    bad('message =', `${F}:1: "message" needs a value`);
    bad('interval = \t \r\n', `${F}:1: "interval" needs a value`);
    badEcho('socket =', `${F}:1: "socket" needs a value`);
  });
});

group('tick', () => {
  const why = (v: string): string =>
    `${F}:1: interval must be a whole number of seconds from 1 to 31536000, got "${v}"`;
  test('interval: digits from 1 to 31536000', () => {
    assert.equal(tick('interval = 1').interval, 1);
    assert.equal(tick('interval = 31536000').interval, 31536000);
    assert.equal(tick('interval = 007').interval, 7);
    for (const v of ['0', '31536001', '-1', '+5', '5 minutes', '5s', '1.5', '0x10', 'soon', '99999999999999999999']) {
      bad(`interval = ${v}`, why(v));
    }
  });
  test('message: any text', () => assert.equal(tick('message = héllo, wörld').message, 'héllo, wörld'));
  test('describe()', () => {
    assert.equal(describe(tick('interval = 5\nmessage = hi')), 'ticking every 5 s: hi');
    assert.equal(describe(defaults('tick')), `ticking every ${TICK_INTERVAL} s: ${TICK_MESSAGE}`);
    const long = tick('message = ' + 'm'.repeat(500));
    assert.equal(describe(long), `ticking every ${TICK_INTERVAL} s: ${'m'.repeat(200)}`);
  });
});

group('echo', () => {
  test('the defaults, with the socket beside the pid file', () => {
    assert.deepEqual(echo(''), {
      payload: 'echo',
      socket: '/run/myd.sock',
      socketMode: 0o660,
      maxClients: 256,
      maxBuffered: 64 * 1024 * 1024,
    });
    assert.equal(echo('', { socketDefault: '/tmp/x/myd.sock' }).socket, '/tmp/x/myd.sock');
  });
  test('socket: an absolute path', () => {
    assert.equal(echo('socket = /tmp/e.sock').socket, '/tmp/e.sock');
    badEcho(
      'socket = @myd',
      `${F}:1: socket must be an absolute path: an abstract socket (@name) has no permissions, any local user could connect`,
    );
    badEcho('socket = relative/path', `${F}:1: socket must be an absolute path, got "relative/path"`);
    badEcho(`socket = ${'r'.repeat(70)}`, `${F}:1: socket must be an absolute path, got "${'r'.repeat(64)}"`);
  });
  test('socket: $XDG_RUNTIME_DIR/ is expanded from the environment', () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    assert.equal(echo('socket = $XDG_RUNTIME_DIR/myd.sock', { env }).socket, '/run/user/1000/myd.sock');
    if (process.platform !== 'darwin') {
      badEcho(
        'socket = $XDG_RUNTIME_DIR/myd.sock',
        `${F}:1: socket $XDG_RUNTIME_DIR/myd.sock: XDG_RUNTIME_DIR is not set; a per-user service needs it (systemd --user and pam_systemd set it)`,
        { env: {} },
      );
    }
    badEcho(
      'socket = $XDG_RUNTIME_DIR/myd.sock',
      `${F}:1: socket $XDG_RUNTIME_DIR/myd.sock: XDG_RUNTIME_DIR is not an absolute path; a per-user service needs it (systemd --user and pam_systemd set it)`,
      { env: { XDG_RUNTIME_DIR: 'run/user' } },
    );
  });
  test(`socket: at most ${SUN_PATH - 1} bytes (sun_path)`, () => {
    const fits = '/' + 's'.repeat(SUN_PATH - 2);
    assert.equal(echo(`socket = ${fits}`).socket, fits);
    const long = fits + 's';
    badEcho(`socket = ${long}`, `${F}:1: socket ${long.slice(0, 64)}...: path too long (at most ${SUN_PATH - 1} bytes)`);
    const env = { XDG_RUNTIME_DIR: '/' + 'd'.repeat(SUN_PATH - 10) };
    badEcho(
      'socket = $XDG_RUNTIME_DIR/myd.sock',
      `${F}:1: socket $XDG_RUNTIME_DIR/myd.sock...: path too long (at most ${SUN_PATH - 1} bytes)`,
      { env },
    );
  });
  test('a default socket that cannot be used is named, without a line', () => {
    badEcho(
      '# no socket\n',
      `${F}: sets no socket, and the default beside the pid file cannot be used: socket $XDG_RUNTIME_DIR/myd.sock: XDG_RUNTIME_DIR is not an absolute path; a per-user service needs it (systemd --user and pam_systemd set it)`,
      { socketDefault: '$XDG_RUNTIME_DIR/myd.sock', env: { XDG_RUNTIME_DIR: 'x' } },
    );
  });
  test('socket_mode: 3 or 4 octal digits, at most 0777', () => {
    assert.equal(echo('socket_mode = 0600').socketMode, 0o600);
    assert.equal(echo('socket_mode = 666').socketMode, 0o666);
    assert.equal(echo('socket_mode = 000').socketMode, 0);
    for (const v of ['66', '06660', '1777', '0800', '0o660', 'rw', '-660']) {
      badEcho(
        `socket_mode = ${v}`,
        `${F}:1: socket_mode must be 3 or 4 octal digits from 000 to 0777, such as 0660, got "${v}"`,
      );
    }
  });
  test('max_clients: from 1 to 65536', () => {
    assert.equal(echo('max_clients = 1').maxClients, 1);
    assert.equal(echo('max_clients = 65536').maxClients, 65536);
    for (const v of ['0', '65537', '-1', '10k']) {
      badEcho(`max_clients = ${v}`, `${F}:1: max_clients must be a whole number from 1 to 65536, got "${v}"`);
    }
  });
  test('max_buffered: bytes, K or M, from 64K to 1024M', () => {
    const b = (v: string): number => echo(`max_clients = 1\nmax_buffered = ${v}`).maxBuffered;
    assert.equal(b('64K'), 65536);
    assert.equal(b('65536'), 65536);
    assert.equal(b('1024M'), 1024 * 1024 * 1024);
    assert.equal(b('1048576K'), 1024 * 1024 * 1024);
    assert.equal(b('2M'), 2 * 1024 * 1024);
    for (const v of ['63K', '65535', '1025M', '1048577K', '1073741825', 'K', 'M', '64k', '64 K', '1G', '0000000000000064K', '-64K']) {
      badEcho(
        `max_buffered = ${v}\nmax_clients = 1`,
        `${F}:1: max_buffered must be a number of bytes from 64K to 1024M (digits, then K for KiB or M for MiB if wanted), got "${v}"`,
      );
    }
  });
  test('max_buffered must leave each client 1024 bytes, on the line that sets it', () => {
    badEcho(
      'max_clients = 65536\nmax_buffered = 64K\n',
      `${F}:2: max_buffered (65536 bytes) must give each of the max_clients (65536) at least 1024 bytes`,
    );
    badEcho(
      'max_buffered = 64K\n# x\nmax_clients = 65\n',
      `${F}:1: max_buffered (65536 bytes) must give each of the max_clients (65) at least 1024 bytes`,
    );
    assert.equal(echo('max_buffered = 64K\nmax_clients = 64').maxClients, 64);
  });
  test('describe()', () => {
    assert.equal(
      describe(echo('socket = /tmp/e.sock\nsocket_mode = 600\nmax_clients = 3\nmax_buffered = 1M')),
      'echoing on /tmp/e.sock (mode 0600, at most 3 clients, 1048576 bytes buffered)',
    );
    assert.equal(
      describe(echo('socket_mode = 007')),
      'echoing on /run/myd.sock (mode 0007, at most 256 clients, 67108864 bytes buffered)',
    );
  });
});

group('load()', () => {
  const dir = mkdtempSync(join(tmpdir(), 'myd-config-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('reads and parses a file, naming it in errors', () => {
    const p = join(dir, 'good.conf');
    writeFileSync(p, 'interval = 3\n');
    const r = load(p, { payload: 'tick' });
    assert.deepEqual(r, { ok: true, config: { payload: 'tick', interval: 3, message: TICK_MESSAGE } });
    writeFileSync(p, '# x\ninterval = soon\n');
    const e = load(p, { payload: 'tick' });
    assert.equal(e.ok, false);
    if (!e.ok) assert.match(e.error, new RegExp(`^${p}:2: interval must be`));
  });
  test('a missing file', () => {
    const p = join(dir, 'absent.conf');
    assert.deepEqual(load(p), { ok: false, error: `${p}: cannot open: No such file or directory` });
  });
  test('a directory and a FIFO are not regular files (and a FIFO does not hang)', () => {
    const d = join(dir, 'sub');
    mkdirSync(d);
    assert.deepEqual(load(d), { ok: false, error: `${d}: not a regular file` });
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    assert.deepEqual(load(fifo), { ok: false, error: `${fifo}: not a regular file` });
  });
  test('at most 64 KiB', () => {
    const p = join(dir, 'big.conf');
    writeFileSync(p, ('#'.repeat(1023) + '\n').repeat(64));
    assert.equal(load(p, { payload: 'tick' }).ok, true);
    writeFileSync(p, ('#'.repeat(1023) + '\n').repeat(64) + '\n');
    assert.deepEqual(load(p), { ok: false, error: `${p}: file too large (more than 65536 bytes)` });
  });
  test('an unreadable file names the cause', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, () => {
    const p = join(dir, 'secret.conf');
    writeFileSync(p, 'interval = 1\n', { mode: 0o000 });
    assert.deepEqual(load(p), { ok: false, error: `${p}: cannot open: Permission denied` });
  });
});
