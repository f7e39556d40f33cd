import { describe, expect, it } from 'vitest';
import { PushProgress } from '../../../src/core/auth/push-progress.js';
import type { SessionEvent } from '../../../src/core/events.js';

const t0 = Date.parse('2026-11-27T10:00:00Z');
const at = (s: number) => new Date(t0 + s * 1000).toISOString();
const layer = (s: number, id: string, bytes: number, totalBytes: number): SessionEvent => ({
  type: 'push.layer',
  v: 1,
  t: at(s),
  layer: id,
  state: 'pushing',
  bytes,
  totalBytes,
});

describe('PushProgress', () => {
  it('estimates the time left from bytes left over the measured rate', () => {
    const p = new PushProgress();
    p.onEvent({ type: 'push.start', v: 1, t: at(0), argv: ['docker', 'push', 'gcr.io/p/a'], tool: 'docker' });
    p.onEvent(layer(0, 'a', 0, 100_000_000));
    p.onEvent(layer(0, 'b', 0, 100_000_000));
    p.onEvent(layer(10, 'a', 10_000_000, 100_000_000));
    // 10 MB in 10 s = 1 MB/s; 190 MB left -> 190 s.
    expect(p.remainingMs(t0 + 10_000)).toBe(190_000);
  });

  it('knows nothing without a push, without byte counts, or after the push ended', () => {
    const p = new PushProgress();
    expect(p.remainingMs(t0)).toBeUndefined();
    p.onEvent({ type: 'push.start', v: 1, t: at(0), argv: [], tool: 'docker' });
    p.onEvent({ type: 'push.layer', v: 1, t: at(1), layer: 'a', state: 'pushing' });
    expect(p.remainingMs(t0 + 1000)).toBeUndefined();
    p.onEvent(layer(1, 'a', 0, 10));
    p.onEvent(layer(2, 'a', 5, 10));
    expect(p.remainingMs(t0 + 2000)).toBe(1000);
    p.onEvent({
      type: 'push.end',
      v: 1,
      t: at(3),
      exitCode: 0,
      durationMs: 3000,
      layersPushed: 1,
      layersExisting: 0,
      retries: 0,
    });
    expect(p.remainingMs(t0 + 3000)).toBeUndefined();
  });
});
