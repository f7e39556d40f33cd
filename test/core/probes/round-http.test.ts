import { describe, expect, it } from 'vitest';
import { frontForFile, roundAsGcr } from '../../support/probe-peers.js';

const shared = frontForFile();

describe('what GET /v2/ answers', () => {
  it('a registry without auth (200 with the API header) is healthy', async () => {
    shared.front.setMode({ kind: 'open' });
    const r = await roundAsGcr(shared.front.address.port, shared.pki.trust);
    expect(r.ok).toBe(true);
    expect(r.details.http?.status).toBe(200);
  });

  it.each([
    [{ kind: 'status', status: 500 }, 'http.5xx', 'registry', 500],
    [{ kind: 'status', status: 502 }, 'http.5xx', 'registry', 502],
    [{ kind: 'status', status: 503, retryAfter: 30 }, 'http.5xx', 'registry', 503],
    [{ kind: 'status', status: 429, retryAfter: 7 }, 'http.429', 'registry', 429],
    [{ kind: 'no-challenge' }, 'http.no_challenge', 'registry', 401],
    [{ kind: 'not-registry' }, 'http.not_registry', 'network', 200],
    [{ kind: 'status', status: 404 }, 'http.unexpected_status', 'registry', 404],
  ] as const)('%j -> %s (%s)', async (mode, code, category, status) => {
    shared.front.setMode(mode);
    const r = await roundAsGcr(shared.front.address.port, shared.pki.trust);
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ code, category, phase: 'http' });
    expect(r.details.http?.status).toBe(status);
    expect(r.phases.ttfb).toBeGreaterThan(0);
    if ('retryAfter' in mode) {
      expect(r.details.http?.retryAfterSeconds).toBe(mode.retryAfter);
      expect(r.error?.message).toContain(`Retry-After ${mode.retryAfter}s`);
    }
  });

  it.each([[{ kind: 'no-headers' }], [{ kind: 'endless-body' }]] as const)(
    '%j -> http.timeout at the deadline',
    async (mode) => {
      shared.front.setMode(mode);
      const started = Date.now();
      const r = await roundAsGcr(shared.front.address.port, shared.pki.trust, { timeoutMs: 700 });
      expect(r.ok).toBe(false);
      expect(r.error).toMatchObject({ code: 'http.timeout', category: 'network', phase: 'http' });
      expect(Date.now() - started).toBeLessThan(2500);
      expect(r.phases.tls).toBeGreaterThan(0);
    },
  );

  it('recovers on the next round when the fault ends', async () => {
    shared.front.setMode({ kind: 'status', status: 503 });
    expect((await roundAsGcr(shared.front.address.port, shared.pki.trust)).ok).toBe(false);
    shared.front.setMode({ kind: 'challenge' });
    expect((await roundAsGcr(shared.front.address.port, shared.pki.trust)).ok).toBe(true);
  });
});
