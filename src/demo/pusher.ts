/**
 * The demo push: a small uploader that behaves like `docker push` against the demo world —
 * a token from the token endpoint, then each layer uploaded on a fresh connection through
 * the push host's fault proxy, a retry after 5 s x attempt when an upload fails (docker's
 * countdown), up to 5 attempts. It emits the events the push wrapper emits for a real push
 * (push.start, push.layer, push.retry with the cause, push.output lines in docker's words,
 * push.digest, push.end) and a registry credential check per token (`auth`), so the
 * dashboard's push panel and marker row have something real to show. Pushes repeat, one
 * per script cycle, starting 3 s in: six layers of 3 s each put a new upload connection
 * inside gcr.io's TLS stall (16-28 s) however fast or slow the machine is.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EventInput } from '../core/events.js';
import { DEMO_CYCLE_MS, DEMO_PUSH_HOST } from './script.js';
import { fetchToken, uploadLayer, UploadError, type Endpoint, type RegistryToken } from './upload.js';
import type { DemoWorld } from './world.js';

/** Where the pusher sends its events. */
export interface Emitter {
  emit(input: EventInput): unknown;
}

/** Pacing of the demo push. */
export interface PushPlan {
  /** Delay from the start of each cycle to the push. */
  startAfterMs: number;
  layers: number;
  /** Time each layer's upload takes (the body is streamed over it). */
  layerMs: number;
  layerBytes: number;
  /** Handshake and answer deadline of one attempt. */
  timeoutMs: number;
  maxAttempts: number;
  /** Base of docker's retry delay: attempt n waits n x this. */
  retryBaseMs: number;
  cycleMs: number;
}

export const DEMO_PUSH_PLAN: PushPlan = {
  startAfterMs: 3_000,
  layers: 6,
  layerMs: 3_000,
  layerBytes: 256 * 1024,
  timeoutMs: 3_000,
  maxAttempts: 5,
  retryBaseMs: 5_000,
  cycleMs: DEMO_CYCLE_MS,
};

const REPOSITORY = 'demo/app';
const TAG = '1.0';

/** A running pusher. */
export interface Pusher {
  stop(): Promise<void>;
}

