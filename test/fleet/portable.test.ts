// --fleet portable: `make portable` builds a systemd portable service image (a directory), and a real
// systemd 252 as PID 1 (test/support/nspawn.ts) runs it the way an administrator would: copy it to
// /var/lib/portables, `portablectl attach`, `systemctl start` (Type=notify: active once READY=1 came),
// `systemctl reload` (the image's own SIGHUP sender; the daemon re-reads the config), `systemctl stop`
// and `portablectl detach`, under portablectl's default profile (DynamicUser=, PrivateUsers=, the
// journal's /dev/log bound in), then again under the strict one, which the project's notes advise.
// The project keeps the default pid file /run/NAME.pid and asks for a forking host unit: the portable
// unit must still be Type=notify, with its pid file in RuntimeDirectory=.
// One project and one container for the file.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itWith, missingReason } from '../support/tools.js';
import { generate, must, noDaemonReason, type Project } from '../support/init-project.js';
import { Container, NSPAWN_TOOLS, nspawnReason } from '../support/nspawn.js';

// A "_" in the name: portablectl reads an image name's prefix up to its first "_", so the
// documented commands name the prefix (the units' names) themselves.
const NAME = 'p_myd';
const VERSION = '0.1.0';
const IMAGE = `${NAME}_${VERSION}`;
const UNIT = `${NAME}.service`;
const BUILD_TOOLS = ['make', 'musl-gcc', 'file'];
const LIVE_TOOLS = [...NSPAWN_TOOLS, ...BUILD_TOOLS, 'portablectl', 'systemd-analyze'];
const built = itWith(BUILD_TOOLS, noDaemonReason);
const live = itWith(LIVE_TOOLS, () => noDaemonReason() ?? nspawnReason());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let p: Project | undefined;
let c: Container | undefined;
const project = (): Project => {
  if (!p) throw new Error('the project was not generated and built (see beforeAll)');
  return p;
};
const box = (): Container => {
  if (!c) throw new Error('the container did not boot (see beforeAll)');
  return c;
};
const imageDir = () => join(project().dir, 'build/portable', IMAGE);

beforeAll(async () => {
  if (missingReason(BUILD_TOOLS, noDaemonReason) !== undefined) return;
  p = generate(NAME, ['--fleet', 'portable', '--systemd-type', 'forking']);
  must('make', ['-s', 'portable'], { cwd: p.dir, timeout: 170_000 });
  if (missingReason(LIVE_TOOLS, () => noDaemonReason() ?? nspawnReason()) === undefined) c = await Container.boot();
}, 240_000);
afterAll(async () => {
  await c?.poweroff();
});

/** `systemctl show` of the unit, as a record. */
function show(props: string): Record<string, string> {
  const out = box().must(['systemctl', 'show', UNIT, '-p', props]);
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

interface Entry {
  readonly MESSAGE?: string;
  readonly _TRANSPORT?: string;
  readonly _PID?: string;
}

/** The daemon's own journal lines (by its syslog ident). */
function journal(): Entry[] {
  box().run(['journalctl', '--sync']);
  return box()
    .must(['journalctl', '--no-pager', '-o', 'json', `SYSLOG_IDENTIFIER=${NAME}`])
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Entry);
}

/** The first of the daemon's lines after the first `since` that matches `what`, waiting up to ms for one. */
async function logged(what: RegExp, since = 0, ms = 10_000): Promise<{ hit?: Entry; all: Entry[] }> {
  const end = Date.now() + ms;
  for (;;) {
    const all = journal();
    const hit = all.slice(since).find((e) => what.test(e.MESSAGE ?? ''));
    if (hit || Date.now() > end) return { hit, all };
    await sleep(200);
  }
}

