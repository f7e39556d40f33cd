/**
 * Plain output while wrapping a push. The child's own lines come first and unchanged in
 * substance: its stdout on our stdout, its stderr on our stderr (from the `push.output`
 * events, so they are redacted like everything else). gcrwatch's own lines go to stderr
 * with a `gcrwatch:` prefix, and only when they say something new: a retry with its cause,
 * a registry endpoint changing health, a credential check's outcome changing, the engine's
 * facts, warnings. At the end, the probe summary table, the credential verdict, the push
 * summary, and the session's verdict with the next step and the other problems found.
 */
import type { EventSink } from '../../core/bus.js';
import type { FindingRecord } from '../../core/diagnose/engine.js';
import type { AuthEvent, EngineInfoEvent, ProbeEvent, SessionEvent } from '../../core/events.js';
import { foldPushEvent, newPushReport } from '../../core/push/push-report.js';
import { quoteCause } from '../../core/push/retry-causes.js';
import { formatConclusion } from '../format-conclusion.js';
import { formatCredentialVerdict } from '../format-auth.js';
import { formatProbeLine, formatSummary, formatWarning } from '../format.js';
import { formatEngine, formatPushSummary } from '../push-summary.js';
import { AuthLineGroups } from './auth-groups.js';
import type { LineWriter } from './line-writer.js';

const PREFIX = 'gcrwatch: ';

/** The sink. */
export class WrapPlainOutput implements EventSink {
  readonly name = 'wrap plain output';
  private readonly report = newPushReport();
  private readonly health = new Map<string, string>();
  private readonly credentials = new Map<string, string>();
  private pushTargets = new Set<string>();
  private targetCount = 0;
  private started = false;
  private engine?: EngineInfoEvent;
  private readonly authLines = new AuthLineGroups((line) => this.note(line));

  /** `findings` gives the session's findings once it has ended (the diagnosis engine's history). */
  constructor(
    private readonly out: LineWriter,
    private readonly err: LineWriter,
    private readonly logPath: string | null,
    private readonly findings: () => FindingRecord[] = () => [],
  ) {}

  onEvent(event: SessionEvent): void {
    foldPushEvent(this.report, event);
    switch (event.type) {
      case 'session.start':
        this.targetCount = event.targets.length;
        this.pushTargets = new Set(event.targets.filter((t) => t.pushTarget).map((t) => t.id));
        break;
      case 'push.start':
        // A command that could not start gets one line from the CLI, and nothing else here.
        this.started = event.pid !== undefined;
        if (this.started)
          this.note(
            `watching pid ${event.pid}; probing ${this.targetCount} registry endpoint(s)${this.pushTargets.size ? `, push target ${[...this.pushTargets].join(', ')}` : ''}; log ${this.logPath ?? 'off'}`,
          );
        break;
      case 'push.output':
        (event.stream === 'stderr' ? this.err : this.out).line(event.line);
        break;
      case 'push.retry':
        this.note(
          `retry ${event.attempt}${event.layer ? ` of layer ${event.layer}` : ''}${event.delaySeconds !== undefined ? ` in ${event.delaySeconds}s` : ''}${event.cause ? ` - cause: ${quoteCause(event.cause)}` : ''}`,
        );
        break;
      case 'probe':
        if (this.started) this.onProbe(event);
        break;
      case 'auth':
        if (this.started) this.onAuth(event);
        break;
      case 'engine.info':
        this.engine = event;
        // Any command is asked about the engine, but only a docker push must have one.
        if (!this.started || (event.error && this.report.start?.tool !== 'docker')) break;
        this.note(formatEngine(event));
        for (const n of event.notes ?? []) this.note(`note: ${n}`);
        break;
      case 'warning':
        this.err.line(formatWarning(event));
        break;
      case 'session.end':
        this.authLines.flush();
        if (!this.started) break;
        // The endpoints and credentials first, then the push and what it all means, last on screen.
        for (const l of formatSummary(event.summary)) this.note(l);
        if (event.credentials) this.note(formatCredentialVerdict(event.credentials));
        for (const l of formatPushSummary(this.report, this.engine)) this.note(l);
        for (const l of formatConclusion(this.findings(), event.summary, { logPath: this.logPath })) this.note(l);
        break;
      default:
        break;
    }
  }

  /** A target's line when its health changes (and the push target's first round). */
  private onProbe(event: ProbeEvent): void {
    const now = event.ok ? 'ok' : (event.error?.code ?? 'fail');
    const before = this.health.get(event.target);
    this.health.set(event.target, now);
    const first = before === undefined;
    if (first ? !event.ok || this.pushTargets.has(event.target) : before !== now) this.note(formatProbeLine(event));
  }

  /** A credential check's line the first time and whenever its outcome changes (hosts sharing one credential: one line). */
  private onAuth(event: AuthEvent): void {
    const key = `${event.view}:${event.host ?? ''}`;
    const now = `${event.ok}:${event.error?.code ?? ''}:${event.kind ?? ''}`;
    const changed = this.credentials.get(key) !== now;
    this.credentials.set(key, now);
    this.authLines.add(event, changed);
  }

  private note(text: string): void {
    this.err.line(PREFIX + text);
  }
}
