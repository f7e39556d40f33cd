/**
 * An event as one NDJSON line (without the newline). The session log and `--json` both write
 * every event; the text is made once and shared (events are not changed once delivered).
 */
import type { SessionEvent } from '../events.js';

const lines = new WeakMap<SessionEvent, string>();

/** `JSON.stringify(event)`, computed once per event. */
export function eventLine(event: SessionEvent): string {
  let line = lines.get(event);
  if (line === undefined) {
    line = JSON.stringify(event);
    lines.set(event, line);
  }
  return line;
}
