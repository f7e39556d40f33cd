/**
 * One pass over a session's events gathering everything a report shows: the session's
 * identity and span, per-target statistics (whole-session histograms), a bounded latency
 * series per target for charts, the push timeline (first and last entries) and push markers
 * for the charts, the findings of a fresh diagnosis, and warnings. Memory is bounded by the
 * number of targets, never by the number of events. Its counts span the whole log, where the
 * store's are the running push's and its windows the last minutes: hence a fold of its own.
 */
import { DiagnosisEngine, type FindingRecord } from '../diagnose/engine.js';
import type { SessionEndEvent, SessionEvent, SessionStartEvent, TargetSummary } from '../events.js';
import { TargetStats } from '../stats/target-stats.js';
import { HeadTail, Thinned } from './bounded-list.js';
import { SeriesSketch, type SeriesBucket } from './series-sketch.js';
import { describePushEvent, type TimelineEntry } from './timeline.js';

/** A push event drawn on the charts. `t` is epoch ms. */
export interface ChartMarker {
  t: number;
  kind: 'start' | 'retry' | 'error' | 'end' | 'auth';
  label: string;
}

/** One target in the report. */
export interface ReportTarget {
  id: string;
  pushTarget: boolean;
  summary: TargetSummary;
  series: SeriesBucket[];
}

/** Everything a report renders. */
export interface ReportData {
  source: string;
  start?: SessionStartEvent;
  end?: SessionEndEvent;
  firstAt?: number;
  lastAt?: number;
  events: number;
  targets: ReportTarget[];
  push: {
    pushes: number;
    retries: number;
    errors: number;
    timeline: { head: TimelineEntry[]; tail: TimelineEntry[]; omitted: number };
    markers: ChartMarker[];
  };
  findings: FindingRecord[];
  warnings: string[];
}

interface TargetAcc {
  stats: TargetStats;
  series: SeriesSketch;
  pushTarget: boolean;
}

const MAX_TARGETS = 200;
const MAX_WARNINGS = 20;

/** Collects a report's data from events fed in order. */
export class ReportCollector {
  private readonly engine = new DiagnosisEngine();
  private readonly targets = new Map<string, TargetAcc>();
  private readonly timeline = new HeadTail<TimelineEntry>(100, 100);
  private readonly markers = new Thinned<ChartMarker>(400);
  private readonly warnings: string[] = [];
  private start?: SessionStartEvent;
  private end?: SessionEndEvent;
  private firstAt?: number;
  private lastAt?: number;
  private events = 0;
  private pushes = 0;
  private retries = 0;
  private errors = 0;

  constructor(private readonly source: string) {}

  /** Fold one event. */
  add(event: SessionEvent): void {
    this.events++;
    // A hand-edited or damaged time must not stop the report: it takes the time of the event before.
    const parsed = Date.parse(event.t);
    const t = Number.isFinite(parsed) ? parsed : (this.lastAt ?? 0);
    this.firstAt ??= t;
    this.lastAt = t;
    this.engine.onEvent(event);
    switch (event.type) {
      case 'session.start':
        this.onStart(event);
        break;
      case 'session.end':
        this.end = event;
        break;
      case 'probe':
        this.onProbe(event, t);
        break;
      case 'warning':
        this.warn(event.message);
        break;
      case 'push.start':
        this.pushes++;
        break;
      case 'push.retry':
        this.retries++;
        break;
      case 'push.error':
        this.errors++;
        break;
      default:
        break;
    }
    this.onPushEvent(event, t);
  }

  /** A problem met while reading (the reader's warnings). */
  warn(message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
  }

  /** The report's data. */
  finish(): ReportData {
    this.engine.finish();
    const pushIds = new Set(this.engine.facts.pushTargets());
    const targets = [...this.targets.entries()].map(([id, acc]) => ({
      id,
      pushTarget: acc.pushTarget || pushIds.has(id),
      summary: acc.stats.summary(id),
      series: acc.series.points(),
    }));
    const data: ReportData = {
      source: this.source,
      events: this.events,
      targets,
      findings: this.engine.history(),
      warnings: [...this.warnings],
      push: {
        pushes: this.pushes,
        retries: this.retries,
        errors: this.errors,
        timeline: this.timeline.items(),
        markers: this.markers.items(),
      },
    };
    if (this.start) data.start = this.start;
    if (this.end) data.end = this.end;
    if (this.firstAt !== undefined) data.firstAt = this.firstAt;
    if (this.lastAt !== undefined) data.lastAt = this.lastAt;
    return data;
  }

  private onStart(event: SessionStartEvent): void {
    this.start ??= event;
    for (const t of event.targets) {
      const acc = this.targetOf(t.id);
      if (acc && t.pushTarget) acc.pushTarget = true;
    }
  }

  private onProbe(event: Extract<SessionEvent, { type: 'probe' }>, t: number): void {
    const acc = this.targetOf(event.target);
    if (!acc) return;
    acc.stats.add(event);
    acc.series.add(t, event.ok ? (event.phases.total ?? event.ms) : undefined);
  }

  private onPushEvent(event: SessionEvent, t: number): void {
    const entry = describePushEvent(event, t);
    if (!entry) return;
    this.timeline.push(entry);
    if (entry.marker) this.markers.push({ t, kind: entry.marker, label: entry.text });
  }

  private targetOf(id: string): TargetAcc | undefined {
    let acc = this.targets.get(id);
    if (!acc && this.targets.size < MAX_TARGETS) {
      acc = { stats: new TargetStats(50), series: new SeriesSketch(), pushTarget: false };
      this.targets.set(id, acc);
    }
    return acc;
  }
}
