/**
 * The dashboard's `e` key: a copy of the session log as it is now, beside the session logs
 * (the log's own folder) unless `--export-dir` names another. The log writer writes each
 * burst of events synchronously, so the copy holds every event up to the moment of the key
 * press; `gcrwatch report` and `replay` read it like any session log.
 */
import { chmod, copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

/** The export's file name for time `now`: `gcrwatch-export-2026-01-02T03-04-05Z.ndjson`. */
export function exportFileName(now: Date): string {
  return `gcrwatch-export-${now
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z')}.ndjson`;
}

/** Copy `logPath` into `dir` (made 0700 when missing); resolves with the copy's path. Rejects with a one-line reason. */
export async function exportSessionLog(logPath: string | null, dir: string, now = new Date()): Promise<string> {
  if (!logPath) throw new Error('there is no session log to export (--no-log)');
  const target = path.resolve(dir, exportFileName(now));
  try {
    // A --export-dir that does not exist yet is made; anything else wrong shows in the copy.
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 }).catch(() => undefined);
    await copyFile(logPath, target);
    // The log may hold registry names and identities: same privacy as the log itself.
    await chmod(target, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new Error(`cannot write ${target} (${code})`, { cause: err });
  }
  return target;
}
