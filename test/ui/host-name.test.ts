import { describe, expect, it } from 'vitest';
import { shortenHost, shortenHosts } from '../../src/ui/host-name.js';

describe('shortenHost', () => {
  it('leaves a name that fits alone: us-docker.pkg.dev fits in 17 columns', () => {
    expect(shortenHost('us-docker.pkg.dev', 17)).toBe('us-docker.pkg.dev');
    expect(shortenHost('gcr.io', 6)).toBe('gcr.io');
  });

  it('keeps the region and the end, and shortens the middle', () => {
    expect(shortenHost('europe-docker.pkg.dev', 17)).toBe('europe~pkg.dev');
    expect(shortenHost('europe-west1-docker.pkg.dev', 20)).toBe('europe-west1~pkg.dev');
    expect(shortenHost('europe-docker.pkg.dev:43863', 17)).toBe('europe~dev:43863');
    expect(shortenHost('registry.internal.example.com:5000', 25)).toBe('registry~example.com:5000');
  });

  it('never goes over the width', () => {
    for (const name of ['asia-northeast1-docker.pkg.dev', 'a-very-long-registry-name.example.com:5000', 'x'.repeat(40)])
      for (let w = 1; w <= 40; w++) expect(shortenHost(name, w).length, `${name} in ${w}`).toBeLessThanOrEqual(w);
  });
});

describe('shortenHosts', () => {
  it('keeps names shown together distinguishable', () => {
    const names = ['europe-docker.pkg.dev', 'europe-west1-docker.pkg.dev', 'us-docker.pkg.dev', 'asia-docker.pkg.dev'];
    const short = shortenHosts(names, 17);
    expect(new Set(short).size).toBe(names.length);
    expect(short).toEqual(['europe~pkg.dev', 'europe-west1~dev', 'us-docker.pkg.dev', 'asia~pkg.dev']);
  });
});

describe('a port gives way first', () => {
  it('when the host alone fits and names no other endpoint shown', () => {
    const names = ['gcr.io:38629', 'us-docker.pkg.dev:42973', 'europe-docker.pkg.dev:40449'];
    expect(shortenHosts(names, 17)).toEqual(['gcr.io:38629', 'us-docker.pkg.dev', 'europe~dev:40449']);
  });

  it('but not when another endpoint is on the same host, nor for an IPv6 address without a port', () => {
    expect(shortenHosts(['us-docker.pkg.dev:443', 'us-docker.pkg.dev:5000'], 17)).toEqual([
      'us~pkg.dev:443',
      'us~pkg.dev:5000',
    ]);
    // Its last group is not a port: it is shortened as any name is.
    expect(shortenHosts(['2001:db8:aaaa:bbbb::1'], 17)).toEqual([shortenHost('2001:db8:aaaa:bbbb::1', 17)]);
    expect(shortenHosts(['[2001:db8::1]:5000'], 14)).toEqual(['[2001:db8::1]']);
  });
});
