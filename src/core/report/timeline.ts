/**
 * The push timeline: each push event (and each failed credential check) as a dated line of
 * words, and which kind of chart marker it makes. Pure.
 */
import type { SessionEvent } from '../events.js';

/** One line of the timeline. `t` is epoch ms. */
export interface TimelineEntry {
  t: number;
  text: string;
  marker?: 'start' | 'retry' | 'error' | 'end' | 'auth';
}

/** The timeline entry of `event`, or undefined when it is not a push or credential event. */
export function describePushEvent(event: SessionEvent, t: number): TimelineEntry | undefined {
  switch (event.type) {
    case 'push.start':
      return { t, text: `push started: ${event.argv.join(' ')}`, marker: 'start' };
    case 'push.retry':
      return {
        t,
        marker: 'retry',
        text: `retry ${event.attempt}${event.layer ? ` of layer ${event.layer}` : ''}${event.delaySeconds !== undefined ? `, waiting ${event.delaySeconds} s` : ''}${event.cause ? `: ${event.cause}` : ''}`,
      };
    case 'push.error':
      return {
        t,
        text: `error ${event.code} (${event.category}${event.retryable ? ', retryable' : ''}): ${event.text}`,
        marker: 'error',
      };
    case 'push.digest':
      return { t, text: `pushed ${event.tag ?? ''} ${event.digest}`.replace(/\s+/g, ' ') };
    case 'push.end':
      return {
        t,
        marker: 'end',
        text: `push ended: ${event.signal ? `killed by ${event.signal}` : `exit ${event.exitCode}`} after ${Math.round(event.durationMs / 1000)} s, ${event.retries} retr${event.retries === 1 ? 'y' : 'ies'}`,
      };
    case 'auth':
      return event.ok
        ? undefined
        : {
            t,
            text: `credential check (${event.view}${event.host ? ` ${event.host}` : ''}) failed: ${event.error?.code ?? ''} ${event.error?.message ?? ''}`.trim(),
            marker: 'auth',
          };
    default:
      return undefined;
  }
}
