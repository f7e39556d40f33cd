import { describe, expect, it } from 'vitest';
import { pushCauseUnknown } from '../../../../src/core/diagnose/rules/push-cause-unknown.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

/** A push to gcr.io from 5 s with healthy probes; `daemonLogSource` as the wrapper records it. */
function push(daemonLogSource?: object) {
  return new SessionBuilder(26)
    .start(['gcr.io'], { push: 'gcr.io', ...(daemonLogSource ? { options: { daemonLogSource } } : {}) })
    .probeRounds(['gcr.io'], 0, 40, 2)
    .at(5)
    .pushStart('gcr.io/p/app:1');
}

describe('push-cause-unknown', () => {
  it('says the cause is unknown, low, when docker retried with healthy probes and no reason (issue 17)', () => {
    const b = push({ kind: 'none', reason: 'turned off with --daemon-log none' })
      .at(20)
      .retry('l1', 1)
      .at(30)
      .retry('l1', 2);
    const [f] = conclude(pushCauseUnknown, b);
    expect(f).toMatchObject({ code: 'push.cause_unknown', category: 'unknown', basis: 'inferred', confidence: 'low' });
    expect(f!.summary).toBe(
      'The cause is unknown: 2 retries while every probe of gcr.io was healthy; docker did not say why.',
    );
    expect(f!.evidence).toContain("the daemon's log: not read: turned off with --daemon-log none");
    expect(f!.advice).toMatch(
      /^To see the cause: read the docker daemon's log for those moments \(`journalctl -u docker\.service --since "2026-03-02 09:59:20 UTC"`/,
    );
    expect(f!.advice).toContain('--daemon-log journal');
  });

  it('says the daemon log was read and gave nothing, and asks for debug logging', () => {
    const b = push({ kind: 'file', path: '/var/log/docker.log' }).at(20).retry('l1', 1);
    const [f] = conclude(pushCauseUnknown, b);
    expect(f!.advice).toContain("the daemon's log (/var/log/docker.log) gave no reason");
  });

  it('stays silent when the retries have a stated cause, or when the probes around them failed', () => {
    const stated = push()
      .at(20)
      .retry('l1', 1, 'received unexpected HTTP status: 503 Service Unavailable')
      .at(30)
      .retry('l1', 2, 'write tcp 1.2.3.4:5->6.7.8.9:443: write: connection reset by peer');
    expect(conclude(pushCauseUnknown, stated)).toEqual([]);
    const trouble = new SessionBuilder(27)
      .start(['gcr.io'], { push: 'gcr.io' })
      .probeRounds(['gcr.io'], 0, 40, 2, () => ({ error: 'tls.timeout' }))
      .at(5)
      .pushStart('gcr.io/p/app:1')
      .at(20)
      .retry('l1', 1);
    expect(conclude(pushCauseUnknown, trouble)).toEqual([]);
  });

  it('says a push that failed without a recognised error line has no known cause', () => {
    const b = push().at(20).pushError('something odd happened', 'push.error').at(21).pushEnd(1, 16_000);
    const [f] = conclude(pushCauseUnknown, b);
    expect(f!.summary).toBe(
      'The cause is unknown: the push ended with exit 1 and an error gcrwatch does not recognise ("something odd happened").',
    );
    const denied = push().at(20).pushError('denied: nope', 'push.denied').at(21).pushEnd(1, 16_000);
    expect(conclude(pushCauseUnknown, denied)).toEqual([]);
    const ok = push().at(20).pushEnd(0, 15_000);
    expect(conclude(pushCauseUnknown, ok)).toEqual([]);
  });
});
