/*
 * payload-thread.test.ts: the "multi" reload model (payload-thread.ts, payload-worker.ts),
 * whatever defaults.ts chose: the payload runs in a worker, its log lines come back in order,
 * a config is applied or refused with the reason, a start-up failure is reported, and close()
 * ends the worker.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import type { EchoConfig } from './config.js';
import { ThreadPayload } from './payload-thread.js';

const dir = mkdtempSync(join(tmpdir(), 'myd-thread-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function collector(): { lines: string[]; log: { info(t: string): void; warn(t: string): void } } {
  const lines: string[] = [];
  return { lines, log: { info: (t) => lines.push(t), warn: (t) => lines.push(`warn: ${t}`) } };
}
const died = (why: string): never => assert.fail(`the worker died: ${why}`);

test('tick in a worker: its lines come through, a new config is applied, close() ends it', async () => {
  const { lines, log } = collector();
  const p = await ThreadPayload.open({ payload: 'tick', interval: 1, message: 'from the worker' }, log, died);
  await new Promise((r) => setTimeout(r, 1200));
  assert.deepEqual(lines, ['from the worker']);
  await p.apply({ payload: 'tick', interval: 1, message: 'applied' });
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(lines.at(-1), 'applied');
  const echo: EchoConfig = { payload: 'echo', socket: '/x', socketMode: 0o660, maxClients: 1, maxBuffered: 65536 };
  await assert.rejects(p.apply(echo), { message: 'the tick payload cannot take a config for echo' });
  await p.close();
});

test('echo in a worker: serves, a failed reload keeps the socket, a failed start is reported', async () => {
  const { log } = collector();
  const path = join(dir, 'w.sock');
  const cf: EchoConfig = { payload: 'echo', socket: path, socketMode: 0o660, maxClients: 4, maxBuffered: 65536 };
  const p = await ThreadPayload.open(cf, log, died);
  const echoOnce = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const s = connect({ path }, () => s.end('ping\n'));
      let got = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => (got += d));
      s.on('end', () => resolve(got));
      s.on('error', reject);
    });
  assert.equal(await echoOnce(), 'ping\n');
  const file = join(dir, 'file');
  writeFileSync(file, 'x');
  await assert.rejects(p.apply({ ...cf, socket: file }), {
    message: `cannot listen on ${file}: it exists and is not a socket`,
  });
  assert.equal(await echoOnce(), 'ping\n');
  await assert.rejects(ThreadPayload.open({ ...cf, socket: file }, log, died), {
    message: `cannot listen on ${file}: it exists and is not a socket`,
  });
  await p.close();
});
