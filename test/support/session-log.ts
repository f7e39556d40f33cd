/** Reading a session log back in tests. */
import { readFileSync } from 'node:fs';
import type { ProbeEvent, SessionEvent } from '../../src/core/events.js';

/** Every event of an NDJSON log (each line must parse). */
export function readLog(file: string): SessionEvent[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SessionEvent);
}

/** The probe events of one target. */
export function probesOf(events: SessionEvent[], target: string): ProbeEvent[] {
  return events.filter((e): e is ProbeEvent => e.type === 'probe' && e.target === target);
}
