/**
 * Plain output: a line per probe round, warnings, credential checks (one line per credential
 * for docker's view of many hosts), and the summary table at session end. Used when stdout
 * is not a terminal or with --plain. Reads only the event stream.
 */
import type { EventSink } from '../../core/bus.js';
import type { SessionEvent } from '../../core/events.js';
import { formatCredentialVerdict } from '../format-auth.js';
import { formatProbeLine, formatSummary, formatWarning, HOST_WIDTH, hostWidthFor } from '../format.js';
import { AuthLineGroups } from './auth-groups.js';
import type { LineWriter } from './line-writer.js';

/** Plain-text sink. Other event types are printed by the sinks of their own features. */
export class PlainOutput implements EventSink {
  readonly name = 'plain output';
  /** The host column: as wide as the longest target name (up to a limit), so lines stay in columns. */
  private hostWidth = HOST_WIDTH;
  private readonly auth: AuthLineGroups;

  constructor(
    private readonly out: LineWriter,
    private readonly err: LineWriter = out,
    /** The terminal's width, when the output is one: the summary table fits it. */
    private readonly columns?: number,
  ) {
    this.auth = new AuthLineGroups((line) => this.out.line(line));
  }

  onEvent(event: SessionEvent): void {
    switch (event.type) {
      case 'session.start':
        this.hostWidth = hostWidthFor(event.targets.map((t) => t.id));
        this.out.line(
          `gcrwatch ${event.version}: probing ${event.targets.length} target(s) every ${String(event.options.intervalMs)}ms${event.demo ? ' (DEMO world)' : ''}`,
        );
        break;
      case 'probe':
        this.out.line(formatProbeLine(event, this.hostWidth));
        break;
      case 'warning':
        this.err.line(formatWarning(event));
        break;
      case 'auth':
        this.auth.add(event);
        break;
      case 'session.end':
        this.auth.flush();
        this.out.line('');
        for (const l of formatSummary(event.summary, this.columns)) this.out.line(l);
        if (event.credentials) this.out.line(formatCredentialVerdict(event.credentials));
        break;
      default:
        break;
    }
  }
}
