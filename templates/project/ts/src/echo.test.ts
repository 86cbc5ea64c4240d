/*
 * echo.test.ts: the echo payload (echo.ts, listen.ts) on real UNIX sockets in a temporary
 * directory: the echo itself, the socket file's rules (stale replaced, live or non-socket kept
 * and refused, only our own removed), a reload to a new path or mode, max_clients, and stop.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { type Socket, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import type { EchoConfig } from './config.js';
import { Echo } from './echo.js';

const dir = mkdtempSync(join(tmpdir(), 'myd-echo-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const sockPath = (): string => join(dir, `e${++n}.sock`);
const cfg = (socket: string, more: Partial<EchoConfig> = {}): EchoConfig => ({
  payload: 'echo',
  socket,
  socketMode: 0o660,
  maxClients: 256,
  maxBuffered: 64 * 1024 * 1024,
  ...more,
});
const lines: string[] = [];
const log = { info: (t: string) => lines.push(t), warn: (t: string) => lines.push(`warn: ${t}`) };

function client(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ path });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/* Sends data, then reads until want bytes came back (or the server closed). */
function exchange(s: Socket, data: string | Buffer, want: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const got: Buffer[] = [];
    let len = 0;
    const onData = (b: Buffer): void => {
      got.push(b);
      len += b.length;
      if (len >= want) finish();
    };
    const finish = (): void => {
      s.off('data', onData);
      s.off('end', finish);
      resolve(Buffer.concat(got));
    };
    s.on('data', onData);
    s.once('end', finish);
    s.once('error', reject);
    if (data.length > 0) s.write(data);
  });
}

async function echoes(path: string, text: string): Promise<void> {
  const s = await client(path);
  assert.equal((await exchange(s, text, Buffer.byteLength(text))).toString(), text);
  s.destroy();
}

