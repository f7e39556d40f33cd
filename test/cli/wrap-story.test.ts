/**
 * What the terminal keeps when the dashboard of a wrapped push closes: the command's last 50
 * lines as they came (stdout and stderr interleaved), how many earlier ones only the log
 * holds, then the push summary and the verdict.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus.js';
import type { EventInput } from '../../src/core/events.js';
import { WrapStory } from '../../src/cli/wrap-story.js';

function story() {
  const bus = new EventBus();
  const s = new WrapStory();
  bus.subscribe(s);
  return { s, emit: (...events: EventInput[]) => events.forEach((e) => bus.emit(e)) };
}

const end: EventInput = {
  type: 'push.end',
  exitCode: 0,
  durationMs: 1000,
  layersPushed: 1,
  layersExisting: 0,
  retries: 0,
};

describe('WrapStory', () => {
  it('keeps the last 50 lines in order across both streams, and says how many earlier ones the log holds', () => {
    const { s, emit } = story();
    emit({ type: 'push.start', argv: ['/usr/bin/docker', 'push', 'gcr.io/p/a:1'], tool: 'docker', pid: 7 });
    for (let i = 1; i <= 60; i++)
      emit({ type: 'push.output', stream: i % 7 === 0 ? 'stderr' : 'stdout', line: `line ${i}` });
    emit(end);
    const lines = s.lines([], [], '/var/log/s.ndjson');
    expect(lines[0]).toBe(
      'what docker printed: its last 50 lines (10 earlier line(s) left out; the session log holds all 60: /var/log/s.ndjson)',
    );
    expect(lines.slice(1, 51)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i + 11}`));
    const at = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
    expect(at('push summary')).toBeGreaterThan(50);
    expect(at('verdict: No problem found.')).toBeGreaterThan(at('push summary'));
  });

  it('names no log when none was written, and a command that printed nothing', () => {
    const { s, emit } = story();
    emit({ type: 'push.start', argv: ['sh'], tool: 'generic', pid: 7 });
    for (let i = 1; i <= 51; i++) emit({ type: 'push.output', stream: 'stdout', line: `l${i}` });
    expect(s.lines([], [], null)[0]).toMatch(/\(1 earlier line\(s\) left out; no session log was written\)$/);
    const quiet = story();
    quiet.emit({ type: 'push.start', argv: ['true'], tool: 'generic', pid: 8 }, end);
    expect(quiet.s.lines([], [], null)[0]).toBe('true printed nothing.');
  });

  it("folds docker's countdown before a retry into one line, so the tail keeps what matters", () => {
    const { s, emit } = story();
    emit({ type: 'push.start', argv: ['docker', 'push', 'gcr.io/p/a:1'], tool: 'docker', pid: 7 });
    const countdown = (layer: string, from: number) =>
      Array.from({ length: from }, (_, i) => from - i).map((n) => ({
        type: 'push.output' as const,
        stream: 'stdout' as const,
        line: `${layer}: Retrying in ${n} second${n === 1 ? '' : 's'}`,
      }));
    const a = '193957d71e6f';
    const b = '28acca3ef440';
    emit(
      { type: 'push.output', stream: 'stdout', line: `${a}: Pushing` },
      ...countdown(a, 5),
      ...countdown(a, 10),
      ...countdown(b, 3),
      { type: 'push.output', stream: 'stdout', line: `${a}: Pushed` },
      end,
    );
    const lines = s.lines([], [], null);
    expect(lines.slice(0, 6)).toEqual([
      'what docker printed: (15 countdown line(s) folded into their first)',
      `${a}: Pushing`,
      `${a}: Retrying in 5 seconds (counted down to 1)`,
      `${a}: Retrying in 10 seconds (counted down to 1)`,
      `${b}: Retrying in 3 seconds (counted down to 1)`,
      `${a}: Pushed`,
    ]);
  });

  it('tells nothing for a command that could not start (the CLI says why in one line)', () => {
    const { s, emit } = story();
    emit({ type: 'push.start', argv: ['nope'], tool: 'generic' }, { ...end, exitCode: 127 } as EventInput);
    expect(s.lines([], [], null)).toEqual([]);
  });
});
