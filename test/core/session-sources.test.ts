import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';
import { Session, type SessionSource, type SourceContext } from '../../src/core/session.js';
import { makeTarget } from '../../src/core/targets.js';

function session(sources: SessionSource[]): Session {
  return new Session({
    version: 't',
    mode: 'plain',
    targets: [makeTarget('gcr.io', 443, 'flag')],
    intervalMs: 60_000,
    probe: { timeoutMs: 1000, pins: new Map(), dnsServers: [], userAgent: 't' },
    logPath: null,
    recordedOptions: {},
    // The session's wiring is under test here, not the network.
    roundRunner: async () => ({ ok: true, ms: 1, phases: { total: 1 }, details: {} }),
    sources,
  });
}

describe('Session sources', () => {
  it('starts sources after session.start, lets them read state and the stream, and stops them before session.end', async () => {
    const seen: SessionEvent[] = [];
    let ctx!: SourceContext;
    let stopped = false;
    const source: SessionSource = {
      name: 'test source',
      start: (c) => {
        ctx = c;
        c.emit({ type: 'auth', view: 'clock', host: 'gcr.io', skewSeconds: 0, ok: true });
      },
      stop: async () => {
        stopped = true;
        ctx.emit({ type: 'warning', code: 'local.error', message: 'too late' });
      },
      onEvent: (e) => {
        seen.push(e);
      },
      endSummary: () => ({ credentials: { state: 'ok', summary: 'fine', codes: [] } }),
    };
    const s = session([source]);
    const all: SessionEvent[] = [];
    s.attach({ name: 'collect', onEvent: (e) => all.push(e) });
    s.start();
    expect(all.map((e) => e.type).slice(0, 2)).toEqual(['session.start', 'auth']);
    expect(ctx.state().targets.has('gcr.io')).toBe(true);
    const end = await s.stop('duration');
    expect(stopped).toBe(true);
    expect(all.some((e) => e.type === 'warning')).toBe(false);
    expect(end.credentials).toEqual({ state: 'ok', summary: 'fine', codes: [] });
    expect(seen.map((e) => e.type)).toContain('auth');
    expect(seen.at(-1)?.type).toBe('session.end');
  });

  it('says, while stopping, which sources it still waits for', async () => {
    let release!: () => void;
    const slow: SessionSource = {
      name: 'the wrapped push',
      start: () => undefined,
      stop: () => new Promise<void>((r) => (release = r)),
    };
    const s = session([slow]);
    s.start();
    expect(s.waitingFor()).toEqual([]);
    const stopping = s.stop('quit');
    await new Promise((r) => setImmediate(r));
    expect(s.waitingFor()).toEqual(['the wrapped push']);
    release();
    await stopping;
    expect(s.waitingFor()).toEqual([]);
  });
});
