/**
 * The credential checks as a session source: at start and every `--auth-interval`, docker's
 * view of every probed host, Google's view (and the metadata server's, on Google Cloud), the
 * registry's view of the push target, and the clock; one `auth` event per check. A run is
 * also brought forward to the moment a token crosses into its last ten minutes or expires,
 * so the warning and the expiry are reported when they happen, not up to an interval later.
 * Secrets learnt on the way stay in memory for the run and are registered for redaction.
 */
import { rootCertificates, type SecureContext } from 'node:tls';
import type { Dispatcher } from 'undici';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import type { SessionEvent } from '../events.js';
import { failure } from '../errors.js';
import { PeriodicTask } from '../periodic.js';
import { proxyDispatcherFor } from '../proxy/dispatcher.js';
import type { ProxySettings } from '../proxy/proxy-settings.js';
import type { SessionSource, SourceContext } from '../session.js';
import type { SessionState } from '../store.js';
import { imagePushTarget, type PushTarget } from '../image-ref.js';
import { locateAdc } from './adc.js';
import { checkClock } from './clock-view.js';
import { DEFAULT_HELPER_LIMITS, type HelperLimits } from './credential-helper.js';
import { DockerConfigError, dockerConfigPath, loadDockerConfig, type DockerConfig } from './docker-config.js';
import type { DockerCredential } from './docker-credential.js';
import { checkDockerView } from './docker-view.js';
import { SHORT_LIVED_MS } from './expiry.js';
import { fingerprint } from './fingerprint.js';
import { checkGoogleView } from './google-view.js';
import { checkMetadataView } from './metadata-view.js';
import { PushProgress } from './push-progress.js';
import { createRegistryHttp, registryBase, type HttpAnswer, type RegistryHttp } from './registry-http.js';
import { checkRegistryView } from './registry-view.js';
import { fetchTokenInfo, type TokenInfo } from './tokeninfo.js';
import type { AuthInput } from './types.js';
import { credentialVerdict } from './verdict.js';

/** Settings of the credential checks. */
export interface AuthMonitorOptions {
  intervalMs: number;
  /** Open and cancel an upload to prove push permission (`--no-push-check` turns it off). */
  pushCheck: boolean;
  /** From `--repo`; otherwise the wrapped push's image, once it has started. */
  repo?: PushTarget;
  /** Environment: DOCKER_CONFIG, HOME, PATH (helpers), GOOGLE_APPLICATION_CREDENTIALS, ... */
  env: NodeJS.ProcessEnv;
  /** Deadline of each HTTP request of the checks. */
  requestTimeoutMs: number;
  userAgent: string;
  secureContext?: SecureContext;
  helperLimits?: Omit<HelperLimits, 'env'>;
  /** A helper slower than this is a finding (default 3 s). */
  slowHelperMs?: number;
  /** tokeninfo endpoint (default Google's). */
  tokenInfoUrl?: string;
  /** Proxies of the session (HTTPS_PROXY, --proxy, NO_PROXY) for the registry's view. */
  proxy?: ProxySettings;
  /** Extra CA certificates (PEM) to trust through a proxy tunnel (--ca-file). */
  extraCaPems?: string[];
  clock?: Clock;
  /** Wall clock, epoch ms. */
  now?: () => number;
}

/** The longest the first run waits for the targets' first rounds. */
const FIRST_RUN_WAIT_MS = 2000;

/** The credential checks. */
export class AuthMonitor implements SessionSource {
  readonly name = 'credential checks';
  private ctx?: SourceContext;
  private task?: PeriodicTask;
  /** Targets whose first round has not reported yet; the first run waits for them. */
  private awaitingFirstRounds?: Set<string>;
  private firstRunTimer?: TimerHandle;
  private readonly progress = new PushProgress();
  private readonly now: () => number;

