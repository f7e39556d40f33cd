/**
 * Plain output of the diagnosis: a line when a finding appears, changes its words or is
 * cleared (not when only its evidence grows), and the findings that hold at the end of the
 * session, best first, after the summary table, then the verdict and its next step.
 */
import type { EventSink } from '../../core/bus.js';
import { rankFindings } from '../../core/diagnose/rank.js';
import { verdictOf } from '../../core/diagnose/verdict.js';
import type { DiagnosisEvent, SessionEndEvent, SessionEvent } from '../../core/events.js';
import { formatFindingBlock, formatFindingLine, formatVerdict, lossyTargets } from '../format-findings.js';
import type { LineWriter } from './line-writer.js';

/** Prints findings as plain lines. */
export class FindingsPlainOutput implements EventSink {
  readonly name = 'findings output';
  private readonly shown = new Map<string, DiagnosisEvent>();
  /** Findings that held and cleared: the verdict counts them as held earlier. */
  private readonly cleared = new Map<string, DiagnosisEvent>();

  constructor(private readonly out: LineWriter) {}

  onEvent(event: SessionEvent): void {
    if (event.type === 'diagnosis') this.onFinding(event);
    else if (event.type === 'session.end') this.onEnd(event);
  }

  private onFinding(f: DiagnosisEvent): void {
    const before = this.shown.get(f.code);
    if (f.cleared) {
      if (!before) return;
      this.shown.delete(f.code);
      this.cleared.set(f.code, f);
      this.out.line(formatFindingLine(f));
      return;
    }
    this.shown.set(f.code, f);
    this.cleared.delete(f.code);
    if (before && before.summary === f.summary && before.confidence === f.confidence) return;
    this.out.line(formatFindingLine(f));
  }

  private onEnd(end: SessionEndEvent): void {
    const findings = rankFindings(this.shown.values());
    if (findings.length) {
      this.out.line('');
      this.out.line(`findings (${findings.length}, best first):`);
      findings.forEach((f, i) => {
        for (const l of formatFindingBlock(f, i + 1)) this.out.line(l);
      });
    }
    this.out.line('');
    const verdict = verdictOf([...findings, ...this.cleared.values()], lossyTargets(end.summary));
    for (const l of formatVerdict(verdict)) this.out.line(l);
  }
}
