/*
 * payload-worker.ts: the "multi" reload model, the worker thread's side (see
 * payload-thread.ts). It runs the payload in its own event loop, puts each config the main
 * thread parsed in force between two of the payload's events, and answers ok or the reason.
 * It handles no signal (only the main thread can) and writes nothing itself: its log lines go
 * to the main thread, which owns the control channel.
 */
import { parentPort, workerData } from 'node:worker_threads';

import type { Config } from './config.js';
import type { Logger, Payload } from './payload.js';
import { openPayload } from './payload.js';
import type { FromWorker, ToWorker } from './payload-thread.js';

const port = parentPort;
if (port === null) throw new Error('payload-worker.js runs in a worker thread, started by main.js');

const post = (m: FromWorker): void => port.postMessage(m);
const log: Logger = {
  info: (text) => post({ kind: 'log', level: 'info', text }),
  warn: (text) => post({ kind: 'log', level: 'warn', text }),
};
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

let payload: Payload | undefined;
try {
  payload = await openPayload((workerData as { config: Config }).config, log);
  post({ kind: 'opened' });
} catch (err) {
  post({ kind: 'failed', error: message(err) });
  port.close();
}

if (payload !== undefined) {
  const p = payload;
  port.on('message', (m: ToWorker) => {
    if (m.kind === 'apply') {
      p.apply(m.config).then(
        () => post({ kind: 'reply', id: m.id }),
        (err: unknown) => post({ kind: 'reply', id: m.id, error: message(err) }),
      );
    } else {
      void p.close().then(() => {
        post({ kind: 'closed' });
        port.close();
      });
    }
  });
}
