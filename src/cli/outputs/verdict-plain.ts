/**
 * The last lines of a plain session: the verdict and its next step, as `doctor` and the report
 * end (the findings themselves are listed just before, by FindingsPlainOutput).
 */
import type { EventSink } from '../../core/bus.js';
import type { FindingRecord } from '../../core/diagnose/engine.js';
import type { SessionEvent } from '../../core/events.js';
import { formatConclusion } from '../format-conclusion.js';
import type { LineWriter } from './line-writer.js';

/** Prints the verdict at session end; `findings` gives the session's findings by then. */
export class VerdictPlainOutput implements EventSink {
  readonly name = 'verdict output';

  constructor(
    private readonly out: LineWriter,
    private readonly findings: () => FindingRecord[],
  ) {}

  onEvent(event: SessionEvent): void {
    if (event.type !== 'session.end') return;
    this.out.line('');
    for (const line of formatConclusion(this.findings(), event.summary, { others: 0, evidence: 0 }))
      this.out.line(line);
  }
}
