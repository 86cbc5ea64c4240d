// Answers -> the render context: every name, constant and escaped string a template needs,
// computed once. docs/ARCHITECTURE.md lists the fields; templates only interpolate them.
import { posix } from 'node:path';
import { type Answers, type InitSystem, INIT_SYSTEMS } from './conventions.js';
import { cString, dqText, mdCode, mdText, oneLine, roffArg, roffText, shWord, unitValue, xmlText } from './escape.js';
import { TS_SOURCES } from './ts-sources.js';
import { rpmFields } from './rpm.js';
import { debFields } from './deb.js';
import { fleetFields } from './fleet.js';
import { exerciseFiles, rubricRules } from './rubric.js';
import { socketPath, XDG_PREFIX } from './validate.js';
import { parseVariant } from './variant.js';

export const DAEMON_VERSION = '0.1.0';
export const PREFIX = '/usr/local';

const mapValues = <K extends string>(obj: Record<K, string>, f: (s: string) => string): Record<K, string> =>
  Object.fromEntries(Object.entries<string>(obj).map(([k, s]) => [k, f(s)])) as Record<K, string>;

/** The pid file's directory relative to /run (or $XDG_RUNTIME_DIR), for systemd's RuntimeDirectory=. */
function runtimeDirectory(pidDir: string): string {
  for (const root of ['$XDG_RUNTIME_DIR', '/run', '/var/run']) {
    if (pidDir.startsWith(`${root}/`)) return pidDir.slice(root.length + 1);
  }
  return '';
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The release date in each format that quotes it: mdoc's .Dd, debian/changelog (RFC 5322), RPM's %changelog. */
export function releaseDates(iso: string) {
  const d = new Date(`${iso}T00:00:00Z`);
  const day = DAYS[d.getUTCDay()]!;
  const mon = MONTHS[d.getUTCMonth()]!;
  const dd = String(d.getUTCDate()).padStart(2, '0');
  return {
    iso,
    year: iso.slice(0, 4),
    mdoc: `${mon} ${d.getUTCDate()}, ${d.getUTCFullYear()}`,
    debian: `${day}, ${dd} ${mon.slice(0, 3)} ${d.getUTCFullYear()} 00:00:00 +0000`,
    rpm: `${day} ${mon.slice(0, 3)} ${dd} ${d.getUTCFullYear()}`,
  };
}

export function buildContext(answers: Answers) {
  // A per-student variant (core/variant.ts) chooses the facility and the pid file's name.
  const variant = parseVariant(answers.variant, answers.name, answers.pidfile);
  const a: Answers = variant ? { ...answers, facility: variant.facility, pidfile: variant.pidfile } : answers;
  const ident = a.name.replace(/-/g, '_');
  const pidfileXdg = a.pidfile.startsWith(XDG_PREFIX);
  const pidDir = posix.dirname(a.pidfile);
  const sbindir = `${PREFIX}/sbin`;
  const text = {
    name: a.name,
    description: a.description,
    pidfile: a.pidfile,
    config: a.config,
    socket: socketPath(a.pidfile, a.name),
    version: DAEMON_VERSION,
    tickMessage: `${a.name} is alive`,
    binPath: `${sbindir}/${a.name}`,
    label: a.label,
    user: a.user,
    // macOS has no /run, and nothing recreates a pid directory in /var/run (root's, cleared at boot) for
    // a LaunchDaemon: without --user the pid file sits directly in /var/run; with --user (launchd starts
    // the job as that account) in a directory make install creates for it under /usr/local/var/run.
    // A LaunchAgent keeps its per-user default (the daemon falls back to TMPDIR on macOS).
    launchdPidfile:
      a.scope === 'user'
        ? a.pidfile
        : a.user
          ? `/usr/local/var/run/${a.name}/${a.name}.pid`
          : `/var/run/${posix.basename(a.pidfile)}`,
  };
  const launchdPidfile = text.launchdPidfile;
  // The echo socket on macOS, beside launchd's pid file: /run does not exist there.
  const launchdSocket = a.scope === 'user' ? text.socket : posix.join(posix.dirname(launchdPidfile), `${a.name}.sock`);
  const has = Object.fromEntries(INIT_SYSTEMS.map((s) => [s, a.init.includes(s)])) as Record<InitSystem, boolean>;
  const maintainer = /^(.*) <(.*)>$/.exec(a.maintainer) ?? ['', a.maintainer, ''];
  return {
    ...text,
    license: a.license,
    licensed: a.license !== 'none',
    // What each source file's first comment says (spdx.org/ids); nothing when the code is unlicensed.
    spdx: a.license === 'none' ? '' : `SPDX-License-Identifier: ${a.license}`,
    maintainer: a.maintainer,
    maintainerName: maintainer[1]!,
    maintainerEmail: maintainer[2]!,
    released: releaseDates(a.released),
    ident,
    IDENT: ident.toUpperCase(),
    lang: a.lang,
    ts: a.lang === 'typescript',
    tsSources: TS_SOURCES,
    // The file with main(): the C daemon's, or the TypeScript daemon's helper program.
    mainC: a.lang === 'typescript' ? 'native/main.c' : 'src/main.c',
    // The helper's signal model: the TypeScript daemon's helper always waits in one thread (--reload
    // is then Node's model: its event loop alone, or a worker thread).
    helperReload: a.lang === 'typescript' ? 'single' : a.reload,
    reload: a.reload,
    payload: a.payload,
    pidfileXdg,
    pidDir,
    launchdPidDir: posix.dirname(launchdPidfile),
    launchdSocket,
    launchdSocketC: cString(launchdSocket),
    // With --user, the LaunchDaemon's directory follows PREFIX at make time (init/install.mk):
    // the daemon's macOS default socket is compiled from it, with this as the fallback.
    launchdRunDirC: cString(posix.dirname(launchdPidfile)),
    launchdSocketNameC: cString(`/${a.name}.sock`),
    runtimeDirectory: runtimeDirectory(pidDir),
    facility: a.facility,
    facilityC: `LOG_${a.facility.toUpperCase()}`,
    umask: a.umask,
    umaskC: `0${a.umask.slice(-3)}`,
    init: INIT_SYSTEMS.filter((s) => has[s]),
    has,
    systemdType: a.systemdType,
    scope: a.scope,
    starter: a.starter,
    // The starter's graded rules (core/rubric.ts): tests/rubric and the student's README.
    rubric: a.starter ? rubricRules(a) : [],
    rubricMax: a.starter ? rubricRules(a).reduce((sum, r) => sum + r.points, 0) : 0,
    rubricPublicMax: a.starter
      ? rubricRules(a)
          .filter((r) => r.tier === 'public')
          .reduce((sum, r) => sum + r.points, 0)
      : 0,
    exerciseFiles: a.starter ? exerciseFiles(a) : [],
    variant,
    // The variant's values in tests/variant (sh) and src/variant.c (C), as tests/grade.sh writes them.
    vsh: variant
      ? mapValues(
          {
            student: variant.student,
            reload: variant.reload,
            spare: variant.spare,
            ident: variant.ident,
            facility: variant.facility,
            token: variant.token,
            pidfile: variant.pidfile,
          },
          shWord,
        )
      : undefined,
    vc: variant
      ? {
          ...mapValues({ ident: variant.ident, token: variant.token, pidfile: variant.pidfile }, cString),
          facility: `LOG_${variant.facility.toUpperCase()}`,
        }
      : undefined,
    // The signal that reloads, without its SIG (kill -HUP); the other one of the two is a spare.
    reloadSig: variant?.reload ?? 'HUP',
    spareSig: variant?.spare ?? 'USR2',
    prefix: PREFIX,
    sbindir,
    sysconfdir: '/etc',
    tickInterval: 60,
    c: mapValues(text, cString),
    // Shell scripts want one-line descriptions (OpenRC's description=, rc.d's desc=).
    sh: { ...mapValues(text, shWord), description: shWord(oneLine(a.description)) },
    // Inside "..." in a shell script, for example rc.d's : "${x:=value}" defaults.
    dq: mapValues(text, dqText),
    xml: mapValues(text, xmlText),
    // A JavaScript/JSON string literal (the TypeScript daemon's src/defaults.ts).
    js: mapValues(text, (s) => JSON.stringify(s)),
    unit: {
      description: unitValue(a.description),
      // systemd's %t is the runtime directory ($XDG_RUNTIME_DIR for a user manager, /run for the system one).
      pidfile: pidfileXdg ? `%t/${unitValue(a.pidfile.slice(XDG_PREFIX.length))}` : unitValue(a.pidfile),
    },
    line: { description: oneLine(a.description) },
    md: {
      description: mdText(a.description),
      student: variant ? mdText(variant.student) : '',
      // The variant's values as code spans (the ident and token are hex and the name's characters).
      variantPidfile: variant ? mdCode(variant.pidfile) : '',
    },
    // The man pages (mdoc): the text fields as roff text; .Dt's title in capitals; .Nd's argument.
    roff: { ...mapValues(text, roffText), title: a.name.toUpperCase(), nd: roffArg(a.description) },
    // SEE ALSO's .Xr lines ("name section" each; falsy ones left out) in mdoc's order, section then
    // name, which mandoc -Tlint checks: the project's own page sorts among the others by its name.
    xrs: (...pages: (string | false)[]): string =>
      pages
        .filter((p): p is string => !!p)
        .map((p) => p.split(' ') as [string, string])
        .sort(([n1, s1], [n2, s2]) => (s1 !== s2 ? (s1 < s2 ? -1 : 1) : n1.toLowerCase() < n2.toLowerCase() ? -1 : 1))
        .map(([n, s], i, all) => `.Xr ${n} ${s}${i < all.length - 1 ? ' ,' : ''}`)
        .join('\n'),
    // The RPM spec's text fields (generators/core/rpm.ts).
    rpm: rpmFields(a),
    // The Debian package's name and Description (generators/core/deb.ts).
    deb: debFields(a),
    // The fleet files' fields (generators/core/fleet.ts): the image, its account, the grace period.
    fleet: fleetFields(a, DAEMON_VERSION),
  };
}

export type Context = ReturnType<typeof buildContext>;
