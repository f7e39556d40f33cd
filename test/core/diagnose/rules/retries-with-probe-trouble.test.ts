import { describe, expect, it } from 'vitest';
import { retriesWithProbeTrouble } from '../../../../src/core/diagnose/rules/retries-with-probe-trouble.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

const HOSTS = ['gcr.io', 'us.gcr.io'];

function session(bad: (h: string, s: number) => boolean, shape: 'fail' | 'slow' = 'fail') {
  return new SessionBuilder(21)
    .start(HOSTS, { push: 'us.gcr.io' })
    .probeRounds(HOSTS, 0, 60, 2, (h, s) =>
      !bad(h, s) ? {} : shape === 'fail' ? { error: 'tcp.timeout' } : { phases: { tls: 1800 } },
    )
    .at(5)
    .pushStart('us.gcr.io/p/app:1')
    .at(21)
    .retry('l1', 1, 'dial tcp: i/o timeout', 'push.io_timeout')
    .at(41)
    .retry('l1', 2, 'dial tcp: i/o timeout', 'push.io_timeout');
}

describe('retries-with-probe-trouble', () => {
  it('names the failing phase and the push endpoint when retries coincide with probe failures', () => {
    const [f] = conclude(
      retriesWithProbeTrouble,
      session((h, s) => h === 'us.gcr.io' && (Math.abs(s - 20) <= 2 || Math.abs(s - 40) <= 2)),
    );
    expect(f).toMatchObject({ code: 'network.retries_with_probe_trouble', category: 'network', confidence: 'high' });
    expect(f!.summary).toContain('TCP connects to us.gcr.io');
    expect(f!.evidence).toHaveLength(2);
  });

  it('counts a latency spike of the push target as trouble', () => {
    const [f] = conclude(
      retriesWithProbeTrouble,
      session((h, s) => h === 'us.gcr.io' && (s === 20 || s === 40), 'slow'),
    );
    expect(f?.summary).toContain('TLS handshakes to us.gcr.io');
    expect(f!.evidence[0]).toMatch(/tls 1800 ms against a median of \d+ ms/);
  });

  it('ignores trouble on a host the push does not go to', () => {
    expect(
      conclude(
        retriesWithProbeTrouble,
        session((h) => h === 'gcr.io'),
      ),
    ).toEqual([]);
  });

  it('ignores retries whose cause is the registry or the image', () => {
    const b = new SessionBuilder(22)
      .start(HOSTS, { push: 'gcr.io' })
      .probeRounds(HOSTS, 0, 30, 2, () => ({ error: 'tcp.reset' }))
      .at(5)
      .pushStart('gcr.io/p/app:1')
      .at(11)
      .retry('l1', 1, 'blob upload unknown', 'push.blob_upload_unknown');
    expect(conclude(retriesWithProbeTrouble, b)).toEqual([]);
  });
});
