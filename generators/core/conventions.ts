// THE table of conventions. Every convention is declared once, here: prompts, flags, validation,
// --help, the .yo-rc.json keys, the README's options table and the test matrix all derive from it.
import { defaultMaintainer, today } from './identity.js';
import * as v from './validate.js';
import { VARIANT_RE } from './variant.js';

export const LANGS = ['c', 'typescript'] as const;
export const RELOAD = ['single', 'multi'] as const;
export const PAYLOAD = ['tick', 'echo'] as const;
export const INIT_SYSTEMS = ['systemd', 'sysv', 'launchd', 'openrc', 'runit', 'rcd'] as const;
export const SYSTEMD_TYPES = ['notify', 'forking', 'simple'] as const;
export const SCOPES = ['system', 'user'] as const;
/** SPDX identifiers (spdx.org/licenses), and none: all rights reserved, no LICENSE file. */
export const LICENSES = ['MIT', 'Apache-2.0', 'BSD-2-Clause', 'GPL-2.0-or-later', 'none'] as const;
/** Engines beyond one machine: an OCI image, a kustomize base, a Nomad job, a systemd portable service. */
export const FLEETS = ['oci', 'k8s', 'nomad', 'portable'] as const;
/** syslog(3) facilities a user process may log to (LOG_KERN is reserved for the kernel). */
export const FACILITIES = [
  'daemon',
  'user',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
  'auth',
  'authpriv',
  'cron',
  'ftp',
  'lpr',
  'mail',
  'news',
  'syslog',
  'uucp',
] as const;

/** Words people type for a choice: each leads to "did you mean ...?", never to a value. */
const RELOAD_WORDS = {
  thread: 'multi',
  threads: 'multi',
  threaded: 'multi',
  multithreaded: 'multi',
  'multi-threaded': 'multi',
  sigwait: 'multi',
  'single-threaded': 'single',
  singlethreaded: 'single',
} as const;
const LANG_WORDS = {
  ts: 'typescript',
  node: 'typescript',
  nodejs: 'typescript',
  javascript: 'typescript',
  js: 'typescript',
} as const;
const LICENSE_WORDS = {
  mit: 'MIT',
  apache: 'Apache-2.0',
  apache2: 'Apache-2.0',
  'apache-2': 'Apache-2.0',
  'apache-2.0': 'Apache-2.0',
  bsd: 'BSD-2-Clause',
  bsd2: 'BSD-2-Clause',
  'bsd-2': 'BSD-2-Clause',
  'bsd-2-clause': 'BSD-2-Clause',
  freebsd: 'BSD-2-Clause',
  gpl: 'GPL-2.0-or-later',
  gpl2: 'GPL-2.0-or-later',
  gplv2: 'GPL-2.0-or-later',
  'gpl-2.0': 'GPL-2.0-or-later',
  'gpl-2.0+': 'GPL-2.0-or-later',
  'gpl-2.0-or-later': 'GPL-2.0-or-later',
  proprietary: 'none',
  unlicensed: 'none',
} as const;
const FLEET_WORDS = {
  docker: 'oci',
  podman: 'oci',
  container: 'oci',
  image: 'oci',
  kubernetes: 'k8s',
  kube: 'k8s',
  kustomize: 'k8s',
  hashicorp: 'nomad',
  portablectl: 'portable',
} as const;
const PAYLOAD_WORDS = { server: 'echo', socket: 'echo', timer: 'tick', periodic: 'tick' } as const;
const INIT_WORDS = {
  systemv: 'sysv',
  sysvinit: 'sysv',
  'init.d': 'sysv',
  launchctl: 'launchd',
  'rc.d': 'rcd',
  freebsd: 'rcd',
  runsv: 'runit',
} as const;

export type Lang = (typeof LANGS)[number];
export type Reload = (typeof RELOAD)[number];
export type Payload = (typeof PAYLOAD)[number];
export type InitSystem = (typeof INIT_SYSTEMS)[number];
export type SystemdType = (typeof SYSTEMD_TYPES)[number];
export type Scope = (typeof SCOPES)[number];
export type Facility = (typeof FACILITIES)[number];
export type License = (typeof LICENSES)[number];
export type Fleet = (typeof FLEETS)[number];

