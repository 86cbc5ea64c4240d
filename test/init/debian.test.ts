// The emitted debian/: three projects (the default answers; echo run as the existing `daemon`
// account; SysV only, as a new account that postinst creates) built with dpkg-buildpackage as root
// (the first one with make check), linted (no error, no warning), then installed with dpkg into a real systemd
// 252 as PID 1 (test/support/nspawn.ts: dpkg runs in the container's overlay only): started,
// reloaded (seen in the journal), upgraded to a higher version while running (one restart, one
// process, pid file = MainPID = `NAME -s`), removed and purged. The upgrades are built from copies
// with VERSION bumped and a `dch` entry; the default project's one by `nobody` (Rules-Requires-Root:
// no needs neither root nor fakeroot). A --lang typescript project's package is built and linted.
// Everything is built at once and the container boots meanwhile: one boot for the file.
import { cpSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itWith, missingReason } from '../support/tools.js';
import { cli, noDaemonReason } from '../support/init-project.js';
import { Container, NSPAWN_TOOLS, nspawnReason } from '../support/nspawn.js';
import { chownTree, linkNodeModules, runAsync, type RunResult } from '../support/project.js';
import { tempDir } from '../support/cli.js';

const TOOLS = [...NSPAWN_TOOLS, 'dpkg-buildpackage', 'dh', 'lintian', 'dch', 'runuser'];
const reason = () => noDaemonReason() ?? nspawnReason();
const live = itWith(TOOLS, reason);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAINTAINER = { DEBFULLNAME: 'Test Maintainer', DEBEMAIL: 'test@example.org' };

interface Cell {
  readonly name: string;
  readonly flags: readonly string[];
  /** The account the daemon runs as, and whether postinst has to create it. */
  readonly account?: { readonly user: string; readonly created: boolean };
  /** Started by systemd's sysv generator: no MainPID (GuessMainPID=no), rc?.d links instead of enabling. */
  readonly sysv?: boolean;
}
const CELLS: readonly Cell[] = [
  { name: 'debd', flags: [] },
  { name: 'debe', flags: ['--user', 'daemon', '--payload', 'echo'], account: { user: 'daemon', created: false } },
  { name: 'debv', flags: ['--init', 'sysv', '--user', 'debvu'], account: { user: 'debvu', created: true }, sysv: true },
];
const TS_CELL = { name: 'debt', flags: ['--lang', 'typescript'] };

interface Built {
  readonly initial: RunResult;
  readonly upgrade: RunResult;
  readonly deb: string;
  readonly upgradeDeb: string;
}
let work: string | undefined;
let c: Container | undefined;
const built = new Map<string, Built>();
let tsBuild: RunResult | undefined;
let refusal: RunResult | undefined;
let lint: Promise<RunResult> | undefined;
const box = (): Container => {
  if (!c) throw new Error('the container did not boot (see beforeAll)');
  return c;
};

/** A project generated in its own directory (the .deb lands in the parent); returns its path. */
function generate(name: string, flags: readonly string[], parent: string): string {
  mkdirSync(parent, { recursive: true });
  chmodSync(parent, 0o755);
  const dir = join(parent, name);
  const r = cli([name, '--yes', '--dir', dir, ...flags], parent, MAINTAINER);
  if (r.status !== 0) throw new Error(`create-daemon ${name} ${flags.join(' ')} exited ${r.status}: ${r.stderr}`);
  return dir;
}

/** A copy of dir one version up (VERSION in the Makefile, a dch entry), in a parent of its own. */
function upgradeCopy(dir: string, name: string, parent: string): string {
  mkdirSync(parent, { recursive: true });
  chmodSync(parent, 0o755);
  const up = join(parent, name);
  cpSync(dir, up, { recursive: true });
  const mk = join(up, 'Makefile');
  writeFileSync(mk, readFileSync(mk, 'utf8').replace(/^VERSION =\t0\.1\.0$/m, 'VERSION =\t0.1.1'));
  return up;
}

/** dpkg-buildpackage -us -uc -b in dir. quick: DEB_BUILD_OPTIONS=nocheck noddebs (no make check, no -dbgsym package). */
function dpkgBuild(dir: string, o: { quick?: boolean; as?: string } = {}): Promise<RunResult> {
  const env = { DEB_BUILD_OPTIONS: o.quick ? 'nocheck noddebs' : '', HOME: dir };
  const argv = ['dpkg-buildpackage', '-us', '-uc', '-b'];
  if (!o.as) return runAsync(argv, { cwd: dir, env, timeout: 240_000 });
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return runAsync(['runuser', '-u', o.as, '--', 'env', ...vars, ...argv], { cwd: dir, timeout: 240_000 });
}

