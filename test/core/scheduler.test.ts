import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/core/scheduler.js';
import { makeTarget, type Target } from '../../src/core/targets.js';
import { ManualClock } from '../support/manual-clock.js';

const A = makeTarget('a.example', 443, 'flag');
const B = makeTarget('b.example', 443, 'flag');

interface Start {
  target: string;
  round: number;
  at: number;
  lag: number;
}

/** A runner whose rounds take `takes(target)` ms of the manual clock, or hang until aborted. */
function recorder(clock: ManualClock, takes: (t: Target) => number | 'hang') {
  const starts: Start[] = [];
  const aborted: Start[] = [];
  const run = (target: Target, round: number, signal: AbortSignal, lag: number) => {
    const start = { target: target.id, round, at: clock.now(), lag };
    starts.push(start);
    return new Promise<void>((resolve) => {
      signal.addEventListener(
        'abort',
        () => {
          aborted.push(start);
          resolve();
        },
        { once: true },
      );
      const ms = takes(target);
      if (ms !== 'hang') clock.setTimeout(resolve, ms);
    });
  };
  return { starts, aborted, run };
}

describe('Scheduler', () => {
  it('keeps its cadence without drift, whatever the rounds take', async () => {
    const clock = new ManualClock();
    const rec = recorder(clock, () => 300);
    const s = new Scheduler({ intervalMs: 1000, timeoutMs: 900, jitterMs: 0, clock, run: rec.run });
    s.start([A]);
    await clock.advance(100_000);
    await s.stop();
    const times = rec.starts.map((x) => x.at);
    expect(times.length).toBe(101);
    times.forEach((t, k) => expect(t).toBe(k * 1000));
  });

  it('a hanging target skips ticks and does not delay the others', async () => {
    const clock = new ManualClock();
    const rec = recorder(clock, (t) => (t.id === A.id ? 'hang' : 50));
    const s = new Scheduler({ intervalMs: 1000, timeoutMs: 2500, jitterMs: 0, clock, run: rec.run });
    s.start([A, B]);
    await clock.advance(10_000);
    await s.stop();
    const a = rec.starts.filter((x) => x.target === A.id);
    const b = rec.starts.filter((x) => x.target === B.id);
    // B: every tick, on time (B's offset is fixed, so its gaps are exactly the interval).
    expect(b.length).toBe(10);
    for (let i = 1; i < b.length; i++) expect(b[i]!.at - b[i - 1]!.at).toBe(1000);
    // A: a round hangs for 2500 ms, so ticks 1 and 2 are skipped and round 3 starts on time
    // (and the tick at 10 000 ms finds round 9 still running).
    expect(a.map((x) => x.round)).toEqual([0, 3, 6, 9]);
    expect(a.map((x) => x.at)).toEqual([0, 3000, 6000, 9000]);
    expect(s.skipped).toBe(7);
    expect(rec.aborted.filter((x) => x.target === A.id).length).toBeGreaterThanOrEqual(3);
  });

  it('adds a bounded random jitter to each tick', async () => {
    const clock = new ManualClock();
    const rec = recorder(clock, () => 10);
    let r = 0;
    const randoms = [0, 0.5, 0.99, 0.25];
    const s = new Scheduler({
      intervalMs: 2000,
      timeoutMs: 1000,
      jitterMs: 40,
      clock,
      random: () => randoms[r++ % randoms.length]!,
      run: rec.run,
    });
    s.start([A]);
    await clock.advance(7_000);
    await s.stop();
    expect(rec.starts.map((x) => x.at)).toEqual([0, 2000 + 20, 4000 + 39.6, 6000 + 10]);
    expect(rec.starts.map((x) => x.lag)).toEqual([0, 20, 39.6, 10].map((v) => expect.closeTo(v, 5)));
  });

  it('resolves done after maxRounds for every target', async () => {
    const clock = new ManualClock();
    const rec = recorder(clock, () => 100);
    const s = new Scheduler({ intervalMs: 500, timeoutMs: 400, jitterMs: 0, maxRounds: 3, clock, run: rec.run });
    let done = false;
    void s.done.then(() => {
      done = true;
    });
    s.start([A, B]);
    // Rounds start at 0, 500 and 1000 ms (B 20 ms later) and take 100 ms each.
    await clock.advance(1110);
    expect(done).toBe(false);
    await clock.advance(20);
    expect(done).toBe(true);
    expect(rec.starts.filter((x) => x.target === A.id).map((x) => x.round)).toEqual([0, 1, 2]);
    expect(clock.pending).toBe(0);
  });

  it('counts rounds run, not ticks, towards maxRounds', async () => {
    const clock = new ManualClock();
    const rec = recorder(clock, () => 'hang');
    const s = new Scheduler({ intervalMs: 100, timeoutMs: 250, jitterMs: 0, maxRounds: 2, clock, run: rec.run });
    let done = false;
    void s.done.then(() => {
      done = true;
    });
    s.start([A]);
    // Round 0 hangs until its deadline at 250 ms; ticks 1 and 2 are skipped; round 3 runs.
    await clock.advance(400);
    expect(done).toBe(false);
    await clock.advance(200);
    expect(done).toBe(true);
    expect(rec.starts.map((x) => x.round)).toEqual([0, 3]);
  });

  it('stop aborts rounds in flight and fires no more ticks', async () => {
    const clock = new ManualClock();
    const rec = recorder(clock, () => 'hang');
    const s = new Scheduler({ intervalMs: 1000, timeoutMs: 5000, jitterMs: 0, clock, run: rec.run });
    s.start([A]);
    await clock.advance(10);
    await s.stop();
    expect(rec.aborted).toHaveLength(1);
    await clock.advance(5000);
    expect(rec.starts).toHaveLength(1);
  });

  it('rejects a zero interval', () => {
    expect(() => new Scheduler({ intervalMs: 0, timeoutMs: 1, run: async () => undefined })).toThrow(/positive/);
  });
});
