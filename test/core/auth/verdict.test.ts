import { describe, expect, it } from 'vitest';
import { credentialVerdict } from '../../../src/core/auth/verdict.js';
import type { AuthEvent } from '../../../src/core/events.js';

const at = (x: Omit<AuthEvent, 'type' | 'v' | 't'>): AuthEvent => ({
  type: 'auth',
  v: 1,
  t: '2026-11-27T10:00:00.000Z',
  ...x,
});
const docker = at({
  view: 'docker',
  host: 'gcr.io',
  source: 'credHelpers: gcloud',
  kind: 'gcloud-token',
  identity: 'me@example.com',
  expiresAt: '2026-11-27T10:55:00.000Z',
  ok: true,
});

describe('credentialVerdict', () => {
  it('is unknown before any check', () => {
    expect(credentialVerdict([])).toMatchObject({ state: 'unknown' });
  });

  it('says the push is allowed, as whom, via which store, until when', () => {
    const registry = at({
      view: 'registry',
      host: 'gcr.io',
      repository: 'proj/app',
      canPush: true,
      identity: 'me@example.com',
      ok: true,
    });
    const v = credentialVerdict([docker, registry], 'gcr.io');
    expect(v).toMatchObject({
      state: 'ok',
      canPush: true,
      identity: 'me@example.com',
      expiresAt: '2026-11-27T10:55:00.000Z',
      codes: [],
    });
    expect(v.summary).toBe(
      'push to gcr.io/proj/app allowed as me@example.com (docker: credHelpers: gcloud, gcloud-token, expires 2026-11-27T10:55:00.000Z)',
    );
  });

  it("puts a refusal first, in the registry's words", () => {
    const registry = at({
      view: 'registry',
      host: 'gcr.io',
      repository: 'proj/app',
      canPush: false,
      ok: false,
      error: {
        code: 'auth.denied',
        category: 'auth',
        message: 'DENIED: Permission "artifactregistry.repositories.uploadArtifacts" denied',
      },
    });
    const slow = at({ ...docker, ok: false, error: { code: 'auth.helper_slow', category: 'auth', message: 'slow' } });
    const v = credentialVerdict([slow, registry], 'gcr.io');
    expect(v).toMatchObject({ state: 'failing', canPush: false, codes: ['auth.denied', 'auth.helper_slow'] });
    expect(v.summary).toContain('REFUSED');
    expect(v.summary).toContain(
      'auth.denied: DENIED: Permission "artifactregistry.repositories.uploadArtifacts" denied',
    );
  });

  it('is a warning when only warnings were found', () => {
    const short = at({
      ...docker,
      ok: false,
      error: { code: 'auth.short_lived', category: 'auth', message: 'expires in 2m00s' },
    });
    expect(credentialVerdict([short], 'gcr.io')).toMatchObject({ state: 'warning', codes: ['auth.short_lived'] });
  });

  it('gives an overview without a push target', () => {
    const none = at({ view: 'docker', host: 'us.gcr.io', kind: 'none', ok: true });
    const google = at({ view: 'google', kind: 'user', identity: 'dev@example.com', ok: true });
    expect(credentialVerdict([docker, none, google]).summary).toBe(
      'docker has a credential for 1 of 2 host(s); Google ADC: dev@example.com',
    );
  });
});
