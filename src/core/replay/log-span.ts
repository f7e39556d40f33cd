/**
 * When a session log ends, read from its last lines (not the whole file: a log may hold a
 * million events), so a replay can say where it is in the session ("1m05s of 5m00s").
 */
import { open } from 'node:fs/promises';

/** Bytes read from the end of the file: more than the longest event line. */
const TAIL_BYTES = 256 * 1024;

/** The time (epoch ms) of the last event of the log at `path`, or undefined when it cannot be told. */
export async function lastEventTime(path: string): Promise<number | undefined> {
  let file;
  try {
    file = await open(path, 'r');
    const { size } = await file.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    // The first line may be cut in the middle; the last one may be half written.
    for (let i = lines.length - 1; i >= (length < size ? 1 : 0); i--) {
      const t = timeOf(lines[i]!);
      if (t !== undefined) return t;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    await file?.close();
  }
}

function timeOf(line: string): number | undefined {
  if (!line.trim()) return undefined;
  try {
    const event: unknown = JSON.parse(line);
    const t = typeof event === 'object' && event !== null ? (event as { t?: unknown }).t : undefined;
    const ms = typeof t === 'string' ? Date.parse(t) : NaN;
    return Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  }
}
