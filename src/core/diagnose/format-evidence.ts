/**
 * Small shared wording helpers for rules: evidence times, phase names, byte sizes, and a
 * bounded list of evidence lines. Pure functions.
 */
import type { FailurePhase } from '../errors.js';

/** `03:05:07Z`: the UTC clock time of an epoch-ms instant, as evidence lines show it. */
export function clock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)}Z`;
}

/** How a failure phase reads in a sentence. */
export function phaseWords(phase: string | undefined): string {
  const words: Partial<Record<FailurePhase | 'ttfb', string>> = {
    dns: 'DNS lookups',
    connect: 'TCP connects',
    proxy: 'proxy CONNECTs',
    tls: 'TLS handshakes',
    http: 'HTTP requests (first byte)',
    ttfb: 'the first byte of HTTP answers',
    auth: 'credential checks',
  };
  return (phase && words[phase as FailurePhase]) ?? 'probes';
}

/** Where in a round a failure happened, as `at ...` reads it: "the TLS handshake". */
export function phasePoint(phase: string | undefined): string {
  const words: Record<string, string> = {
    dns: 'DNS',
    connect: 'the TCP connect',
    proxy: 'the proxy CONNECT',
    tls: 'the TLS handshake',
    http: 'the HTTP request',
  };
  return (phase && words[phase]) ?? 'the probe';
}

/** `1.5 GB` style sizes (decimal units, as docker prints them). */
export function bytesWords(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** `1 retry`, `3 retries`. */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Keep evidence readable: the first `max - 1` lines and a count of the rest. */
export function capEvidence(lines: string[], max = 10): string[] {
  if (lines.length <= max) return lines;
  return [...lines.slice(0, max - 1), `... and ${lines.length - max + 1} more`];
}

/** Cut a quoted text (an error message) to a readable length. */
export function quote(text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return `"${one.length > max ? `${one.slice(0, max - 1)}…` : one}"`;
}
