/**
 * undici Clients that send each request on a connection the caller opened itself: the round's
 * own TLS socket, connected and verified by the earlier phases, so that every round still
 * measures a cold handshake and `GET /v2/` goes over exactly that connection. One Client per
 * origin is kept for a session and reused round after round (its connect() hands out the
 * socket given with the request; `connection: close` ends it after the answer) instead of a
 * Client constructed and destroyed every probe (bench/watch-cost.mjs: 5.45 -> 5.30 ms of CPU
 * per probe, within this machine's noise, but work a 10-probes-a-second loop need not do).
 * Safe because the scheduler runs one round at a time per target.
 */
import type { Duplex } from 'node:stream';
import type { Client, Dispatcher } from 'undici';
import { undiciForProbes } from '../lazy-require.js';

interface Entry {
  client: Client;
  /** The connection the next connect() hands out. */
  waiting?: Duplex;
}

/** One reusable Client per origin, each sending its requests on the sockets handed to it. */
export class HandedSocketClients {
  readonly #entries = new Map<string, Entry>();

  /**
   * Send `request` on `socket` (the caller's, already connected) through the Client kept for
   * `origin`. The socket is used for this request only; the caller still closes it.
   */
  request(origin: string, socket: Duplex, request: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    const entry = this.#entryFor(origin);
    entry.waiting = socket;
    return undiciForProbes()
      .request.call(entry.client, request)
      .finally(() => {
        if (entry.waiting === socket) entry.waiting = undefined;
      });
  }

  #entryFor(origin: string): Entry {
    const kept = this.#entries.get(origin);
    if (kept && !kept.client.destroyed && !kept.client.closed) return kept;
    const entry: Entry = {} as Entry;
    entry.client = new (undiciForProbes().Client)(origin, {
      // No keep-alive: a connection serves one request and is closed after its answer.
      pipelining: 0,
      connect: (_options, cb) => {
        const socket = entry.waiting;
        entry.waiting = undefined;
        if (!socket || socket.destroyed) {
          queueMicrotask(() => cb(new Error('no probe connection handed over for this request'), null));
          return;
        }
        // undici resumes its queue from inside connect(); a synchronous callback re-enters
        // that resume and the request is never written. Hand the socket over a tick later.
        queueMicrotask(() => cb(null, socket as Parameters<typeof cb>[1] & Duplex));
      },
    });
    this.#entries.set(origin, entry);
    return entry;
  }
}

const perOwner = new WeakMap<object, HandedSocketClients>();

/**
 * The Clients kept for `owner` (a session's probe options): created on first use, forgotten
 * with the owner. Between rounds they hold no socket, so nothing keeps the process alive.
 */
export function handedSocketClientsFor(owner: object): HandedSocketClients {
  let clients = perOwner.get(owner);
  if (!clients) perOwner.set(owner, (clients = new HandedSocketClients()));
  return clients;
}
