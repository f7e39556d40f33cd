/**
 * Which log `report` and `replay` read: a file, a session's name or number as `gcrwatch
 * sessions` lists them, or the latest session when none is given (`--last`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { listSessionFiles, sessionsDir } from '../../core/log/session-files.js';
import { UsageError } from '../usage-error.js';

/** `report`'s and `replay`'s way to name a session. */
export interface SessionChoice {
  last?: boolean;
}

/** The path of the log `arg` names (see the file's comment); throws `UsageError` when there is none. */
export function resolveSessionLog(
  arg: string | undefined,
  choice: SessionChoice,
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): string {
  if (arg !== undefined && choice.last) throw new UsageError(`--last reports the latest session: drop "${arg}"`);
  const dir = sessionsDir(env);
  if (arg === undefined) {
    const latest = listSessionFiles(dir)[0];
    if (!latest) throw new UsageError(`no session logs in ${dir} yet: run gcrwatch first, or name a log file`);
    return latest.path;
  }
  if (existsSync(path.resolve(cwd, arg))) return arg;
  if (/^[1-9]\d{0,5}$/.test(arg)) {
    const files = listSessionFiles(dir);
    const file = files[Number(arg) - 1];
    if (!file)
      throw new UsageError(
        `there is no session ${arg}: ${files.length} session log(s) in ${dir} (gcrwatch sessions lists them)`,
      );
    return file.path;
  }
  const named = path.join(dir, arg.endsWith('.ndjson') ? arg : `${arg}.ndjson`);
  // A plain name only: a path that does not exist is the reader's to refuse, naming it.
  if (!arg.includes(path.sep) && existsSync(named)) return named;
  return arg;
}
