import { describe, expect, it } from 'vitest';
import { localNetwork } from '../../../../src/core/diagnose/rules/local-network.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude, findingOf } from '../rule-harness.js';

const DEFAULTS = ['gcr.io', 'us.gcr.io', 'eu.gcr.io', 'asia.gcr.io'];
const STUB = { nameservers: ['127.0.0.53'], stub: 'systemd-resolved', upstream: ['10.0.0.2'], interfaces: ['eth0'] };

describe('local-network', () => {
  it("blames this machine's resolver, by name, when Google's hosts do not resolve (issue 13: offline first run)", () => {
    const b = new SessionBuilder(91)
      .start(DEFAULTS, { network: STUB })
      .probeRounds(DEFAULTS, 0, 4, 2, () => ({ error: 'dns.nxdomain' }));
    const f = findingOf(conclude(localNetwork, b), 'local.resolver');
    expect(f).toMatchObject({ category: 'local', basis: 'stated', confidence: 'high' });
    expect(f!.summary).toBe(
      "The resolver knows no public names: systemd-resolved's stub at 127.0.0.53, which asks 10.0.0.2 answers that gcr.io, us.gcr.io, eu.gcr.io and 1 more do not exist (NXDOMAIN), though they are Google's hosts; offline, a split-horizon corporate resolver, or a sandbox. The trouble is this machine's DNS, not the registries.",
    );
    expect(f!.advice).toContain('gcrwatch --dns-server 8.8.8.8');
    expect(f!.advice).toContain('/run/systemd/resolve/resolv.conf');
    expect(`${f!.summary} ${f!.advice}`).not.toMatch(/spelling/i);
  });

  it('is medium after one round, and says when no interface besides loopback has an address', () => {
    const b = new SessionBuilder(92)
      .start(['gcr.io', 'eu.gcr.io'], { network: { nameservers: ['10.1.1.1'], interfaces: [] } })
      .at(0)
      .probe('gcr.io', { error: 'dns.timeout' })
      .probe('eu.gcr.io', { error: 'dns.timeout' });
    const f = findingOf(conclude(localNetwork, b), 'local.resolver');
    expect(f).toMatchObject({ confidence: 'medium' });
    expect(f!.summary).toMatch(
      /^The resolver does not answer: the system resolver \(10\.1\.1\.1, from \/etc\/resolv\.conf\), asked for gcr\.io/,
    );
    expect(f!.summary).toContain('this machine looks offline');
    expect(f!.advice).toMatch(/^Connect this machine to a network first/);
  });

  it('keeps a split-horizon resolver that knows only an internal registry on the local side', () => {
    const b = new SessionBuilder(93)
      .start(['gcr.io', 'eu.gcr.io', 'registry.corp'], { typed: ['registry.corp'] })
      .probeRounds(['gcr.io', 'eu.gcr.io', 'registry.corp'], 0, 4, 2, (h) =>
        h === 'registry.corp' ? {} : { error: 'dns.nxdomain' },
      );
    expect(findingOf(conclude(localNetwork, b), 'local.resolver')?.summary).toContain("though they are Google's hosts");
  });

  it('says nothing when only a host the user typed fails while the defaults resolve', () => {
    const b = new SessionBuilder(94)
      .start(['gcr.io', 'eu.gcr.io', 'europe-west9-docker.pkg.dev'], { typed: ['europe-west9-docker.pkg.dev'] })
      .probeRounds(['gcr.io', 'eu.gcr.io', 'europe-west9-docker.pkg.dev'], 0, 4, 2, (h) =>
        h === 'europe-west9-docker.pkg.dev' ? { error: 'dns.nxdomain' } : {},
      );
    expect(conclude(localNetwork, b)).toEqual([]);
  });

  it('blames the way out when every host fails its TCP connect the same way, and not when one does', () => {
    const all = new SessionBuilder(95)
      .start(DEFAULTS, { network: STUB })
      .probeRounds(DEFAULTS, 0, 4, 2, () => ({ error: 'tcp.timeout' }));
    const f = findingOf(conclude(localNetwork, all), 'local.connectivity');
    expect(f).toMatchObject({ category: 'local', confidence: 'high' });
    expect(f!.summary).toMatch(/^Every registry host fails its TCP connect the same way \(tcp\.timeout\)/);
    expect(f!.summary).toContain('not the registries being down');
    const one = new SessionBuilder(96)
      .start(DEFAULTS)
      .probeRounds(DEFAULTS, 0, 4, 2, (h) => (h === 'eu.gcr.io' ? { error: 'tcp.timeout' } : {}));
    expect(conclude(localNetwork, one)).toEqual([]);
  });
});
