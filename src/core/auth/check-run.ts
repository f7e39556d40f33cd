/**
 * One run of every credential check, in order: docker's view of each probed host, Google's
 * view (and the metadata server's, on Google Cloud), the registry's view of the push target,
 * and the clock; one `auth` event each. When runs happen is `auth-monitor.ts`'s business.
 */
import { rootCertificates } from 'node:tls';
import type { Dispatcher } from 'undici';
import { failure } from '../errors.js';
import type { PushTarget } from '../image-ref.js';
import { proxyDispatcherFor } from '../proxy/dispatcher.js';
import type { SessionState } from '../store.js';
import { locateAdc } from './adc.js';
import type { AuthMonitorOptions } from './auth-monitor.js';
import { checkClock } from './clock-view.js';
import { DEFAULT_HELPER_LIMITS } from './credential-helper.js';
import { DockerConfigError, dockerConfigPath, loadDockerConfig, type DockerConfig } from './docker-config.js';
import type { DockerCredential } from './docker-credential.js';
import { checkDockerView } from './docker-view.js';
import { fingerprint } from './fingerprint.js';
import { checkGoogleView } from './google-view.js';
import { mapLimited } from './map-limited.js';
import { checkMetadataView } from './metadata-view.js';
import { createRegistryHttp, registryBase, type HttpAnswer, type RegistryHttp } from './registry-http.js';
import { checkRegistryView } from './registry-view.js';
import { fetchTokenInfo, type TokenInfo } from './tokeninfo.js';
import type { AuthInput } from './types.js';

/** What one run needs: the settings, the session as it is now, and where events go. */
export interface CheckRun {
  opts: AuthMonitorOptions;
  state: SessionState;
  push: PushTarget | undefined;
  /** How long the running push is likely to take still (for the push target's docker view). */
  pushRemainingMs?: number;
  now: () => number;
  signal: AbortSignal;
  emit: (e: AuthInput) => void;
}

/** A few docker views at a time: one hanging helper must not hold every host, and a dozen helpers at once would be rude. */
const DOCKER_VIEW_CONCURRENCY = 4;

/** Run every check once; events are emitted as each check ends, in a stable order. */
export async function runCredentialChecks(run: CheckRun): Promise<void> {
  const { opts, signal, emit } = run;
  const tokenInfo = tokenInfoCache(run);
  const credentials = await dockerViews(run, tokenInfo);
  if (signal.aborted) return;
  emit(await checkGoogleView({ env: opts.env, timeoutMs: opts.requestTimeoutMs, tokenInfo, signal }));
  const adc = locateAdc(opts.env);
  if (adc.kind === 'metadata' && !signal.aborted)
    emit(await checkMetadataView(adc.host, Math.min(opts.requestTimeoutMs, 3000), signal));
  const http = createRegistryHttp({
    timeoutMs: opts.requestTimeoutMs,
    userAgent: opts.userAgent,
    secureContext: opts.secureContext,
    signal,
    now: run.now,
    ...proxyOption(opts),
  });
  try {
    await registryAndClock(run, credentials, http);
  } finally {
    await http.close();
  }
}

async function dockerViews(
  run: CheckRun,
  tokenInfo: (t: string) => Promise<TokenInfo>,
): Promise<Map<string, DockerCredential>> {
  const { opts, push } = run;
  const credentials = new Map<string, DockerCredential>();
  const config = loadConfig(run);
  if (!config) return credentials;
  const pushId = push?.id;
  const results = mapLimited(hostsOf(run.state, pushId), DOCKER_VIEW_CONCURRENCY, (host) =>
    checkDockerView({
      host,
      pushTarget: host === pushId,
      config,
      tokenInfo,
      signal: run.signal,
      now: run.now,
      helperLimits: { ...DEFAULT_HELPER_LIMITS, ...opts.helperLimits, env: opts.env },
      slowHelperMs: opts.slowHelperMs ?? 3000,
      ...(host === pushId && run.pushRemainingMs !== undefined ? { pushRemainingMs: run.pushRemainingMs } : {}),
    }),
  );
  // Awaited in order, so the events keep the hosts' order.
  for (const pending of results) {
    const result = await pending;
    run.emit(result.event);
    if (result.credential) credentials.set(result.event.host!, result.credential);
  }
  return credentials;
}

function loadConfig({ opts, push, emit }: CheckRun): DockerConfig | undefined {
  try {
    return loadDockerConfig(dockerConfigPath(opts.env));
  } catch (err) {
    if (!(err instanceof DockerConfigError)) throw err;
    emit({
      type: 'auth',
      view: 'docker',
      ...(push ? { host: push.id } : {}),
      source: err.file,
      ok: false,
      error: failure('auth.config_invalid', err.message, 'auth'),
    });
    return undefined;
  }
}

/** The push target's registry view, then the clock of its answer (of the first target's, without one). */
async function registryAndClock(
  run: CheckRun,
  credentials: Map<string, DockerCredential>,
  http: RegistryHttp,
): Promise<void> {
  const { push, emit } = run;
  let ping: HttpAnswer | undefined;
  let clockHost: string | undefined;
  if (push) {
    const result = await checkRegistryView({
      ...push,
      credential: credentials.get(push.id),
      pushCheck: run.opts.pushCheck,
      http,
      now: run.now,
    });
    emit(result.event);
    ping = result.ping;
    clockHost = push.id;
  } else {
    const first = [...run.state.targets.values()][0]?.info;
    if (!first) return;
    clockHost = first.id;
    ping = await http.send(`${registryBase(first.host, first.port)}/v2/`).catch(() => undefined);
  }
  const clock = checkClock(clockHost, ping);
  if (clock) emit(clock);
}

function proxyOption(opts: AuthMonitorOptions): { proxyFor?: (url: string) => Dispatcher | undefined } {
  const settings = opts.proxy;
  if (!settings) return {};
  const extra = opts.extraCaPems ?? [];
  // A `ca` list replaces Node's roots in the tunnel's TLS, so the roots go in with the extras.
  const tls = extra.length ? { ca: [...rootCertificates, ...extra] } : {};
  return { proxyFor: (url) => proxyDispatcherFor(url, settings, tls) };
}

/** Every probed host, the push target's first when it is not probed. */
function hostsOf(state: SessionState, pushId: string | undefined): string[] {
  const ids = [...state.targets.values()].map((t) => t.info.id);
  if (pushId && !ids.includes(pushId)) ids.unshift(pushId);
  return [...new Set(ids)];
}

/** tokeninfo once per token per run: gcloud's helper hands every host the same token. */
function tokenInfoCache({ opts, signal, now }: CheckRun): (token: string) => Promise<TokenInfo> {
  const cache = new Map<string, Promise<TokenInfo>>();
  return (token) => {
    const key = fingerprint(token);
    let p = cache.get(key);
    if (!p) {
      p = fetchTokenInfo(token, { url: opts.tokenInfoUrl, timeoutMs: opts.requestTimeoutMs, signal, now });
      cache.set(key, p);
    }
    return p;
  };
}
