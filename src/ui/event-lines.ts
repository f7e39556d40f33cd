/**
 * One line of text per notable event, for the event log: what changed, in words, with the
 * tone it is shown in. The store decides which events are notable (state changes, errors,
 * retries); routine credential checks that change nothing are left out here.
 */
import { isWarning } from '../core/auth/verdict.js';
import type { AuthEvent, SessionEvent } from '../core/events.js';
import { fmtElapsed, fmtLatency } from './text.js';
import type { Tone } from './theme.js';

/** A line of the event log. */
export interface LogLine {
  t: number;
  text: string;
  tone: Tone;
}

/** The log lines of `events` (oldest first), skipping credential checks that repeat the last one. */
export function logLines(events: readonly SessionEvent[]): LogLine[] {
  const lastAuth = new Map<string, AuthEvent>();
  const out: LogLine[] = [];
  for (const e of events) {
    if (e.type === 'auth') {
      const key = `${e.view}:${e.host ?? ''}`;
      const prev = lastAuth.get(key);
      lastAuth.set(key, e);
      if (prev && prev.ok === e.ok && prev.fingerprint === e.fingerprint && prev.error?.code === e.error?.code)
        continue;
    }
    const line = describeEvent(e);
    if (line) out.push(line);
  }
  return out;
}

/** Describe one event, or undefined for events the log does not show. */
export function describeEvent(e: SessionEvent): LogLine | undefined {
  const t = Date.parse(e.t);
  const line = (text: string, tone: Tone): LogLine => ({ t, text, tone });
  switch (e.type) {
    case 'session.start':
      return line(
        `session started: ${e.targets.length} endpoint(s) every ${fmtElapsed(Number(e.options.intervalMs ?? 0))}${e.demo ? ' (DEMO world)' : ''}`,
        'accent',
      );
    case 'session.end':
      return line(`session ended (${e.reason})`, 'accent');
    case 'probe':
      return e.ok
        ? line(`${e.target} answering (${fmtLatency(e.phases.total)})`, 'ok')
        : line(`${e.target} FAIL ${e.error?.code ?? 'unknown'}: ${e.error?.message ?? ''}`, 'fail');
    case 'warning':
      return e.code === 'demo.script' ? line(e.message, 'accent') : line(`warning: ${e.message}`, 'warn');
    case 'push.start':
      return line(`push started: ${e.argv.join(' ')}`, 'accent');
    case 'push.retry': {
      const where = e.layer ? ` layer ${e.layer}` : '';
      const delay = e.delaySeconds !== undefined ? ` in ${e.delaySeconds}s` : '';
      return line(`push retry #${e.attempt}${where}${delay}${e.cause ? `: ${e.cause}` : ''}`, 'warn');
    }
    case 'push.error':
      return line(`push error ${e.code}: ${e.text}`, 'fail');
    case 'push.digest':
      return line(`pushed ${e.tag ? `${e.tag} ` : ''}${e.digest}`, 'ok');
    case 'push.end': {
      const status = e.signal ? `killed by ${e.signal}` : `exit ${e.exitCode}`;
      return line(
        `push ended: ${status} after ${fmtElapsed(e.durationMs)}, ${e.retries} retr${e.retries === 1 ? 'y' : 'ies'}`,
        e.exitCode === 0 ? 'ok' : 'fail',
      );
    }
    case 'auth': {
      const who = `${e.view} credential${e.host ? ` for ${e.host}` : ''}`;
      if (!e.ok) {
        const warning = isWarning(e);
        return line(
          `${who} ${warning ? 'WARN' : 'FAIL'} ${e.error?.code ?? ''}: ${e.error?.message ?? e.note ?? ''}`,
          warning ? 'warn' : 'fail',
        );
      }
      return line(
        `${who} ok${e.kind ? ` (${e.kind})` : ''}${e.identity ? ` as ${e.identity}` : ''}${e.fingerprint ? ` token ${e.fingerprint}` : ''}`,
        'ok',
      );
    }
    case 'diagnosis':
      return e.cleared
        ? line(`finding cleared: ${e.code}`, 'ok')
        : line(`finding (${e.confidence}): ${e.summary}`, e.confidence === 'low' ? 'warn' : 'fail');
    case 'engine.info':
      return line(
        `docker engine ${e.version ?? '?'}${e.storageDriver ? ` (${e.storageDriver})` : ''}${e.error ? ` - ${e.error.code}` : ''}`,
        e.error ? 'warn' : 'dim',
      );
    default:
      return undefined;
  }
}
