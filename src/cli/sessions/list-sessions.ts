/**
 * `gcrwatch sessions`: the session logs, newest first, one line each: when it started, how
 * long it ran, what it watched, the push it wrapped and the verdict of its diagnosis. Each log
 * is read at its two ends only (session-summary.ts), so a hundred logs list at once.
 */
import { writtenByALiveProcess } from '../../core/log/retention.js';
import { listSessionFiles, sessionsDir } from '../../core/log/session-files.js';
import { summarizeSession, type SessionSummary } from '../../core/log/session-summary.js';
import { formatDuration } from '../duration.js';
import type { Writable } from 'node:stream';
import type { CliIO } from '../outputs/attach.js';
import { StreamLineWriter } from '../outputs/line-writer.js';

/** The flags of `sessions` (gcrwatch's own --json included). */
export interface SessionsFlags {
  json?: boolean;
}

/** One row of the list, in words. */
export interface SessionRow {
  number: number;
  path: string;
  started: string;
  duration: string;
  targets: string;
  push: string;
  verdict: string;
}

const HEADINGS: SessionRow = {
  number: 0,
  path: '',
  started: 'STARTED',
  duration: 'DURATION',
  targets: 'TARGETS',
  push: 'PUSH',
  verdict: 'VERDICT',
};

/** List the sessions; resolves with the exit code (0, also when there are none). */
export async function runSessions(flags: SessionsFlags, io: CliIO): Promise<number> {
  const dir = sessionsDir(io.env);
  const summaries = await Promise.all(listSessionFiles(dir).map((f) => summarizeSession(f)));
  const now = Date.now();
  // A reader that goes away (`gcrwatch sessions | head -3`) is no error.
  const out = new StreamLineWriter(io.stdout as unknown as Writable);
  if (flags.json) {
    for (const s of summaries) out.line(JSON.stringify(jsonOf(s, now)));
    return 0;
  }
  if (!summaries.length) {
    out.line(`no session logs in ${dir} yet`);
    return 0;
  }
  const rows = summaries.map((s, i) => rowOf(s, i + 1, now));
  const width = io.stdoutIsTTY && io.stdout.columns ? io.stdout.columns : Infinity;
  for (const line of formatRows([HEADINGS, ...rows], width)) out.line(line);
  out.line('');
  out.line(`${rows.length} session(s) in ${dir}`);
  out.line('gcrwatch report N reports session N, gcrwatch replay N plays it back');
  return 0;
}

/** A session in words. */
export function rowOf(s: SessionSummary, number: number, now: number): SessionRow {
  const startedAt = Date.parse(s.start?.t ?? '') || s.file.startedAt;
  const running = !s.end && writtenByALiveProcess(s.file, now);
  const endedAt = s.end ? Date.parse(s.end.t) : s.lastAt;
  const span = endedAt !== undefined && endedAt >= startedAt ? formatDuration(endedAt - startedAt) : '?';
  return {
    number,
    path: s.file.path,
    started: new Date(startedAt).toISOString().slice(0, 16).replace('T', ' ') + 'Z',
    duration: running ? `${span} (running)` : s.end ? span : `${span} (cut off)`,
    targets: s.start ? String(s.start.targets.length) : '?',
    push: pushOf(s),
    verdict: s.problem ? `unreadable: ${s.problem}` : verdictWords(s, running),
  };
}

function pushOf(s: SessionSummary): string {
  if (!s.pushStart) return s.start?.mode === 'wrap' ? '?' : '-';
  const image = s.pushStart.repository
    ? `${s.pushStart.repository.split('/').at(-1)}${s.pushStart.tag ? `:${s.pushStart.tag}` : ''}`
    : (s.pushStart.argv[0]?.split('/').at(-1) ?? s.pushStart.tool);
  const end = s.pushEnd;
  if (!end) return `${image} (no end)`;
  const outcome =
    end.exitCode === 0 ? 'ok' : end.exitCode === null ? `killed ${end.signal ?? ''}`.trim() : `exit ${end.exitCode}`;
  return `${image} ${outcome}${end.retries ? `, ${end.retries} retr${end.retries === 1 ? 'y' : 'ies'}` : ''}`;
}

function verdictWords(s: SessionSummary, running: boolean): string {
  const verdict = s.end?.verdict;
  // A finding code starts with its category (network., auth., ...): the code alone says both.
  if (verdict) return verdict.top ? verdict.top.code : 'no problem found';
  if (running) return 'running';
  return s.end ? '- (not recorded by this gcrwatch version)' : '- (the session was cut off)';
}

/** Rows in columns; the last column is cut to `width`. */
function formatRows(rows: SessionRow[], width: number): string[] {
  const cols: Array<keyof SessionRow> = ['started', 'duration', 'targets', 'push'];
  const numberWidth = String(rows.length - 1).length;
  const widths = cols.map((c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => {
    const head = `${(r.number ? String(r.number) : '#').padStart(numberWidth)}  ${cols.map((c, i) => String(r[c]).padEnd(widths[i]!)).join('  ')}  `;
    const room = Math.max(8, width - head.length);
    return head + (r.verdict.length > room ? `${r.verdict.slice(0, room - 1)}…` : r.verdict);
  });
}

function jsonOf(s: SessionSummary, now: number) {
  const row = rowOf(s, 0, now);
  return {
    path: s.file.path,
    startedAt: s.start?.t ?? new Date(s.file.startedAt).toISOString(),
    endedAt: s.end?.t,
    lastAt: s.lastAt === undefined ? undefined : new Date(s.lastAt).toISOString(),
    running: row.duration.endsWith('(running)'),
    mode: s.start?.mode,
    targets: s.start?.targets.map((t) => t.id),
    push: s.pushStart
      ? { argv: s.pushStart.argv, exitCode: s.pushEnd?.exitCode, retries: s.pushEnd?.retries }
      : undefined,
    verdict: s.end?.verdict,
    problem: s.problem,
  };
}
