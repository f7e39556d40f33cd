/**
 * Diagnose a finished stream of events (a session log, a test's events) in one pass, with
 * an engine of its own: the findings do not depend on any `diagnosis` events the stream
 * already holds. Memory is the engine's, bounded whatever the length of the stream.
 */
import type { SessionEvent } from '../events.js';
import { DiagnosisEngine, type EngineOptions } from './engine.js';

/** Feed every event, then finish; returns the engine to read `current()` and `history()`. */
export async function diagnoseEvents(
  events: AsyncIterable<SessionEvent> | Iterable<SessionEvent>,
  opts: EngineOptions = {},
): Promise<DiagnosisEngine> {
  const engine = new DiagnosisEngine(undefined, opts);
  for await (const event of events) engine.onEvent(event);
  engine.finish();
  return engine;
}
