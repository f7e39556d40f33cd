import { describe, expect, it } from 'vitest';
import { registryServerErrors } from '../../../../src/core/diagnose/rules/registry-server-errors.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude, pushWithRetryCauses } from '../rule-harness.js';

describe('registry-server-errors', () => {
  it('reports a burst of 5xx answers with the status in evidence', () => {
    const [f] = conclude(
      registryServerErrors,
      new SessionBuilder(81)
        .start(['gcr.io'])
        .probeRounds(['gcr.io'], 0, 10, 2, (_h, s) => (s >= 4 ? { error: 'http.5xx' } : {})),
    );
    // The registry stated its status in three rounds or more: high.
    expect(f).toMatchObject({ code: 'registry.server_errors', category: 'registry', confidence: 'high' });
    expect(f!.evidence[0]).toMatch(/gcr\.io: HTTP 503$/);
  });

  it('is sure when the push saw 5xx while the probes did', () => {
    const b = new SessionBuilder(82)
      .start(['gcr.io'], { push: 'gcr.io' })
      .probeRounds(['gcr.io'], 0, 10, 2, () => ({ error: 'http.5xx' }))
      .at(3)
      .pushStart('gcr.io/p/a:1')
      .at(5)
      .retry('l', 1, 'received unexpected HTTP status: 502 Bad Gateway');
    expect(conclude(registryServerErrors, b)[0]).toMatchObject({ confidence: 'high' });
  });

  it('is sure from the push alone when the daemon named a 5xx for every retry, not when for one of three', () => {
    const push = (causes: Array<string | undefined>) =>
      conclude(registryServerErrors, pushWithRetryCauses(85, causes))[0];
    const status = 'received unexpected HTTP status: 503 Service Unavailable';
    expect(push([status, status])).toMatchObject({ basis: 'stated', coverage: 'full', confidence: 'high' });
    expect(push([status, undefined, undefined])).toMatchObject({ coverage: 'thin', confidence: 'low' });
  });

  it('does not count one 5xx, and forgets a burst five minutes later', () => {
    const one = new SessionBuilder(83)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 10, 2, (_h, s) => (s === 4 ? { error: 'http.5xx' } : {}));
    expect(conclude(registryServerErrors, one)).toEqual([]);
    const old = new SessionBuilder(84)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 400, 10, (_h, s) => (s < 40 ? { error: 'http.5xx' } : {}));
    expect(conclude(registryServerErrors, old)).toEqual([]);
  });
});
