/**
 * Turns the monitor's flags into a validated session configuration. Every rejection is a
 * `UsageError` whose message names the flag and the value.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { ImageRefError, imagePushTarget, looksLikeRegistryHost, parseImageRef } from '../core/image-ref.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../core/log/retention.js';
import { sessionFileName, sessionsDir } from '../core/log/session-files.js';
import type { ProbeOptions } from '../core/probes/types.js';
import type { MetricsListen } from '../metrics/server.js';
import { addTarget, defaultTargets, makeTarget, parseTarget, TargetError, type Target } from '../core/targets.js';
import { buildTrust, readCaFile, TrustError } from '../core/trust.js';
import { buildAuthSettings, type AuthSettings } from './auth-config.js';
import { colorWanted } from './color.js';
import { parseDuration } from './duration.js';
import type { MonitorFlags } from './program.js';
import { parseMetricsListen } from './metrics-option.js';
import { buildProxyRouting } from './proxy-config.js';
import { UsageError } from './usage-error.js';
import { gcrwatchVersion } from './version.js';

/** How results are shown. */
export type OutputMode = 'tui' | 'plain' | 'json';

/** A validated monitor configuration. */
export interface MonitorConfig {
  targets: Target[];
  intervalMs: number;
  durationMs?: number;
  maxRounds?: number;
  probe: ProbeOptions;
  logPath: string | null;
  /** The sessions folder's retention; absent with --no-prune. */
  retention?: RetentionPolicy;
  /** Where the dashboard's export goes: --export-dir, else the session log's folder. */
  exportDir?: string;
  output: OutputMode;
  color: boolean;
  /** Where to serve Prometheus metrics (--metrics), if anywhere. */
  metrics?: MetricsListen;
  /** The flags as given, for session.start. */
  recorded: Record<string, unknown>;
  /** The credential checks. */
  auth: AuthSettings;
}

/** Whether stdout is a terminal the TUI can use. */
export interface Terminal {
  isTTY: boolean;
}

/** Accepted ranges of the duration settings, shared with the config file's validation. */
export const DURATION_BOUNDS = {
  interval: { min: 100, max: 3_600_000 },
  timeout: { min: 100, max: 600_000 },
  duration: { min: 100, max: 31 * 86_400_000 },
  pruneAfter: { min: 60_000, max: 100 * 365 * 86_400_000 },
} as const;

/** Validate `flags`; `extraTargets` come from elsewhere (the wrapped push's registry). */
export function buildMonitorConfig(
  flags: MonitorFlags,
  term: Terminal,
  extraTargets: Target[] = [],
  env = process.env,
): MonitorConfig {
  const family = flags.ipv4 && flags.ipv6 ? conflict() : flags.ipv4 ? 4 : flags.ipv6 ? 6 : undefined;
  refuseEmpty(flags);
  const intervalMs = parseDuration(flags.interval, '--interval', DURATION_BOUNDS.interval);
  const timeoutMs = parseDuration(flags.timeout, '--timeout', DURATION_BOUNDS.timeout);
  const durationMs =
    flags.duration !== undefined ? parseDuration(flags.duration, '--duration', DURATION_BOUNDS.duration) : undefined;
  const maxRounds = flags.rounds !== undefined ? parseCount(flags.rounds, '--rounds') : undefined;
  const routing = buildProxyRouting(
    {
      proxy: flags.proxy,
      noProxy: flags.proxyBypass,
      noProxySource: '--proxy-bypass',
      compareDirect: flags.compareDirect,
    },
    buildTargets(flags, extraTargets),
    env,
  );
  const config: MonitorConfig = {
    targets: routing.targets,
    intervalMs,
    probe: {
      timeoutMs,
      family,
      pins: parsePins(flags.resolve),
      dnsServers: flags.dnsServer.map(parseDnsServer),
      secureContext: trust(flags.caFile, env),
      userAgent: `gcrwatch/${gcrwatchVersion()} (+https://github.com/gcrwatch/gcrwatch)`,
      proxyFor: routing.proxyFor,
    },
    logPath: flags.log === false ? null : typeof flags.log === 'string' ? flags.log : defaultLogPath(env),
    output: flags.json ? 'json' : flags.plain || !term.isTTY ? 'plain' : 'tui',
    color: colorWanted(flags.color, env),
    recorded: { ...recordFlags(flags, intervalMs, timeoutMs), ...routing.recorded },
    auth: {
      ...buildAuthSettings(flags, env),
      proxy: routing.settings,
      extraCaPems: flags.caFile.flatMap((f) => readCaFile(f)),
    },
  };
  if (flags.prune !== false) config.retention = retentionOf(flags, env);
  const exportDir = flags.exportDir ?? (config.logPath ? path.dirname(config.logPath) : undefined);
  if (exportDir !== undefined) config.exportDir = exportDir;
  if (durationMs !== undefined) config.durationMs = durationMs;
  if (maxRounds !== undefined) config.maxRounds = maxRounds;
  if (flags.metrics !== undefined) {
    config.metrics = parseMetricsListen(flags.metrics);
    config.recorded.metrics = `${config.metrics.host}:${config.metrics.port}`;
  }
  return config;
}

/** The retention of the sessions folder the flags ask for. */
function retentionOf(flags: MonitorFlags, env: NodeJS.ProcessEnv): RetentionPolicy {
  return {
    dir: sessionsDir(env),
    keep: parseCount(String(flags.keepSessions ?? DEFAULT_RETENTION.keep), '--keep-sessions'),
    maxAgeMs:
      flags.pruneAfter === undefined
        ? DEFAULT_RETENTION.maxAgeMs
        : parseDuration(flags.pruneAfter, '--prune-after', DURATION_BOUNDS.pruneAfter),
  };
}

