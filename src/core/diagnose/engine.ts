/**
 * The diagnosis engine: runs every rule over the event stream, as it comes, and emits a
 * `diagnosis` event when a finding appears or changes, and one with `cleared: true` when it
 * no longer holds. It is an `EventSink` on the bus (live sessions, replay) and can be fed
 * directly (reports). Memory is bounded: the rules keep short windows, the engine at most
 * one live finding and one record per code.
 *
 * Re-emitting on every new piece of evidence would flood the log and the TUI, so a change
 * of evidence alone is emitted at most every `refreshMs` of session time (and at `finish`);
 * a change of category or confidence is emitted at once; a change of wording only (a count
 * that grows as the endpoints of one round come in) waits until `settleMs` after the last
 * emission, so one round does not print the same finding once per endpoint.
 */
import type { EventSink } from '../bus.js';
import type { DiagnosisEvent, EventInput, SessionEvent } from '../events.js';
import type { FindingCode } from './codes.js';
import { confidenceFrom } from './confidence.js';
import { SessionFacts } from './facts.js';
import { computeScore, rankFindings } from './rank.js';
import { DEFAULT_RULES } from './rules/index.js';
import type { Finding, Rule, RuleFactory } from './types.js';

/** A finding as the engine emits it (a `diagnosis` event without `v`). */
export type FindingEvent = Omit<DiagnosisEvent, 'v'>;

/** The story of one finding code over the session. */
export interface FindingRecord {
  /** The latest version (with `cleared` when it no longer holds). */
  latest: FindingEvent;
  firstAt: string;
  lastAt: string;
  clearedAt?: string;
  /** How many times it was raised (after being cleared, it can come back). */
  raised: number;
  /**
   * Each time it was raised, until it cleared, with what it said then: one code covers many
   * troubles (a DNS failure of one host, then a reset of another), and `latest` tells only
   * the last. The last {@link MAX_EPISODES} are kept.
   */
  episodes: FindingEpisode[];
  /** Episodes left out at the start, beyond {@link MAX_EPISODES}. */
  episodesOmitted: number;
}

/** One stretch of time a finding held, and the distinct summaries it gave meanwhile. */
export interface FindingEpisode {
  from: string;
  to?: string;
  /** Distinct summaries, oldest first (at most {@link MAX_EPISODE_SUMMARIES}). */
  summaries: string[];
}

/** Episodes kept per finding code, and summaries kept per episode: memory stays bounded. */
export const MAX_EPISODES = 50;
export const MAX_EPISODE_SUMMARIES = 5;

/** Engine options. */
export interface EngineOptions {
  rules?: readonly RuleFactory[];
  /** Minimum session time between two emissions that only change the evidence. */
  refreshMs?: number;
  /** Minimum session time between two emissions that only change the wording. */
  settleMs?: number;
}

interface Live {
  event: FindingEvent;
  emittedAt: number;
  stale: boolean;
  /** Session time at which a held change is due. */
  dueAt: number;
}

/** Runs the rules and emits findings. */
export class DiagnosisEngine implements EventSink {
  readonly name = 'diagnosis';
  readonly facts = new SessionFacts();
  private readonly rules: Rule[];
  private readonly owned = new Map<Rule, Set<FindingCode>>();
  private readonly live = new Map<FindingCode, Live>();
  private readonly records = new Map<FindingCode, FindingRecord>();
  private readonly refreshMs: number;
  private readonly settleMs: number;
  private lastT = new Date(0).toISOString();

  /** `emit` receives each finding as an event input (the bus stamps and delivers it). */
  constructor(
    private readonly emit: (input: EventInput) => void = () => undefined,
    opts: EngineOptions = {},
  ) {
    this.rules = (opts.rules ?? DEFAULT_RULES).map((make) => make());
    this.refreshMs = opts.refreshMs ?? 30_000;
    this.settleMs = opts.settleMs ?? 5_000;
  }

  /** Fold one event. `diagnosis` events (ours, or a log's earlier ones) are ignored. */
  onEvent(event: SessionEvent): void {
    if (event.type === 'diagnosis') return;
    this.facts.observe(event);
    this.lastT = event.t;
    for (const rule of this.rules) if (rule.observe(event, this.facts)) this.reconcile(rule);
    this.refreshStale(false);
  }

  /** The stream ended: let rules conclude, and emit evidence that was held back. */
  finish(): void {
    for (const rule of this.rules) if (rule.finish?.(this.facts)) this.reconcile(rule);
    this.refreshStale(true);
  }

