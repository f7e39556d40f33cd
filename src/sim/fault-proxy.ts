/**
 * A TCP proxy between a client and an upstream host:port that injects network faults in user
 * space (the kernel's netem is not available where the tests run): latency, resets after N
 * bytes, stalls, refusals and bandwidth limits, switchable at runtime; or, given the world's
 * certificate, HTTP answers in the registry's words (http-faults.ts). It records every
 * connection, reset and faulted request with its time, to line them up with a client's retries.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import {
  DEFAULT_HOST,
  listen,
  pushBounded,
  sleep,
  SocketSet,
  stopListening,
  TimerBag,
  type PeerAddress,
} from './lifecycle.js';
import type { FaultProxyStats, ProxyConnectionRecord, ProxyResetRecord, ResetReason } from './fault-proxy-records.js';
import { HttpFaultRelay, type HttpFaultRule, type HttpFaultTls } from './http-faults.js';
import { relay } from './relay.js';

export type * from './fault-proxy-records.js';

/**
 * The faults in force. An empty object passes traffic through untouched. `refuse` wins over
 * `stall`, which wins over the rest; the byte and bandwidth limits are read live, so switching
 * them also affects connections already open.
 */
export interface FaultSettings {
  /** Wait this long after accepting before connecting upstream (a slow accept / slow path). */
  connectDelayMs?: number;
  /** Hold the first upstream->client bytes of each connection this long (slow first byte). */
  firstByteDelayMs?: number;
  /** Forward N bytes client->upstream on a connection, then reset it (RST). 0: reset on the first byte. */
  resetAfterBytes?: number;
  /**
   * Reset the first `count` connections that carry more than `bytes` client->upstream and pass
   * the rest; without `count`, every such connection (JSON has no Infinity: omit it instead).
   */
  resetLarge?: { bytes: number; count?: number };
  /** Forward N bytes client->upstream on a connection, then stop forwarding both ways (a stalled upload). */
  stallAfterBytes?: number;
  /** Accept connections and never forward or answer anything. */
  stall?: boolean;
  /** `reset`: RST every new connection at once. `close`: stop listening (clients get ECONNREFUSED). */
  refuse?: 'reset' | 'close';
  /** Bandwidth per connection and direction, bytes per second. */
  bytesPerSecond?: number;
  /** End TLS here and relay requests, answering those the rules match (needs `tls`); the TCP faults then do not apply. */
  http?: HttpFaultRule[];
}

/** Options for {@link startFaultProxy}. */
export interface FaultProxyOptions {
  upstream: PeerAddress;
  /** Bind address; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (a free one). */
  port?: number;
  faults?: FaultSettings;
  /** The certificate to end TLS with, and the CA to trust upstream, for `http` faults. */
  tls?: HttpFaultTls;
}

/** A running fault proxy. Create it with {@link startFaultProxy}. */
export class FaultProxy {
  private readonly sockets = new SocketSet();
  private readonly timers = new TimerBag();
  private readonly log: ProxyConnectionRecord[] = [];
  private readonly resets: ProxyResetRecord[] = [];
  private settings: FaultSettings = {};
  private largeResets = 0;
  private connectionCount = 0;
  private closed = false;
  private readonly http: HttpFaultRelay | undefined;

  private constructor(
    private readonly server: Server,
    /** Where the proxy listens (kept across `refuse: 'close'`). */
    readonly address: PeerAddress,
    private upstream: PeerAddress,
    tls: HttpFaultTls | undefined,
  ) {
    server.on('connection', (client) => this.accept(client));
    this.http = tls ? new HttpFaultRelay(tls, () => this.upstream) : undefined;
  }

  /** @internal use {@link startFaultProxy}. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    // No Nagle on either side: a proxy that held small writes for an ACK would add its own
    // ~40 ms to answers (seen as a doubled time to first byte), on top of the faults it is told.
    const server = createServer({ pauseOnConnect: true, noDelay: true });
    const address = await listen(server, options.host ?? DEFAULT_HOST, options.port ?? 0);
    const proxy = new FaultProxy(server, address, options.upstream, options.tls);
    await proxy.set(options.faults ?? {});
    return proxy;
  }

  /** The faults now in force. */
  get faults(): FaultSettings {
    return { ...this.settings };
  }

  /**
   * Replaces the faults. Resolves once the listener matches them (stopped for `refuse: 'close'`,
   * listening again on the same port otherwise). Restarts the `resetLarge` count.
   */
  async set(faults: FaultSettings): Promise<void> {
    if (faults.http && !this.http) throw new Error('http faults need the proxy to be started with tls');
    this.http?.setRules(faults.http ?? []);
    this.settings = { ...faults };
    this.largeResets = 0;
    if (this.closed) return;
    if (faults.refuse === 'close') await stopListening(this.server);
    else if (!this.server.listening) await listen(this.server, this.address.host, this.address.port);
  }

  /** Points new connections at another upstream. */
  setUpstream(upstream: PeerAddress): void {
    this.upstream = upstream;
  }

  /** Resets (RST) every open connection now. */
  resetAll(): void {
    for (const record of this.log)
      if (record.fate === 'open' || record.fate === 'stalled') this.noteReset(record, 'reset-all');
    this.sockets.destroyAll(true);
  }

  /** Connections accepted so far. */
  get connections(): number {
    return this.connectionCount;
  }

