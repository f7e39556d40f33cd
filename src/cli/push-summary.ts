/**
 * The plain summary of a wrapped push, printed when it ends: the command and its status,
 * the layers, every retry with its cause (quoted for reading: the log keeps the whole text),
 * the final error with its class, or that none was recognised, and the digest.
 * Pure formatting of a `PushReport` (folded from the redacted event stream).
 */
import type { EngineInfoEvent } from '../core/events.js';
import { layerCounts, type PushReport } from '../core/push/push-report.js';
import { quoteCause } from '../core/push/retry-causes.js';
import { formatDuration } from './duration.js';
import { fmtClock } from './format.js';

function commandText(report: PushReport): string {
  return report.start ? report.start.argv.join(' ') : '(unknown command)';
}

function howItEnded(end: NonNullable<PushReport['end']>): string {
  return end.signal ? `killed by ${end.signal}` : `exit ${end.exitCode}`;
}

function statusText(report: PushReport): string {
  const end = report.end;
  if (!end) return 'still running';
  return `${howItEnded(end)}, ${formatDuration(end.durationMs)}`;
}

function layersText(report: PushReport): string {
  const c = layerCounts(report);
  const parts = [`${c.pushed ?? 0} pushed`, `${(c.exists ?? 0) + (c.mounted ?? 0)} already there`];
  const unfinished = (c.preparing ?? 0) + (c.waiting ?? 0) + (c.pushing ?? 0);
  if (unfinished) parts.push(`${unfinished} not finished`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  return parts.join(', ');
}

function retryLines(report: PushReport): string[] {
  return report.retries.map((r) => {
    const when = r.t ? `${fmtClock(r.t)}  ` : '';
    const what = [
      r.layer ? `layer ${r.layer}` : 'push',
      `attempt ${r.attempt}`,
      r.delaySeconds !== undefined ? `wait ${r.delaySeconds}s` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const cause = r.cause
      ? `cause: ${quoteCause(r.cause)}${r.causeCode ? ` (${r.causeCode})` : ''}`
      : 'cause: not known (follow the daemon log with --daemon-log)';
    return `    ${when}${what}  ${cause}`;
  });
}

/** The last error recognised in the output; a failure with none says so, a success says nothing. */
function errorText(report: PushReport): string | undefined {
  const last = report.errors.at(-1);
  if (last)
    return `${last.code} (${last.category}, ${last.retryable ? 'docker retries it' : 'docker does not retry it'}): ${last.text}`;
  const end = report.end;
  if (!end || (end.exitCode === 0 && !end.signal)) return undefined;
  return `no error line recognised; ${howItEnded(end)}`;
}

/** The summary block, one string per line. */
export function formatPushSummary(report: PushReport, engine?: EngineInfoEvent): string[] {
  const lines = [
    'push summary',
    `  command  ${commandText(report)}  (${statusText(report)})`,
    `  layers   ${layersText(report)}`,
    `  retries  ${report.retryCount}`,
    ...retryLines(report),
  ];
  if (report.retryCount > report.retries.length)
    lines.push(`    ... and ${report.retryCount - report.retries.length} more`);
  const error = errorText(report);
  if (error) lines.push(`  error    ${error}`);
  const d = report.digest;
  if (d)
    lines.push(
      `  digest   ${d.tag ? `${d.tag} ` : ''}${d.digest}${d.size !== undefined ? ` (manifest ${d.size} bytes)` : ''}`,
    );
  if (engine && !engine.error) lines.push(`  engine   ${formatEngine(engine)}`);
  return lines;
}

/** One line about the docker engine. */
export function formatEngine(e: EngineInfoEvent): string {
  if (e.error) return `docker engine not asked: ${e.error.message}`;
  const parts = [
    `docker ${e.version ?? '?'}`,
    `storage ${e.storageDriver ?? '?'}${e.containerdSnapshotter ? ' (containerd image store)' : ''}`,
  ];
  if (e.maxConcurrentUploads !== undefined)
    parts.push(
      `max-concurrent-uploads ${e.maxConcurrentUploads}${e.maxConcurrentUploadsSource === 'default' ? ' (default)' : ''}`,
    );
  parts.push(`daemon proxy ${e.httpsProxy ?? e.httpProxy ?? 'none'}`);
  return parts.join(', ');
}
