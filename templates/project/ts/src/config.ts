/*
 * config.ts: reads the config file (the twin of the C daemon's src/config.c: the same grammar,
 * limits and messages). Library code: it reports "file:line: reason" and never logs and never
 * exits, so the same parser serves start-up (FAIL 78), -t and SIGHUP (keep the previous config).
 *
 * The format: one "key = value" per line; blank lines; lines whose first non-blank character
 * is '#' are comments. Spaces and tabs around the key and the value are ignored; the value is
 * the rest of the line, '#' included. Everything else is an error, never a guess: an unknown or
 * repeated key, a line without '=', an empty value, a bad number, a line longer than
 * LINE_MAX bytes, a NUL or other control character (a CR is allowed only before the newline).
 * A key left out keeps its default. Lengths are bytes, as in the C daemon.
 *
 * echo's socket must be a path: an abstract socket (Linux "@name") has no file, hence no
 * permissions, and any local user could connect to a daemon running as root (unix(7)).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

import { NAME, PAYLOAD, SOCKET, TICK_INTERVAL, TICK_MESSAGE } from './defaults.js';
import { errcode, errstr } from './errstr.js';
import { PATH_MAX, XDG_PREFIX, clip, dirOf, expandPath } from './path.js';

export const LINE_MAX = 1024; /* longest line, newline excluded */
export const FILE_MAX = 64 * 1024; /* a config file is never bigger */
export const INTERVAL_MAX = 31536000; /* one year, in seconds */
export const SOCKET_MODE = 0o660; /* owner and group may connect */
export const CLIENTS = 256; /* max_clients by default */
export const CLIENTS_MAX = 65536;
export const BUFFERED = 64 * 1024 * 1024; /* max_buffered by default */
export const BUFFERED_MIN = 64 * 1024;
export const BUFFERED_MAX = 1024 * 1024 * 1024;
export const SHARE_MIN = 1024; /* least max_buffered / max_clients */
/* sizeof(sun_path): 108 on Linux, 104 on the BSDs and macOS; a path keeps one byte for NUL. */
export const SUN_PATH = process.platform === 'linux' ? 108 : 104;

export type PayloadName = 'tick' | 'echo';

export interface TickConfig {
  readonly payload: 'tick';
  interval: number; /* seconds between ticks */
  message: string; /* logged at each tick */
}

export interface EchoConfig {
  readonly payload: 'echo';
  socket: string; /* an absolute path, never "@name" */
  socketMode: number; /* permissions of the socket file */
  maxClients: number; /* clients served at once */
  maxBuffered: number; /* bytes held for all clients together */
}

export type Config = TickConfig | EchoConfig;
export type Parsed = { ok: true; config: Config } | { ok: false; error: string };

export interface ParseOptions {
  payload?: PayloadName; /* default: PAYLOAD from defaults.ts */
  socketDefault?: string; /* default: beside the pid file (socketBeside), else SOCKET */
  env?: NodeJS.ProcessEnv; /* for $XDG_RUNTIME_DIR; default process.env */
}

const KEYS: Record<PayloadName, readonly string[]> = {
  tick: ['interval', 'message'],
  echo: ['socket', 'socket_mode', 'max_clients', 'max_buffered'],
};

/*
 * The socket when the file sets none: beside the pid file, so that `-p "$PWD/NAME.pid"` keeps
 * both in one directory; SOCKET until main.ts says where the pid file is.
 */
let socketDefault = SOCKET;

export function socketBeside(pidfile: string): void {
  const dir = dirOf(pidfile);
  if (dir === undefined) return;
  const beside = `${dir}/${NAME}.sock`;
  socketDefault = Buffer.byteLength(beside) < PATH_MAX ? beside : SOCKET;
}

export function defaults(payload: PayloadName = PAYLOAD): Config {
  if (payload === 'tick') return { payload, interval: TICK_INTERVAL, message: TICK_MESSAGE };
  return {
    payload,
    socket: SOCKET,
    socketMode: SOCKET_MODE,
    maxClients: CLIENTS,
    maxBuffered: BUFFERED,
  };
}

/* Digits only, from 1 to max: no sign, no spaces, no suffix, no overflow. */
function parseCount(s: string, max: number): number | undefined {
  if (!/^[0-9]+$/.test(s)) return undefined;
  let v = 0;
  for (const ch of s) {
    v = v * 10 + (ch.charCodeAt(0) - 48);
    if (v > max) return undefined;
  }
  return v === 0 ? undefined : v;
}

