import { describe, expect, it } from 'vitest';
import {
  authGroupKey,
  formatAuthGroupLine,
  formatAuthLine,
  formatCredentialVerdict,
} from '../../src/cli/format-auth.js';
import type { AuthEvent } from '../../src/core/events.js';

const t = '2026-11-27T10:00:00.000Z';

describe('formatAuthLine', () => {
  it('shows source, kind, identity, countdown, helper time and fingerprint on one line', () => {
    const e: AuthEvent = {
      type: 'auth',
      v: 1,
      t,
      view: 'docker',
      host: 'gcr.io',
      source: 'credHelpers: gcloud',
      kind: 'gcloud-token',
      identity: 'me@example.com',
      expiresAt: '2026-11-27T10:54:30.000Z',
      helper: { name: 'docker-credential-gcloud', ms: 812.4 },
      fingerprint: '1a2b3c4d',
      ok: true,
    };
    const line = formatAuthLine(e);
    expect(line).toMatch(
      /auth docker {3}gcr\.io {2}credHelpers: gcloud {2}gcloud-token {2}me@example\.com {2}expires in 54m30s \(\d\d:\d\d:\d\d\) {2}docker-credential-gcloud 812ms {2}fp 1a2b3c4d {2}ok$/,
    );
    expect(line.split('\n')).toHaveLength(1);
  });

  it('marks warnings and failures with their code', () => {
    const warn: AuthEvent = {
      type: 'auth',
      v: 1,
      t,
      view: 'docker',
      host: 'gcr.io',
      ok: false,
      error: { code: 'auth.short_lived', category: 'auth', message: 'expires in 2m00s' },
    };
    expect(formatAuthLine(warn)).toContain('WARN auth.short_lived: expires in 2m00s');
    const fail: AuthEvent = {
      type: 'auth',
      v: 1,
      t,
      view: 'registry',
      host: 'gcr.io',
      repository: 'proj/app',
      canPush: false,
      ok: false,
      error: { code: 'auth.denied', category: 'auth', message: 'DENIED: no' },
    };
    expect(formatAuthLine(fail)).toContain('gcr.io/proj/app  may NOT push  FAIL auth.denied: DENIED: no');
  });

  it('shows clock skew with its sign', () => {
    const e: AuthEvent = {
      type: 'auth',
      v: 1,
      t,
      view: 'clock',
      host: 'gcr.io',
      skewSeconds: 600,
      ok: false,
      error: { code: 'auth.clock_skew', category: 'local', message: 'm' },
    };
    expect(formatAuthLine(e)).toContain('clock skew +600s');
  });
});

describe('formatCredentialVerdict', () => {
  it('labels the state', () => {
    expect(
      formatCredentialVerdict({ state: 'failing', summary: 'push to gcr.io/p/a REFUSED', codes: ['auth.denied'] }),
    ).toBe('credentials: FAILING: push to gcr.io/p/a REFUSED');
  });
});

describe('authGroupKey and formatAuthGroupLine', () => {
  const check = (host: string, extra: Partial<AuthEvent> = {}): AuthEvent => ({
    type: 'auth',
    v: 1,
    t,
    view: 'docker',
    host,
    source: 'credHelpers: gcloud',
    kind: 'gcloud-token',
    identity: 'me@example.com',
    fingerprint: '1a2b3c4d',
    ok: true,
    ...extra,
  });

  it('groups the same credential of two hosts, and not two credentials or two outcomes', () => {
    expect(authGroupKey(check('gcr.io'))).toBe(authGroupKey(check('eu.gcr.io')));
    expect(authGroupKey(check('gcr.io'))).not.toBe(authGroupKey(check('eu.gcr.io', { identity: 'other@example.com' })));
    expect(authGroupKey(check('gcr.io'))).not.toBe(authGroupKey(check('eu.gcr.io', { fingerprint: '99999999' })));
    const warned = {
      ok: false,
      error: { code: 'auth.short_lived' as const, category: 'auth' as const, message: 'soon' },
    };
    expect(authGroupKey(check('gcr.io'))).not.toBe(authGroupKey(check('eu.gcr.io', warned)));
    expect(authGroupKey({ ...check('gcr.io'), view: 'google' })).toBeUndefined();
  });

  it('a group of one reads as the single line; a group lists its hosts once and takes the slowest helper time', () => {
    expect(formatAuthGroupLine([check('gcr.io')])).toBe(formatAuthLine(check('gcr.io')));
    const line = formatAuthGroupLine([
      check('gcr.io', { helper: { name: 'docker-credential-gcloud', ms: 300 } }),
      check('eu.gcr.io', { helper: { name: 'docker-credential-gcloud', ms: 900 } }),
    ]);
    expect(line).toMatch(
      /auth docker {3}2 hosts \(gcr\.io, eu\.gcr\.io\) {2}credHelpers: gcloud .* docker-credential-gcloud 900ms /,
    );
    expect(line.split('\n')).toHaveLength(1);
  });
});
