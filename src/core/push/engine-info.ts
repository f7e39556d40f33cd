/**
 * What the docker engine says about itself, asked over its API socket with undici
 * (`GET /info`): version, storage driver, whether the containerd image store is in use
 * (its push prints no retry countdown at all), the proxy settings the *daemon* uses (they
 * are not the shell's, a classic cause of pushes that fail only through docker), and
 * `max-concurrent-uploads` (not in /info: read from dockerd's command line or daemon.json,
 * else docker's default of 5).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { EventInput } from '../events.js';
import { failure } from '../errors.js';
import { undici } from '../lazy-require.js';

type EngineInfoDraft = Extract<EventInput, { type: 'engine.info' }>;

/** Docker's default number of parallel layer uploads per push. */
export const DEFAULT_MAX_CONCURRENT_UPLOADS = 5;
const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Where the engine's API is: a unix socket path, or an http origin for tcp://. */
export type EngineEndpoint =
  { kind: 'unix'; socketPath: string; text: string } | { kind: 'tcp'; origin: string; text: string };

/** The endpoint DOCKER_HOST names (default: the standard socket); undefined when it is not one we can ask (ssh://, TLS). */
export function engineEndpoint(env: NodeJS.ProcessEnv): EngineEndpoint | undefined {
  const host = env.DOCKER_HOST?.trim() || `unix://${DEFAULT_SOCKET}`;
  if (host.startsWith('unix://')) return { kind: 'unix', socketPath: host.slice('unix://'.length), text: host };
  const tcp = /^tcp:\/\/([^/]+)\/?$/.exec(host);
  if (tcp && !env.DOCKER_TLS_VERIFY) return { kind: 'tcp', origin: `http://${tcp[1]}`, text: host };
  return undefined;
}

/** The shape of /info gcrwatch reads. */
interface InfoBody {
  ServerVersion?: string;
  Driver?: string;
  DriverStatus?: Array<[string, string]> | null;
  HttpProxy?: string;
  HttpsProxy?: string;
  NoProxy?: string;
}

/** Remove `user:password@` from a proxy URL (docker masks it too, not every version does). */
function maskProxy(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.replace(/\/\/[^/@]*@/, '//<redacted>@');
}

/** Build the event from an /info answer and what is known of the daemon's settings. */
export function engineInfoFromBody(
  body: InfoBody,
  endpoint: string,
  uploads: { value: number; source: 'flag' | 'config' | 'default' },
  env: NodeJS.ProcessEnv,
): EngineInfoDraft {
  const snapshotter = (body.DriverStatus ?? []).some(
    ([k, v]) => k === 'driver-type' && /containerd\.snapshotter/.test(v),
  );
  const draft: EngineInfoDraft = {
    type: 'engine.info',
    endpoint,
    containerdSnapshotter: snapshotter,
    maxConcurrentUploads: uploads.value,
    maxConcurrentUploadsSource: uploads.source,
  };
  if (body.ServerVersion) draft.version = body.ServerVersion;
  if (body.Driver) draft.storageDriver = body.Driver;
  const proxies = {
    httpProxy: maskProxy(body.HttpProxy),
    httpsProxy: maskProxy(body.HttpsProxy),
    noProxy: body.NoProxy || undefined,
  };
  for (const [k, v] of Object.entries(proxies)) if (v) (draft as Record<string, unknown>)[k] = v;
  const notes: string[] = [];
  if (snapshotter)
    notes.push(
      'the containerd image store is in use: docker prints no "Retrying in" countdown, so retries cannot be seen in its output',
    );
  const shellProxy = maskProxy(env.HTTPS_PROXY ?? env.https_proxy);
  if ((proxies.httpsProxy ?? '') !== (shellProxy ?? '')) {
    notes.push(
      `the daemon's HTTPS proxy (${proxies.httpsProxy ?? 'none'}) is not this shell's (${shellProxy ?? 'none'}): docker push goes the daemon's way`,
    );
  }
  if (notes.length) draft.notes = notes;
  return draft;
}

/** dockerd processes' command lines (Linux /proc), for flags /info does not show. */
function dockerdCommandLines(): string[][] {
  const out: string[][] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (args[0] && /(^|\/)dockerd$/.test(args[0])) out.push(args);
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out;
}

function flagValue(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) return args[i + 1];
    if (args[i]!.startsWith(`${flag}=`)) return args[i]!.slice(flag.length + 1);
  }
  return undefined;
}

/** max-concurrent-uploads of the dockerd serving `endpoint`: its flag, its daemon.json, or the default. */
export function maxConcurrentUploads(endpoint: EngineEndpoint): {
  value: number;
  source: 'flag' | 'config' | 'default';
} {
  const daemons = dockerdCommandLines();
  const mine =
    daemons.find((args) =>
      args.some((a) => a.endsWith(endpoint.text) || (endpoint.kind === 'unix' && a.endsWith(endpoint.socketPath))),
    ) ??
    (endpoint.kind === 'unix' && endpoint.socketPath === DEFAULT_SOCKET
      ? daemons.find((args) => !flagValue(args, '-H') && !flagValue(args, '--host'))
      : undefined);
  const flag = mine && flagValue(mine, '--max-concurrent-uploads');
  if (flag && /^\d+$/.test(flag)) return { value: Number(flag), source: 'flag' };
  const configFile = (mine && flagValue(mine, '--config-file')) ?? '/etc/docker/daemon.json';
  try {
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    const v = config['max-concurrent-uploads'];
    if (typeof v === 'number') return { value: v, source: 'config' };
  } catch {
    /* no daemon.json, or not readable: the default applies */
  }
  return { value: DEFAULT_MAX_CONCURRENT_UPLOADS, source: 'default' };
}

/** Ask the engine; never throws: an engine that does not answer gives an event with `error`. */
export async function fetchEngineInfo(env: NodeJS.ProcessEnv, timeoutMs = 3000): Promise<EngineInfoDraft> {
  const endpoint = engineEndpoint(env);
  if (!endpoint) {
    return {
      type: 'engine.info',
      endpoint: env.DOCKER_HOST,
      error: failure(
        'push.daemon_unreachable',
        `DOCKER_HOST ${env.DOCKER_HOST} is not a unix:// or plain tcp:// engine gcrwatch can ask`,
        'local',
      ),
    };
  }
  // undici is loaded here, on first use, not when the wrap command is imported (~70 ms of start-up).
  const { Agent, request } = undici();
  const agent = new Agent(endpoint.kind === 'unix' ? { connect: { socketPath: endpoint.socketPath } } : {});
  try {
    const origin = endpoint.kind === 'unix' ? 'http://docker' : endpoint.origin;
    const res = await request(`${origin}/info`, { dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
    if (res.statusCode !== 200) {
      await res.body.dump();
      return {
        type: 'engine.info',
        endpoint: endpoint.text,
        error: failure('push.daemon_unreachable', `the engine answered /info with HTTP ${res.statusCode}`, 'local'),
      };
    }
    const body = (await res.body.json()) as InfoBody;
    return engineInfoFromBody(body, endpoint.text, maxConcurrentUploads(endpoint), env);
  } catch (err) {
    const why = (err as { code?: string }).code ?? (err as Error).name;
    return {
      type: 'engine.info',
      endpoint: endpoint.text,
      error: failure(
        'push.daemon_unreachable',
        `the docker engine at ${endpoint.text} did not answer (${why})`,
        'local',
      ),
    };
  } finally {
    await agent.close();
  }
}