beforeAll(async () => {
  if (missingReason(TOOLS, reason) !== undefined) return;
  work = tempDir('cd-deb-');
  chmodSync(work, 0o755);
  const jobs: Promise<unknown>[] = [];
  for (const [i, k] of CELLS.entries()) {
    const dir = generate(k.name, k.flags, join(work, k.name));
    const up = upgradeCopy(dir, k.name, join(work, `${k.name}-up`));
    // debian/rules refuses a changelog that does not name the Makefile's VERSION, saying what to do.
    if (i === 0) refusal = await runAsync(['make', '-f', 'debian/rules', 'override_dh_auto_build'], { cwd: up });
    const dch = await runAsync(['dch', '-v', '0.1.1', '-D', 'unstable', '--check-dirname-level', '0', 'Upgrade.'], {
      cwd: up,
      env: MAINTAINER,
    });
    if (dch.status !== 0) throw new Error(`dch in ${up}: ${dch.out}`);
    // The first upgrade is built by nobody, in a tree (and parent) nobody owns.
    const nobody = i === 0;
    if (nobody) {
      const [uid, gid] = ['-u', '-g'].map((f) => Number(execFileSync('id', [f, 'nobody'], { encoding: 'utf8' })));
      chownTree(join(work, `${k.name}-up`), uid!, gid!);
    }
    // make check runs in the first package build only: the others' builds are the same Makefile's.
    const builds = [
      dpkgBuild(dir, { quick: i > 0 }),
      dpkgBuild(up, { quick: true, as: nobody ? 'nobody' : undefined }),
    ] as const;
    jobs.push(
      Promise.all(builds).then(([initial, upgrade]) =>
        built.set(k.name, {
          initial,
          upgrade,
          deb: join(work!, k.name, `${k.name}_0.1.0_amd64.deb`),
          upgradeDeb: join(work!, `${k.name}-up`, `${k.name}_0.1.1_amd64.deb`),
        }),
      ),
    );
  }
  const tsDir = generate(TS_CELL.name, TS_CELL.flags, join(work, TS_CELL.name));
  linkNodeModules(tsDir);
  jobs.push(dpkgBuild(tsDir, { quick: true }).then((r) => (tsBuild = r)));
  jobs.push(Container.boot().then((box) => (c = box)));
  await Promise.all(jobs);
  const changes = [...CELLS, TS_CELL].map((k) => join(work!, k.name, `${k.name}_0.1.0_amd64.changes`));
  lint = runAsync(['lintian', '-I', '-E', '--pedantic', '--fail-on', 'error,warning', ...changes], {
    timeout: 180_000,
  });
}, 300_000);