/* Three or four octal digits, at most 0777: set-id and sticky bits mean nothing on a socket. */
function parseMode(s: string): number | undefined {
  if (!/^[0-7]{3,4}$/.test(s)) return undefined;
  const v = parseInt(s, 8);
  return v > 0o777 ? undefined : v;
}

/* Bytes: digits, then optionally K (KiB) or M (MiB), within the BUFFERED_* bounds. */
function parseBytes(s: string): number | undefined {
  let unit = 1;
  let digits = s;
  if (s.endsWith('K') || s.endsWith('M')) {
    unit = s.endsWith('K') ? 1024 : 1024 * 1024;
    digits = s.slice(0, -1);
  }
  if (digits.length === 0 || Buffer.byteLength(digits) >= 16) return undefined;
  const v = parseCount(digits, Math.floor(BUFFERED_MAX / unit));
  if (v === undefined || v * unit < BUFFERED_MIN) return undefined;
  return v * unit;
}

function setSocket(cf: EchoConfig, value: string, env: NodeJS.ProcessEnv): string | undefined {
  if (value.startsWith('@')) {
    return (
      'socket must be an absolute path: an abstract socket (@name) has no permissions, ' +
      'any local user could connect'
    );
  }
  /* Absolute: the daemon runs in "/" and re-reads this file there. */
  if (!value.startsWith('/') && !value.startsWith(XDG_PREFIX)) {
    return `socket must be an absolute path, got "${clip(value, 64)}"`;
  }
  const x = expandPath(value, SUN_PATH, env);
  if (!x.ok) return `socket ${x.error}`;
  cf.socket = x.path;
  return undefined;
}

/* Sets key to value in cf; returns the reason (without file:line) on error. */
function set(cf: Config, key: string, value: string, env: NodeJS.ProcessEnv): string | undefined {
  if (cf.payload === 'tick') {
    if (key === 'interval') {
      const v = parseCount(value, INTERVAL_MAX);
      if (v === undefined) {
        return (
          `interval must be a whole number of seconds from 1 to ${INTERVAL_MAX}, ` +
          `got "${clip(value, 64)}"`
        );
      }
      cf.interval = v;
      return undefined;
    }
    /* The line limit already keeps the message short. */
    cf.message = value;
    return undefined;
  }
  switch (key) {
    case 'socket':
      return setSocket(cf, value, env);
    case 'socket_mode': {
      const v = parseMode(value);
      if (v !== undefined) {
        cf.socketMode = v;
        return undefined;
      }
      return (
        'socket_mode must be 3 or 4 octal digits from 000 to 0777, such as 0660, ' +
        `got "${clip(value, 64)}"`
      );
    }
    case 'max_clients': {
      const v = parseCount(value, CLIENTS_MAX);
      if (v !== undefined) {
        cf.maxClients = v;
        return undefined;
      }
      return `max_clients must be a whole number from 1 to ${CLIENTS_MAX}, got "${clip(value, 64)}"`;
    }
    default: {
      const v = parseBytes(value);
      if (v !== undefined) {
        cf.maxBuffered = v;
        return undefined;
      }
      return (
        `max_buffered must be a number of bytes from ${BUFFERED_MIN / 1024}K to ` +
        `${BUFFERED_MAX / 1024 / 1024}M (digits, then K for KiB or M for MiB if wanted), ` +
        `got "${clip(value, 64)}"`
      );
    }
  }
}

const isBlank = (c: number | undefined): boolean => c === 0x20 || c === 0x09;

/* Parses one line, without its newline; seen maps each key to the line that set it. */
function parseLine(
  line: Buffer,
  cf: Config,
  seen: Map<string, number>,
  lineno: number,
  env: NodeJS.ProcessEnv,
): string | undefined {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if ((c < 0x20 && c !== 0x09 && !(c === 0x0d && i === line.length - 1)) || c === 0x7f) {
      return `control character 0x${c.toString(16).padStart(2, '0')}`;
    }
  }
  let end = line.length;
  while (end > 0 && (isBlank(line[end - 1]) || line[end - 1] === 0x0d)) end--;
  let k = 0;
  while (k < end && isBlank(line[k])) k++;
  if (k === end || line[k] === 0x23) return undefined;
  const eq = line.subarray(0, end).indexOf(0x3d, k);
  if (eq === -1) return `expected "key = value", got "${clip(line.toString('utf8', k, end), 64)}"`;
  if (eq === k) return 'missing key before "="';
  let v = eq + 1;
  while (v < end && isBlank(line[v])) v++;
  let kend = eq;
  while (isBlank(line[kend - 1])) kend--;
  const key = line.toString('utf8', k, kend);
  if (!KEYS[cf.payload].includes(key)) return `unknown key "${clip(key, 64)}"`;
  const first = seen.get(key);
  if (first !== undefined) return `duplicate key "${key}" (first set on line ${first})`;
  seen.set(key, lineno);
  if (v === end) return `"${key}" needs a value`;
  return set(cf, key, line.toString('utf8', v, end), env);
}

