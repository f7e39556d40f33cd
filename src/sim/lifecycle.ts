/**
 * What every simulated peer needs to start on port 0 and to close without leaving anything behind:
 * listening helpers, a set of live sockets, and a bag of timers. A peer's `close()` calls
 * `destroyAll()` and `clearAll()`; nothing else keeps the event loop alive.
 */
import type { Server, Socket } from 'node:net';

/** Where a peer listens. `host` is the address it bound (never a wildcard). */
export interface PeerAddress {
  host: string;
  port: number;
}

/** Default bind address of every peer: the machine's (or the namespace's) loopback. */
export const DEFAULT_HOST = '127.0.0.1';

/** Listens on host:port (port 0: a free one) and resolves to the address actually bound. */
export function listen(server: Server, host: string, port: number): Promise<PeerAddress> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('listen: server has no TCP address'));
        return;
      }
      resolve({ host: address.address, port: address.port });
    });
  });
}

/** Stops listening; resolves when the listener is gone (already-closed servers resolve at once). */
export function stopListening(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}

/** The live sockets of a peer. Sockets leave the set by themselves when they close. */
export class SocketSet {
  private readonly sockets = new Set<Socket>();

  /** Remembers `socket` until it closes. */
  add(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  /** How many sockets are open now. */
  get size(): number {
    return this.sockets.size;
  }

  /** Destroys every open socket: with `reset` as a TCP RST, otherwise with a FIN. */
  destroyAll(reset = false): void {
    for (const socket of this.sockets) {
      if (reset && !socket.destroyed) socket.resetAndDestroy();
      else socket.destroy();
    }
    this.sockets.clear();
  }
}

/** Timers a peer owns; `clearAll()` cancels every one still pending. */
export class TimerBag {
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Like setTimeout, but cancelled by {@link TimerBag.clearAll}. */
  timeout(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  /** Like setInterval, but cancelled by {@link TimerBag.clearAll}. */
  interval(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setInterval(fn, ms);
    this.timers.add(timer);
    return timer;
  }

  /** Cancels one timer made by this bag. */
  cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  /** Cancels every pending timer. */
  clearAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** A resolved promise after `ms`, cancelled (never resolving) if the bag is cleared first. */
export function sleep(timers: TimerBag, ms: number): Promise<void> {
  return new Promise((resolve) => timers.timeout(resolve, ms));
}

/** Bounded append: keeps the last `max` entries so long runs (demo, soak) cannot grow memory. */
export function pushBounded<T>(list: T[], entry: T, max = 10_000): void {
  list.push(entry);
  if (list.length > max) list.splice(0, list.length - max);
}