afterAll(async () => {
  await c?.poweroff();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** systemctl show's properties of NAME.service. */
function show(name: string): Record<string, string> {
  const out = box().must(['systemctl', 'show', `${name}.service`, '-p', 'ActiveState,SubState,MainPID,UnitFileState']);
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** The daemon's own journal lines (its syslog ident) whose message matches. */
function logged(name: string, what: RegExp): { MESSAGE: string; _PID: string }[] {
  box().run(['journalctl', '--sync']);
  const out = box().must(['journalctl', '--no-pager', '-o', 'json', `SYSLOG_IDENTIFIER=${name}`]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { MESSAGE: string; _PID: string })
    .filter((e) => what.test(e.MESSAGE));
}

/** A command's trimmed stdout inside the container; throws unless it exits 0. */
const out = (argv: readonly string[]): string => box().must(argv).trim();

async function until(pred: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await sleep(100);
}

/** The one running daemon's pid: exactly one process of the binary, named by `NAME -s` and the pid file (and MainPID). */
function theDaemon(k: Cell): number {
  const procs = box().run(['pgrep', '-x', k.name]).stdout.split('\n').filter(Boolean).map(Number);
  expect(procs, `processes named ${k.name}`).toHaveLength(1);
  const pid = procs[0]!;
  expect(Number(out([`/usr/sbin/${k.name}`, '-s']))).toBe(pid);
  const pidfile = k.account ? `/run/${k.name}/${k.name}.pid` : `/run/${k.name}.pid`;
  expect(Number(box().readFile(pidfile)?.trim())).toBe(pid);
  if (!k.sysv) expect(Number(show(k.name).MainPID)).toBe(pid);
  return pid;
}

/** Copies a host file into the container's /var/tmp (through its PID 1's root); returns the path inside. */
function intoBox(path: string): string {
  const inside = `/var/tmp/${path.slice(path.lastIndexOf('/') + 1)}`;
  cpSync(path, `/proc/${box().leader}/root${inside}`);
  return inside;
}

describe('debian/: dpkg-buildpackage, lintian, and dpkg into systemd 252 (systemd-nspawn)', () => {
  live('builds each package as root (make check in the first), and an upgrade as nobody', () => {
    for (const [i, k] of CELLS.entries()) {
      const b = built.get(k.name)!;
      expect(b.initial.status, b.initial.out).toBe(0);
      if (i === 0) expect(b.initial.out).toMatch(/^\d+ passed, 0 failed$/m);
      expect(b.upgrade.status, b.upgrade.out).toBe(0);
      expect(existsSync(b.deb) && existsSync(b.upgradeDeb)).toBe(true);
    }
    expect(tsBuild?.status, tsBuild?.out).toBe(0);
    expect(refusal?.status).not.toBe(0);
    expect(refusal?.out).toContain(
      "debian/changelog's newest entry is 0.1.0 but the Makefile's VERSION is 0.1.1: add an entry with dch -v 0.1.1",
    );
  });

  for (const k of CELLS) {
    describe(k.name, () => {
      live(
        'dpkg -i installs, enables and starts it; reload; an upgrade restarts it once; -r stops; -P purges',
        async () => {
          const b = built.get(k.name)!;
          // The container is an overlay of this machine, whose policy-rc.d (exit 101, Docker's) forbids
          // maintainer scripts to start services; a real system has none.
          box().must(['rm', '-f', '/usr/sbin/policy-rc.d']);
          box().must(['dpkg', '-i', intoBox(b.deb)]);
          if (k.account?.created) expect(box().run(['getent', 'passwd', k.account.user]).status).toBe(0);
          if (k.sysv) expect(box().run(['sh', '-c', `test -L /etc/rc2.d/S*${k.name}`]).status).toBe(0);
          else expect(show(k.name).UnitFileState).toBe('enabled');
          await until(
            () => show(k.name).ActiveState === 'active' && box().run([`/usr/sbin/${k.name}`, '-s']).status === 0,
          );
          expect(show(k.name).ActiveState).toBe('active');
          const pid = theDaemon(k);
          if (k.account) expect(out(['ps', '-o', 'user=', '-p', String(pid)])).toBe(k.account.user);

          // reload: the same process re-reads its config, and says so.
          const reloads = logged(k.name, /^configuration reloaded from /).length;
          box().must(['systemctl', 'reload', k.name]);
          await until(() => logged(k.name, /^configuration reloaded from /).length > reloads);
          const after = logged(k.name, /^configuration reloaded from /);
          expect(after.length).toBe(reloads + 1);
          expect(Number(after.at(-1)!._PID)).toBe(pid);
          expect(theDaemon(k)).toBe(pid);

          // upgrade while it runs: exactly one restart, into the new version.
          const starts = logged(k.name, /^started \(version /).length;
          box().must(['dpkg', '-i', intoBox(b.upgradeDeb)]);
          await until(() => logged(k.name, /^started \(version 0\.1\.1\)/).length > 0);
          await sleep(500);
          const started = logged(k.name, /^started \(version /);
          expect(started.slice(starts).map((e) => e.MESSAGE.replace(/:.*/, ''))).toEqual(['started (version 0.1.1)']);
          const upgraded = theDaemon(k);
          expect(upgraded).not.toBe(pid);
          expect(Number(started.at(-1)!._PID)).toBe(upgraded);
          expect(out([`/usr/sbin/${k.name}`, '-V'])).toContain('0.1.1');

          // remove stops it and keeps the config; purge removes the config files; the account stays.
          box().must(['dpkg', '-r', k.name]);
          await until(() => box().run(['pgrep', '-x', k.name]).status !== 0);
          expect(box().run(['pgrep', '-x', k.name]).status).not.toBe(0);
          expect(show(k.name).ActiveState).not.toBe('active');
          expect(box().run(['test', '-e', `/etc/${k.name}.conf`]).status).toBe(0);
          box().must(['dpkg', '-P', k.name]);
          for (const f of [`/etc/${k.name}.conf`, `/etc/default/${k.name}`, `/etc/init.d/${k.name}`])
            expect(box().run(['test', '-e', f]).status, `${f} after dpkg -P`).not.toBe(0);
          expect(box().run(['dpkg-query', '-W', k.name]).status).not.toBe(0);
          if (k.account) expect(box().run(['getent', 'passwd', k.account.user]).status).toBe(0);
        },
      );
    });
  }
  // Last: lintian has been running since the builds ended, beside the container's tests.
  live('lintian finds no error and no warning (pedantic and info tags listed)', async () => {
    if (!lint) throw new Error('lintian did not run (see beforeAll)');
    const r = await lint;
    const tags = r.out.split('\n').filter((l) => /^[EWIPX]: /.test(l));
    expect(tags.filter((l) => /^[EW]: /.test(l))).toEqual([]);
    expect(r.status, r.out).toBe(0);
    if (tags.length > 0) console.info(`lintian's remaining tags:\n${tags.join('\n')}`);
  });
});
