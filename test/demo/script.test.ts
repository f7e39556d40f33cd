import { describe, expect, it } from 'vitest';
import {
  announcementsBetween,
  conditionsAt,
  DEMO_CYCLE_MS,
  DEMO_HOSTS,
  sameConditions,
} from '../../src/demo/script.js';

describe('the demo script', () => {
  it('slows gcr.io TLS down, then stalls it, then lets it recover', () => {
    expect(conditionsAt('gcr.io', 1_000)).toEqual({ tlsDelayMs: 0, tlsStall: false, dnsFailing: false });
    const delays = [7_000, 11_000, 14_000].map((t) => conditionsAt('gcr.io', t).tlsDelayMs);
    expect(delays[0]).toBeGreaterThan(0);
    expect(delays[1]).toBeGreaterThan(delays[0]!);
    expect(delays[2]).toBeGreaterThan(delays[1]!);
    expect(conditionsAt('gcr.io', 20_000).tlsStall).toBe(true);
    expect(conditionsAt('gcr.io', 30_000)).toEqual({ tlsDelayMs: 0, tlsStall: false, dnsFailing: false });
  });

  it('has a DNS failure spell and a 503 burst on other hosts, and repeats', () => {
    expect(conditionsAt('eu.gcr.io', 40_000).dnsFailing).toBe(true);
    expect(conditionsAt('us-docker.pkg.dev', 55_000).httpStatus).toBe(503);
    expect(conditionsAt('eu.gcr.io', 40_000 + DEMO_CYCLE_MS).dnsFailing).toBe(true);
    expect(conditionsAt('gcr.io', 20_000 + 3 * DEMO_CYCLE_MS).tlsStall).toBe(true);
  });

  it('keeps some hosts healthy all along, for comparison', () => {
    const healthy = DEMO_HOSTS.filter((h) => {
      for (let t = 0; t < DEMO_CYCLE_MS; t += 500)
        if (!sameConditions(conditionsAt(h, t), conditionsAt(h, 0))) return false;
      return true;
    });
    expect(healthy).toEqual(['asia.gcr.io', 'europe-docker.pkg.dev']);
  });

  it('announces each spell once when it starts, and the return to normal', () => {
    const all = announcementsBetween(-1, DEMO_CYCLE_MS - 1);
    expect(all).toEqual([
      'DEMO script: gcr.io: TLS handshakes slow down',
      'DEMO script: gcr.io: TLS handshakes slower still',
      'DEMO script: gcr.io: TLS handshakes close to the timeout',
      'DEMO script: gcr.io: TLS handshakes stall (timeouts)',
      'DEMO script: gcr.io back to normal',
      'DEMO script: eu.gcr.io: the resolver answers SERVFAIL',
      'DEMO script: eu.gcr.io back to normal',
      'DEMO script: us-docker.pkg.dev: the registry answers 503',
      'DEMO script: us-docker.pkg.dev back to normal',
    ]);
    // Ticks split anywhere give the same announcements, and the next cycle repeats them.
    const ticks: string[] = [];
    for (let t = 0; t < 2 * DEMO_CYCLE_MS; t += 250) ticks.push(...announcementsBetween(t - 250, t));
    expect(ticks).toEqual([...all, ...all]);
  });
});