  /** The findings that hold now, best first. */
  current(): FindingEvent[] {
    return rankFindings([...this.live.values()].map((l) => l.event));
  }

  /** Every finding raised during the session (cleared ones too), best first. */
  history(): FindingRecord[] {
    const byEvent = new Map([...this.records.values()].map((r) => [r.latest, r]));
    return rankFindings(byEvent.keys()).map((e) => byEvent.get(e)!);
  }

  private reconcile(rule: Rule): void {
    const before = this.owned.get(rule) ?? new Set<FindingCode>();
    const now = new Set<FindingCode>();
    for (const finding of rule.findings(this.facts)) {
      now.add(finding.code);
      this.update(this.toEvent(finding));
    }
    for (const code of before) if (!now.has(code)) this.clear(code);
    this.owned.set(rule, now);
  }

  private toEvent(f: Finding): FindingEvent {
    const confidence = confidenceFrom(f.basis, f.coverage);
    return {
      type: 'diagnosis',
      t: this.lastT,
      category: f.category,
      code: f.code,
      summary: f.summary,
      evidence: f.evidence,
      confidence,
      basis: f.basis,
      advice: f.advice,
      score: computeScore(f.code, confidence, f.boost),
    };
  }

  private update(event: FindingEvent): void {
    const code = event.code as FindingCode;
    const prev = this.live.get(code);
    if (!prev || weighty(prev.event, event)) {
      this.publish(event);
      return;
    }
    const reworded = isReworded(prev.event, event);
    if (!reworded && sameDetail(prev.event, event)) return;
    if (reworded && this.facts.now - prev.emittedAt >= this.settleMs) {
      this.publish(event);
      return;
    }
    const due = prev.emittedAt + (reworded ? this.settleMs : this.refreshMs);
    prev.dueAt = prev.stale ? Math.min(prev.dueAt, due) : due;
    prev.event = event;
    prev.stale = true;
  }

  private clear(code: FindingCode): void {
    const prev = this.live.get(code);
    if (!prev) return;
    this.live.delete(code);
    this.publish({ ...prev.event, t: this.lastT, cleared: true });
  }

  private refreshStale(all: boolean): void {
    const now = this.facts.now;
    for (const l of this.live.values()) {
      if (l.stale && (all || now >= l.dueAt)) this.publish({ ...l.event, t: this.lastT });
    }
  }

  private publish(event: FindingEvent): void {
    const code = event.code as FindingCode;
    if (!event.cleared) this.live.set(code, { event, emittedAt: this.facts.now, stale: false, dueAt: Infinity });
    const record = this.records.get(code);
    if (!record) {
      this.records.set(code, {
        latest: event,
        firstAt: event.t,
        lastAt: event.t,
        raised: 1,
        episodes: [{ from: event.t, summaries: [event.summary] }],
        episodesOmitted: 0,
      });
    } else {
      if (record.latest.cleared && !event.cleared) {
        record.raised++;
        record.episodes.push({ from: event.t, summaries: [] });
        if (record.episodes.length > MAX_EPISODES) {
          record.episodes.shift();
          record.episodesOmitted++;
        }
      }
      noteEpisode(record.episodes.at(-1)!, event);
      record.latest = event;
      record.lastAt = event.t;
      if (event.cleared) record.clearedAt = event.t;
      else delete record.clearedAt;
    }
    const { t, ...rest } = event;
    this.emit({ ...rest, t } as EventInput);
  }
}

function noteEpisode(episode: FindingEpisode, event: FindingEvent): void {
  if (event.cleared) episode.to = event.t;
  else if (!episode.summaries.includes(event.summary) && episode.summaries.length < MAX_EPISODE_SUMMARIES)
    episode.summaries.push(event.summary);
}

/** A change the reader must see at once: another category or another confidence. */
function weighty(a: FindingEvent, b: FindingEvent): boolean {
  return a.confidence !== b.confidence || a.category !== b.category;
}

/** The same finding said in other words (a count grew, the advice names another host). */
function isReworded(a: FindingEvent, b: FindingEvent): boolean {
  return a.summary !== b.summary || a.advice !== b.advice;
}

function sameDetail(a: FindingEvent, b: FindingEvent): boolean {
  return (
    a.score === b.score &&
    a.evidence.length === b.evidence.length &&
    a.evidence.every((line, i) => line === b.evidence[i])
  );
}
