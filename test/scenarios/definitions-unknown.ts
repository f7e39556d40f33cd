/**
 * Scenarios where the cause is not on the registry's side nor stated by anyone: retries
 * nothing explains, and the local set-up (resolver, network) failing every host at once.
 */
import { SessionBuilder } from '../support/session-builder.js';
import type { Scenario } from './definitions.js';

const GCR = ['gcr.io', 'us.gcr.io', 'eu.gcr.io'];
const DEFAULTS = [...GCR, 'asia.gcr.io', 'us-docker.pkg.dev', 'europe-docker.pkg.dev', 'asia-docker.pkg.dev'];

/** Scenarios of this file, appended to the corpus by `definitions.ts`. */
export const UNKNOWN_AND_LOCAL: Scenario[] = [
  {
    name: 'retries-no-cause',
    description:
      'Docker retries twice while every probe to gcr.io is healthy, and the daemon\'s log was not read: nothing says why (the CLI shows only "Retrying in 5 seconds").',
    build: () => {
      const b = new SessionBuilder(19)
        .start(GCR, {
          push: 'gcr.io',
          options: { daemonLogSource: { kind: 'none', reason: 'turned off with --daemon-log none' } },
        })
        .probeRounds(GCR, 0, 60, 2);
      b.at(10).pushStart('gcr.io/proj/app:v10').at(11).layer('cbb277760eee', 'pushing');
      b.at(20).retry('cbb277760eee', 1).at(30).retry('cbb277760eee', 2);
      return b.at(45).layer('cbb277760eee', 'pushed').at(46).pushEnd(0, 36_000, 2).at(61).end(0);
    },
    expect: {
      codes: ['push.cause_unknown'],
      top: { category: 'unknown', confidence: 'low', code: 'push.cause_unknown' },
      summaryIncludes: ['did not say why', 'healthy'],
      absent: ['network.upload_path', 'network.retries_with_probe_trouble'],
    },
  },
  {
    name: 'offline-resolver-nxdomain',
    description:
      "A first run where the resolver answers NXDOMAIN for every name (offline, a sandbox): Google's hosts exist, so the resolver is at fault.",
    build: () =>
      new SessionBuilder(20)
        .start(DEFAULTS, { network: { nameservers: ['127.0.0.53'], interfaces: ['eth0'] } })
        .probeRounds(DEFAULTS, 0, 4, 1, () => ({ error: 'dns.nxdomain' }))
        .at(5)
        .end(1),
    expect: {
      codes: ['local.resolver', 'network.endpoint_failing'],
      top: { category: 'local', confidence: 'high', code: 'local.resolver' },
      summaryIncludes: ['127.0.0.53', "Google's hosts"],
    },
  },
  {
    name: 'typo-host',
    description: 'The user typed eu-gcr.io (no such host) while the default hosts resolve: check the spelling.',
    build: () =>
      new SessionBuilder(21)
        .start([...GCR, 'eu-gcr.io'], { typed: ['eu-gcr.io'] })
        .probeRounds([...GCR, 'eu-gcr.io'], 0, 6, 2, (h) => (h === 'eu-gcr.io' ? { error: 'dns.nxdomain' } : {}))
        .at(7)
        .end(1),
    expect: {
      codes: ['network.endpoint_failing'],
      top: { category: 'network', confidence: 'high', code: 'network.endpoint_failing' },
      summaryIncludes: ['eu-gcr.io'],
      absent: ['local.resolver'],
    },
  },
  {
    name: 'no-route-everywhere',
    description: 'Every registry host fails its TCP connect with "no route to host": the way out, not the registries.',
    build: () =>
      new SessionBuilder(22)
        .start(DEFAULTS)
        .probeRounds(DEFAULTS, 0, 6, 2, () => ({ error: 'tcp.unreachable' }))
        .at(7)
        .end(1),
    expect: {
      codes: ['local.connectivity', 'network.endpoint_failing'],
      top: { category: 'local', confidence: 'high', code: 'local.connectivity' },
      summaryIncludes: ['no route'],
    },
  },
];
