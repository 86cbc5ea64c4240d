/*
 * main.test.ts: the whole daemon (main.ts) as the launcher runs it: `node main.js -c -p` with
 * fd 3 a socketpair (the control channel), then signals; and `-t`, and a start by hand without
 * fd 3. It runs the payload and reload model that defaults.ts names.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { NAME, PAYLOAD } from './defaults.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'myd-main-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const conf = join(dir, 'myd.conf');
const pidfile = join(dir, 'myd.pid');
const sock = join(dir, 'e.sock');
const good = (word: string): string =>
  PAYLOAD === 'tick' ? `interval = 1\nmessage = ${word}\n` : `socket = ${join(dir, `${word}.sock`)}\n`;
const broken = PAYLOAD === 'tick' ? '# broken\ninterval = soon\n' : '# broken\nsocket = relative/path\n';

/* The daemon with fd 3 a socketpair: its lines, and a way to wait for one. */
class Run {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  private waiters: { text: string; from: number; resolve: (l: string) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(config: string) {
    this.child = spawn(process.execPath, [MAIN, '-c', config, '-p', pidfile], {
      stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
      cwd: '/',
    });
    const ctl = this.child.stdio[3] as Readable;
    let buf = '';
    ctl.setEncoding('utf8');
    ctl.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
        this.lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
      this.check();
    });
    this.exited = new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      const hit = this.lines.slice(w.from).find((l) => l.includes(w.text));
      if (hit !== undefined) w.resolve(hit);
      return hit === undefined;
    });
  }

  /* The first line from the from-th on that contains text (5 s at most). */
  wait(text: string, from = 0): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${text}" in:\n${this.lines.join('\n')}`)), 5000);
      this.waiters.push({ text, from, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      this.check();
    });
  }
}

function echoes(path: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ path }, () => s.end(text));
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (got += d));
    s.on('end', () => resolve(got));
    s.on('error', reject);
  });
}

test('start, SIGHUP with a good then a broken config, SIGTERM', async () => {
  writeFileSync(conf, good('alpha'));
  const run = new Run(conf);
  const ready = await run.wait('READY ');
  assert.equal(run.lines[0], ready, 'READY is the first line');
  assert.ok(!run.lines.some((l) => l.includes('started')), 'the launcher logs "started", not node');
  if (PAYLOAD === 'tick') {
    assert.equal(ready, 'READY ticking every 1 s: alpha');
    await run.wait('LOG info alpha');
  } else {
    assert.match(ready, /^READY echoing on .*alpha\.sock \(mode 0660, at most 256 clients/);
    assert.equal(await echoes(join(dir, 'alpha.sock'), 'hi\n'), 'hi\n');
  }

  writeFileSync(conf, good('bravo'));
  let from = run.lines.length;
  run.child.kill('SIGHUP');
  const status = await run.wait('STATUS ', from);
  const seen = run.lines.slice(from);
  assert.deepEqual(seen.slice(0, 2), ['RELOADING', `LOG info reloading the configuration from ${conf}`]);
  assert.match(seen[2]!, new RegExp(`^LOG info configuration reloaded from ${conf}: `));
  assert.equal(status, `STATUS ${seen[2]!.slice(`LOG info configuration reloaded from ${conf}: `.length)}`);
  if (PAYLOAD === 'tick') await run.wait('LOG info bravo', from);
  else {
    assert.equal(await echoes(join(dir, 'bravo.sock'), 'moved\n'), 'moved\n');
    assert.equal(existsSync(join(dir, 'alpha.sock')), false);
  }

  writeFileSync(conf, broken);
  from = run.lines.length;
  run.child.kill('SIGHUP');
  const failed = await run.wait('STATUS ', from);
  assert.match(failed, new RegExp(`^STATUS reload failed: ${conf}:2: `));
  const warn = await run.wait('LOG warn', from);
  assert.match(warn, new RegExp(`^LOG warn reload failed: ${conf}:2: .*; keeping the previous configuration$`));
  if (PAYLOAD === 'tick') await run.wait('LOG info bravo', run.lines.length);
  else assert.equal(await echoes(join(dir, 'bravo.sock'), 'kept\n'), 'kept\n');

  run.child.kill('SIGTERM');
  assert.equal(await run.exited, 0);
  assert.equal(run.lines.at(-1), 'STOPPING');
  if (PAYLOAD === 'echo') assert.equal(existsSync(join(dir, 'bravo.sock')), false);
});

test('SIGINT is a clean stop too', async () => {
  writeFileSync(conf, good('sigint'));
  const run = new Run(conf);
  await run.wait('READY ');
  run.child.kill('SIGINT');
  assert.equal(await run.exited, 0);
  assert.equal(run.lines.at(-1), 'STOPPING');
});

test('a bad config: FAIL 78 file:line, and exit 78', async () => {
  const bad = join(dir, 'bad.conf');
  writeFileSync(bad, 'interval_typo = 1\n');
  const run = new Run(bad);
  assert.equal(await run.exited, 78);
  assert.deepEqual(run.lines, [`FAIL 78 ${bad}:1: unknown key "interval_typo"`]);
});

test('a missing config: FAIL 78 naming it', async () => {
  const absent = join(dir, 'absent.conf');
  const run = new Run(absent);
  assert.equal(await run.exited, 78);
  assert.deepEqual(run.lines, [`FAIL 78 ${absent}: cannot open: No such file or directory`]);
});

test('a payload that cannot start: FAIL 71', { skip: PAYLOAD !== 'echo' && 'echo only' }, async () => {
  writeFileSync(sock, 'not a socket');
  writeFileSync(conf, `socket = ${sock}\n`);
  const run = new Run(conf);
  assert.equal(await run.exited, 71);
  assert.deepEqual(run.lines, [`FAIL 71 cannot listen on ${sock}: it exists and is not a socket`]);
});

test('end-of-file on fd 3 (the launcher died): it exits at once, non-zero', async () => {
  writeFileSync(conf, good('orphan'));
  const run = new Run(conf);
  await run.wait('READY ');
  (run.child.stdio[3] as Readable).destroy();
  const t0 = performance.now();
  const code = await run.exited;
  assert.notEqual(code, 0);
  assert.ok(performance.now() - t0 < 1000);
});

test('-t: "configuration OK" on stdout, exit 0; an error on stderr, exit 78', () => {
  writeFileSync(conf, good('check'));
  let r = spawnSync(process.execPath, [MAIN, '-t', '-c', conf, '-p', pidfile], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, `${NAME}: ${conf}: configuration OK\n`);
  writeFileSync(conf, broken);
  r = spawnSync(process.execPath, [MAIN, '-t', '-c', conf, '-p', pidfile], { encoding: 'utf8' });
  assert.equal(r.status, 78);
  assert.match(r.stderr, new RegExp(`^${NAME}: ${conf}:2: `));
  assert.equal(r.stdout, '');
});

test('started by hand without fd 3: exit 64, saying how to run it', () => {
  const r = spawnSync(process.execPath, [MAIN, '-c', conf, '-p', pidfile], { encoding: 'utf8' });
  assert.equal(r.status, 64);
  assert.equal(r.stderr, `${NAME}: main.js is started by the ${NAME} program, not directly: run ${NAME} -f\n`);
});

test('a bad option: exit 64', () => {
  const r = spawnSync(process.execPath, [MAIN, '-Z'], { encoding: 'utf8' });
  assert.equal(r.status, 64);
  assert.match(r.stderr, new RegExp(`^${NAME}: `));
});