describe('make portable', () => {
  built('builds an image with os-release, the unit, the static daemon, its config and mount points', () => {
    const root = imageDir();
    const osRelease = readFileSync(join(root, 'usr/lib/os-release'), 'utf8');
    expect(osRelease).toMatch(new RegExp(`^ID=${NAME}$`, 'm'));
    expect(osRelease).toMatch(new RegExp(`^VERSION_ID=${VERSION}$`, 'm'));
    expect(osRelease).toMatch(new RegExp(`^PORTABLE_PREFIXES=${NAME}$`, 'm'));
    expect(osRelease).toMatch(/^PORTABLE_PRETTY_NAME=".+"$/m);

    const unit = readFileSync(join(root, 'usr/lib/systemd/system', UNIT), 'utf8');
    expect(unit).toBe(readFileSync(join(project().dir, 'fleet/portable', UNIT), 'utf8'));
    // --systemd-type forking shaped the host unit, not this one.
    expect(unit).toMatch(/^Type=notify$/m);
    expect(unit).toMatch(new RegExp(`^ExecStart=/usr/local/sbin/${NAME} -f -p /run/${NAME}/${NAME}\\.pid$`, 'm'));
    expect(unit).toMatch(new RegExp(`^ExecReload=/usr/lib/${NAME}/sighup \\$MAINPID$`, 'm'));
    expect(unit).toMatch(new RegExp(`^RuntimeDirectory=${NAME}$`, 'm'));
    expect(unit).not.toMatch(/^(User|RootDirectory|RootImage|ReadWritePaths)=/m);

    for (const bin of [`usr/local/sbin/${NAME}`, `usr/lib/${NAME}/sighup`]) {
      expect(statSync(join(root, bin)).mode & 0o111, bin).not.toBe(0);
      expect(must('file', ['-b', join(root, bin)]), bin).toMatch(/statically linked|static-pie linked/);
    }
    expect(readFileSync(join(root, `etc/${NAME}.conf`), 'utf8')).toBe(
      readFileSync(join(project().dir, `etc/${NAME}.conf`), 'utf8'),
    );
    for (const d of ['proc', 'sys', 'dev', 'run', 'tmp', 'var/tmp', 'root'])
      expect(statSync(join(root, d)).isDirectory(), d).toBe(true);
    for (const f of ['etc/machine-id', 'etc/resolv.conf']) expect(statSync(join(root, f)).size, f).toBe(0);
    expect(readlinkSync(join(root, 'lib'))).toBe('usr/lib');
  });

  built('ships a SIGHUP sender that signals the pid given and refuses anything else', async () => {
    const sighup = join(imageDir(), `usr/lib/${NAME}/sighup`);
    for (const bad of [[], ['0'], ['-1'], ['12x'], ['1', '2'], ['99999999999']]) {
      const r = spawnSync(sighup, bad, { encoding: 'utf8' });
      expect(r.status, `sighup ${bad.join(' ')}: ${r.stderr}`).toBe(64);
      expect(r.stderr).not.toBe('');
    }
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, sig) => r(sig)));
    try {
      const r = spawnSync(sighup, [String(child.pid)], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(await exited).toBe('SIGHUP');
    } finally {
      child.kill('SIGKILL');
    }
    // A pid that names no process: kill(2)'s ESRCH, exit 1.
    const gone = spawnSync(sighup, [String(child.pid)], { encoding: 'utf8' });
    expect(gone.status).toBe(1);
    expect(gone.stderr).toMatch(/No such process/);
  });
});