  constructor(private readonly opts: AuthMonitorOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Reads push progress from the stream (for the "expires before the push ends" warning). */
  onEvent(e: SessionEvent): void {
    this.progress.onEvent(e);
    if (e.type === 'probe' && this.awaitingFirstRounds?.delete(e.target) && !this.awaitingFirstRounds.size)
      this.beginRuns();
  }

  /**
   * The first run waits until every target's first round has reported (FIRST_RUN_WAIT_MS at
   * most): it loads google-auth-library and undici and may run credential helpers, which on
   * the event loop the probes share delayed the first round by ~140 ms and tripled its TLS
   * time (bench/startup.mjs). Probe results come first, the credential a moment later.
   */
  start(ctx: SourceContext): void {
    this.ctx = ctx;
    this.task = new PeriodicTask({
      intervalMs: this.opts.intervalMs,
      run: (signal) => this.guardedRun(signal),
      clock: this.opts.clock,
    });
    const targets = [...ctx.state().targets.keys()];
    if (!targets.length) return this.task.start();
    this.awaitingFirstRounds = new Set(targets);
    this.firstRunTimer = this.clock.setTimeout(() => this.beginRuns(), FIRST_RUN_WAIT_MS);
  }

  async stop(): Promise<void> {
    if (this.firstRunTimer !== undefined) this.clock.clearTimeout(this.firstRunTimer);
    this.firstRunTimer = undefined;
    this.awaitingFirstRounds = undefined;
    await this.task?.stop();
  }

  private get clock(): Clock {
    return this.opts.clock ?? systemClock;
  }

  /** Start the periodic runs (once), on a timer of its own: not inside the delivery of a probe event. */
  private beginRuns(): void {
    if (!this.awaitingFirstRounds) return;
    this.awaitingFirstRounds = undefined;
    if (this.firstRunTimer !== undefined) this.clock.clearTimeout(this.firstRunTimer);
    this.firstRunTimer = this.clock.setTimeout(() => {
      this.firstRunTimer = undefined;
      this.task?.start();
    }, 0);
  }

  endSummary() {
    if (!this.ctx) return {};
    const state = this.ctx.state();
    return { credentials: credentialVerdict(state.auth.values(), this.pushTarget(state)?.host) };
  }

  /** A run that fails in an unforeseen way says so once per run, and the next run still comes. */
  private async guardedRun(signal: AbortSignal): Promise<void> {
    try {
      await this.runOnce(signal);
    } catch (err) {
      if (!signal.aborted)
        this.ctx?.emit({
          type: 'warning',
          code: 'local.error',
          message: `credential checks failed: ${err instanceof Error ? err.message : String(err)}`,
        });
    }
  }

  /** One round of every check outside any schedule (`doctor`), emitting through `ctx`. */
  async runOnceIn(ctx: SourceContext, signal: AbortSignal): Promise<void> {
    this.ctx = ctx;
    await this.runOnce(signal);
  }

  /** One round of every check. Exposed for tests; the session calls it on schedule. */
  async runOnce(signal: AbortSignal): Promise<void> {
    const ctx = this.ctx!;
    const emitted: AuthInput[] = [];
    const emit = (e: AuthInput) => {
      if (signal.aborted) return;
      emitted.push(e);
      ctx.emit(e);
    };
    const state = ctx.state();
    const push = this.pushTarget(state);
    const tokenInfo = this.tokenInfoCache(signal);
    const credentials = await this.dockerViews(state, push, emit, tokenInfo, signal);
    if (signal.aborted) return;
    emit(await checkGoogleView({ env: this.opts.env, timeoutMs: this.opts.requestTimeoutMs, tokenInfo, signal }));
    const adc = locateAdc(this.opts.env);
    if (adc.kind === 'metadata' && !signal.aborted)
      emit(await checkMetadataView(adc.host, Math.min(this.opts.requestTimeoutMs, 3000), signal));
    const http = createRegistryHttp({
      timeoutMs: this.opts.requestTimeoutMs,
      userAgent: this.opts.userAgent,
      secureContext: this.opts.secureContext,
      signal,
      now: this.now,
      ...this.proxyOption(),
    });
    try {
      await this.registryAndClock(state, push, credentials, http, emit);
    } finally {
      await http.close();
    }
    this.planEarlyRun(emitted);
  }

  private async dockerViews(
    state: SessionState,
    push: PushTarget | undefined,
    emit: (e: AuthInput) => void,
    tokenInfo: (t: string) => Promise<TokenInfo>,
    signal: AbortSignal,
  ): Promise<Map<string, DockerCredential>> {
    const credentials = new Map<string, DockerCredential>();
    const config = this.loadConfig(emit, push);
    if (!config) return credentials;
    const pushId = push ? push.id : undefined;
    // A few at a time: one hanging helper must not hold every host for its full time limit,
    // and a dozen helper processes at once would be rude. Events keep the hosts' order.
    const results = mapLimited(this.hosts(state, pushId), DOCKER_VIEW_CONCURRENCY, (host) =>
      checkDockerView({
        host,
        pushTarget: host === pushId,
        config,
        tokenInfo,
        signal,
        now: this.now,
        helperLimits: { ...DEFAULT_HELPER_LIMITS, ...this.opts.helperLimits, env: this.opts.env },
        slowHelperMs: this.opts.slowHelperMs ?? 3000,
        ...(host === pushId ? this.pushRemaining() : {}),
      }),
    );
    for (const pending of results) {
      const result = await pending;
      emit(result.event);
      if (result.credential) credentials.set(result.event.host!, result.credential);
    }
    return credentials;
  }

  private loadConfig(emit: (e: AuthInput) => void, push: PushTarget | undefined): DockerConfig | undefined {
    try {
      return loadDockerConfig(dockerConfigPath(this.opts.env));
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

  private async registryAndClock(
    state: SessionState,
    push: PushTarget | undefined,
    credentials: Map<string, DockerCredential>,
    http: RegistryHttp,
    emit: (e: AuthInput) => void,
  ): Promise<void> {
    let ping: HttpAnswer | undefined;
    let clockHost: string | undefined;
    if (push) {
      const result = await checkRegistryView({
        ...push,
        credential: credentials.get(push.id),
        pushCheck: this.opts.pushCheck,
        http,
        now: this.now,
      });
      emit(result.event);
      ping = result.ping;
      clockHost = push.id;
    } else {
      const first = [...state.targets.values()][0]?.info;
      if (!first) return;
      clockHost = first.id;
      ping = await http.send(`${registryBase(first.host, first.port)}/v2/`).catch(() => undefined);
    }
    const clock = checkClock(clockHost, ping);
    if (clock) emit(clock);
  }

  private proxyOption(): { proxyFor?: (url: string) => Dispatcher | undefined } {
    const settings = this.opts.proxy;
    if (!settings) return {};
    const extra = this.opts.extraCaPems ?? [];
    // A `ca` list replaces Node's roots in the tunnel's TLS, so the roots go in with the extras.
    const tls = extra.length ? { ca: [...rootCertificates, ...extra] } : {};
    return { proxyFor: (url) => proxyDispatcherFor(url, settings, tls) };
  }

  /** The push target: --repo, else the wrapped push's image once push.start named it. */
  pushTarget(state: SessionState): PushTarget | undefined {
    if (this.opts.repo) return this.opts.repo;
    const start = state.push?.start;
    if (!start?.registry || !start.repository) return undefined;
    return imagePushTarget({ endpoint: start.registry, repository: start.repository });
  }

  private hosts(state: SessionState, pushId: string | undefined): string[] {
    const ids = [...state.targets.values()].map((t) => t.info.id);
    if (pushId && !ids.includes(pushId)) ids.unshift(pushId);
    return [...new Set(ids)];
  }

  private pushRemaining(): { pushRemainingMs?: number } {
    const ms = this.progress.remainingMs(this.now());
    return ms === undefined ? {} : { pushRemainingMs: ms };
  }

  /** tokeninfo once per token per run: gcloud's helper hands every host the same token. */
  private tokenInfoCache(signal: AbortSignal): (token: string) => Promise<TokenInfo> {
    const cache = new Map<string, Promise<TokenInfo>>();
    return (token) => {
      const key = fingerprint(token);
      let p = cache.get(key);
      if (!p) {
        p = fetchTokenInfo(token, {
          url: this.opts.tokenInfoUrl,
          timeoutMs: this.opts.requestTimeoutMs,
          signal,
          now: this.now,
        });
        cache.set(key, p);
      }
      return p;
    };
  }

  /** Bring the next run forward to the next expiry boundary (10 minutes before, and at expiry). */
  private planEarlyRun(events: AuthInput[]): void {
    const now = this.now();
    let next = Infinity;
    for (const e of events) {
      if (e.view !== 'docker' || !e.expiresAt) continue;
      const at = Date.parse(e.expiresAt);
      for (const boundary of [at - SHORT_LIVED_MS, at]) if (boundary > now && boundary < next) next = boundary;
    }
    if (next !== Infinity) this.task?.runIn(next - now + 250);
  }
}

const DOCKER_VIEW_CONCURRENCY = 4;

/** Start `fn` for each item, at most `limit` at once; the promises are in the items' order. */
export function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R>[] {
  let active = 0;
  const waiting: Array<() => void> = [];
  const slot = () =>
    new Promise<void>((resolve) => {
      if (active < limit) {
        active++;
        resolve();
      } else
        waiting.push(() => {
          active++;
          resolve();
        });
    });
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return items.map(async (item) => {
    await slot();
    try {
      return await fn(item);
    } finally {
      release();
    }
  });
}
