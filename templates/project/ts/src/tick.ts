/*
 * tick.ts: the tick payload (the twin of the C daemon's src/tick.c). Every `interval` seconds,
 * log `message`.
 *
 * Ticks are scheduled on the monotonic clock (performance.now()) at start + k * interval, so
 * they do not drift by the time each one takes, and setting the wall clock moves nothing. Ticks
 * missed meanwhile (a long suspend, a blocked loop) are skipped, never replayed in a burst. A new
 * interval starts a new schedule from now; a new message alone keeps the schedule. Between ticks
 * one timer sleeps until the deadline: no wake-ups when idle.
 *
 * Add your work in run(); it runs in the event loop, so it must not block for long.
 */
import type { Config, TickConfig } from './config.js';
import type { Logger, Payload } from './payload.js';

/* setTimeout() takes at most 2^31 - 1 ms (about 24.8 days); a longer wait is done in steps. */
const TIMER_MAX = 2 ** 31 - 1;

/* The clock and timer the payload uses: the real ones, or a test's. */
export interface Clock {
  now(): number; /* milliseconds, monotonic */
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realClock: Clock = {
  now: () => performance.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class Tick implements Payload {
  private cf: TickConfig;
  private next = 0; /* monotonic time of the next tick, in ms */
  private timer: unknown;
  private closed = false;

  constructor(
    cf: TickConfig,
    private readonly log: Logger,
    private readonly clock: Clock = realClock,
  ) {
    this.cf = { ...cf };
    this.schedule();
  }

  /* The work of one tick. */
  private run(): void {
    this.log.info(this.cf.message);
  }

  private schedule(): void {
    this.next = this.clock.now() + this.cf.interval * 1000;
    this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined) this.clock.clear(this.timer);
    const left = Math.max(0, this.next - this.clock.now());
    this.timer = this.clock.set(() => this.dispatch(), Math.min(Math.ceil(left), TIMER_MAX));
  }

  private dispatch(): void {
    this.timer = undefined;
    if (this.closed) return;
    const now = this.clock.now();
    if (now >= this.next) {
      this.run();
      /* The next slot on the original grid; skip the slots that are already past. */
      do this.next += this.cf.interval * 1000;
      while (this.next <= now);
    }
    this.arm();
  }

  async apply(cf: Config): Promise<void> {
    if (cf.payload !== 'tick') throw new Error('the tick payload cannot take a config for echo');
    const old = this.cf.interval;
    this.cf = { ...cf };
    if (cf.interval !== old) this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clear(this.timer);
    this.timer = undefined;
  }
}
