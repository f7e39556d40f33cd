/** Reading a session log back in tests. */
import { readFileSync } from 'node:fs';
import type { ProbeEvent, SessionEvent } from '../../src/core/events.js';
import { isProbeRef, ProbeRefReader, type ProbeRef } from '../../src/core/log/probe-refs.js';

/**
 * Every event of an NDJSON log (each line must parse), with probes written as references
 * expanded as the reader expands them, but no schema check: tests see what was written.
 */
export function readLog(file: string): SessionEvent[] {
  const refs = new ProbeRefReader();
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const value = JSON.parse(l) as Record<string, unknown>;
      if (isProbeRef(value)) {
        const expanded = refs.expand(value as unknown as ProbeRef);
        if (!expanded.ok) throw new Error(`${file}: ${expanded.problem}`);
        return expanded.event;
      }
      if (value.type === 'probe' && 'key' in value) {
        const { key, ...event } = value;
        const problem = refs.define(key, event as unknown as ProbeEvent);
        if (problem) throw new Error(`${file}: ${problem}`);
        return event as unknown as SessionEvent;
      }
      return value as unknown as SessionEvent;
    });
}

/** The probe events of one target. */
export function probesOf(events: SessionEvent[], target: string): ProbeEvent[] {
  return events.filter((e): e is ProbeEvent => e.type === 'probe' && e.target === target);
}
