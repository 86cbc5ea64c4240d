/*
 * payload.ts: what the daemon does, as both payloads implement it (the twin of the C daemon's
 * src/payload.h), and the choice between them, made at run time from the config's kind.
 *
 * A payload never blocks the event loop. It is opened with the config at start-up, given each
 * new config on SIGHUP (apply() fails with the reason and leaves the previous one in force),
 * and closed on SIGTERM. It logs through a Logger: the control channel in the main thread, or
 * messages to the main thread from a worker (payload-worker.ts).
 */
import type { Config } from './config.js';

export interface Logger {
  info(text: string): void;
  warn(text: string): void;
}

export interface Payload {
  /* Puts cf in force; rejects with the reason, the previous config staying in force. */
  apply(cf: Config): Promise<void>;
  /* Stops serving and releases everything; resolves once done (echo: at most 2 s). */
  close(): Promise<void>;
}

/* Starts the payload cf is for; rejects with the reason ("cannot listen on ...: ..."). */
export async function openPayload(cf: Config, log: Logger): Promise<Payload> {
  if (cf.payload === 'tick') {
    const { Tick } = await import('./tick.js');
    return new Tick(cf, log);
  }
  const { Echo } = await import('./echo.js');
  return Echo.open(cf, log);
}
