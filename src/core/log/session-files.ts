/**
 * The folder of session logs and the files in it. A session log is named after its start
 * and its process, `2026-03-02T10-00-00Z-4242.ndjson`, so the newest is the last by name;
 * files named otherwise (exports, a user's own) are not session logs here and are left alone.
 */
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A session log in the sessions folder. */
export interface SessionFile {
  path: string;
  /** The file name without `.ndjson`. */
  name: string;
  /** Start time (epoch ms, second precision) from the name. */
  startedAt: number;
  pid: number;
  size: number;
  /** Last written (epoch ms). */
  mtimeMs: number;
}

const NAME = /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)Z-(\d+)\.ndjson$/;

/** `$XDG_STATE_HOME/gcrwatch/sessions`, falling back to `~/.local/state/gcrwatch/sessions`. */
export function sessionsDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME)
      ? env.XDG_STATE_HOME
      : path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'gcrwatch', 'sessions');
}

/** The file name of a session started at `now` by process `pid`. */
export function sessionFileName(now: Date, pid = process.pid): string {
  const stamp = now
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${pid}.ndjson`;
}

/** The session a file name stands for, or undefined when it is not a session log's name. */
export function parseSessionFileName(name: string): Pick<SessionFile, 'startedAt' | 'pid'> | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const startedAt = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`);
  return Number.isNaN(startedAt) ? undefined : { startedAt, pid: Number(m[5]) };
}

/** The session logs in `dir`, newest first; none when the folder does not exist. */
export function listSessionFiles(dir: string): SessionFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files: SessionFile[] = [];
  for (const name of names) {
    const parsed = parseSessionFileName(name);
    if (!parsed) continue;
    const file = path.join(dir, name);
    try {
      const s = statSync(file);
      if (s.isFile())
        files.push({ path: file, name: name.slice(0, -'.ndjson'.length), ...parsed, size: s.size, mtimeMs: s.mtimeMs });
    } catch {
      // Removed between the listing and the look: not there any more.
    }
  }
  // Same second: the process ids break the tie, as a stable order.
  return files.sort((a, b) => b.startedAt - a.startedAt || b.name.localeCompare(a.name));
}
