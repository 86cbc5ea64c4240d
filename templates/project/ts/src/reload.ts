/*
 * reload.ts: re-reads the config on SIGHUP (APUE 13.6), outside the signal's own event: the
 * twin of reload_config() in the C daemon's src/reload.c.
 *
 * The new file is parsed completely before anything changes; if it is wrong, or the payload
 * cannot put it in force, the previous config stays and the reason is logged. The launcher
 * turns RELOADING and the STATUS that ends the reload into sd_notify's RELOADING=1 and
 * READY=1 + STATUS=, as sd_notify(3) asks.
 */
import { type Config, describe, load } from './config.js';
import type { Control } from './control.js';
import type { Payload } from './payload.js';

/* Re-reads path and puts it in force in payload; returns the config now in force. */
export async function reloadConfig(
  path: string,
  payload: Payload,
  ctl: Pick<Control, 'send' | 'info' | 'warn'>,
  current: Config,
): Promise<Config> {
  ctl.send('RELOADING');
  ctl.info(`reloading the configuration from ${path}`);
  const parsed = load(path);
  let error: string | undefined;
  if (!parsed.ok) {
    error = parsed.error;
  } else {
    try {
      await payload.apply(parsed.config);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
  }
  if (error !== undefined || !parsed.ok) {
    ctl.warn(`reload failed: ${error}; keeping the previous configuration`);
    ctl.send('STATUS', `reload failed: ${error}`);
    return current;
  }
  const what = describe(parsed.config);
  ctl.info(`configuration reloaded from ${path}: ${what}`);
  ctl.send('STATUS', what);
  return parsed.config;
}
