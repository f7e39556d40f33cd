/**
 * Pairs each retry the push tool shows with the cause the docker daemon logged for it. The
 * CLI prints `Retrying in 5 seconds`; the daemon logs `Upload failed, retrying: <cause>` at
 * the same moment, one line per failed attempt, with no layer id. Whichever of the two is
 * seen first waits for the other: a cause for at most `windowMs`, a retry for at most
 * `holdMs` (then it is emitted without a cause). Pairs are made in order of arrival. The
 * retry keeps the time its line was seen as its `t`, even when emitted a little later.
 *
 * No I/O; timers come from the injected `Timers` so tests can drive them.
 */
import type { ErrorCode } from '../errors.js';
import type { PushEventDraft } from './parser-state.js';

type RetryDraft = Extract<PushEventDraft, { type: 'push.retry' }>;

/** A cause from the daemon's log. */
export interface RetryCause {
  text: string;
  code?: ErrorCode;
}

/** setTimeout and clearTimeout, injectable. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real timers. */
export const REAL_TIMERS: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface HeldRetry {
  draft: RetryDraft;
  timer: unknown;
}

/** The matcher. `emit` receives each retry, with its cause when one was found. */
export class RetryCauseMatcher {
  private readonly causes: Array<{ cause: RetryCause; at: number }> = [];
  private readonly held: HeldRetry[] = [];

  constructor(
    private readonly emit: (retry: RetryDraft) => void,
    private readonly timers: Timers = REAL_TIMERS,
    private readonly holdMs = 1500,
    private readonly windowMs = 3000,
  ) {}

  /** A retry line was seen. A retry that already names its cause (podman, crane) passes straight through. */
  onRetry(draft: RetryDraft): void {
    const now = this.timers.now();
    const stamped: RetryDraft = { ...draft, t: draft.t ?? new Date(now).toISOString() };
    if (stamped.cause) return this.emit(stamped);
    this.dropStaleCauses(now);
    const waiting = this.causes.shift();
    if (waiting) return this.emit(withCause(stamped, waiting.cause));
    const held: HeldRetry = { draft: stamped, timer: undefined };
    held.timer = this.timers.setTimeout(() => this.release(held), this.holdMs);
    this.held.push(held);
  }

  /** The daemon logged the cause of a retry. */
  onCause(cause: RetryCause): void {
    const held = this.held.shift();
    if (held) {
      this.timers.clearTimeout(held.timer);
      this.emit(withCause(held.draft, cause));
      return;
    }
    this.causes.push({ cause, at: this.timers.now() });
    if (this.causes.length > 100) this.causes.shift();
  }

  /** Emit every held retry now, without a cause (the push ended). */
  flush(): void {
    for (const held of this.held.splice(0)) {
      this.timers.clearTimeout(held.timer);
      this.emit(held.draft);
    }
  }

  private release(held: HeldRetry): void {
    const i = this.held.indexOf(held);
    if (i < 0) return;
    this.held.splice(i, 1);
    this.emit(held.draft);
  }

  private dropStaleCauses(now: number): void {
    while (this.causes.length && now - this.causes[0]!.at > this.windowMs) this.causes.shift();
  }
}

function withCause(draft: RetryDraft, cause: RetryCause): RetryDraft {
  return { ...draft, cause: cause.text, ...(cause.code ? { causeCode: cause.code } : {}) };
}

// A URL ends at a space, a quote or the end, and a colon just before those is Go's separator.
const METHOD_URL = /\b(GET|HEAD|POST|PUT|PATCH|DELETE)\s+"?(https?:\/\/[^\s"]+?)"?(?=:?(?:[\s"]|$))/gi;
const BARE_URL = /\bhttps?:\/\/[^\s"]+?(?=:?(?:[\s"]|$))/gi;

/** `https://gcr.io/v2/p/blobs/uploads/ID?_state=...` as `gcr.io/v2/p/blobs/uploads/ID` (no query, no fragment). */
function hostAndPath(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return url.replace(/^https?:\/\//i, '').replace(/[?#].*$/, '');
  }
}

/**
 * A retry cause as a person reads it: a request quoted with its URL (Go's `Patch "https://...
 * ?_state=<300 opaque characters>"`) becomes `PATCH host/path`, and any other URL loses its
 * query. The event keeps the whole text; this is for what is shown.
 */
export function quoteCause(text: string): string {
  return text
    .replace(METHOD_URL, (_m, method: string, url: string) => `${method.toUpperCase()} ${hostAndPath(url)}`)
    .replace(BARE_URL, (url) => hostAndPath(url));
}