/*
 * Parses text, read from file (named in messages). Returns a new config only on success, so a
 * failed reload leaves the caller's config untouched.
 */
export function parse(text: string | Uint8Array, file: string, opts: ParseOptions = {}): Parsed {
  const buf = typeof text === 'string' ? Buffer.from(text) : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  const env = opts.env ?? process.env;
  const cf = defaults(opts.payload ?? PAYLOAD);
  const seen = new Map<string, number>();
  let lineno = 0;
  for (let p = 0; p < buf.length; ) {
    lineno++;
    const nl = buf.indexOf(0x0a, p);
    const end = nl === -1 ? buf.length : nl;
    if (end - p > LINE_MAX) {
      return { ok: false, error: `${file}:${lineno}: line too long (more than ${LINE_MAX} bytes)` };
    }
    const line = buf.subarray(p, end);
    if (line.includes(0)) return { ok: false, error: `${file}:${lineno}: NUL byte in line` };
    const why = parseLine(line, cf, seen, lineno, env);
    if (why !== undefined) return { ok: false, error: `${file}:${lineno}: ${why}` };
    p = nl === -1 ? buf.length : nl + 1;
  }
  if (cf.payload === 'echo') {
    /* The default may need $XDG_RUNTIME_DIR, which only now is known to be needed. */
    if (!seen.has('socket')) {
      const why = setSocket(cf, opts.socketDefault ?? socketDefault, env);
      if (why !== undefined) {
        return {
          ok: false,
          error: `${file}: sets no socket, and the default beside the pid file cannot be used: ${why}`,
        };
      }
    }
    /* Each client's share of the budget must hold a useful piece of a line. */
    if (Math.floor(cf.maxBuffered / cf.maxClients) < SHARE_MIN) {
      const at = seen.get('max_buffered') ?? seen.get('max_clients') ?? 0;
      return {
        ok: false,
        error:
          `${file}:${at}: max_buffered (${cf.maxBuffered} bytes) must give each of the ` +
          `max_clients (${cf.maxClients}) at least ${SHARE_MIN} bytes`,
      };
    }
  }
  return { ok: true, config: cf };
}

/* Reads and parses path. The whole file is read first: a config is small by definition. */
export function load(path: string, opts: ParseOptions = {}): Parsed {
  let fd: number;
  /* O_NONBLOCK: a FIFO at the path must not hang a reload; it is refused below. */
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOCTTY ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { ok: false, error: `${path}: cannot open: ${errstr(err)}` };
  }
  try {
    try {
      if (!fstatSync(fd).isFile()) return { ok: false, error: `${path}: not a regular file` };
    } catch (err) {
      return { ok: false, error: `${path}: cannot stat: ${errstr(err)}` };
    }
    const buf = Buffer.alloc(FILE_MAX + 1);
    let len = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, len, FILE_MAX + 1 - len, null);
      } catch (err) {
        if (errcode(err) === 'EINTR') continue;
        return { ok: false, error: `${path}: cannot read: ${errstr(err)}` };
      }
      if (n === 0) break;
      len += n;
      if (len > FILE_MAX) return { ok: false, error: `${path}: file too large (more than ${FILE_MAX} bytes)` };
    }
    return parse(buf.subarray(0, len), path, opts);
  } finally {
    closeSync(fd);
  }
}

/* One line for READY and STATUS: what this config makes the daemon do. */
export function describe(cf: Config): string {
  if (cf.payload === 'tick') return `ticking every ${cf.interval} s: ${clip(cf.message, 200)}`;
  return (
    `echoing on ${cf.socket} (mode ${cf.socketMode.toString(8).padStart(4, '0')}, ` +
    `at most ${cf.maxClients} clients, ${cf.maxBuffered} bytes buffered)`
  );
}
