/**
 * What the terminal keeps once the dashboard of a wrapped push closes (the dashboard lives on
 * the alternate screen, and what was on it is gone): what the command printed (its last lines,
 * stdout and stderr as they came, and how many earlier lines only the log holds), the push
 * summary, and the session's conclusion in the report's words.
 */
import type { EventSink } from '../core/bus.js';
import type { FindingRecord } from '../core/diagnose/engine.js';
import type { EngineInfoEvent, SessionEvent, TargetSummary } from '../core/events.js';
import { foldPushEvent, newPushReport } from '../core/push/push-report.js';
import { formatConclusion } from './format-conclusion.js';
import { formatPushSummary } from './push-summary.js';

/** Output lines kept for the end: what a terminal shows, and then some. */
export const STORY_OUTPUT_LINES = 50;

/** Reads the session's events; `lines()` tells the story once the session has ended. */
export class WrapStory implements EventSink {
  readonly name = 'wrap story';
  private readonly report = newPushReport();
  private readonly tail: string[] = [];
  private total = 0;
  private started = false;
  private engine?: EngineInfoEvent;

  constructor(private readonly keep = STORY_OUTPUT_LINES) {}

  onEvent(event: SessionEvent): void {
    foldPushEvent(this.report, event);
    if (event.type === 'push.start') this.started = event.pid !== undefined;
    else if (event.type === 'engine.info') this.engine = event;
    else if (event.type === 'push.output') {
      this.total++;
      this.tail.push(event.line);
      if (this.tail.length > this.keep) this.tail.shift();
    }
  }

  /**
   * The story, one string per line: nothing for a command that could not start (the CLI
   * says why in one line). `findings` and `targets` are the session's at its end.
   */
  lines(findings: FindingRecord[], targets: TargetSummary[], logPath: string | null): string[] {
    if (!this.started) return [];
    return [
      ...this.outputLines(logPath),
      '',
      ...formatPushSummary(this.report, this.engine),
      '',
      ...formatConclusion(findings, targets, { logPath }),
    ];
  }

  private outputLines(logPath: string | null): string[] {
    const tool = this.report.start?.argv[0]?.split('/').at(-1) ?? 'the command';
    if (!this.total) return [`${tool} printed nothing.`];
    const left = this.total - this.tail.length;
    const where = logPath ? `the session log holds all ${this.total}: ${logPath}` : 'no session log was written';
    const head = left
      ? `what ${tool} printed: its last ${this.tail.length} lines (${left} earlier line(s) left out; ${where})`
      : `what ${tool} printed:`;
    return [head, ...this.tail];
  }
}