  /** A JSON-safe copy of the counters, the resets and the connection log (last 10 000). */
  stats(): FaultProxyStats {
    return {
      connections: this.connectionCount,
      open: this.log.filter((record) => record.fate === 'open' || record.fate === 'stalled').length,
      resets: this.resets.map((reset) => ({ ...reset })),
      log: this.log.map((record) => ({ ...record })),
      http: (this.http?.answered ?? []).map((r) => ({ ...r })),
    };
  }

  /** Forgets the recorded resets and closed connections (the connection count keeps counting). */
  clearStats(): void {
    this.resets.length = 0;
    const open = this.log.filter((record) => record.fate === 'open' || record.fate === 'stalled');
    this.log.splice(0, this.log.length, ...open);
  }

  /** Stops listening, destroys every socket and cancels every timer. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timers.clearAll();
    this.http?.close();
    this.sockets.destroyAll();
    await stopListening(this.server);
  }

  private accept(client: Socket): void {
    const record: ProxyConnectionRecord = {
      id: ++this.connectionCount,
      openedAt: Date.now(),
      clientToUpstream: 0,
      upstreamToClient: 0,
      fate: 'open',
    };
    pushBounded(this.log, record);
    this.sockets.add(client);
    client.on('error', () => {});
    client.once('close', () => this.finish(record));
    const settings = this.settings;
    if (settings.http && this.http) {
      this.http.handle(client);
      client.resume();
    } else if (settings.refuse === 'reset') {
      this.reset(record, client, 'refuse');
    } else if (settings.stall) {
      record.fate = 'stalled';
    } else {
      void this.bridge(record, client, settings);
    }
  }

  private async bridge(record: ProxyConnectionRecord, client: Socket, settings: FaultSettings): Promise<void> {
    if (settings.connectDelayMs) await sleep(this.timers, settings.connectDelayMs);
    if (client.destroyed || this.closed) return;
    const upstream = connect({ port: this.upstream.port, host: this.upstream.host, noDelay: true });
    this.sockets.add(upstream);
    let clientEnded = false;
    client.once('end', () => (clientEnded = true));
    // An upstream that resets or cannot be reached is passed on as a reset. Writing late client
    // bytes (a TLS close_notify) to a server that already closed (EPIPE), or an error after the
    // client has finished, is just a close.
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (client.destroyed) return;
      if (clientEnded || error.code === 'EPIPE') client.destroy();
      else this.reset(record, client, 'upstream-error', error.code);
    });
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    upstream.once('connect', () => {
      const common = {
        timers: this.timers,
        bytesPerSecond: () => this.settings.bytesPerSecond,
        frozen: () => record.fate === 'stalled' || this.closed,
      };
      relay(client, upstream, { ...common, admit: (chunk) => this.limitUpload(record, client, upstream, chunk) });
      relay(upstream, client, {
        ...common,
        firstDelayMs: settings.firstByteDelayMs,
        admit: (chunk) => (record.fate === 'stalled' ? undefined : ((record.upstreamToClient += chunk.length), chunk)),
      });
      client.resume();
    });
  }

  /** Returns the part of `chunk` that may go upstream; resets or freezes the connection at a limit. */
  private limitUpload(
    record: ProxyConnectionRecord,
    client: Socket,
    upstream: Socket,
    chunk: Buffer,
  ): Buffer | undefined {
    if (record.fate === 'stalled') return undefined;
    const { resetAfterBytes, resetLarge, stallAfterBytes } = this.settings;
    let limit = Infinity;
    let reason: ResetReason | 'stall' = 'reset-after';
    if (resetAfterBytes !== undefined) limit = resetAfterBytes;
    if (resetLarge && this.largeResets < (resetLarge.count ?? Infinity) && resetLarge.bytes < limit) {
      limit = resetLarge.bytes;
      reason = 'reset-large';
    }
    if (stallAfterBytes !== undefined && stallAfterBytes < limit) {
      limit = stallAfterBytes;
      reason = 'stall';
    }
    const allowed = Math.max(0, limit - record.clientToUpstream);
    if (chunk.length <= allowed) {
      record.clientToUpstream += chunk.length;
      return chunk;
    }
    record.clientToUpstream += allowed;
    if (reason === 'stall') {
      // Paused sockets stop reading: the client's send window fills and its writes block.
      record.fate = 'stalled';
      client.pause();
      upstream.pause();
      return allowed > 0 ? chunk.subarray(0, allowed) : undefined;
    }
    if (allowed > 0) upstream.write(chunk.subarray(0, allowed));
    if (reason === 'reset-large') this.largeResets++;
    this.reset(record, client, reason);
    upstream.destroy();
    return undefined;
  }

  private reset(record: ProxyConnectionRecord, client: Socket, reason: ResetReason, cause?: string): void {
    this.noteReset(record, reason, cause);
    if (!client.destroyed) client.resetAndDestroy();
  }

  private noteReset(record: ProxyConnectionRecord, reason: ResetReason, cause?: string): void {
    record.fate = 'reset';
    record.closedAt = Date.now();
    const entry: ProxyResetRecord = {
      connection: record.id,
      at: record.closedAt,
      reason,
      clientToUpstream: record.clientToUpstream,
    };
    if (cause) entry.cause = cause;
    pushBounded(this.resets, entry);
  }

  private finish(record: ProxyConnectionRecord): void {
    if (record.fate === 'reset') return;
    record.fate = 'closed';
    record.closedAt = Date.now();
  }
}

/** Starts a fault proxy in front of `options.upstream`. Close it with `close()`. */
export function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  return FaultProxy.start(options);
}
