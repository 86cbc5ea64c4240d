/*
 * defaults.ts: the answers given to create-daemon, as constants (the twin of the C daemon's
 * src/defaults.h). The only template among the .ts files: every other file takes its names,
 * paths and policy from here, so regenerating with other answers changes only this file.
 */

export const NAME: string = <%- js.name %>;
export const VERSION: string = <%- js.version %>;
/* The config file when the launcher passes no -c (it always does; kept for messages). */
export const CONFIG: string = <%- js.config %>;

/* What the daemon does, and where a reload is put in force (see main.ts). */
export const PAYLOAD: 'tick' | 'echo' = <%- JSON.stringify(payload) %>;
export const RELOAD_MODEL: 'single' | 'multi' = <%- JSON.stringify(reload) %>;

/* tick: the defaults of "interval" and "message". */
export const TICK_INTERVAL: number = <%- tickInterval %>;
export const TICK_MESSAGE: string = <%- js.tickMessage %>;

/*
 * echo: the socket when the config sets none and -p names no directory (config.ts puts it
 * beside the pid file otherwise). macOS has no /run: there it sits beside launchd's pid file.
 */
export const SOCKET: string =
  process.platform === 'darwin' ? <%- JSON.stringify(launchdSocket) %> : <%- js.socket %>;
