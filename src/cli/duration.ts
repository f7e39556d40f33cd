/** Parsing of human durations: `500ms`, `2s`, `1.5m`, `1h`, `1h30m`; a bare number is seconds. */
import { UsageError } from './usage-error.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Bounds a duration flag must respect, in ms. */
export interface DurationBounds {
  min: number;
  max: number;
}

/** Parse `input` for flag `flag`; throws `UsageError` naming the flag and the value. */
export function parseDuration(input: string, flag: string, bounds?: DurationBounds): number {
  const text = String(input).trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy)];
    const consumed = parts.map((p) => p[0]).join('');
    if (!parts.length || consumed !== text) {
      throw new UsageError(`${flag}: "${input}" is not a duration (examples: 500ms, 2s, 1m, 1h30m)`);
    }
    ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
  }
  if (bounds && (ms < bounds.min || ms > bounds.max)) {
    throw new UsageError(
      `${flag}: ${input} is out of range (${formatDuration(bounds.min)} to ${formatDuration(bounds.max)})`,
    );
  }
  return ms;
}

/** Format ms as a short duration (`250ms`, `2s`, `1m30s`, `2h`). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].join('') || '0s';
}