/** Start pushing, once per cycle, until stopped. */
export function startPusher(world: DemoWorld, out: Emitter, plan: PushPlan = DEMO_PUSH_PLAN): Pusher {
  const host = world.hosts.find((h) => h.name === DEMO_PUSH_HOST) ?? world.hosts[0]!;
  const registry: Endpoint = {
    address: '127.0.0.1',
    port: host.proxy.address.port,
    servername: host.name,
    ca: world.caPem,
  };
  const tokenEndpoint: Endpoint = {
    address: world.token.address.host,
    port: world.token.address.port,
    servername: host.name,
    ca: world.caPem,
  };
  const realmPath = new URL(world.token.realm).pathname;
  let stopped = false;
  let wake: (() => void) | undefined;
  // Every wait ends at once when stopped, including one that starts after stop() was called.
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });
  const ctx: PushContext = {
    out,
    plan,
    registry,
    tokenEndpoint,
    realmPath,
    world,
    host: host.name,
    stopped: () => stopped,
    sleep,
  };
  const loop = (async () => {
    for (let cycle = 0; !stopped; cycle++) {
      await sleep(plan.startAfterMs);
      if (stopped) break;
      const started = Date.now();
      await pushOnce(ctx).catch(() => undefined);
      await sleep(Math.max(0, plan.cycleMs - (Date.now() - started) - plan.startAfterMs));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

interface PushContext {
  out: Emitter;
  plan: PushPlan;
  registry: Endpoint;
  tokenEndpoint: Endpoint;
  realmPath: string;
  world: DemoWorld;
  host: string;
  stopped(): boolean;
  sleep(ms: number): Promise<void>;
}

/** One push of `plan.layers` layers; resolves when it ended (pushed, failed or stopped). */
async function pushOnce(ctx: PushContext): Promise<void> {
  const { out, plan } = ctx;
  const started = Date.now();
  const image = `${ctx.host}/${REPOSITORY}:${TAG}`;
  const layers = Array.from({ length: plan.layers }, () => randomBytes(6).toString('hex'));
  let retries = 0;
  let pushed = 0;
  let token: RegistryToken | undefined;
  const say = (line: string) => out.emit({ type: 'push.output', stream: 'stdout', line });
  out.emit({
    type: 'push.start',
    argv: ['gcrwatch-demo-push', image],
    tool: 'demo',
    registry: ctx.host,
    repository: REPOSITORY,
    tag: TAG,
  });
  say(`The push refers to repository [${ctx.host}/${REPOSITORY}] (DEMO)`);
  for (const layer of layers) {
    out.emit({ type: 'push.layer', layer, state: 'preparing' });
    say(`${layer}: Preparing`);
  }
  const end = (exitCode: number) =>
    out.emit({
      type: 'push.end',
      exitCode,
      durationMs: Date.now() - started,
      layersPushed: pushed,
      layersExisting: 0,
      retries,
    });
  for (const layer of layers) {
    for (let attempt = 1; ; attempt++) {
      if (ctx.stopped()) return void end(130);
      out.emit({ type: 'push.layer', layer, state: 'pushing', totalBytes: plan.layerBytes });
      say(`${layer}: Pushing`);
      try {
        token = await freshToken(ctx, token);
        await uploadLayer(ctx.registry, REPOSITORY, token.token, plan.layerBytes, plan.layerMs, plan.timeoutMs);
        out.emit({ type: 'push.layer', layer, state: 'pushed', bytes: plan.layerBytes, totalBytes: plan.layerBytes });
        say(`${layer}: Pushed`);
        pushed++;
        break;
      } catch (err) {
        const failure = err instanceof UploadError ? err : new UploadError(String(err), 'push.error');
        if (attempt >= plan.maxAttempts) {
          out.emit({
            type: 'push.error',
            text: failure.message,
            code: failure.code,
            category: 'network',
            retryable: true,
            layer,
          });
          say(failure.message);
          return void end(1);
        }
        retries++;
        const delaySeconds = Math.round((attempt * plan.retryBaseMs) / 1000);
        out.emit({ type: 'push.retry', layer, attempt, delaySeconds, cause: failure.message, causeCode: failure.code });
        say(`${layer}: Retrying in ${delaySeconds} seconds`);
        await ctx.sleep(attempt * plan.retryBaseMs);
      }
    }
  }
  const digest = `sha256:${createHash('sha256').update(layers.join()).digest('hex')}`;
  out.emit({ type: 'push.digest', tag: TAG, digest, size: 529 });
  say(`${TAG}: digest: ${digest} size: 529`);
  end(0);
}

/** The token in hand while it has 5 s left, else a new one (announced as a credential check). */
async function freshToken(ctx: PushContext, current: RegistryToken | undefined): Promise<RegistryToken> {
  if (current && current.expiresAt - Date.now() > 5_000) return current;
  try {
    const token = await fetchToken(
      ctx.tokenEndpoint,
      ctx.realmPath,
      ctx.host,
      REPOSITORY,
      ctx.world.credential,
      ctx.plan.timeoutMs,
    );
    ctx.out.emit({
      type: 'auth',
      view: 'registry',
      host: ctx.host,
      source: 'DEMO token endpoint',
      kind: 'bearer token',
      identity: 'demo-pusher',
      expiresAt: new Date(token.expiresAt).toISOString(),
      canPush: true,
      fingerprint: token.fingerprint,
      ok: true,
      ms: token.ms,
    });
    return token;
  } catch (err) {
    const failure = err instanceof UploadError ? err : new UploadError(String(err), 'push.error');
    ctx.out.emit({
      type: 'auth',
      view: 'registry',
      host: ctx.host,
      source: 'DEMO token endpoint',
      ok: false,
      error: { code: 'auth.token_endpoint', category: 'auth', phase: 'auth', message: failure.message },
    });
    throw failure;
  }
}
