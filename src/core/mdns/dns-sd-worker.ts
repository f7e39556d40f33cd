/**
 * node-dns-sd's discovery in a worker thread, for `browse.ts`. It prints to stdout when it
 * cannot join the mDNS group on an interface, and `discover --json` owns stdout: a worker's
 * stdout is the parent's to read. Each message asks one round; every response's records are
 * posted back (as dns-packet answers), then `{ done: true }` or `{ error }`.
 */
import { parentPort } from 'node:worker_threads';
import type { Answer } from 'dns-packet';
import dnsSd from 'node-dns-sd';
import { toAnswers } from './dns-sd-records.js';

/** One round: questions of one type for `names`, answers listened for `waitSeconds`. */
export interface DnsSdRound {
  names: string[];
  type: 'PTR' | '*';
  waitSeconds: number;
}

/** What the worker posts. */
export type DnsSdMessage = { records: Answer[] } | { done: true } | { error: string };

const port = parentPort!;
port.on('message', (round: DnsSdRound) => {
  const post = (m: DnsSdMessage) => port.postMessage(m);
  dnsSd
    .discover({
      name: round.names,
      type: round.type,
      key: 'fqdn',
      wait: round.waitSeconds,
      // Called for every response that answers one of the names: take its records, keep no device.
      filter: (device) => {
        post({ records: toAnswers(device.packet) });
        return false;
      },
    })
    .then(
      () => post({ done: true }),
      (err: Error) => post({ error: err.message }),
    );
});
