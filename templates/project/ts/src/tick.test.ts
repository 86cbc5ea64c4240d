/*
 * tick.test.ts: the tick payload's schedule (tick.ts) on a fake clock: start + k * interval,
 * missed ticks skipped, a new interval rescheduled from now, a new message alone keeping the
 * schedule, and waits longer than setTimeout() allows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { TickConfig } from './config.js';
import { type Clock, Tick } from './tick.js';

/* A clock that moves only when told, firing the timers that fall due on the way. */
class FakeClock implements Clock {
  t = 1000;
  private id = 0;
  readonly timers = new Map<number, { fn: () => void; at: number; ms: number }>();

  now(): number {
    return this.t;
  }
  set(fn: () => void, ms: number): unknown {
    this.timers.set(++this.id, { fn, at: this.t + ms, ms });
    return this.id;
  }
  clear(h: unknown): void {
    this.timers.delete(h as number);
  }
  /* Moves time on by ms, firing each timer at its time. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { fn: () => void; at: number }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (next === undefined || e[1].at < next[1].at)) next = e;
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = end;
  }
  /* The process was stopped (a suspend, a blocked loop): time passes, no timer fires. */
  jump(ms: number): void {
    this.t += ms;
  }
}

function setup(interval: number, message = 'tock'): { clock: FakeClock; lines: string[]; tick: Tick } {
  const clock = new FakeClock();
  const lines: string[] = [];
  const log = { info: (t: string) => lines.push(t), warn: (t: string) => lines.push(`warn: ${t}`) };
  const cf: TickConfig = { payload: 'tick', interval, message };
  return { clock, lines, tick: new Tick(cf, log, clock) };
}

test('it logs the message every interval seconds, and not before', () => {
  const { clock, lines } = setup(60);
  clock.advance(59999);
  assert.deepEqual(lines, []);
  clock.advance(1);
  assert.deepEqual(lines, ['tock']);
  clock.advance(120000);
  assert.deepEqual(lines, ['tock', 'tock', 'tock']);
});

test('the schedule does not drift: ticks stay on start + k * interval', () => {
  const { clock, lines } = setup(10);
  clock.advance(10000);
  clock.advance(3); /* a tick that took 3 ms */
  clock.advance(9997);
  assert.equal(lines.length, 2);
});

test('ticks missed while the process was stopped are skipped, not replayed', () => {
  const { clock, lines } = setup(10);
  clock.advance(10000);
  clock.jump(45000); /* at 55 s, ticks at 20, 30, 40 and 50 s were missed */
  clock.advance(0);
  assert.deepEqual(lines, ['tock', 'tock']);
  clock.advance(4999);
  assert.equal(lines.length, 2);
  clock.advance(1); /* 60 s: back on the grid */
  assert.equal(lines.length, 3);
});

test('a new message alone keeps the schedule', async () => {
  const { clock, lines, tick } = setup(60);
  clock.advance(30000);
  await tick.apply({ payload: 'tick', interval: 60, message: 'new' });
  clock.advance(30000);
  assert.deepEqual(lines, ['new']);
});

test('a new interval starts a new schedule from now', async () => {
  const { clock, lines, tick } = setup(60);
  clock.advance(50000);
  await tick.apply({ payload: 'tick', interval: 20, message: 'tock' });
  clock.advance(19999);
  assert.deepEqual(lines, []); /* the old 60 s tick is gone */
  clock.advance(1);
  assert.deepEqual(lines, ['tock']);
  clock.advance(20000);
  assert.equal(lines.length, 2);
});

test('a config for echo is refused', async () => {
  const { tick } = setup(60);
  await assert.rejects(
    tick.apply({ payload: 'echo', socket: '/x', socketMode: 0o660, maxClients: 1, maxBuffered: 65536 }),
    /the tick payload cannot take a config for echo/,
  );
});

test('a year between ticks is waited for in steps setTimeout() can take', () => {
  const { clock, lines } = setup(31536000);
  for (const t of clock.timers.values()) assert.ok(t.ms <= 2 ** 31 - 1);
  clock.advance(31536000 * 1000 - 1);
  assert.deepEqual(lines, []);
  clock.advance(1);
  assert.deepEqual(lines, ['tock']);
});

test('close() stops the ticks', async () => {
  const { clock, lines, tick } = setup(1);
  await tick.close();
  clock.advance(10000);
  assert.deepEqual(lines, []);
  assert.equal(clock.timers.size, 0);
});

test('real timers: a 1 s tick fires after about a second', async () => {
  const lines: string[] = [];
  const t = new Tick({ payload: 'tick', interval: 1, message: 'real' }, { info: (s) => lines.push(s), warn: () => {} });
  await new Promise((r) => setTimeout(r, 1300));
  await t.close();
  assert.deepEqual(lines, ['real']);
});
