/**
 * Probe targets: the default list of Google registry hosts, and parsing of `--target`
 * values (`HOST`, `HOST:PORT`, `https://HOST[:PORT]`, `[v6]:PORT`, or an image reference
 * whose registry host is taken).
 */
import { isIP } from 'node:net';
import { looksLikeRegistryHost, parseImageRef, targetId } from './image-ref.js';
import type { TargetInfo } from './events.js';

/** A registry endpoint gcrwatch probes. */
export type Target = TargetInfo;

/** The hosts probed when no target is given. */
export const DEFAULT_HOSTS: readonly string[] = [
  'gcr.io',
  'us.gcr.io',
  'eu.gcr.io',
  'asia.gcr.io',
  'us-docker.pkg.dev',
  'europe-docker.pkg.dev',
  'asia-docker.pkg.dev',
];

/** Thrown for a malformed target; the message names the input and what is wrong. */
export class TargetError extends Error {
  constructor(input: string, why: string) {
    super(`invalid target "${input}": ${why}`);
    this.name = 'TargetError';
  }
}

const HOSTNAME =
  /^(?=.{1,253}$)(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.?$/;

export { targetId };

/** Make a target record. */
export function makeTarget(host: string, port: number, source: Target['source']): Target {
  return { id: targetId(host, port), host, port, source };
}

function parsePort(input: string, raw: string): number {
  if (!/^\d{1,5}$/.test(raw)) throw new TargetError(input, `port "${raw}" is not a number`);
  const port = Number(raw);
  if (port < 1 || port > 65535) throw new TargetError(input, `port ${port} is out of range 1-65535`);
  return port;
}

function checkHost(input: string, host: string): string {
  if (isIP(host)) return host;
  if (!HOSTNAME.test(host)) throw new TargetError(input, `"${host}" is not a valid host name`);
  return host.toLowerCase().replace(/\.$/, '');
}

/** Split `host[:port]` or `[v6][:port]`. */
function splitHostPort(input: string, hostPort: string): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(hostPort);
  if (v6) {
    if (isIP(v6[1]!) !== 6) throw new TargetError(input, `"${v6[1]}" is not an IPv6 address`);
    return { host: v6[1]!, port: v6[2] !== undefined ? parsePort(input, v6[2]) : 443 };
  }
  if (isIP(hostPort) === 6) return { host: hostPort, port: 443 };
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0) return { host: checkHost(input, hostPort), port: 443 };
  return { host: checkHost(input, hostPort.slice(0, colon)), port: parsePort(input, hostPort.slice(colon + 1)) };
}

/**
 * Parse one `--target` value. Accepts `HOST`, `HOST:PORT`, `https://HOST[:PORT][/...]`,
 * `[IPv6]:PORT` and image references (`gcr.io/proj/app:tag`), whose registry host is used.
 * Throws `TargetError` naming the input otherwise.
 */
export function parseTarget(input: string, source: Target['source'] = 'flag'): Target {
  const raw = input.trim();
  if (!raw) throw new TargetError(input, 'empty');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(raw);
  if (scheme) {
    if (scheme[1]!.toLowerCase() !== 'https') {
      throw new TargetError(input, `only https:// targets can be probed (registries speak HTTPS), not ${scheme[1]}://`);
    }
    const hostPort = raw.slice(scheme[0].length).split(/[/?#]/)[0]!;
    if (!hostPort) throw new TargetError(input, 'no host after https://');
    const { host, port } = splitHostPort(input, hostPort);
    return makeTarget(host, port, source);
  }
  const slash = raw.indexOf('/');
  if (slash >= 0) {
    if (!looksLikeRegistryHost(raw.slice(0, slash))) {
      throw new TargetError(input, 'an image reference needs a registry host (such as gcr.io/...) to be probed');
    }
    const ref = parseImageRef(raw);
    const { host, port } = splitHostPort(input, ref.endpoint);
    return makeTarget(host, port, source === 'flag' ? 'repo' : source);
  }
  const { host, port } = splitHostPort(input, raw);
  return makeTarget(host, port, source);
}

/** The default targets, in their documented order. */
export function defaultTargets(): Target[] {
  return DEFAULT_HOSTS.map((h) => makeTarget(h, 443, 'default'));
}

/** Add `t` to `list` unless a target with the same id is there; returns the one kept. */
export function addTarget(list: Target[], t: Target): Target {
  const existing = list.find((x) => x.id === t.id);
  if (existing) return existing;
  list.push(t);
  return t;
}
