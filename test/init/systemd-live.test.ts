// The generated units under a real systemd 252 as PID 1 (test/support/nspawn.ts): what users do,
// `systemctl start`, `reload`, `stop`, a crash and the journal, for the default answers, each
// --systemd-type, echo with --reload multi --user --facility local3, a SysV-only install run through
// systemd's sysv generator, and --scope user under a real `systemd --user`; and --lang typescript
// (defaults, and echo like the C one), whose main process is the C helper with Node as its only
// child. One container per file.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itWith, missingReason } from '../support/tools.js';
import { buildDaemon, generate, noDaemonReason, type Project } from '../support/init-project.js';
import { Container, NSPAWN_TOOLS, nspawnReason } from '../support/nspawn.js';

const TOOLS = [...NSPAWN_TOOLS, 'systemd-analyze', 'python3'];
const reason = () => noDaemonReason() ?? nspawnReason();
const live = itWith(TOOLS, reason);
// --lang typescript's units too: without MemoryDenyWriteExecute= (V8 writes, then runs, machine code)
// the defaults score 0.9 where C's score 0.8, and echo --user scores 0.5 in both languages.
const THRESHOLD = 2.0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** syslog(3) facility codes, as journald records them in SYSLOG_FACILITY. */
const FACILITY = { daemon: 3, local3: 19 } as const;

let c: Container | undefined;
const box = (): Container => {
  if (!c) throw new Error('the container did not boot (see beforeAll)');
  return c;
};

beforeAll(async () => {
  // Where the tools are missing the tests skip (or fail, under CREATE_DAEMON_REQUIRE_TOOLS=1).
  if (missingReason(TOOLS, reason) === undefined) c = await Container.boot();
}, 120_000);
afterAll(async () => {
  await c?.poweroff();
});

interface Scope {
  /** systemctl's arguments before the verb. */
  readonly ctl: readonly string[];
  readonly user?: string;
  readonly env?: Readonly<Record<string, string>>;
}
const SYSTEM: Scope = { ctl: [] };

function systemctl(s: Scope, args: readonly string[]) {
  return box().run(['systemctl', ...s.ctl, ...args], { user: s.user, env: s.env });
}

