/**
 * When the credential checks first run: after every target's first round has reported, so
 * that their loading and helpers do not delay or distort it, and at most 2 s after the start
 * when a target's first round hangs.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthMonitor } from '../../../src/core/auth/auth-monitor.js';
import type { SessionEvent } from '../../../src/core/events.js';
import { Session } from '../../../src/core/session.js';
import { makeTarget } from '../../../src/core/targets.js';
import { checkSession, startLoopbackRegistry, waitFor, type LoopbackRegistry } from '../../support/auth-loopback.js';

let dir: string;
let registry: LoopbackRegistry;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-first-run-'));
  registry = await startLoopbackRegistry([]);
});
afterEach(async () => {
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ HOME: dir, DOCKER_CONFIG: dir, PATH: process.env.PATH });

describe('the first run of the credential checks', () => {
  it('comes after the first round of every target', async () => {
    const run = checkSession(registry, dir, { env: env() });
    run.session.start();
    await waitFor(() => run.auth.length > 0, 10_000, 'an auth event');
    await run.session.stop('duration');
    const types = run.events.map((e) => e.type);
    expect(types.indexOf('probe')).toBeGreaterThan(0);
    expect(types.indexOf('probe')).toBeLessThan(types.indexOf('auth'));
  });

  it('does not wait more than 2 s for a target whose first round hangs', async () => {
    // Accepts and never answers: the TLS handshake of the round waits for its deadline.
    const held: Socket[] = [];
    const silent: Server = createServer((socket) => {
      held.push(socket);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const events: SessionEvent[] = [];
    const session = new Session({
      version: 'test',
      mode: 'plain',
      intervalMs: 60_000,
      logPath: null,
      recordedOptions: {},
      targets: [makeTarget('127.0.0.1', port, 'flag')],
      probe: { timeoutMs: 8000, pins: new Map(), dnsServers: [], userAgent: 'gcrwatch-test' },
      sources: [
        new AuthMonitor({
          intervalMs: 60_000,
          pushCheck: false,
          requestTimeoutMs: 1000,
          userAgent: 'gcrwatch-test',
          env: env(),
        }),
      ],
    });
    session.attach({ name: 'collect', onEvent: (e) => events.push(e) });
    const started = Date.now();
    try {
      session.start();
      await waitFor(() => events.some((e) => e.type === 'auth'), 6000, 'an auth event');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect(events.some((e) => e.type === 'probe')).toBe(false);
    } finally {
      await session.stop('duration');
      for (const socket of held) socket.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
