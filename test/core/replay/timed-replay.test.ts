import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../src/core/events.js';
import { TimedReplay } from '../../../src/core/replay/timed-replay.js';
import { ManualClock } from '../../support/manual-clock.js';

function events(seconds: number[]): SessionEvent[] {
  return seconds.map((s, i) => ({
    v: 1,
    t: new Date(Date.parse('2026-03-02T10:00:00Z') + s * 1000).toISOString(),
    type: 'warning' as const,
    code: 'local.error',
    message: String(i),
  }));
}

async function* stream(list: SessionEvent[]): AsyncGenerator<SessionEvent> {
  for (const e of list) yield e;
}

describe('TimedReplay', () => {
  it('delivers each event at its session time divided by the speed', async () => {
    const clock = new ManualClock();
    const got: Array<[string, number]> = [];
    const replay = new TimedReplay(stream(events([0, 10, 30])), { speed: 10, clock });
    const done = replay.run((e) => got.push([(e as { message: string }).message, clock.now()]));
    await clock.advance(5000);
    expect(await done).toEqual({ delivered: 3, stopped: false });
    expect(got).toEqual([
      ['0', 0],
      ['1', 1000],
      ['2', 3000],
    ]);
  });

  it('stops the replay clock while paused', async () => {
    const clock = new ManualClock();
    const got: number[] = [];
    const replay = new TimedReplay(stream(events([0, 2])), { speed: 1, clock });
    const done = replay.run(() => got.push(clock.now()));
    await clock.advance(1000);
    replay.pause();
    await clock.advance(10_000);
    expect(got).toEqual([0]);
    expect(replay.toggle()).toBe(false);
    await clock.advance(1000);
    await done;
    expect(got).toEqual([0, 12_000]);
  });

  it('stops on the signal', async () => {
    const clock = new ManualClock();
    const abort = new AbortController();
    const replay = new TimedReplay(stream(events([0, 100])), { speed: 1, clock, signal: abort.signal });
    const done = replay.run(() => undefined);
    await clock.advance(1000);
    abort.abort();
    await clock.advance(1);
    expect(await done).toEqual({ delivered: 1, stopped: true });
  });

  it('refuses a speed that is not a positive number', () => {
    expect(() => new TimedReplay(stream([]), { speed: 0 })).toThrow(/positive number/);
  });
});
