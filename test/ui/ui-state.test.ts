import { describe, expect, it } from 'vitest';
import { chartPhases } from '../../src/ui/series.js';
import { SessionStore } from '../../src/core/store.js';
import { commandOfKey, INITIAL_UI, nextCompare, uiReducer } from '../../src/ui/ui-state.js';

const noKey = {
  ctrl: false,
  upArrow: false,
  downArrow: false,
  escape: false,
  return: false,
  pageUp: false,
  pageDown: false,
};

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
    expect(commandOfKey('', { ...noKey, escape: true })).toBe('back');
    expect(commandOfKey('\r', { ...noKey, return: true })).toBe('open');
    expect(commandOfKey('', { ...noKey, pageDown: true })).toBe('page-down');
    expect(commandOfKey('f', noKey)).toBe('findings');
    expect(commandOfKey('z', noKey)).toBeUndefined();
  });
});

describe('uiReducer', () => {
  const ids = ['a', 'b', 'c'];
  const ctx = { findings: 0, maxScroll: 0 };
  it('moves the selection within the list', () => {
    let s = uiReducer(INITIAL_UI, { type: 'move', delta: 1, ids, current: 'a', ...ctx });
    expect(s.selected).toBe('b');
    s = uiReducer(s, { type: 'move', delta: 5, ids, current: 'b', ...ctx });
    expect(s.selected).toBe('c');
    s = uiReducer(s, { type: 'move', delta: -9, ids, current: 'c', ...ctx });
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
  it('pauses at a time with the snapshot shown, and resumes; keeps a message', () => {
    const snapshot = new SessionStore().getSnapshot();
    let s = uiReducer(INITIAL_UI, { type: 'toggle-pause', now: 42, snapshot });
    expect(s.paused).toEqual({ at: 42, snapshot });
    s = uiReducer(s, { type: 'toggle-pause', now: 50, snapshot });
    expect(s.paused).toBeUndefined();
    expect(uiReducer(s, { type: 'message', text: 'hi', ok: true, at: 7 }).message).toEqual({
      text: 'hi',
      ok: true,
      at: 7,
    });
  });

  it('opens views and goes back: help, the findings list, a finding, an endpoint', () => {
    const move = (delta: number, findings = 3, maxScroll = 10) =>
      ({ type: 'move', delta, ids, current: 'a', findings, maxScroll }) as const;
    let s = uiReducer(INITIAL_UI, { type: 'toggle-help' });
    expect(s.view).toEqual({ kind: 'help', scroll: 0 });
    s = uiReducer(s, move(25));
    expect(s.view).toEqual({ kind: 'help', scroll: 10 });
    s = uiReducer(s, { type: 'back' });
    expect(s.view).toEqual({ kind: 'main' });
    s = uiReducer(s, { type: 'toggle-findings' });
    s = uiReducer(s, move(1));
    s = uiReducer(s, move(5));
    expect(s.view).toEqual({ kind: 'findings', index: 2 });
    s = uiReducer(s, { type: 'open', findings: 3 });
    expect(s.view).toEqual({ kind: 'finding', index: 2, scroll: 0 });
    s = uiReducer(s, move(-4));
    expect(s.view).toEqual({ kind: 'finding', index: 2, scroll: 0 });
    s = uiReducer(s, { type: 'back' });
    expect(s.view).toEqual({ kind: 'findings', index: 2 });
    s = uiReducer(s, { type: 'back' });
    expect(s.view).toEqual({ kind: 'main' });
    // No finding: enter on the empty list opens nothing.
    s = uiReducer(uiReducer(s, { type: 'toggle-findings' }), { type: 'open', findings: 0 });
    expect(s.view).toEqual({ kind: 'findings', index: 0 });
    s = uiReducer(uiReducer(s, { type: 'back' }), { type: 'open', findings: 0 });
    expect(s.view).toEqual({ kind: 'endpoint', scroll: 0 });
    // Up/down in the main view select endpoints; the view is kept.
    expect(uiReducer(INITIAL_UI, move(1)).selected).toBe('b');
  });
});
