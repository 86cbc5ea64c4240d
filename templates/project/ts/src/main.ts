/*
 * main.ts: the daemon's TypeScript entry point, run by the NAME launcher (a C program) as
 *   node main.js -c CONFIG -p PIDFILE        with fd 3 the control channel (control.ts)
 *   node main.js -t -c CONFIG -p PIDFILE     config check, on the user's terminal
 * The launcher has already done the daemon's part (APUE 13.3, daemon(7)): detached, took the
 * pid-file lock, dropped privileges; it relays our log lines and readiness.
 *
 * The start-up order: the options; the signals' handlers (a SIGTERM meanwhile is kept for
 * later); the config, checked before anything else (FAIL 78); the payload (FAIL 71); READY.
 * Then SIGHUP re-reads the config (reload.ts), SIGTERM and SIGINT stop cleanly (exit 0), and
 * end-of-file on fd 3 ends the process at once. The payload runs in this event loop (reload
 * model "single") or in a worker thread (model "multi", payload-thread.ts), per defaults.ts.
 */
import { parseArgs } from 'node:util';

import { type Config, describe, load, socketBeside } from './config.js';
import { CONTROL_FD, Control, isSocketFd } from './control.js';
import { CONFIG, NAME, PAYLOAD, RELOAD_MODEL } from './defaults.js';
import { expandPath } from './path.js';
import { type Payload, openPayload } from './payload.js';
import { ThreadPayload } from './payload-thread.js';
import { reloadConfig } from './reload.js';

/* Exit statuses, with the values of BSD's sysexits.h (the C daemon's helper/exitcodes.h). */
const EXIT_USAGE = 64;
const EXIT_SOFTWARE = 70;
const EXIT_OSERR = 71;
const EXIT_CONFIG = 78;

const USAGE = `usage: main.js [-t] -c file -p file (run by ${NAME}, which takes -h)`;

function die(status: number, message: string): never {
  process.stderr.write(`${NAME}: ${message}\n`);
  process.exit(status);
}

function options(): { config: string; pidfile: string | undefined; test: boolean } {
  try {
    const { values } = parseArgs({
      options: {
        config: { type: 'string', short: 'c' },
        pidfile: { type: 'string', short: 'p' },
        test: { type: 'boolean', short: 't' },
      },
      strict: true,
      allowPositionals: false,
    });
    return { config: values.config ?? CONFIG, pidfile: values.pidfile, test: values.test ?? false };
  } catch (err) {
    return die(EXIT_USAGE, `${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
}

/* The daemon's life after the options: each signal changes its state, in this event loop. */
class Daemon {
  private payload: Payload | undefined;
  private cf: Config | undefined;
  private ready = false;
  private stopping = false;
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;

  constructor(
    private readonly ctl: Control,
    private readonly config: string,
  ) {
    /* Installed before anything can fail or be served; kept until READY if early. */
    process.on('SIGHUP', () => this.reload());
    process.on('SIGTERM', () => void this.stop());
    process.on('SIGINT', () => void this.stop());
    /*
     * The spare signals, as the helper treats its own: logged and ignored. SIGUSR1 would open
     * Node's inspector on 127.0.0.1:9229 (anyone local could then run code as this account),
     * and SIGUSR2 and SIGALRM would kill Node at their default action.
     */
    for (const sig of ['SIGUSR1', 'SIGUSR2', 'SIGALRM'] as const)
      process.on(sig, () => this.ctl.info(`ignoring ${sig}: it has no meaning for this daemon`));
    process.on('uncaughtException', (err) => this.crash(err));
    process.on('unhandledRejection', (err) => this.crash(err));
  }

  async start(): Promise<void> {
    const parsed = load(this.config);
    if (!parsed.ok) return this.ctl.fail(EXIT_CONFIG, parsed.error);
    try {
      this.payload =
        RELOAD_MODEL === 'multi'
          ? await ThreadPayload.open(parsed.config, this.ctl, (why) => this.crash(why))
          : await openPayload(parsed.config, this.ctl);
    } catch (err) {
      return this.ctl.fail(EXIT_OSERR, err instanceof Error ? err.message : String(err));
    }
    this.cf = parsed.config;
    this.ready = true;
    /* The launcher logs "started (version V): STATUS" itself. */
    this.ctl.send('READY', describe(parsed.config));
    if (this.stopping) {
      this.stopping = false;
      await this.stop();
    } else if (this.reloadAgain) {
      this.reloadAgain = false;
      this.reload();
    }
  }

  /* One reload at a time; a SIGHUP during one is one more after it. */
  private reload(): void {
    if (this.stopping) return;
    if (!this.ready || this.reloading !== undefined) {
      this.reloadAgain = true;
      return;
    }
    const p = this.payload!;
    this.reloading = reloadConfig(this.config, p, this.ctl, this.cf!).then((cf) => {
      this.cf = cf;
      this.reloading = undefined;
      if (this.reloadAgain && !this.stopping) {
        this.reloadAgain = false;
        this.reload();
      }
    });
  }

  private async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (!this.ready) return; /* start() stops once it is done */
    this.ctl.send('STOPPING');
    await this.reloading;
    await this.payload?.close();
    this.ctl.exit(0);
  }

  private crash(err: unknown): void {
    const what = err instanceof Error ? (err.stack ?? err.message) : String(err);
    if (!this.ready) return this.ctl.fail(EXIT_SOFTWARE, `internal error: ${what}`);
    this.ctl.warn(`internal error: ${what}`);
    this.ctl.exit(EXIT_SOFTWARE);
  }
}

const opts = options();
if (!opts.test && !isSocketFd(CONTROL_FD)) {
  die(EXIT_USAGE, `main.js is started by the ${NAME} program, not directly: run ${NAME} -f`);
}
/* Absolute now: the daemon runs in "/" and re-reads the config from there. */
const config = expandPath(opts.config);
if (PAYLOAD === 'echo' && opts.pidfile !== undefined) {
  /* A file that sets no socket gets one beside the pid file. */
  const pid = expandPath(opts.pidfile);
  if (pid.ok) socketBeside(pid.path);
}
if (opts.test) {
  if (!config.ok) die(EXIT_CONFIG, config.error);
  const parsed = load(config.path);
  if (!parsed.ok) die(EXIT_CONFIG, parsed.error);
  process.stdout.write(`${NAME}: ${config.path}: configuration OK\n`);
  process.exitCode = 0;
} else {
  /* The launcher is gone: exit at once, so that no orphan keeps serving. */
  const ctl = new Control(CONTROL_FD, () => process.exit(1));
  if (!config.ok) {
    ctl.fail(EXIT_CONFIG, config.error);
  } else {
    void new Daemon(ctl, config.path).start();
  }
}
