/**
 * The push target is derived once (image-ref.ts) and the store, the diagnosis facts and the
 * credential checks agree on it: they once disagreed on a registry written in capitals (the
 * store compared case-sensitively) and on an IPv6 endpoint (the credential checks kept the
 * brackets in the host).
 */
import { describe, expect, it } from 'vitest';
import { AuthMonitor } from '../../src/core/auth/auth-monitor.js';
import { SessionFacts } from '../../src/core/diagnose/facts.js';
import { stampEvent, type EventInput, type SessionEvent } from '../../src/core/events.js';
import { imagePushTarget, parseEndpoint, parseImageRef } from '../../src/core/image-ref.js';
import { SessionStore } from '../../src/core/store.js';
import { makeTarget } from '../../src/core/targets.js';

const TARGETS = [
  makeTarget('gcr.io', 443, 'default'),
  makeTarget('europe-west1-docker.pkg.dev', 443, 'default'),
  makeTarget('localhost', 5000, 'flag'),
  makeTarget('::1', 5000, 'flag'),
];

function feed(image: string) {
  const ref = parseImageRef(image);
  const inputs: EventInput[] = [
    {
      type: 'session.start',
      version: 'test',
      mode: 'wrap',
      targets: TARGETS,
      options: {},
    } as unknown as EventInput,
    {
      type: 'push.start',
      argv: ['docker', 'push', image],
      tool: 'docker',
      registry: ref.endpoint,
      repository: ref.repository,
    },
  ];
  const events = inputs.map((e, i) => stampEvent(e, () => Date.parse('2026-01-01T00:00:00Z') + i)) as SessionEvent[];
  const store = new SessionStore();
  const facts = new SessionFacts();
  for (const e of events) {
    store.onEvent(e);
    facts.observe(e);
  }
  const monitor = new AuthMonitor({
    intervalMs: 60_000,
    pushCheck: false,
    env: {},
    requestTimeoutMs: 1000,
    userAgent: 't',
  });
  return {
    store: [...store.state.targets.values()].filter((t) => t.info.pushTarget).map((t) => t.info.id),
    facts: facts.pushTargets(),
    checks: monitor.pushTarget(store.state)?.id,
  };
}

describe('the push target, one derivation for every reader', () => {
  it.each([
    ['GCR.io/proj/app:1', 'gcr.io'],
    ['gcr.io:443/proj/app', 'gcr.io'],
    ['Europe-West1-Docker.pkg.dev/p/r/app', 'europe-west1-docker.pkg.dev'],
    ['localhost:5000/app', 'localhost:5000'],
    ['[::1]:5000/app', '[::1]:5000'],
  ])('%s is pushed to %s, for the store, the facts and the credential checks', (image, id) => {
    expect(feed(image)).toEqual({ store: [id], facts: [id], checks: id });
  });

  it('a registry without a port matches its host probed on another port; one with a port only that port', () => {
    expect(parseEndpoint('gcr.io')).toEqual({ id: 'gcr.io', host: 'gcr.io', port: 443, portGiven: false });
    const demo = feed('gcr.io/demo/app');
    expect(demo.store).toEqual(['gcr.io']);
    expect(imagePushTarget(parseImageRef('LOCALHOST:5001/app'))).toMatchObject({
      id: 'localhost:5001',
      host: 'localhost',
    });
    // localhost:5001 is not the localhost:5000 target: the facts keep the registry's own id.
    expect(feed('localhost:5001/app')).toEqual({ store: [], facts: ['localhost:5001'], checks: 'localhost:5001' });
  });
});
