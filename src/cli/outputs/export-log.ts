/**
 * The dashboard's `e` key: a copy of the session log as it is now, in the current folder.
 * The log writer writes each burst of events synchronously, so the copy holds every event
 * up to the moment of the key press. (The report formats arrive with the diagnosis.)
 */
import { copyFile, chmod } from 'node:fs/promises';
import path from 'node:path';

/** The export's file name for time `now`: `gcrwatch-export-2026-01-02T03-04-05Z.ndjson`. */
export function exportFileName(now: Date): string {
  return `gcrwatch-export-${now
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z')}.ndjson`;
}

/** Copy `logPath` to `dir`; resolves with the copy's path. Rejects with a one-line reason. */
export async function exportSessionLog(logPath: string | null, dir: string, now = new Date()): Promise<string> {
  if (!logPath) throw new Error('there is no session log to export (--no-log)');
  const target = path.resolve(dir, exportFileName(now));
  try {
    await copyFile(logPath, target);
    // The log may hold registry names and identities: same privacy as the log itself.
    await chmod(target, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new Error(`cannot write ${target} (${code})`, { cause: err });
  }
  return target;
}