describe('the portable service under a real systemd', () => {
  live('portablectl attach links the unit and its profile from the image', () => {
    // The host side of the container's /var/lib/portables: its PID 1's root.
    const dest = `/proc/${box().leader}/root/var/lib/portables`;
    mkdirSync(dest, { recursive: true });
    cpSync(imageDir(), join(dest, IMAGE), { recursive: true, verbatimSymlinks: true });
    const r = box().run(['portablectl', 'attach', IMAGE, NAME]);
    expect(r.status, r.stderr).toBe(0);
    // portablectl reports what it linked on stderr.
    expect(r.stdout + r.stderr).toMatch(new RegExp(`system\\.attached/${NAME}\\.service`));
    const attached = box().must(['systemctl', 'cat', UNIT]);
    expect(attached).toMatch(new RegExp(`^RootDirectory=/var/lib/portables/${IMAGE}$`, 'm'));
    // The default profile's drop-in, which binds the journal's /dev/log into the image.
    expect(attached).toMatch(
      new RegExp(`^# /etc/systemd/system\\.attached/${NAME}\\.service\\.d/10-profile\\.conf$`, 'm'),
    );
    expect(attached).toMatch(/^BindReadOnlyPaths=\/dev\/log /m);
    // systemd-analyze verify looks for ExecStart= and ExecReload= outside RootDirectory=: those two
    // complaints aside (the first test saw both files in the image), it must say nothing, which
    // catches a misspelt key that systemd would ignore with a warning and run the unit anyway.
    const v = box().run(['systemd-analyze', 'verify', '--man=no', UNIT]);
    const notHere = new RegExp(
      `^${NAME}\\.service: Command (/usr/local/sbin/${NAME}|/usr/lib/${NAME}/sighup) is not executable: No such file or directory$`,
    );
    const said = (v.stdout + v.stderr).split('\n').filter((l) => l !== '' && !notHere.test(l));
    expect(said).toEqual([]);
  });

  live('systemctl start: active once the daemon said READY=1, logging to the journal from inside', async () => {
    box().must(['systemctl', 'start', UNIT]);
    const st = show('ActiveState,SubState,MainPID,StatusText,Type');
    expect(st, JSON.stringify(st)).toMatchObject({ ActiveState: 'active', SubState: 'running', Type: 'notify' });
    // STATUS= is sent with READY=1: systemd has it only if the notify socket reached the image.
    expect(st['StatusText']).toMatch(/\S/);
    const pid = Number(st['MainPID']);
    expect(pid).toBeGreaterThan(0);
    // DynamicUser= from the unit: not root, although this daemon was generated to stay root.
    const uid = box()
      .must(['stat', '-c', '%u', `/proc/${pid}`])
      .trim();
    expect(Number(uid)).not.toBe(0);
    // Its pid file is in RuntimeDirectory=, on the host's /run, owned by that account.
    expect(
      box()
        .must(['cat', `/run/${NAME}/${NAME}.pid`])
        .trim(),
    ).toBe(String(pid));
    expect(
      box()
        .must(['stat', '-c', '%u', `/run/${NAME}/${NAME}.pid`])
        .trim(),
    ).toBe(uid);
    // /dev/log inside the image is the journal's: the "started" line came through syslog.
    const { hit } = await logged(/^started \(version /);
    expect(hit?._TRANSPORT).toBe('syslog');
    expect(hit?._PID).toBe(String(pid));
  });

  live('systemctl reload: the daemon re-reads the image config in place', async () => {
    const before = show('MainPID')['MainPID'];
    const since = journal().length;
    const nonce = `portable reload ${process.pid}`;
    writeFileSync(
      `/proc/${box().leader}/root/var/lib/portables/${IMAGE}/etc/${NAME}.conf`,
      `interval = 1\nmessage = ${nonce}\n`,
    );
    box().must(['systemctl', 'reload', UNIT]);
    const reloaded = await logged(new RegExp(`^configuration reloaded from /etc/${NAME}\\.conf`), since);
    expect(reloaded.hit, JSON.stringify(reloaded.all.slice(since))).toBeDefined();
    const ticked = await logged(new RegExp(nonce), since);
    expect(ticked.hit, JSON.stringify(ticked.all.slice(since))).toBeDefined();
    // The same process: reloaded, not restarted.
    expect(show('MainPID,ActiveState')).toMatchObject({ MainPID: before, ActiveState: 'active' });
  });

  live('systemctl stop: a clean exit; portablectl detach removes the unit', async () => {
    box().must(['systemctl', 'stop', UNIT]);
    expect(show('ActiveState,Result')).toMatchObject({ ActiveState: 'inactive', Result: 'success' });
    expect((await logged(/^stopped$/)).hit).toBeDefined();
    expect(box().run(['test', '-e', `/run/${NAME}`]).status).not.toBe(0);

    box().must(['portablectl', 'detach', IMAGE, NAME]);
    expect(show('LoadState')['LoadState']).toBe('not-found');
    expect(box().must(['portablectl', 'list'])).toMatch(new RegExp(`^${IMAGE}\\s.*\\sdetached\\s*$`, 'm'));
  });
});

describe('the portable service under the strict profile', () => {
  live('attaches, starts, reloads, stops and detaches with no capability and no network', async () => {
    const r = box().run(['portablectl', 'attach', '--profile=strict', IMAGE, NAME]);
    expect(r.status, r.stderr).toBe(0);
    box().must(['systemctl', 'start', UNIT]);
    const st = show('ActiveState,SubState,MainPID,CapabilityBoundingSet,PrivateNetwork');
    expect(st, JSON.stringify(st)).toMatchObject({
      ActiveState: 'active',
      SubState: 'running',
      CapabilityBoundingSet: '',
      PrivateNetwork: 'yes',
    });
    const since = journal().length;
    box().must(['systemctl', 'reload', UNIT]);
    const reloaded = await logged(new RegExp(`^configuration reloaded from /etc/${NAME}\\.conf`), since);
    expect(reloaded.hit, JSON.stringify(reloaded.all.slice(since))).toBeDefined();
    expect(show('MainPID')['MainPID']).toBe(st['MainPID']);
    box().must(['systemctl', 'stop', UNIT]);
    expect(show('ActiveState,Result')).toMatchObject({ ActiveState: 'inactive', Result: 'success' });
    box().must(['portablectl', 'detach', IMAGE, NAME]);
    expect(show('LoadState')['LoadState']).toBe('not-found');
  });
});
