/**
 * The plain summary of a wrapped push, printed when it ends: the command and its status,
 * the layers, every retry with its cause, the final error with its class, the digest.
 * Pure formatting of a `PushReport` (folded from the redacted event stream).
 */
import type { EngineInfoEvent } from '../core/events.js';
import { layerCounts, type PushReport } from '../core/push/push-report.js';
import { formatDuration } from './duration.js';
import { fmtClock } from './format.js';

function commandText(report: PushReport): string {
  return report.start ? report.start.argv.join(' ') : '(unknown command)';
}

function statusText(report: PushReport): string {
  const end = report.end;
  if (!end) return 'still running';
  const how = end.signal ? `killed by ${end.signal}` : `exit ${end.exitCode}`;
  return `${how}, ${formatDuration(end.durationMs)}`;
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
      ? `cause: ${r.cause}${r.causeCode ? ` (${r.causeCode})` : ''}`
      : 'cause: not known (follow the daemon log with --daemon-log)';
    return `    ${when}${what}  ${cause}`;
  });
}

function errorText(report: PushReport): string {
  const last = report.errors.at(-1);
  if (!last) return 'none';
  return `${last.code} (${last.category}, ${last.retryable ? 'docker retries it' : 'docker does not retry it'}): ${last.text}`;
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
  lines.push(`  error    ${errorText(report)}`);
  const d = report.digest;
  lines.push(
    `  digest   ${d ? `${d.tag ? `${d.tag} ` : ''}${d.digest}${d.size !== undefined ? ` (manifest ${d.size} bytes)` : ''}` : 'none'}`,
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