/** Every answer, as saved under "create-daemon" in .yo-rc.json. */
export interface Answers {
  name: string;
  description: string;
  lang: Lang;
  payload: Payload;
  reload: Reload;
  init: InitSystem[];
  systemdType: SystemdType;
  scope: Scope;
  user: string;
  pidfile: string;
  config: string;
  facility: Facility;
  label: string;
  umask: string;
  license: License;
  fleet: Fleet[];
  starter: boolean;
  variant: string;
  maintainer: string;
  released: string;
}

export type Key = keyof Answers;
export type Value = string | string[] | boolean;

export interface Convention {
  /** The .yo-rc.json key and the answers field. */
  readonly key: Key;
  /** The long flag without dashes; absent for the positional name. */
  readonly flag?: string;
  /** The placeholder shown in --help. */
  readonly arg: string;
  /** text and select take a string, checkbox a list, confirm a yes/no (a flag with no value). */
  readonly kind: 'text' | 'select' | 'checkbox' | 'confirm';
  readonly choices?: readonly string[];
  /** The prompt's question. */
  readonly message: string;
  /** What the prompts call the value in an error message ("the lock/PID file"): flag names are for flags. */
  readonly noun: string;
  /** The one-line --help and README description. */
  readonly help: string;
  /** How the default is described in --help when it depends on other answers. */
  readonly defaultHelp?: string;
  readonly default: (answers: Partial<Answers>) => Value;
  /** Pure: true, or a message that says how to fix the value. */
  readonly validate: (value: Value, answers: Partial<Answers>) => true | string;
  /** The choices that fit the answers so far, when fewer than `choices` do (the prompt offers only these). */
  readonly choicesFor?: (answers: Partial<Answers>) => readonly string[];
  /** Asked (and accepted as a flag by `create-daemon units`) only when this holds. */
  readonly when?: (answers: Partial<Answers>) => boolean;
  /** Why a value given as a flag has no effect when `when` does not hold: the CLI warns with it. */
  readonly unused?: (answers: Answers) => string;
  /** `create-daemon units` accepts this flag. */
  readonly units?: boolean;
  /**
   * Neither a flag nor a prompt: worked out once when the project is first generated (from the
   * environment, see identity.ts) and kept in .yo-rc.json, so that every later rendering is the same.
   */
  readonly recorded?: boolean;
}

const str = (value: Value): string => (Array.isArray(value) ? value.join(',') : String(value));
const list = (value: Value): string[] => (Array.isArray(value) ? value : v.splitList(String(value)));

