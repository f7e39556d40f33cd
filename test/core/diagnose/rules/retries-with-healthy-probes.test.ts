import { describe, expect, it } from 'vitest';
import { retriesWithHealthyProbes } from '../../../../src/core/diagnose/rules/retries-with-healthy-probes.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

function pushWithRetries(probe: (s: number) => object = () => ({})) {
  return new SessionBuilder(23)
    .start(['gcr.io'], { push: 'gcr.io' })
    .probeRounds(['gcr.io'], 0, 60, 2, (_h, s) => probe(s))
    .at(2)
    .add({ type: 'engine.info', maxConcurrentUploads: 5, httpsProxy: 'http://proxy.corp:3128' })
    .at(5)
    .pushStart('gcr.io/p/app:1')
    .at(20)
    .retry('l1', 1, 'Upload failed, retrying: write tcp 10.0.0.1:1->192.0.2.1:443: write: connection reset by peer')
    .at(40)
    .retry('l1', 2, 'Upload failed, retrying: write tcp 10.0.0.1:2->192.0.2.1:443: write: connection reset by peer');
}

describe('retries-with-healthy-probes', () => {
  it('says the upload path fails, with the daemon cause once, the engine settings in evidence and advice', () => {
    const [f] = conclude(retriesWithHealthyProbes, pushWithRetries());
    expect(f).toMatchObject({ code: 'network.upload_path', category: 'network', confidence: 'high' });
    expect(f!.summary.match(/connection reset by peer/g)).toHaveLength(1);
    expect(f!.evidence).toContain('docker engine: max-concurrent-uploads 5');
    expect(f!.evidence).toContain('docker engine uses proxy http://proxy.corp:3128');
    expect(f!.advice).toContain('max-concurrent-uploads');
    expect(f!.advice).toContain('(now 5)');
  });

  it('says nothing when no cause was stated: healthy probes alone do not say "network" (issue 17)', () => {
    const b = new SessionBuilder(24)
      .start(['gcr.io'], { push: 'gcr.io' })
      .probeRounds(['gcr.io'], 0, 40, 2)
      .at(5)
      .pushStart('gcr.io/p/app:1')
      .at(20)
      .retry('l1', 1)
      .at(30)
      .retry('l1', 2);
    expect(conclude(retriesWithHealthyProbes, b)).toEqual([]);
  });

  it('is medium when the daemon named a network cause for only some of the retries', () => {
    const b = pushWithRetries().at(50).retry('l1', 3);
    const [f] = conclude(retriesWithHealthyProbes, b);
    expect(f).toMatchObject({ code: 'network.upload_path', basis: 'stated', confidence: 'medium' });
    expect(f!.summary).toMatch(/^2 of 3 failed push attempts came while every probe to gcr\.io was healthy/);
  });

  it('stays silent when the probes around the retries failed', () => {
    expect(
      conclude(
        retriesWithHealthyProbes,
        pushWithRetries(() => ({ error: 'tls.timeout' })),
      ),
    ).toEqual([]);
  });

  it('stays silent without any probe of the push target to compare', () => {
    const b = new SessionBuilder(25)
      .start(['gcr.io'], { push: 'gcr.io' })
      .at(5)
      .pushStart('gcr.io/p/app:1')
      .at(20)
      .retry('l1', 1)
      .at(30)
      .end();
    expect(conclude(retriesWithHealthyProbes, b)).toEqual([]);
  });
});
