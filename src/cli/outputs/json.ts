/** `--json`: every event as one NDJSON line on stdout, and nothing else on stdout. */
import type { EventSink } from '../../core/bus.js';
import type { SessionEvent } from '../../core/events.js';
import { eventLine } from '../../core/log/event-line.js';
import type { LineWriter } from './line-writer.js';

/** NDJSON sink. */
export class JsonOutput implements EventSink {
  readonly name = 'json output';

  constructor(private readonly out: LineWriter) {}

  onEvent(event: SessionEvent): void {
    this.out.line(eventLine(event));
  }
}
