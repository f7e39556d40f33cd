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

/** docker's countdown before a retry, a line a second when not on a terminal (which redraws it in place). */
const COUNTDOWN = /^([0-9a-f]{12}): Retrying in (\d+) seconds?$/;

/** Reads the session's events; `lines()` tells the story once the session has ended. */
export class WrapStory implements EventSink {
  readonly name = 'wrap story';
  private readonly report = newPushReport();
  private readonly tail: string[] = [];
  private total = 0;
  /** Countdown lines folded into the line that began their countdown. */
  private folded = 0;
  /** The countdown the last kept line shows: its layer, first and latest second. */
  private countdown?: { layer: string; from: number; at: number };
  private started = false;
  private engine?: EngineInfoEvent;

  constructor(private readonly keep = STORY_OUTPUT_LINES) {}

  onEvent(event: SessionEvent): void {
    foldPushEvent(this.report, event);
    if (event.type === 'push.start') this.started = event.pid !== undefined;
    else if (event.type === 'engine.info') this.engine = event;
    else if (event.type === 'push.output') this.onOutput(event.line);
  }

  /** Keep `line`; a countdown's next second replaces its line instead, so the tail keeps what matters. */
  private onOutput(line: string): void {
    this.total++;
    const m = COUNTDOWN.exec(line);
    const seconds = m ? Number(m[2]) : NaN;
    const c = this.countdown;
    if (m && c && c.layer === m[1] && seconds < c.at) {
      c.at = seconds;
      this.folded++;
      this.tail[this.tail.length - 1] = `${c.layer}: Retrying in ${c.from} seconds (counted down to ${seconds})`;
      return;
    }
    this.countdown = m ? { layer: m[1]!, from: seconds, at: seconds } : undefined;
    this.tail.push(line);
    if (this.tail.length > this.keep) this.tail.shift();
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
    const left = this.total - this.folded - this.tail.length;
    const where = logPath ? `the session log holds all ${this.total}: ${logPath}` : 'no session log was written';
    const folded = this.folded ? `${this.folded} countdown line(s) folded into their first` : '';
    const head = left
      ? `what ${tool} printed: its last ${this.tail.length} lines (${left} earlier line(s) left out${folded ? `, ${folded}` : ''}; ${where})`
      : `what ${tool} printed:${folded ? ` (${folded})` : ''}`;
    return [head, ...this.tail];
  }
}
