/*
 * payload-thread.ts: the "multi" reload model, main thread's side. The payload runs in a
 * worker thread (payload-worker.ts) while the main thread owns the signals and parses the
 * config: the analogue of the C daemon's sigwait thread handing a parsed config to the payload
 * thread (APUE 12.8, Figure 13.7). This class is the payload as main.ts sees it; each call is a
 * message to the worker, answered once the worker has done it.
 *
 * Messages, main -> worker: { kind: 'apply', id, config } | { kind: 'close' }
 *           worker -> main: { kind: 'log', level, text } | { kind: 'opened' } |
 *                           { kind: 'failed', error } | { kind: 'reply', id, error? } | { kind: 'closed' }
 * The worker's log lines come through here, in order, to the control channel.
 */
import { Worker } from 'node:worker_threads';

import type { Config } from './config.js';
import type { Logger, Payload } from './payload.js';

export type ToWorker = { kind: 'apply'; id: number; config: Config } | { kind: 'close' };
export type FromWorker =
  | { kind: 'log'; level: 'info' | 'warn'; text: string }
  | { kind: 'opened' }
  | { kind: 'failed'; error: string }
  | { kind: 'reply'; id: number; error?: string }
  | { kind: 'closed' };

export class ThreadPayload implements Payload {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private closed: (() => void) | undefined;

  private constructor(private readonly worker: Worker) {}

  /*
   * Starts the worker with cf; rejects with the reason it could not start. onDeath runs if the
   * worker dies afterwards (an uncaught error): the daemon then serves nothing and must exit.
   */
  static open(cf: Config, log: Logger, onDeath: (why: string) => void): Promise<ThreadPayload> {
    const worker = new Worker(new URL('./payload-worker.js', import.meta.url), { workerData: { config: cf } });
    const self = new ThreadPayload(worker);
    return new Promise((resolve, reject) => {
      let opened = false;
      let error: string | undefined;
      worker.on('message', (m: FromWorker) => {
        switch (m.kind) {
          case 'log':
            log[m.level](m.text);
            break;
          case 'opened':
            opened = true;
            resolve(self);
            break;
          case 'failed':
            error = m.error;
            reject(new Error(m.error));
            break;
          case 'reply': {
            const p = self.pending.get(m.id);
            self.pending.delete(m.id);
            if (m.error === undefined) p?.resolve();
            else p?.reject(new Error(m.error));
            break;
          }
          case 'closed':
            self.closed?.();
            break;
        }
      });
      worker.on('error', (err) => {
        error = `the payload thread failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
      });
      worker.on('exit', (code) => {
        const why = error ?? `the payload thread exited with status ${code}`;
        for (const p of self.pending.values()) p.reject(new Error(why));
        self.pending.clear();
        if (!opened) reject(new Error(why));
        else if (self.closed === undefined) onDeath(why);
        else self.closed();
      });
    });
  }

  apply(cf: Config): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'apply', id, config: cf } satisfies ToWorker);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.closed = resolve;
      this.worker.postMessage({ kind: 'close' } satisfies ToWorker);
    });
  }
}
