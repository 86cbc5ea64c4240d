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

/** Names that would collide with the emitted Makefile's targets or the project's own files and directories. */
export const RESERVED_NAMES = [
  'all',
  'check',
  'install',
  'uninstall',
  'clean',
  'fuzz',
  'lint',
  'grade',
  'helper',
  'src',
  'tests',
  'etc',
  'init',
  'makefile',
  'gnumakefile',
  'readme',
] as const;

/** The words `create-daemon` reads as a subcommand, not a daemon name, when they come first. */
export const SUBCOMMANDS = ['units', 'help'] as const;

export function name(value: string): true | string {
  if (value === '') return 'a daemon name is required, for example "mydaemon"';
  if (value.length > MAX_NAME)
    return `name must be at most ${MAX_NAME} characters, got ${value.length}${suggest(value)}`;
  if (!/^[a-z0-9_-]*$/.test(value))
    return `name may hold only a-z, 0-9, "_" and "-", got ${quote(value)}${suggest(value)}`;
  if (!NAME_RE.test(value)) return `name must start with a lower-case letter, got ${quote(value)}${suggest(value)}`;
  if ((SUBCOMMANDS as readonly string[]).includes(value))
    return `name ${quote(value)} is a create-daemon subcommand; choose another, such as "${value}d"`;
  if ((RESERVED_NAMES as readonly string[]).includes(value))
    return `name ${quote(value)} would clash with the project's Makefile targets or directories; choose another, such as "${value}d"`;
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

/** Optimal string alignment distance: Levenshtein's edits, plus swapping two adjacent characters. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  return d[a.length]![b.length]!;
}

/** Other words for a choice (`threads` for multi), which only ever lead to a suggestion. */
export type Synonyms = Readonly<Record<string, string>>;

/**
 * What a mistyped word most likely meant: a synonym, the one candidate it begins (3 letters or more), or
 * the closest candidate within a third of its length (at least one edit). Case is ignored; ties go to
 * the earlier candidate. Undefined when nothing is that close: a wild guess helps nobody.
 */
export function nearest(typed: string, candidates: readonly string[], synonyms: Synonyms = {}): string | undefined {
  const t = typed.toLowerCase();
  if (t === '') return undefined;
  const named = Object.entries(synonyms).find(([word]) => word === t)?.[1];
  if (named !== undefined) return named;
  const begun = candidates.filter((c) => c.toLowerCase().startsWith(t));
  if (t.length >= 3 && begun.length === 1) return begun[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(t, c.toLowerCase());
    if (d <= Math.max(1, Math.floor(c.length / 3)) && d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

const didYouMean = (typed: string, choices: readonly string[], synonyms?: Synonyms): string => {
  const guess = nearest(typed, choices, synonyms);
  return guess === undefined ? '' : `; did you mean ${guess}?`;
};

export function oneOf(flag: string, choices: readonly string[], value: string, synonyms?: Synonyms): true | string {
  if ((choices as readonly string[]).includes(value)) return true;
  const list = `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
  return `${flag} must be ${list}, got ${quote(value)}${didYouMean(value, choices, synonyms)}`;
}

export function facility(choices: readonly string[], value: string): true | string {
  if (choices.includes(value)) return true;
  const hint = /^local\d+$/.test(value) ? ' (local0 ... local7 exist)' : didYouMean(value, choices);
  return `facility must be one of ${choices.join(', ')}, got ${quote(value)}${hint}`;
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A list of choices (--init, --fleet): every item one of them (or "did you mean"), and each once. */
function knownOnce(
  flag: string,
  item: string,
  choices: readonly string[],
  values: readonly string[],
  synonyms?: Synonyms,
): true | string {
  const unknown = values.find((s) => !choices.includes(s));
  if (unknown !== undefined)
    return `${flag} has unknown ${item} ${quote(unknown)}${didYouMean(unknown, choices, synonyms) || `; choose from ${choices.join(', ')}`}`;
  const twice = values.find((s, i) => values.indexOf(s) !== i);
  if (twice !== undefined) return `${flag} lists ${twice} twice; give each ${item} once`;
  return true;
}

/** Init systems that only run system services: they make no sense for --scope user. */
export const SYSTEM_ONLY_INIT = ['sysv', 'openrc', 'runit', 'rcd'] as const;

export function initList(
  choices: readonly string[],
  values: readonly string[],
  scope?: string,
  synonyms?: Synonyms,
): true | string {
  const known = knownOnce('init', 'init system', choices, values, synonyms);
  if (known !== true) return known;
  if (values.length === 0) return `init needs at least one of ${choices.join(', ')}`;
  const systemOnly = values.filter((s) => (SYSTEM_ONLY_INIT as readonly string[]).includes(s));
  if (scope === 'user' && systemOnly.length > 0)
    return `init ${systemOnly.join(', ')} run${systemOnly.length === 1 ? 's' : ''} system services only; with --scope user choose from ${choices.filter((c) => !systemOnly.includes(c) && !(SYSTEM_ONLY_INIT as readonly string[]).includes(c)).join(', ')}`;
  return true;
}

/** --fleet: a list (possibly empty) of known engines, each once; the images hold the static C daemon. */
export function fleetList(
  choices: readonly string[],
  values: readonly string[],
  a: { lang?: string; scope?: string },
  synonyms?: Synonyms,
): true | string {
  const known = knownOnce('fleet', 'engine', choices, values, synonyms);
  if (known !== true) return known;
  if (values.length > 0 && a.lang === 'typescript')
    return 'fleet ships the static C daemon in its images (a TypeScript daemon would need Node in them): drop --fleet, or use --lang c';
  if (values.length > 0 && a.scope === 'user')
    return 'fleet is for system services (an image runs as a system service): drop --fleet, or use --scope system';
  return true;
}

const USER_RE = /^[a-z_][a-z0-9_-]{0,31}$/;

export function user(value: string, scope?: string): true | string {
  if (value === '') return true;
  if (scope === 'user') return 'user cannot be combined with --scope user: a per-user service runs as its user';
  if (value === 'root') return 'user root is the default; to stay root, leave out --user';
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

/** The POSIX portable filename characters, and "/" and "+": a path reaches shell scripts, unit files,
 * a plist and a Makefile, and none of these characters means anything to any of them. */
const PORTABLE_PATH = /^[A-Za-z0-9._/+-]+$/;

/** Checks shared by absolute file paths. `probe` is the one look at the file system. */
export function absoluteFile(what: string, value: string, probe: (p: string) => boolean = isDirectory): true | string {
  if (value === '') return `${what} must be an absolute path, got ""`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return `${what} must not contain control characters such as a newline`;
  if (!value.startsWith('/')) return `${what} must be an absolute path, got ${quote(value)}`;
  if (!PORTABLE_PATH.test(value))
    return `${what} may use only letters, digits, ".", "_", "-", "+" and "/" (it reaches shell scripts, unit files and a Makefile), got ${quote(value)}`;
  if (value.length > 1024) return `${what} must be at most 1024 characters, got ${value.length}`;
  if (value.endsWith('/')) return `${what} must name a file, not a directory, got ${quote(value)}`;
  if (posix.normalize(value) !== value || value.split('/').some((part) => part === '..' || part === '.'))
    return `${what} must be a normalised path without "." or ".." components, got ${quote(value)} (use ${quote(posix.normalize(value))})`;
  const dir = posix.dirname(value);
  if ((WORLD_WRITABLE as readonly string[]).includes(dir))
    return `${what} must not be in world-writable ${dir}: any local user could create or replace it first`;
  if (probe(value)) return `${what} ${quote(value)} is an existing directory; name a file inside it`;
  return true;
}

/** AF_UNIX socket paths hold at most 107 bytes on Linux (sun_path[108]), 103 on the BSDs and macOS. */
export const MAX_SOCKET_PATH = 103;
/** The longest $XDG_RUNTIME_DIR a per-user service may get: /run/user/<uid>, uid up to 2^32-1. */
const LONGEST_XDG = '/run/user/4294967295';

/** Where the echo socket goes: beside the pid file (one directory to create, own and clean). */
export const socketPath = (pidfilePath: string, daemon: string): string =>
  `${posix.dirname(pidfilePath)}/${daemon}.sock`;

export interface PidfileContext {
  readonly name?: string;
  readonly scope?: string;
  readonly user?: string;
  readonly config?: string;
  readonly payload?: string;
}

export function pidfile(value: string, a: PidfileContext = {}, probe?: (p: string) => boolean): true | string {
  const xdg = value.startsWith(XDG_PREFIX);
  if (xdg && a.scope !== 'user')
    return `pidfile may use $XDG_RUNTIME_DIR only with --scope user; give an absolute path such as /run/name.pid`;
  const checked = absoluteFile(
    'pidfile',
    xdg ? `/${value.slice(XDG_PREFIX.length)}` : value,
    xdg ? () => false : probe,
  );
  if (checked !== true) return xdg ? checked.replace(/"\//, `"${XDG_PREFIX}`) : checked;
  const dir = posix.dirname(value);
  const base = posix.basename(value).replace(/\.pid$/, '');
  if (a.scope === 'user' && !xdg && /^\/(var\/)?run(\/|$)/.test(dir))
    return `pidfile ${quote(value)} is under ${dir}, which a per-user service cannot write; use $XDG_RUNTIME_DIR/${base}.pid`;
  if (a.user && ['/run', '/var/run'].includes(dir))
    return `pidfile ${quote(value)} sits directly in ${dir}, where --user ${a.user} cannot create or remove it; use a directory of its own such as /run/${base}/${base}.pid`;
  if (a.config !== undefined && value === a.config)
    return `pidfile and --config must be different files, both are ${quote(value)}`;
  if (a.payload === 'echo' && a.name) {
    const sock = socketPath(value, a.name);
    if (sock === a.config) return `pidfile's directory would put the echo socket ${quote(sock)} on the config file`;
    const longest = xdg ? `${LONGEST_XDG}/${sock.slice(XDG_PREFIX.length)}` : sock;
    if (Buffer.byteLength(longest) > MAX_SOCKET_PATH)
      return `pidfile's directory is too deep for the echo socket beside it: ${quote(sock)} must fit in ${MAX_SOCKET_PATH} bytes (a UNIX socket path limit); use a shorter directory`;
  }
  return true;
}

export function label(value: string): true | string {
  if (/^[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9][A-Za-z0-9-]*)+$/.test(value) && value.length <= 128) return true;
  return `label must be reverse-DNS such as "local.mydaemon" or "com.example.mydaemon", got ${quote(value)}`;
}

export function umask(value: string): true | string {
  // umask(1) prints four digits (0022): a leading 0 is accepted, and the message says so.
  if (!/^0?[0-7]{3}$/.test(value))
    return `umask must be three octal digits, or four starting with 0, such as 022, 027 or 0022, got ${quote(value)}`;
  // The daemon creates its pid file and socket under this mask: it must keep them readable and
  // writable by their owner, or the echo socket would accept nobody but root.
  if ((Number.parseInt(value, 8) & 0o600) !== 0)
    return `umask ${value} takes read or write away from the files' owner; keep the owner bits 0, such as 077 or 027`;
  return true;
}

/** A package maintainer as Debian's control file and RPM's changelog want it: "Name <address>". */
export function maintainer(value: string): true | string {
  const m = /^([^<>,]*[^<>,\s]) <([^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)>$/.exec(value);
  if (m)
    return /@(localhost|[^.]+\.localdomain)\b/.test(value)
      ? `maintainer's address must not be on localhost, got ${quote(value)}`
      : true;
  return `maintainer must be a name and an address, such as "Ada Lovelace <ada@example.org>", got ${quote(value)} (the packages and the copyright notice name it; set DEBFULLNAME and DEBEMAIL, or git's user.name and user.email)`;
}

/** The date VERSION was released: a calendar date, YYYY-MM-DD. */
export function released(value: string): true | string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(`${value}T00:00:00Z`) : undefined;
  if (d && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value)) return true;
  return `released must be a date such as 2026-12-06 (YYYY-MM-DD), got ${quote(value)}`;
}

/** .yo-rc.json's per-student variant (core/variant.ts): '' or "<student id> <HMAC in hex>". */
export function variant(
  value: string,
  a: { lang?: string; fleet?: readonly string[]; starter?: boolean },
  re: RegExp,
): true | string {
  if (value === '') return true;
  if (!re.test(value))
    return `variant must be a student id and 64 hex digits, as create-daemon --variant-seed saves it, got ${quote(value)}; generate again with --variant-seed and --student`;
  if (a.lang === 'typescript')
    return 'variant (--variant-seed) is for the C course starter: drop --variant-seed, or use --lang c';
  if (a.starter === false)
    return 'variant (--variant-seed) is for a course starter: add --starter (the reference is generated without a variant: one serves every student)';
  if (a.fleet !== undefined && a.fleet.length > 0)
    return 'variant (--variant-seed) is a one-machine exercise: drop --fleet, or --variant-seed';
  return true;
}
