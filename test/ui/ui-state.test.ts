import { describe, expect, it } from 'vitest';
import { chartPhases } from '../../src/ui/series.js';
import { commandOfKey, INITIAL_UI, nextCompare, uiReducer } from '../../src/ui/ui-state.js';

const noKey = { ctrl: false, upArrow: false, downArrow: false, escape: false };

describe('keys', () => {
  it('map to commands', () => {
    expect(commandOfKey('q', noKey)).toBe('quit');
    expect(commandOfKey('c', { ...noKey, ctrl: true })).toBe('interrupt');
    expect(commandOfKey('c', noKey)).toBe('compare');
    expect(commandOfKey('', { ...noKey, upArrow: true })).toBe('up');
    expect(commandOfKey('', { ...noKey, downArrow: true })).toBe('down');
    expect(commandOfKey('p', noKey)).toBe('phase');
    expect(commandOfKey(' ', noKey)).toBe('pause');
    expect(commandOfKey('e', noKey)).toBe('export');
    expect(commandOfKey('?', noKey)).toBe('help');
    expect(commandOfKey('', { ...noKey, escape: true })).toBe('close-help');
    expect(commandOfKey('z', noKey)).toBeUndefined();
  });
});

describe('uiReducer', () => {
  const ids = ['a', 'b', 'c'];
  it('moves the selection within the list', () => {
    let s = uiReducer(INITIAL_UI, { type: 'move', delta: 1, ids, current: 'a' });
    expect(s.selected).toBe('b');
    s = uiReducer(s, { type: 'move', delta: 5, ids, current: 'b' });
    expect(s.selected).toBe('c');
    s = uiReducer(s, { type: 'move', delta: -9, ids, current: 'c' });
    expect(s.selected).toBe('a');
  });
  it('cycles phases total -> DNS -> TCP -> TLS -> TTFB -> total, with PROXY only behind a proxy', () => {
    const cycle = (phases: ReturnType<typeof chartPhases>, n: number) => {
      const seen = [INITIAL_UI.phase];
      let s = INITIAL_UI;
      for (let i = 0; i < n; i++) {
        s = uiReducer(s, { type: 'cycle-phase', phases });
        seen.push(s.phase);
      }
      return seen;
    };
    expect(cycle(chartPhases(false), 5)).toEqual(['total', 'dns', 'connect', 'tls', 'ttfb', 'total']);
    expect(cycle(chartPhases(true), 6)).toEqual(['total', 'dns', 'connect', 'proxy', 'tls', 'ttfb', 'total']);
    // The proxy went away while PROXY was shown: the cycle starts again.
    expect(
      uiReducer({ ...INITIAL_UI, phase: 'proxy' }, { type: 'cycle-phase', phases: chartPhases(false) }).phase,
    ).toBe('total');
  });
  it('cycles the comparison: median, each other endpoint, off', () => {
    let c = INITIAL_UI.compare;
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      c = nextCompare(c, ['b', 'c']);
      seen.push(c.kind === 'target' ? c.id : c.kind);
    }
    expect(seen).toEqual(['median', 'b', 'c', 'none']);
    expect(uiReducer(INITIAL_UI, { type: 'cycle-compare', ids, selected: 'a' }).compare).toEqual({ kind: 'median' });
  });
  it('pauses at a time and resumes; toggles and closes help; keeps a message', () => {
    let s = uiReducer(INITIAL_UI, { type: 'toggle-pause', now: 42 });
    expect(s.pausedAt).toBe(42);
    s = uiReducer(s, { type: 'toggle-pause', now: 50 });
    expect(s.pausedAt).toBeUndefined();
    s = uiReducer(s, { type: 'toggle-help' });
    expect(s.help).toBe(true);
    s = uiReducer(s, { type: 'close-help' });
    expect(s.help).toBe(false);
    expect(uiReducer(s, { type: 'message', text: 'hi', ok: true }).message).toEqual({ text: 'hi', ok: true });
  });
});
