import { describe, expect, it } from 'vitest';
import { endpointFailing } from '../../../../src/core/diagnose/rules/endpoint-failing.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude, findingOf } from '../rule-harness.js';

describe('endpoint-failing', () => {
  it('reports a target failing every round with its phase, high confidence after three', () => {
    const [f] = conclude(
      endpointFailing,
      new SessionBuilder(71)
        .start(['gcr.io', 'eu.gcr.io'])
        .probeRounds(['gcr.io', 'eu.gcr.io'], 0, 6, 2, (h) => (h === 'eu.gcr.io' ? { error: 'tcp.refused' } : {})),
    );
    expect(f).toMatchObject({ code: 'network.endpoint_failing', confidence: 'high' });
    expect(f!.summary).toBe('eu.gcr.io fails its probes: TCP connects fail with tcp.refused.');
  });

  it('reports a single failed round of a short check (doctor) with low confidence', () => {
    const [f] = conclude(
      endpointFailing,
      new SessionBuilder(72).start(['gcr.io']).at(0).probe('gcr.io', { error: 'dns.nxdomain' }),
    );
    expect(f).toMatchObject({ confidence: 'low' });
    expect(f!.advice).toContain('does not exist');
  });

  it('says "check the spelling" only of a typed host while the defaults resolve (issue 13)', () => {
    const advice = (hosts: string[], typed: string[], failing: string) =>
      conclude(
        endpointFailing,
        new SessionBuilder(77)
          .start(hosts, { typed })
          .probeRounds(hosts, 0, 4, 2, (h) => (h === failing ? { error: 'dns.nxdomain' } : {})),
      )[0]!.advice;
    expect(advice(['gcr.io', 'registry.corp'], ['registry.corp'], 'registry.corp')).toMatch(
      /^The name registry\.corp does not exist while Google's hosts resolve: check the spelling/,
    );
    expect(advice(['gcr.io', 'eu.gcr.io'], [], 'eu.gcr.io')).toMatch(/but it is Google's host/);
    expect(advice(['gcr.io', 'eu.gcr.io'], [], 'eu.gcr.io')).not.toMatch(/spelling/);
    expect(advice(['registry.corp'], ['registry.corp'], 'registry.corp')).not.toMatch(/spelling/);
  });

  it('asks "did you mean" of a typed host that does not exist and is a typo of a Google registry', () => {
    const finding = (hosts: string[], typed: string[], failing: string) =>
      conclude(
        endpointFailing,
        new SessionBuilder(78)
          .start(hosts, { typed })
          .probeRounds(hosts, 0, 4, 2, (h) => (h === failing ? { error: 'dns.nxdomain' } : {})),
      )[0]!;
    const typo = finding(['gcr.i0'], ['gcr.i0'], 'gcr.i0');
    expect(typo.summary).toBe('gcr.i0 does not exist: did you mean gcr.io?');
    expect(typo.advice).toMatch(
      /^The resolver says gcr\.i0 does not exist: did you mean gcr\.io\? .*`gcrwatch gcr\.io`/,
    );
    const withPort = finding(['us-docker.pkg.dv:8443'], ['us-docker.pkg.dv:8443'], 'us-docker.pkg.dv:8443');
    expect(withPort.summary).toContain('did you mean us-docker.pkg.dev:8443?');
    // A failure other than NXDOMAIN, or a name nothing like Google's, is told as before.
    const refused = conclude(
      endpointFailing,
      new SessionBuilder(79)
        .start(['gcr.i0'], { typed: ['gcr.i0'] })
        .probeRounds(['gcr.i0'], 0, 4, 2, () => ({ error: 'dns.servfail' })),
    )[0]!;
    expect(refused.summary).not.toContain('did you mean');
    expect(finding(['registry.corp'], ['registry.corp'], 'registry.corp').summary).not.toContain('did you mean');
    const both = conclude(
      endpointFailing,
      new SessionBuilder(80)
        .start(['gcr.i0', 'registry.corp'], { typed: ['gcr.i0', 'registry.corp'] })
        .probeRounds(['gcr.i0', 'registry.corp'], 0, 4, 2, () => ({ error: 'dns.nxdomain' })),
    )[0]!;
    expect(both.summary).toContain(
      'gcr.i0 at DNS (dns.nxdomain: did you mean gcr.io?); registry.corp at DNS (dns.nxdomain)',
    );
  });

  it('lets one lost round in ten pass, and clears after recovery', () => {
    const flaky = new SessionBuilder(73)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 40, 2, (_h, s) => (s === 30 ? { error: 'tcp.timeout' } : {}));
    expect(conclude(endpointFailing, flaky)).toEqual([]);
    const recovered = new SessionBuilder(74)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 20, 2, (_h, s) => (s < 10 ? { error: 'tcp.timeout' } : {}));
    expect(conclude(endpointFailing, recovered)).toEqual([]);
  });

  it('leaves certificates, 5xx and 429 to their rules, and raises unexpected answers as registry', () => {
    const b = new SessionBuilder(75)
      .start(['a.gcr.io', 'b.gcr.io', 'c.gcr.io'])
      .probeRounds(['a.gcr.io', 'b.gcr.io', 'c.gcr.io'], 0, 6, 2, (h) => ({
        error: h === 'a.gcr.io' ? 'tls.expired' : h === 'b.gcr.io' ? 'http.5xx' : 'http.no_challenge',
      }));
    const found = conclude(endpointFailing, b);
    expect(findingOf(found, 'network.endpoint_failing')).toBeUndefined();
    expect(findingOf(found, 'registry.unexpected_answer')).toMatchObject({ category: 'registry' });
  });

  it('puts the push target first and ranks other hosts down', () => {
    const b = new SessionBuilder(76)
      .start(['gcr.io', 'us.gcr.io'], { push: 'us.gcr.io' })
      .probeRounds(['gcr.io', 'us.gcr.io'], 0, 6, 2, () => ({ error: 'tcp.timeout' }));
    const [f] = conclude(endpointFailing, b);
    expect(f!.summary).toMatch(/^2 registry endpoints fail their probes: us\.gcr\.io at the TCP connect/);
    expect(f!.boost).toBeGreaterThan(0);
    const other = new SessionBuilder(77)
      .start(['gcr.io', 'us.gcr.io'], { push: 'us.gcr.io' })
      .probeRounds(['gcr.io', 'us.gcr.io'], 0, 6, 2, (h) => (h === 'gcr.io' ? { error: 'tcp.timeout' } : {}));
    expect(conclude(endpointFailing, other)[0]!.boost).toBeLessThan(0);
  });
});
