/**
 * The event bus: the one stream every output reads. `emit` stamps an event (`v`, `t`),
 * passes it through redaction — the single gate to any output — and hands it to every
 * subscriber in order, synchronously. Events emitted by a subscriber while an event is
 * being delivered (the diagnosis reacting to a probe) are queued and delivered after it, so
 * every subscriber sees the same order. A subscriber that throws is reported once and does
 * not stop delivery to the others: no event is lost.
 */
import { stampEvent, type EventInput, type SessionEvent } from './events.js';
import { redactValue } from './log/redact.js';

/** Something that reads the stream. `flush` runs after a burst of events has been delivered. */
export interface EventSink {
  name: string;
  onEvent(event: SessionEvent): void;
  flush?(): void;
}

/** The session's event stream. */
export class EventBus {
  private readonly sinks: EventSink[] = [];
  private readonly queue: SessionEvent[] = [];
  private head = 0;
  private delivering = false;
  private readonly failedSinks = new Set<string>();
  /** Events delivered so far. */
  delivered = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Add a reader; it receives events emitted from now on. Returns a function removing it. */
  subscribe(sink: EventSink): () => void {
    this.sinks.push(sink);
    return () => {
      const i = this.sinks.indexOf(sink);
      if (i >= 0) this.sinks.splice(i, 1);
    };
  }

  /** Stamp, redact and deliver one event. Returns the event as delivered. */
  emit(input: EventInput): SessionEvent {
    const event = redactValue(stampEvent(input, this.now));
    this.queue.push(event);
    this.drain();
    return event;
  }

  /** Deliver an event that already has `v` and `t` (replay, report); still redacted. */
  emitStamped(event: SessionEvent): SessionEvent {
    const clean = redactValue(event);
    this.queue.push(clean);
    this.drain();
    return clean;
  }

  /** Emit several events as one burst: sinks flush once after all of them. */
  emitMany(inputs: EventInput[]): void {
    for (const input of inputs) this.queue.push(redactValue(stampEvent(input, this.now)));
    this.drain();
  }

  private drain(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.head < this.queue.length) {
        const event = this.queue[this.head++]!;
        this.delivered++;
        for (const sink of [...this.sinks]) this.safely(sink, () => sink.onEvent(event));
      }
      for (const sink of [...this.sinks]) if (sink.flush) this.safely(sink, () => sink.flush!());
    } finally {
      this.queue.length = 0;
      this.head = 0;
      this.delivering = false;
    }
  }

  private safely(sink: EventSink, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (this.failedSinks.has(sink.name)) return;
      this.failedSinks.add(sink.name);
      const message = err instanceof Error ? err.message : String(err);
      this.queue.push(
        redactValue(
          stampEvent({ type: 'warning', code: 'local.error', message: `${sink.name} failed: ${message}` }, this.now),
        ),
      );
    }
  }
}
