import { describe, expect, it } from 'vitest';
import { PeriodicTask } from '../../src/core/periodic.js';
import { ManualClock } from '../support/manual-clock.js';

describe('PeriodicTask (manual clock)', () => {
  it('runs at start and then every interval', async () => {
    const clock = new ManualClock();
    const starts: number[] = [];
    const task = new PeriodicTask({
      intervalMs: 1000,
      clock,
      run: async () => {
        starts.push(clock.now());
      },
    });
    task.start();
    await clock.advance(3500);
    expect(starts).toEqual([0, 1000, 2000, 3000]);
    await task.stop();
  });

  it('never overlaps: a run that overruns is followed at once by the next', async () => {
    const clock = new ManualClock();
    const starts: number[] = [];
    let release!: () => void;
    const task = new PeriodicTask({
      intervalMs: 1000,
      clock,
      run: () => {
        starts.push(clock.now());
        return starts.length === 1
          ? new Promise<void>((r) => {
              release = r;
            })
          : Promise.resolve();
      },
    });
    task.start();
    await clock.advance(2500);
    expect(starts).toEqual([0]);
    release();
    await clock.advance(1);
    expect(starts).toEqual([0, 2500]);
    await clock.advance(1000);
    expect(starts).toEqual([0, 2500, 3500]);
    await task.stop();
  });

  it('brings the next run forward on request, never pushes it back', async () => {
    const clock = new ManualClock();
    const starts: number[] = [];
    const task = new PeriodicTask({
      intervalMs: 60_000,
      clock,
      run: async () => {
        starts.push(clock.now());
      },
    });
    task.start();
    await clock.advance(10);
    task.runIn(5000);
    task.runIn(90_000);
    await clock.advance(6000);
    expect(starts).toEqual([0, 5010]);
    await clock.advance(60_000);
    expect(starts).toEqual([0, 5010, 65_010]);
    await task.stop();
  });

  it('stop aborts the run in flight and cancels the next', async () => {
    const clock = new ManualClock();
    let aborted = false;
    const task = new PeriodicTask({
      intervalMs: 1000,
      clock,
      run: (signal) =>
        new Promise<void>((r) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            r();
          }),
        ),
    });
    task.start();
    await clock.advance(10);
    await task.stop();
    expect(aborted).toBe(true);
    expect(clock.pending).toBe(0);
    expect(task.runs).toBe(1);
  });
});
