/**
 * The demo push against the demo world: real token requests and uploads through the push
 * host's fault proxy, retried as docker retries when the TLS handshake stalls.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventInput } from '../../src/core/events.js';
import { redactValue } from '../../src/core/log/redact.js';
import { startPusher, type PushPlan } from '../../src/demo/pusher.js';
import { startDemoWorld, type DemoWorld } from '../../src/demo/world.js';

const FAST: PushPlan = {
  startAfterMs: 0,
  layers: 2,
  layerMs: 200,
  layerBytes: 8 * 1024,
  timeoutMs: 500,
  maxAttempts: 3,
  retryBaseMs: 200,
  cycleMs: 60_000,
};

let world: DemoWorld;
beforeEach(async () => {
  world = await startDemoWorld();
});
afterEach(async () => {
  await world.close();
});

/** Collect events until `done` says so (or the time runs out). */
async function collect(
  plan: PushPlan,
  done: (events: EventInput[]) => boolean,
  during?: (events: EventInput[]) => Promise<void>,
): Promise<EventInput[]> {
  const events: EventInput[] = [];
  const pusher = startPusher(world, { emit: (e) => events.push(e) }, plan);
  const until = Date.now() + 15_000;
  let acted = false;
  while (!done(events) && Date.now() < until) {
    if (during && !acted) {
      acted = true;
      await during(events);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await pusher.stop();
  return events;
}

const ended = (events: EventInput[]) => events.some((e) => e.type === 'push.end');

describe('the demo push', () => {
  it('pushes every layer with a token from the token endpoint, and says so as a push would', async () => {
    const events = await collect(FAST, ended);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('push.start');
    expect(types.filter((t) => t === 'push.layer')).toHaveLength(2 * 3);
    expect(events.find((e) => e.type === 'push.end')).toMatchObject({ exitCode: 0, layersPushed: 2, retries: 0 });
    expect(events.find((e) => e.type === 'auth')).toMatchObject({
      ok: true,
      view: 'registry',
      host: 'gcr.io',
      canPush: true,
    });
    expect(world.token.requests.at(-1)).toMatchObject({
      outcome: 'granted',
      granted: { 'demo/app': ['push', 'pull'] },
    });
    const uploads = world.hosts[0]!.front.requests.filter((r) => r.method === 'POST');
    expect(uploads).toHaveLength(2);
    expect(uploads.every((r) => r.auth === 'bearer')).toBe(true);
    // The credential never appears in an event, before or after redaction.
    const text = JSON.stringify(events.map((e) => redactValue(e)));
    expect(text).not.toContain(world.credential.password);
    expect(JSON.stringify(events)).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}\./);
  });

  it('retries after a TLS handshake timeout, with the cause, and finishes once the path recovers', async () => {
    const proxy = world.hosts[0]!.proxy;
    await proxy.set({ stall: true });
    const events = await collect(FAST, ended, async (seen) => {
      while (!seen.some((e) => e.type === 'push.retry')) await new Promise((r) => setTimeout(r, 50));
      await proxy.set({});
    });
    const retry = events.find((e) => e.type === 'push.retry');
    expect(retry).toMatchObject({
      attempt: 1,
      delaySeconds: 0,
      cause: 'net/http: TLS handshake timeout',
      causeCode: 'push.tls_timeout',
    });
    expect(events.find((e) => e.type === 'push.end')).toMatchObject({ exitCode: 0, layersPushed: 2 });
    expect(events.some((e) => e.type === 'push.output' && /Retrying in \d+ seconds?/.test(e.line))).toBe(true);
  });

  it('gives up after its attempts with a push error, and stops at once when asked', async () => {
    await world.hosts[0]!.proxy.set({ stall: true });
    const events = await collect({ ...FAST, maxAttempts: 2 }, ended);
    expect(events.filter((e) => e.type === 'push.retry')).toHaveLength(1);
    expect(events.find((e) => e.type === 'push.error')).toMatchObject({ code: 'push.tls_timeout' });
    expect(events.find((e) => e.type === 'push.end')).toMatchObject({ exitCode: 1 });
    const started = Date.now();
    const idle = startPusher(world, { emit: () => undefined }, { ...FAST, startAfterMs: 60_000 });
    await idle.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
