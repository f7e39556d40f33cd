/**
 * Scenarios where the cause is not on the registry's side nor stated by anyone: retries
 * nothing explains, and the local set-up (resolver, network) failing every host at once.
 */
import { SessionBuilder } from '../support/session-builder.js';
import type { Scenario } from './definitions.js';

const GCR = ['gcr.io', 'us.gcr.io', 'eu.gcr.io'];

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
];
