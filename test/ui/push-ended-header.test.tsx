/**
 * The header once a wrapped push has ended (`--stay` keeps the dashboard open then): how it
 * ended before the verdict, and the elapsed time stopped at the session's end. The demo's
 * pushes come and go: its header never says so.
 */
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushEndEvent, PushStartEvent, SessionEndEvent } from '../../src/core/events.js';
import { dashboardView } from '../../src/ui/dashboard-view.js';
import { Header } from '../../src/ui/Header.js';
import { event, rounds, sessionStart, storeOf, T0 } from './helpers/events.js';

afterEach(() => cleanup());

function wrapped(mode: string) {
  return storeOf([
    sessionStart(['gcr.io'], 1000, { mode }),
    event<PushStartEvent>(500, {
      type: 'push.start',
      argv: ['docker', 'push', 'gcr.io/p/a:1'],
      tool: 'docker',
      pid: 9,
    }),
    ...rounds('gcr.io', [20, 30]),
    event<PushEndEvent>(12_500, {
      type: 'push.end',
      exitCode: 1,
      durationMs: 12_000,
      layersPushed: 0,
      layersExisting: 0,
      retries: 0,
    }),
    event<SessionEndEvent>(14_000, { type: 'session.end', reason: 'child-exit', exitCode: 1, summary: [] }),
  ]);
}

describe('the header after a wrapped push', () => {
  it('says the push ended and how, before the verdict, and stops its clock at the end', () => {
    const view = dashboardView(wrapped('wrap').state, '0.1.0', null);
    expect(view.header.pushEnded).toEqual({ text: 'push ended: exit 1 after 12s', tone: 'fail' });
    // An hour later, the elapsed time is still the session's 14 s.
    const { lastFrame } = render(
      <Header info={view.header} now={T0 + 3_600_000} lines={2} width={120} paused={false} color={false} />,
    );
    const [first, second] = (lastFrame() ?? '').split('\n');
    expect(first).toMatch(/ 14s /);
    expect(second).toMatch(/^push ended: exit 1 after 12s \| /);
    const compact = render(
      <Header info={view.header} now={T0} lines={1} width={120} paused={false} color={false} />,
    ).lastFrame();
    expect(compact).toMatch(/ \| push ended: exit 1 after 12s \| /);
  });

  it('says nothing of a push in a session that is not a wrap (the demo)', () => {
    expect(dashboardView(wrapped('tui').state, '0.1.0', null).header.pushEnded).toBeUndefined();
  });
});
