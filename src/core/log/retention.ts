/**
 * Retention of session logs: at the start of a session that writes into the sessions folder,
 * logs beyond the newest `keep`, and logs not written for `maxAgeMs`, are deleted. Never the
 * running session's own log, nor one another gcrwatch is still writing (its process is alive
 * and wrote in the last day). Only files named like session logs are touched.
 */
import { unlinkSync } from 'node:fs';
import { listSessionFiles, type SessionFile } from './session-files.js';

/** How many logs, and how old, the sessions folder keeps. */
export interface RetentionPolicy {
  dir: string;
  /** Logs kept, the running one included. */
  keep: number;
  /** Logs last written longer ago than this are deleted. */
  maxAgeMs: number;
}

/** The defaults: the last 100 sessions, for 30 days. */
export const DEFAULT_RETENTION = { keep: 100, maxAgeMs: 30 * 86_400_000 } as const;

/** What a pruning did. */
export interface PruneOutcome {
  removed: string[];
  /** Files that could not be deleted, with the reason (`EACCES`...). */
  failed: Array<{ path: string; code: string }>;
}

const DAY_MS = 86_400_000;

/** Whether another process is writing `file` now: its process lives, and it wrote in the last day. */
export function writtenByALiveProcess(file: SessionFile, now = Date.now()): boolean {
  if (file.pid === process.pid || now - file.mtimeMs > DAY_MS) return false;
  try {
    process.kill(file.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Delete what `policy` does not keep; `running` is the log of this session (kept, and counted). */
export function pruneSessions(policy: RetentionPolicy, running?: string, now = Date.now()): PruneOutcome {
  const outcome: PruneOutcome = { removed: [], failed: [] };
  let kept = 0;
  for (const file of listSessionFiles(policy.dir)) {
    const live = file.path === running || writtenByALiveProcess(file, now);
    if (live || (kept < policy.keep && now - file.mtimeMs <= policy.maxAgeMs)) {
      kept++;
      continue;
    }
    try {
      unlinkSync(file.path);
      outcome.removed.push(file.path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      if (code !== 'ENOENT') outcome.failed.push({ path: file.path, code });
    }
  }
  return outcome;
}