export const CONVENTIONS: readonly Convention[] = [
  {
    key: 'name',
    arg: '<name>',
    kind: 'text',
    message: 'Daemon name (also the C prefix, syslog ident and file names)',
    noun: 'the daemon name',
    help: 'daemon name: ^[a-z][a-z0-9_-]{0,30}$ (a dash becomes _ in C identifiers)',
    default: () => 'mydaemon',
    validate: (value) => v.name(str(value)),
  },
  {
    key: 'description',
    flag: 'description',
    arg: '<text>',
    kind: 'text',
    message: 'One-line description',
    noun: 'the description',
    help: 'what the daemon is, for the unit files and README',
    defaultHelp: '"<name> daemon"',
    default: (a) => `${a.name ?? 'mydaemon'} daemon`,
    validate: (value) => v.description(str(value)),
  },
  {
    key: 'lang',
    flag: 'lang',
    arg: '<c|typescript>',
    kind: 'select',
    choices: LANGS,
    message: 'Language of the daemon: C, or TypeScript on Node.js behind the same C helper',
    noun: 'the language',
    help: 'the daemon in C, or in TypeScript on Node.js, started and supervised by the same small C helper',
    default: () => 'c',
    validate: (value) => v.oneOf('lang', LANGS, str(value), LANG_WORDS),
  },
  {
    key: 'payload',
    flag: 'payload',
    arg: '<tick|echo>',
    kind: 'select',
    choices: PAYLOAD,
    message: 'What the daemon does: a periodic task, or a UNIX-socket echo server',
    noun: 'the payload',
    help: 'what the daemon does: a periodic task, or a UNIX-socket echo server',
    default: () => 'tick',
    validate: (value) => v.oneOf('payload', PAYLOAD, str(value), PAYLOAD_WORDS),
  },
  {
    key: 'reload',
    flag: 'reload',
    arg: '<single|multi>',
    kind: 'select',
    choices: RELOAD,
    message: 'SIGHUP reload model: single-threaded (flags + main loop) or multithreaded (sigwait thread)',
    noun: 'the reload model',
    help: 'SIGHUP handling: single-threaded (handlers set flags) or multithreaded (one sigwait thread)',
    default: () => 'single',
    validate: (value) => v.oneOf('reload', RELOAD, str(value), RELOAD_WORDS),
  },
  {
    key: 'scope',
    flag: 'scope',
    arg: '<system|user>',
    kind: 'select',
    choices: SCOPES,
    message: 'Service scope: a system service, or a per-user service',
    noun: 'the service scope',
    help: 'system service, or per-user (systemd --user, launchd LaunchAgent, pid file under $XDG_RUNTIME_DIR)',
    default: () => 'system',
    validate: (value) => v.oneOf('scope', SCOPES, str(value)),
    units: true,
  },
  {
    key: 'init',
    flag: 'init',
    arg: '<list>',
    kind: 'checkbox',
    choices: INIT_SYSTEMS,
    message: 'Init systems to support',
    noun: 'the list of init systems',
    help: `comma list of ${INIT_SYSTEMS.join(', ')}`,
    defaultHelp: 'systemd,sysv,launchd; with --scope user systemd,launchd',
    default: (a) => (a.scope === 'user' ? ['systemd', 'launchd'] : ['systemd', 'sysv', 'launchd']),
    choicesFor: (a) =>
      a.scope === 'user'
        ? INIT_SYSTEMS.filter((s) => !(v.SYSTEM_ONLY_INIT as readonly string[]).includes(s))
        : INIT_SYSTEMS,
    validate: (value, a) => v.initList(INIT_SYSTEMS, list(value), a.scope, INIT_WORDS),
    units: true,
  },
  {
    key: 'systemdType',
    flag: 'systemd-type',
    arg: '<notify|forking|simple>',
    kind: 'select',
    choices: SYSTEMD_TYPES,
    message: 'systemd service Type',
    noun: 'the systemd service Type',
    help: 'systemd Type=: notify (sd_notify readiness), forking (readiness pipe), simple',
    default: () => 'notify',
    validate: (value) => v.oneOf('systemd-type', SYSTEMD_TYPES, str(value)),
    when: (a) => a.init === undefined || a.init.includes('systemd'),
    unused: (a) => `no systemd among the init systems (${a.init.join(', ')})`,
    units: true,
  },
  {
    key: 'user',
    flag: 'user',
    arg: '<name>',
    kind: 'text',
    message: 'Unprivileged account to run as (empty: stay root)',
    noun: 'the account',
    help: 'unprivileged account the daemon runs as',
    defaultHelp: 'none, stays root',
    default: () => '',
    validate: (value, a) => v.user(str(value), a.scope),
    when: (a) => a.scope !== 'user',
    units: true,
  },
  {
    key: 'pidfile',
    flag: 'pidfile',
    arg: '<path>',
    kind: 'text',
    message: 'Lock/PID file (absolute path)',
    noun: 'the lock/PID file',
    help: "lock/PID file, absolute; APUE's /var/run/<name>.pid is accepted",
    defaultHelp: '/run/<name>.pid; with --user /run/<name>/<name>.pid; with --scope user $XDG_RUNTIME_DIR/<name>.pid',
    default: (a) => v.defaultPidfile(a.name ?? 'mydaemon', a.user ?? '', a.scope ?? 'system'),
    validate: (value, a) => v.pidfile(str(value), a),
  },
  {
    key: 'config',
    flag: 'config',
    arg: '<path>',
    kind: 'text',
    message: 'Config file (absolute path)',
    noun: 'the config file',
    help: 'config file, absolute',
    defaultHelp: '/etc/<name>.conf',
    default: (a) => `/etc/${a.name ?? 'mydaemon'}.conf`,
    validate: (value) => v.absoluteFile('config', str(value)),
  },
  {
    key: 'facility',
    flag: 'facility',
    arg: '<name>',
    kind: 'select',
    choices: FACILITIES,
    message: 'syslog facility',
    noun: 'the syslog facility',
    help: `syslog facility: ${FACILITIES.join(', ')}`,
    default: () => 'daemon',
    validate: (value) => v.facility(FACILITIES, str(value)),
  },
  {
    key: 'label',
    flag: 'label',
    arg: '<reverse-dns>',
    kind: 'text',
    message: 'launchd label (reverse DNS)',
    noun: 'the launchd label',
    help: 'launchd label',
    defaultHelp: 'local.<name> ("_" as "-")',
    // Reverse DNS has no "_": a daemon named my_d is local.my-d.
    default: (a) => `local.${(a.name ?? 'mydaemon').replace(/_/g, '-')}`,
    validate: (value) => v.label(str(value)),
    when: (a) => a.init === undefined || a.init.includes('launchd'),
    unused: (a) => `no launchd among the init systems (${a.init.join(', ')})`,
    units: true,
  },
  {
    key: 'umask',
    flag: 'umask',
    arg: '<octal>',
    kind: 'text',
    message: 'File mode creation mask (octal)',
    noun: 'the file mode creation mask',
    help: 'file mode creation mask set when detaching',
    default: () => '022',
    validate: (value) => v.umask(str(value)),
  },
  {
    key: 'license',
    flag: 'license',
    arg: '<id>',
    kind: 'select',
    choices: LICENSES,
    message: 'License of the generated code (an SPDX identifier, or none)',
    noun: 'the license',
    help: `license of the generated code: ${LICENSES.join(', ')}; a LICENSE file, SPDX headers and the packages' fields`,
    default: () => 'MIT',
    validate: (value) => v.oneOf('license', LICENSES, str(value), LICENSE_WORDS),
  },
  {
    key: 'fleet',
    flag: 'fleet',
    arg: '<list>',
    kind: 'checkbox',
    choices: FLEETS,
    message: 'Beyond one machine: an OCI image, Kubernetes (kustomize), a Nomad job, a systemd portable service',
    noun: 'the list of fleet engines',
    help: `comma list of ${FLEETS.join(', ')}: an OCI image, a kustomize base, a Nomad job, a portable service`,
    defaultHelp: 'none',
    default: () => [],
    validate: (value, a) => v.fleetList(FLEETS, list(value), a, FLEET_WORDS),
    when: (a) => a.lang !== 'typescript' && a.scope !== 'user',
    unused: (a) =>
      a.lang === 'typescript'
        ? 'the fleet files ship the static C daemon, and a TypeScript daemon needs Node in its image'
        : "a per-user service (--scope user) runs on one machine, in its user's session",
    units: true,
  },
  {
    key: 'starter',
    flag: 'starter',
    arg: '',
    kind: 'confirm',
    message: 'Course-assignment starter: leave the daemon plumbing for students to write, graded by make check?',
    noun: 'the starter choice',
    help: 'emit an exercise: the plumbing functions have guided TODO bodies, and make check grades them',
    defaultHelp: 'off',
    default: () => false,
    validate: (value, a) =>
      typeof value !== 'boolean'
        ? 'starter is a yes/no flag'
        : value && a.lang === 'typescript'
          ? 'the starter is a C exercise (the daemon plumbing in C, graded function by function): drop --starter, or use --lang c'
          : true,
    when: (a) => a.lang !== 'typescript',
  },
  {
    // Given by the CLI's --variant-seed and --student (cli/main.ts): the seed itself is never saved.
    key: 'variant',
    arg: '<student> <hmac>',
    kind: 'text',
    message: 'Per-student variant',
    noun: 'the per-student variant',
    help: 'the student id and the HMAC of --variant-seed, which derive the variant (core/variant.ts)',
    default: () => '',
    validate: (value, a) => v.variant(str(value), a, VARIANT_RE),
    recorded: true,
  },
  {
    key: 'maintainer',
    arg: '<Name <address>>',
    kind: 'text',
    message: 'Maintainer (Name <address>)',
    noun: 'the maintainer',
    help: "the packages' maintainer and the copyright holder: DEBFULLNAME and DEBEMAIL, else git's user.name and user.email",
    default: (a) => defaultMaintainer(a.name ?? 'mydaemon'),
    validate: (value) => v.maintainer(str(value)),
    recorded: true,
  },
  {
    key: 'released',
    arg: '<YYYY-MM-DD>',
    kind: 'text',
    message: 'Release date of the first version',
    noun: 'the release date',
    help: "the first version's date (the man pages' and the changelogs' date): the day it was generated, or SOURCE_DATE_EPOCH's",
    default: () => today(),
    validate: (value) => v.released(str(value)),
    recorded: true,
  },
];

export function convention(key: Key): Convention {
  const row = CONVENTIONS.find((c) => c.key === key);
  if (!row) throw new Error(`no convention ${key}`);
  return row;
}
