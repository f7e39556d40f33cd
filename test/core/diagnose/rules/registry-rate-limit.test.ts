import { describe, expect, it } from 'vitest';
import { registryRateLimit } from '../../../../src/core/diagnose/rules/registry-rate-limit.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude, pushWithRetryCauses } from '../rule-harness.js';

describe('registry-rate-limit', () => {
  it('reports 429 with the Retry-After asked for', () => {
    const b = new SessionBuilder(91)
      .start(['us-docker.pkg.dev'])
      .probeRounds(['us-docker.pkg.dev'], 0, 4, 2, () => ({ error: 'http.429', retryAfterSeconds: 120 }));
    const [f] = conclude(registryRateLimit, b);
    expect(f).toMatchObject({ code: 'registry.rate_limited', category: 'registry', confidence: 'high' });
    expect(f!.summary).toContain('asks to wait 120 s');
    expect(f!.advice).toContain('at least 120 s');
  });

  it('takes the 429 the daemon gave as the cause of retries: high when it accounts for every retry', () => {
    const push = (causes: Array<string | undefined>) => conclude(registryRateLimit, pushWithRetryCauses(93, causes))[0];
    const limited = 'toomanyrequests: too many requests';
    expect(push([limited, limited])).toMatchObject({ code: 'registry.rate_limited', confidence: 'high' });
    expect(push([limited, undefined, undefined])).toMatchObject({ confidence: 'low' });
  });

  it('recognises a quota error of the push and says where quotas are', () => {
    const b = new SessionBuilder(92)
      .start(['us-docker.pkg.dev'], { push: 'us-docker.pkg.dev' })
      .at(1)
      .pushStart('us-docker.pkg.dev/p/r/a:1')
      .pushError(
        "toomanyrequests: Quota exceeded for quota metric 'Requests per project per region'",
        'push.toomanyrequests',
      );
    const [f] = conclude(registryRateLimit, b);
    expect(f!.summary).toContain('quota exceeded');
    expect(f!.advice).toContain('Quotas');
  });

  it('holds as long as the registry asked, then clears', () => {
    const b = new SessionBuilder(93)
      .start(['gcr.io'])
      .at(0)
      .probe('gcr.io', { error: 'http.429', retryAfterSeconds: 600 });
    b.probeRounds(['gcr.io'], 10, 500, 10);
    expect(conclude(registryRateLimit, b)).toHaveLength(1);
    b.probeRounds(['gcr.io'], 510, 700, 10);
    expect(conclude(registryRateLimit, b)).toEqual([]);
  });
});