/** An empty value would otherwise be read as "not given": no log, or no push target, silently. */
function refuseEmpty(flags: MonitorFlags): void {
  if (typeof flags.log === 'string' && !flags.log.trim())
    throw new UsageError('--log: the file name is empty (--no-log writes no log)');
  if (flags.repo !== undefined && !flags.repo.trim())
    throw new UsageError('--repo: the image is empty (e.g. --repo europe-west1-docker.pkg.dev/proj/repo/app)');
  // Docker would read `gcr.io` alone as an image on Docker Hub: nobody means that here.
  const bare = flags.repo?.trim().replace(/\/+$/, '');
  if (bare && !bare.includes('/') && looksLikeRegistryHost(bare))
    throw new UsageError(
      `--repo: "${flags.repo}" is a registry host, not an image: give the image pushed (--repo ${bare}/PROJECT/IMAGE), or watch the host alone: gcrwatch ${bare}`,
    );
}

function conflict(): never {
  throw new UsageError('-4/--ipv4 and -6/--ipv6 cannot be used together');
}

/** A whole number from 1 to 1000000 (`--rounds`); throws `UsageError` naming `flag`. */
export function parseCount(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > 1_000_000) {
    throw new UsageError(`${flag}: "${raw}" is not a whole number from 1 to 1000000`);
  }
  return Number(raw);
}

function buildTargets(flags: MonitorFlags, extra: Target[]): Target[] {
  const list: Target[] = flags.only ? [] : defaultTargets();
  try {
    for (const raw of flags.target) addTarget(list, parseTarget(raw, 'flag'));
    if (flags.repo) {
      const { host, port } = imagePushTarget(parseImageRef(flags.repo));
      addTarget(list, makeTarget(host, port, 'repo')).pushTarget = true;
    }
  } catch (err) {
    if (err instanceof TargetError || err instanceof ImageRefError)
      throw new UsageError(`${flags.repo && err.message.includes(flags.repo) ? '--repo' : '--target'}: ${err.message}`);
    throw err;
  }
  for (const t of extra) {
    const kept = addTarget(list, t);
    if (t.pushTarget) kept.pushTarget = true;
  }
  if (!list.length) throw new UsageError('--only: no target left to probe; add one with --target HOST[:PORT]');
  return list;
}

/** Parse curl-style pins `HOST:PORT:ADDR` (ADDR may be `[v6]` or a bare IPv6 address). */
export function parsePins(raw: string[]): Map<string, string> {
  const pins = new Map<string, string>();
  for (const pin of raw) {
    const m = /^([^:\s]+):(\d{1,5}):(.+)$/.exec(pin.trim());
    const addr = m?.[3]?.replace(/^\[(.*)\]$/, '$1');
    if (!m || !addr)
      throw new UsageError(`--resolve: "${pin}" is not HOST:PORT:ADDRESS (e.g. gcr.io:443:142.250.1.82)`);
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new UsageError(`--resolve: port ${m[2]} in "${pin}" is out of range 1-65535`);
    if (!isIP(addr)) throw new UsageError(`--resolve: "${addr}" in "${pin}" is not an IP address`);
    pins.set(`${m[1]!.toLowerCase()}:${port}`, addr);
  }
  return pins;
}

/** Validate `IP`, `IP:PORT`, `[v6]:PORT` for --dns-server and return it in c-ares' form. */
export function parseDnsServer(raw: string): string {
  const s = raw.trim();
  if (isIP(s)) return s;
  const v6 = /^\[([^\]]+)\]:(\d{1,5})$/.exec(s);
  const v4 = /^([\d.]+):(\d{1,5})$/.exec(s);
  const m = v6 ?? v4;
  if (m && isIP(m[1]!) && Number(m[2]) >= 1 && Number(m[2]) <= 65535) return s;
  throw new UsageError(`--dns-server: "${raw}" is not IP or IP:PORT (e.g. 8.8.8.8 or 127.0.0.53:5353)`);
}

function trust(files: string[], env: NodeJS.ProcessEnv) {
  try {
    return buildTrust(files, env);
  } catch (err) {
    if (err instanceof TrustError) throw new UsageError(err.message);
    throw err;
  }
}

/** `$XDG_STATE_HOME/gcrwatch/sessions/<start>-<pid>.ndjson`, falling back to `~/.local/state`. */
export function defaultLogPath(env: NodeJS.ProcessEnv = process.env, now = new Date()): string {
  return path.join(sessionsDir(env), sessionFileName(now));
}

function recordFlags(flags: MonitorFlags, intervalMs: number, timeoutMs: number): Record<string, unknown> {
  const out: Record<string, unknown> = { intervalMs, timeoutMs };
  if (flags.only) out.only = true;
  if (flags.resolve.length) out.resolve = flags.resolve;
  if (flags.dnsServer.length) out.dnsServers = flags.dnsServer;
  if (flags.caFile.length) out.caFiles = flags.caFile;
  if (flags.ipv4) out.family = 4;
  if (flags.ipv6) out.family = 6;
  if (flags.duration) out.duration = flags.duration;
  if (flags.rounds) out.rounds = Number(flags.rounds);
  if (flags.repo) out.repo = flags.repo;
  if (typeof flags.config === 'string') out.configFile = flags.config;
  if (flags.authInterval && flags.authInterval !== '60s') out.authInterval = flags.authInterval;
  if (flags.pushCheck === false) out.pushCheck = false;
  return out;
}

/** A push target from outside the flags (the wrapped command's image). */
export function pushTarget(host: string, port = 443): Target {
  return { ...makeTarget(host, port, 'push'), pushTarget: true };
}