/* A socket file left by a process killed with SIGKILL: nobody listens on it. */
async function staleSocket(path: string): Promise<void> {
  const code = `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => child.stdout.once('data', r));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  assert.ok(lstatSync(path).isSocket());
}

test('a line comes back, a connection serves many lines, and a cut-short last line at EOF', async () => {
  const path = sockPath();
  const e = await Echo.open(cfg(path), log);
  try {
    await echoes(path, 'hello myd\n');
    const s = await client(path);
    for (let i = 1; i <= 3; i++) {
      assert.equal((await exchange(s, `line ${i}\n`, 7)).toString(), `line ${i}\n`);
    }
    /* A line in two writes comes back whole, once complete. */
    s.write('in two');
    assert.equal((await exchange(s, ' writes\n', 14)).toString(), 'in two writes\n');
    s.end('tail');
    assert.equal((await exchange(s, '', 100)).toString(), 'tail'); /* then end-of-file */
    s.destroy();
  } finally {
    await e.close();
  }
});

test('the socket gets socket_mode, and close() removes it', async () => {
  const path = sockPath();
  const e = await Echo.open(cfg(path, { socketMode: 0o604 }), log);
  assert.equal(lstatSync(path).mode & 0o7777, 0o604);
  await e.close();
  assert.equal(existsSync(path), false);
});

test('a 1 MiB line sent before reading comes back whole; a longer one than a client may hold, in pieces', async () => {
  const path = sockPath();
  const e = await Echo.open(cfg(path, { maxBuffered: 64 * 1024, maxClients: 64 }), log);
  try {
    const s = await client(path);
    const big = Buffer.alloc(1024 * 1024 + 1, 'a');
    big[big.length - 1] = 0x0a;
    assert.ok((await exchange(s, big, big.length)).equals(big));
    s.destroy();
  } finally {
    await e.close();
  }
});

test('a stale socket file (nobody listens) is replaced', async () => {
  const path = sockPath();
  await staleSocket(path);
  const e = await Echo.open(cfg(path), log);
  try {
    await echoes(path, 'again\n');
  } finally {
    await e.close();
  }
});

test('a live socket is refused and kept', async () => {
  const path = sockPath();
  const other = createServer((s) => {
    s.on('error', () => undefined); /* the daemon's knock hangs up at once */
    s.end('other\n');
  });
  await new Promise<void>((r) => other.listen(path, r));
  try {
    await assert.rejects(Echo.open(cfg(path), log), {
      message: `cannot listen on ${path}: another process is listening on it`,
    });
    const s = await client(path);
    assert.equal((await exchange(s, '', 6)).toString(), 'other\n');
    s.destroy();
  } finally {
    await new Promise((r) => other.close(r));
  }
});

test('a file that is not a socket is refused and kept', async () => {
  const path = sockPath();
  writeFileSync(path, 'precious\n');
  await assert.rejects(Echo.open(cfg(path), log), {
    message: `cannot listen on ${path}: it exists and is not a socket`,
  });
  assert.equal(readFileSync(path, 'utf8'), 'precious\n');
});

test('a missing directory is named as such', async () => {
  const path = join(dir, 'no', 'such', 'dir', 'x.sock');
  await assert.rejects(Echo.open(cfg(path), log), {
    message: `cannot bind ${path}: No such file or directory`,
  });
});

test('a reload to a new path binds it, then lets the old one go; a failed one changes nothing', async () => {
  const a = sockPath();
  const b = sockPath();
  const e = await Echo.open(cfg(a), log);
  try {
    const kept = await client(a); /* a client of the old socket is still served */
    await e.apply(cfg(b, { socketMode: 0o600 }));
    assert.equal(existsSync(a), false);
    assert.equal(lstatSync(b).mode & 0o7777, 0o600);
    await echoes(b, 'moved\n');
    assert.equal((await exchange(kept, 'kept\n', 5)).toString(), 'kept\n');
    kept.destroy();

    const c = sockPath();
    writeFileSync(c, 'not a socket');
    await assert.rejects(e.apply(cfg(c)), { message: `cannot listen on ${c}: it exists and is not a socket` });
    await echoes(b, 'still b\n');
    assert.equal(readFileSync(c, 'utf8'), 'not a socket');

    await e.apply(cfg(b, { socketMode: 0o666 })); /* same path: the mode alone */
    assert.equal(lstatSync(b).mode & 0o7777, 0o666);
    await echoes(b, 'same\n');
  } finally {
    await e.close();
  }
  assert.equal(existsSync(b), false);
});

test('a reload rebinds a socket file that was removed, and close() leaves a replaced one alone', async () => {
  const path = sockPath();
  const e = await Echo.open(cfg(path), log);
  unlinkSync(path);
  await e.apply(cfg(path));
  await echoes(path, 'rebound\n');
  unlinkSync(path);
  writeFileSync(path, 'someone else');
  await e.close();
  assert.equal(readFileSync(path, 'utf8'), 'someone else');
});

test('clients beyond max_clients wait until one leaves', async () => {
  const path = sockPath();
  const e = await Echo.open(cfg(path, { maxClients: 1, maxBuffered: 64 * 1024 }), log);
  try {
    const first = await client(path);
    assert.equal((await exchange(first, 'one\n', 4)).toString(), 'one\n');
    const second = await client(path);
    const answer = exchange(second, 'two\n', 4);
    let answered = false;
    void answer.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(answered, false, 'the second client was served while the first was there');
    first.destroy();
    assert.equal((await answer).toString(), 'two\n');
    second.destroy();
  } finally {
    await e.close();
  }
});

test('close() lets a client take its echo, then ends it, within 2 s', async () => {
  const path = sockPath();
  const e = await Echo.open(cfg(path), log);
  const s = await client(path);
  assert.equal((await exchange(s, 'x\n', 2)).toString(), 'x\n');
  const ended = new Promise((r) => s.once('end', r));
  const t0 = performance.now();
  await e.close();
  await ended;
  assert.ok(performance.now() - t0 < 2500);
  s.destroy();
});

test('close() ends a client that does not read after 2 s', async () => {
  const path = sockPath();
  const e = await Echo.open(cfg(path), log);
  const s = await client(path);
  s.pause(); /* never reads: its echo fills the socket buffers */
  s.on('error', () => undefined);
  const chunk = Buffer.alloc(64 * 1024, 'y');
  for (let i = 0; i < 64; i++) s.write(chunk); /* 4 MiB of one line: echoed in pieces */
  await new Promise((r) => setTimeout(r, 300));
  const t0 = performance.now();
  await e.close();
  const took = performance.now() - t0;
  assert.ok(took >= 1900 && took < 3000, `close() took ${Math.round(took)} ms`);
  s.destroy();
});