function show(s: Scope, unit: string): Record<string, string> {
  const r = systemctl(s, ['show', unit, '-p', 'ActiveState,SubState,MainPID,Result,ExecMainStatus,NRestarts']);
  expect(r.status, r.stderr).toBe(0);
  return Object.fromEntries(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** Polls show() until pred holds; returns the last state, which the caller asserts on. */
async function until(s: Scope, unit: string, pred: (st: Record<string, string>) => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  let st = show(s, unit);
  while (!pred(st) && Date.now() < end) {
    await sleep(100);
    st = show(s, unit);
  }
  return st;
}

interface Entry {
  readonly MESSAGE?: string;
  readonly SYSLOG_IDENTIFIER?: string;
  readonly SYSLOG_FACILITY?: string;
  readonly SYSLOG_PID?: string;
  readonly _PID?: string;
  readonly _TRANSPORT?: string;
  readonly PRIORITY?: string;
}

/** The journal entries the daemon itself wrote (by its ident), for one unit. */
function journal(ident: string, user?: number): Entry[] {
  const filter = user === undefined ? [`SYSLOG_IDENTIFIER=${ident}`] : [`SYSLOG_IDENTIFIER=${ident}`, `_UID=${user}`];
  const r = box().run(['journalctl', '--no-pager', '-o', 'json', ...filter]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Entry);
}

/** The daemon's lines that match, among those after the first `since` (waits for one, up to ms). */
async function logged(ident: string, what: RegExp, user?: number, since = 0, ms = 10_000): Promise<Entry[]> {
  const end = Date.now() + ms;
  for (;;) {
    box().run(['journalctl', '--sync']);
    const hits = journal(ident, user)
      .slice(since)
      .filter((e) => what.test(e.MESSAGE ?? ''));
    if (hits.length > 0 || Date.now() > end) return hits;
    await sleep(200);
  }
}

/** The daemon's own lines: each once (no stderr copy beside the syslog one), with the facility. */
function expectJournalLines(ident: string, facility: number, user?: number): void {
  const mine = journal(ident, user);
  expect(mine.length).toBeGreaterThan(0);
  for (const e of mine) {
    expect(e._TRANSPORT, JSON.stringify(e)).toBe('syslog');
    expect(Number(e.SYSLOG_FACILITY), JSON.stringify(e)).toBe(facility);
    expect(e.SYSLOG_PID, JSON.stringify(e)).toBe(e._PID);
  }
  // Every start is logged once: one "started" line per process that started.
  const starts = mine.filter((e) => /^started \(version /.test(e.MESSAGE ?? ''));
  expect(starts.length).toBe(new Set(starts.map((e) => e._PID)).size);
}

const exposureOf = (out: string) => Number(/Overall exposure level for \S+: (\d+\.\d)/.exec(out)?.[1] ?? NaN);

interface Case {
  readonly title: string;
  readonly name: string;
  readonly flags: readonly string[];
  readonly pidfile?: string;
  readonly facility: number;
  /** A config that changes what the daemon does, and how to see that it does it now. */
  readonly reloaded: { conf: string; seen: (p: Project) => Promise<void> };
  readonly broken: string;
  readonly account?: string;
  /** echo: the socket at start, and where the reloaded config moves it. */
  readonly socket?: { readonly first: string; readonly moved: string };
  /** --lang typescript: MainPID is the C helper, and Node (LIBDIR/main.js) its only child. */
  readonly ts?: boolean;
}

const tickCase = (
  title: string,
  name: string,
  flags: readonly string[],
  pidfile: string | undefined,
  ts = false,
): Case => ({
  title,
  name,
  flags,
  pidfile,
  ts,
  facility: FACILITY.daemon,
  reloaded: {
    conf: `interval = 1\nmessage = ${name} reloaded\n`,
    // A tick with the new message, logged from now on (interval = 1).
    seen: async () => {
      const since = journal(name).length;
      expect((await logged(name, new RegExp(`^${name} reloaded$`), undefined, since)).length).toBeGreaterThan(0);
    },
  },
  broken: 'interval = soon\n',
});

const echoAsk = (sock: string, line: string) =>
  box().run([
    'python3',
    '-c',
    'import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.settimeout(5)\ns.connect(sys.argv[1])\n' +
      's.sendall(sys.argv[2].encode()+b"\\n")\nprint(s.recv(4096).decode(),end="")',
    sock,
    line,
  ]);

const echoCase = (title: string, name: string, flags: readonly string[]): Case => ({
  title,
  name,
  flags: [...flags, '--payload', 'echo', '--reload', 'multi', '--user', 'cdtd', '--facility', 'local3'],
  pidfile: `/run/${name}/${name}.pid`,
  facility: FACILITY.local3,
  account: 'cdtd',
  socket: { first: `/run/${name}/${name}.sock`, moved: `/run/${name}/moved.sock` },
  ts: flags.includes('typescript'),
  reloaded: {
    conf: `socket = /run/${name}/moved.sock\n`,
    seen: async () => {
      const moved = `/run/${name}/moved.sock`;
      for (let i = 0; i < 50 && echoAsk(moved, 'x').status !== 0; i++) await sleep(100);
      const r = echoAsk(moved, 'moved');
      expect(r.stdout, r.stderr).toBe('moved\n');
      expect(box().run(['test', '-e', `/run/${name}/${name}.sock`]).status).not.toBe(0);
    },
  },
  broken: 'max_clients = lots\n',
});

const CASES: readonly Case[] = [
  tickCase('default answers (Type=notify)', 'sdn', [], undefined),
  tickCase('--systemd-type forking', 'sdf', ['--systemd-type', 'forking'], '/run/sdf.pid'),
  tickCase('--systemd-type simple', 'sds', ['--systemd-type', 'simple'], undefined),
  echoCase('echo, --reload multi --user cdtd --facility local3', 'sde', []),
  tickCase('--lang typescript, default answers (Type=notify)', 'sdtn', ['--lang', 'typescript'], undefined, true),
  echoCase('--lang typescript, echo, --reload multi --user cdtd --facility local3', 'sdte', ['--lang', 'typescript']),
];

/** The pid the running daemon's lock names, as the daemon's own -s reports it (or the file says). */
function pidInFile(path: string): number | undefined {
  const text = box().readFile(path);
  return text === undefined ? undefined : Number(text.trim());
}

/** True while pid names a live process in the container (a zombie counts as dead). */
function aliveIn(pid: number): boolean {
  const stat = box().readFile(`/proc/${pid}/stat`);
  if (stat === undefined) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  return state !== 'Z' && state !== 'X';
}

async function gone(pid: number, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (aliveIn(pid) && Date.now() < end) await sleep(100);
  return !aliveIn(pid);
}

/** The pids of every process in the container running this TypeScript daemon's installed main.js. */
function nodes(name: string): number[] {
  const r = box().run(['pgrep', '-f', `/usr/local/lib/${name}/main\\.js`]);
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

/** --lang typescript: the helper's only child, which is node running LIBDIR/main.js; its pid. */
function nodeOf(name: string, helper: number): number {
  const kids = box()
    .run(['pgrep', '-P', String(helper)])
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);
  expect(kids).toHaveLength(1);
  const node = kids[0]!;
  const realNode = box().must(['readlink', '-f', '/usr/bin/node']).trim();
  expect(
    box()
      .must(['readlink', `/proc/${node}/exe`])
      .trim(),
  ).toBe(realNode);
  const argv = box()
    .must(['cat', `/proc/${node}/cmdline`])
    .split('\0');
  expect(argv).toContain(`/usr/local/lib/${name}/main.js`);
  expect(nodes(name)).toEqual([node]);
  return node;
}

/** The process runs as the account, with exactly the account's groups. */
function expectAccount(pid: number, account: string): void {
  const status = box().must(['cat', `/proc/${pid}/status`]);
  const ids = box()
    .must(['sh', '-c', `id -u ${account}; id -g ${account}; id -G ${account}`])
    .split('\n');
  const [uid, gid, groups] = [ids[0]!.trim(), ids[1]!.trim(), ids[2]!.trim().split(' ').sort()];
  expect(/^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(status)?.slice(1)).toEqual([uid, uid, uid, uid]);
  expect(/^Gid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(status)?.slice(1)).toEqual([gid, gid, gid, gid]);
  expect(/^Groups:\s*(.*)$/m.exec(status)?.[1]!.trim().split(/\s+/).sort()).toEqual(groups);
}

describe('systemd 252 as PID 1 (systemd-nspawn)', () => {
  for (const k of CASES) {
    describe(k.title, () => {
      const unit = `${k.name}.service`;
      const conf = `/etc/${k.name}.conf`;
      live('start, security, reload, a broken reload, the journal, a crash and stop', async () => {
        const p = generate(k.name, ['--init', 'systemd', ...k.flags]);
        buildDaemon(p);
        if (k.account) {
          // A supplementary group too, to see that the account's groups are what the daemon gets.
          box().sh(
            `groupadd -f cdtextra; id ${k.account} >/dev/null 2>&1 || useradd --system --no-create-home --user-group -G cdtextra ${k.account}`,
          );
        }
        box().install(p.dir, ['INIT_SYSTEMS=systemd']);
        box().must(['systemctl', 'daemon-reload']);

        // start: active (running), MainPID is the daemon itself, and the pid file names it.
        const start = systemctl(SYSTEM, ['start', unit]);
        expect(start.status, start.stderr + box().run(['journalctl', '-u', unit, '--no-pager']).stdout).toBe(0);
        let st = show(SYSTEM, unit);
        expect([st.ActiveState, st.SubState]).toEqual(['active', 'running']);
        const pid = Number(st.MainPID);
        expect(pid).toBeGreaterThan(0);
        // Type=simple counts as started at the fork, before the exec: its pid file (written once
        // the daemon has blocked its signals, so that a reload cannot kill it) comes a moment later.
        const pidfile = k.pidfile ?? `/run/${k.name}.pid`;
        if (k.flags.includes('simple')) for (let i = 0; i < 50 && pidInFile(pidfile) !== pid; i++) await sleep(100);
        expect(pidInFile(pidfile)).toBe(pid);
        expect(
          box()
            .must(['readlink', `/proc/${pid}/exe`])
            .trim(),
        ).toBe(`/usr/local/sbin/${k.name}`);
        // TypeScript: the helper above is MainPID, and Node its only child.
        const node = k.ts ? nodeOf(k.name, pid) : undefined;

        if (k.account) {
          expectAccount(pid, k.account);
          if (node !== undefined) expectAccount(node, k.account);
        }
        if (k.socket) {
          const r = echoAsk(k.socket.first, 'sandboxed');
          expect(r.stdout, r.stderr).toBe('sandboxed\n');
        }

        // The live unit's exposure is what the offline analysis of the same file says, at most 2.0.
        const onLive = box().run(['systemd-analyze', 'security', '--no-pager', unit]);
        const offline = box().run([
          'systemd-analyze',
          'security',
          '--no-pager',
          '--offline=true',
          `/etc/systemd/system/${unit}`,
        ]);
        expect(onLive.status, onLive.stderr).toBe(0);
        expect(exposureOf(onLive.stdout), onLive.stdout).toBe(exposureOf(offline.stdout));
        expect(exposureOf(onLive.stdout)).toBeLessThanOrEqual(THRESHOLD);

        // reload: same process, the new config in force.
        box().sh(`cat > ${conf}`, { input: k.reloaded.conf });
        const reload = systemctl(SYSTEM, ['reload', unit]);
        expect(reload.status, reload.stderr).toBe(0);
        await k.reloaded.seen(p);
        st = show(SYSTEM, unit);
        expect([st.ActiveState, st.MainPID]).toEqual(['active', String(pid)]);
        if (node !== undefined) expect(nodes(k.name)).toEqual([node]);

        // a broken config: still active, the old config kept, the reason in the journal.
        box().sh(`cat > ${conf}`, { input: k.broken });
        expect(systemctl(SYSTEM, ['reload', unit]).status).toBe(0);
        const failed = await logged(k.name, /^reload failed: /);
        expect(failed.map((e) => e.MESSAGE)).toEqual([
          expect.stringMatching(new RegExp(`^reload failed: ${conf}:1: .*; keeping the previous configuration$`)),
        ]);
        st = show(SYSTEM, unit);
        expect([st.ActiveState, st.SubState, st.MainPID]).toEqual(['active', 'running', String(pid)]);
        if (node !== undefined) expect(nodes(k.name)).toEqual([node]);
        await k.reloaded.seen(p);
        box().sh(`cat > ${conf}`, { input: k.reloaded.conf });

        expectJournalLines(k.name, k.facility);

        // kill -9: restarted (Restart=on-failure), a new pid, the stale pid file no obstacle.
        // TypeScript: first Node's (the helper sees it die, says how, and exits 70), then the helper's
        // (Node follows it: PR_SET_PDEATHSIG, the channel's end of file, and KillMode=mixed).
        let last = pid;
        let lastNode = node;
        /** The helpers that outlived their Node: each said how it ended, then "stopped, with exit status 70". */
        const outlived: number[] = [];
        for (const [i, which] of (k.ts ? ['node', 'helper'] : ['daemon']).entries()) {
          const victim = which === 'node' ? lastNode! : last;
          box().must(['kill', '-9', String(victim)]);
          const before = last;
          st = await until(
            SYSTEM,
            unit,
            (s) => s.SubState === 'running' && Number(s.MainPID) > 0 && s.MainPID !== String(before),
          );
          expect([st.ActiveState, st.SubState]).toEqual(['active', 'running']);
          expect(Number(st.NRestarts)).toBe(i + 1);
          last = Number(st.MainPID);
          expect(last).not.toBe(before);
          // Type=simple again: the new process may not have taken the lock yet.
          for (let j = 0; j < 50 && pidInFile(pidfile) !== last; j++) await sleep(100);
          expect(pidInFile(pidfile)).toBe(last);
          if (lastNode !== undefined) {
            // The old pair is gone, no orphan Node: the new helper's child is the only one.
            expect(await gone(before)).toBe(true);
            expect(await gone(lastNode)).toBe(true);
            if (which === 'node') {
              const how = await logged(k.name, new RegExp(`^node \\(pid ${victim}\\) was killed by signal 9\\b`));
              expect(how.map((e) => Number(e._PID))).toEqual([before]);
              outlived.push(before);
            }
            // What systemd saw end: the helper's exit 70 (EX_SOFTWARE), or its SIGKILL.
            box().run(['journalctl', '--sync']);
            const ended = box().must(['journalctl', '--no-pager', '-o', 'cat', '-u', unit]);
            expect(ended).toMatch(
              which === 'node'
                ? /Main process exited, code=exited, status=70\//
                : /Main process exited, code=killed, status=9\/KILL/,
            );
            lastNode = nodeOf(k.name, last);
            if (k.account) expectAccount(lastNode, k.account);
          }
        }

        // stop: inactive, success, nothing left behind.
        const stop = systemctl(SYSTEM, ['stop', unit]);
        expect(stop.status, stop.stderr).toBe(0);
        st = show(SYSTEM, unit);
        expect([st.ActiveState, st.Result]).toEqual(['inactive', 'success']);
        expect(box().run(['test', '-e', pidfile]).status).not.toBe(0);
        if (k.socket) expect(box().run(['test', '-e', k.socket.moved]).status).not.toBe(0);
        expect(aliveIn(last)).toBe(false);
        if (lastNode !== undefined) {
          expect(aliveIn(lastNode)).toBe(false);
          expect(nodes(k.name)).toEqual([]);
        }
        // The processes killed by SIGKILL said nothing; the last says it stopped, once; for TypeScript,
        // the helper that outlived its Node said it stopped with its status.
        expect((await logged(k.name, /^stopped$/)).map((e) => Number(e._PID))).toEqual([last]);
        if (outlived.length > 0)
          expect((await logged(k.name, /^stopped, with exit status 70$/)).map((e) => Number(e._PID))).toEqual(outlived);
      });
    });
  }

  describe('a SysV-only install (INIT_SYSTEMS=sysv), as on Debian today', () => {
    live('systemctl starts, reloads and stops it through the sysv generator', async () => {
      const p = generate('sdv', ['--init', 'sysv']);
      buildDaemon(p);
      box().install(p.dir, ['INIT_SYSTEMS=sysv']);
      box().must(['systemctl', 'daemon-reload']);
      // The generator wrote the unit: it is the init script's, not a file we installed.
      expect(box().must(['systemctl', 'show', '-p', 'SourcePath', 'sdv.service']).trim()).toBe(
        'SourcePath=/etc/init.d/sdv',
      );
      const start = systemctl(SYSTEM, ['start', 'sdv']);
      expect(start.status, start.stderr).toBe(0);
      let st = show(SYSTEM, 'sdv');
      expect([st.ActiveState, st.SubState]).toEqual(['active', 'running']);
      const pid = pidInFile('/run/sdv.pid')!;
      expect(
        box()
          .must(['readlink', `/proc/${pid}/exe`])
          .trim(),
      ).toBe('/usr/local/sbin/sdv');
      expect(box().must(['/usr/local/sbin/sdv', '-s', '-p', '/run/sdv.pid']).trim()).toBe(String(pid));

      box().sh('cat > /etc/sdv.conf', { input: 'interval = 1\nmessage = sdv reloaded\n' });
      const reload = systemctl(SYSTEM, ['reload', 'sdv']);
      expect(reload.status, reload.stderr).toBe(0);
      expect((await logged('sdv', /^sdv reloaded$/)).length).toBeGreaterThan(0);
      expect(pidInFile('/run/sdv.pid')).toBe(pid);

      const stop = systemctl(SYSTEM, ['stop', 'sdv']);
      expect(stop.status, stop.stderr).toBe(0);
      st = show(SYSTEM, 'sdv');
      expect(st.ActiveState).toBe('inactive');
      expect(box().run(['test', '-e', '/run/sdv.pid']).status).not.toBe(0);
      expect(box().run(['kill', '-0', String(pid)]).status).not.toBe(0);
    });
  });

  describe('--scope user, under a real systemd --user', () => {
    live('systemctl --user starts, reloads and stops it; its pid file is under $XDG_RUNTIME_DIR', async () => {
      const p = generate('sdu', ['--scope', 'user']);
      buildDaemon(p);
      box().sh('id cdtu >/dev/null 2>&1 || useradd --create-home cdtu');
      const uid = Number(box().must(['id', '-u', 'cdtu']).trim());
      // As the user would: the binary and config as root, the unit into the account's own ~/.config.
      box().install(p.dir, ['INIT_SYSTEMS=systemd', 'HOME=/home/cdtu']);
      box().sh('chown -R cdtu: /home/cdtu/.config');
      box().must(['systemctl', 'start', `user@${uid}.service`]);
      const run = `/run/user/${uid}`;
      const u: Scope = { ctl: ['--user'], user: 'cdtu', env: { XDG_RUNTIME_DIR: run } };
      expect(systemctl(u, ['daemon-reload']).status).toBe(0);
      const start = systemctl(u, ['start', 'sdu']);
      expect(start.status, start.stderr).toBe(0);
      let st = show(u, 'sdu');
      expect([st.ActiveState, st.SubState]).toEqual(['active', 'running']);
      const pid = Number(st.MainPID);
      expect(pidInFile(`${run}/sdu.pid`)).toBe(pid);
      expect(/^Uid:\s+(\d+)/m.exec(box().must(['cat', `/proc/${pid}/status`]))?.[1]).toBe(String(uid));

      box().sh('cat > /etc/sdu.conf', { input: 'interval = 1\nmessage = sdu reloaded\n' });
      const reload = systemctl(u, ['reload', 'sdu']);
      expect(reload.status, reload.stderr).toBe(0);
      expect((await logged('sdu', /^sdu reloaded$/, uid)).length).toBeGreaterThan(0);
      expect(show(u, 'sdu').MainPID).toBe(String(pid));
      expectJournalLines('sdu', FACILITY.daemon, uid);

      const stop = systemctl(u, ['stop', 'sdu']);
      expect(stop.status, stop.stderr).toBe(0);
      st = show(u, 'sdu');
      expect([st.ActiveState, st.Result]).toEqual(['inactive', 'success']);
      expect(box().run(['test', '-e', `${run}/sdu.pid`]).status).not.toBe(0);
      box().must(['systemctl', 'stop', `user@${uid}.service`]);
    });
  });
});
