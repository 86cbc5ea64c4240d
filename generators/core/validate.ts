// Pure validators: (value) => true | "a message that says how to fix it".
// They serve both the flags and the prompts; the CLI prefixes the flag name.
import { statSync } from 'node:fs';
import { posix } from 'node:path';

/** The validators' one look at the file system; tests may pass their own. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export const NAME_RE = /^[a-z][a-z0-9_-]{0,30}$/;
const MAX_NAME = 31;

/** A best-effort valid name for a suggestion, or '' when nothing sensible remains. */
export function toValidName(raw: string): string {
  const base = posix.basename(raw.trim());
  return base
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, MAX_NAME)
    .replace(/-+$/, '');
}

const quote = (s: string): string => JSON.stringify(s);
const suggest = (raw: string): string => {
  const s = toValidName(raw);
  return s && s !== raw ? ` (try ${quote(s)})` : '';
};

export function name(value: string): true | string {
  if (value === '') return 'a daemon name is required, for example "mydaemon"';
  if (value.length > MAX_NAME)
    return `name must be at most ${MAX_NAME} characters, got ${value.length}${suggest(value)}`;
  if (!/^[a-z0-9_-]*$/.test(value))
    return `name may hold only a-z, 0-9, "_" and "-", got ${quote(value)}${suggest(value)}`;
  if (!NAME_RE.test(value)) return `name must start with a lower-case letter, got ${quote(value)}${suggest(value)}`;
  return true;
}

export function description(value: string): true | string {
  if (value.trim() === '') return 'description must not be empty';
  if (value.length > 200) return `description must be at most 200 characters, got ${value.length}`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(value))
    return 'description must not contain control characters other than newlines';
  return true;
}

export function oneOf(flag: string, choices: readonly string[], value: string): true | string {
  if ((choices as readonly string[]).includes(value)) return true;
  return `${flag} must be ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}, got ${quote(value)}`;
}

export function facility(choices: readonly string[], value: string): true | string {
  if (choices.includes(value)) return true;
  const hint = /^local\d+$/.test(value) ? ' (local0 ... local7 exist)' : '';
  return `facility must be one of ${choices.join(', ')}, got ${quote(value)}${hint}`;
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Init systems that only run system services: they make no sense for --scope user. */
export const SYSTEM_ONLY_INIT = ['sysv', 'openrc', 'rcd'] as const;

export function initList(choices: readonly string[], values: readonly string[], scope?: string): true | string {
  const unknown = values.filter((s) => !choices.includes(s));
  if (unknown.length > 0)
    return `init has unknown init system ${quote(unknown[0]!)}; choose from ${choices.join(', ')}`;
  if (values.length === 0) return `init needs at least one of ${choices.join(', ')}`;
  if (new Set(values).size !== values.length) return 'init lists an init system twice';
  const systemOnly = values.filter((s) => (SYSTEM_ONLY_INIT as readonly string[]).includes(s));
  if (scope === 'user' && systemOnly.length > 0)
    return `init ${systemOnly.join(', ')} run${systemOnly.length === 1 ? 's' : ''} system services only; with --scope user choose from ${choices.filter((c) => !systemOnly.includes(c) && !(SYSTEM_ONLY_INIT as readonly string[]).includes(c)).join(', ')}`;
  return true;
}

const USER_RE = /^[a-z_][a-z0-9_-]{0,31}$/;

export function user(value: string, scope?: string): true | string {
  if (value === '') return true;
  if (scope === 'user') return 'user cannot be combined with --scope user: a per-user service runs as its user';
  if (value === 'root') return 'user root is what happens without --user; leave it empty to stay root';
  if (!USER_RE.test(value))
    return `user must be a POSIX account name (a-z, 0-9, "_", "-", at most 32), got ${quote(value)}`;
  return true;
}

export const XDG_PREFIX = '$XDG_RUNTIME_DIR/';

/** Directories anyone can create files in: a pid file there can be pre-created or its lock held by any user. */
export const WORLD_WRITABLE = ['/tmp', '/var/tmp', '/dev/shm', '/run/shm', '/run/lock', '/var/lock'] as const;

export function defaultPidfile(daemon: string, account: string, scope: string): string {
  if (scope === 'user') return `${XDG_PREFIX}${daemon}.pid`;
  // With --user the daemon must still remove its pid file after dropping privileges, so the file
  // lives in a directory that account owns (systemd's RuntimeDirectory= creates it).
  return account ? `/run/${daemon}/${daemon}.pid` : `/run/${daemon}.pid`;
}

/** Checks shared by absolute file paths. `isDirectory` is the one look at the file system. */
export function absoluteFile(what: string, value: string, probe: (p: string) => boolean = isDirectory): true | string {
  if (value === '') return `${what} must be an absolute path, got ""`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return `${what} must not contain control characters such as a newline`;
  if (!value.startsWith('/')) return `${what} must be an absolute path, got ${quote(value)}`;
  if (/[\s"'\\$`%]/.test(value))
    return `${what} must not contain spaces, quotes, "\\", "$", "\`" or "%", got ${quote(value)}`;
  if (value.endsWith('/')) return `${what} must name a file, not a directory, got ${quote(value)}`;
  if (value.split('/').some((part) => part === '..' || part === '.'))
    return `${what} must not contain "." or ".." components, got ${quote(value)} (use ${quote(posix.normalize(value))})`;
  if (probe(value)) return `${what} ${quote(value)} is an existing directory; name a file inside it`;
  return true;
}

export function pidfile(value: string, scope?: string, probe?: (p: string) => boolean, account = ''): true | string {
  const xdg = value.startsWith(XDG_PREFIX);
  if (xdg && scope !== 'user')
    return `pidfile may use $XDG_RUNTIME_DIR only with --scope user; give an absolute path such as /run/name.pid`;
  const checked = absoluteFile(
    'pidfile',
    xdg ? `/${value.slice(XDG_PREFIX.length)}` : value,
    xdg ? () => false : probe,
  );
  if (checked !== true) return xdg ? checked.replace(/"\//, `"${XDG_PREFIX}`) : checked;
  const dir = posix.dirname(value);
  if ((WORLD_WRITABLE as readonly string[]).includes(dir))
    return `pidfile must not be in world-writable ${dir}: any user could create it first or hold its lock; use /run/<name>.pid`;
  if (account && ['/run', '/var/run'].includes(dir)) {
    const name = posix.basename(value).replace(/\.pid$/, '');
    return `pidfile ${quote(value)} sits directly in ${dir}, where --user ${account} cannot create or remove it; use a directory of its own such as /run/${name}/${name}.pid`;
  }
  return true;
}

export function label(value: string): true | string {
  if (/^[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9][A-Za-z0-9-]*)+$/.test(value) && value.length <= 128) return true;
  return `label must be reverse-DNS such as "local.mydaemon" or "com.example.mydaemon", got ${quote(value)}`;
}

export function umask(value: string): true | string {
  if (/^0?[0-7]{3}$/.test(value)) return true;
  return `umask must be three octal digits such as 022 or 027, got ${quote(value)}`;
}
