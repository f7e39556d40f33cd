/**
 * A DNS server whose answers a test (or `--demo`) switches per name at runtime: addresses,
 * NXDOMAIN, SERVFAIL, REFUSED, NODATA, silence, slow answers and garbage. UDP and TCP on the
 * same port, so c-ares (dns.Resolver), glibc (getaddrinfo) and Go's resolver all talk to it.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import * as packet from 'dns-packet';
import {
  DEFAULT_HOST,
  listen,
  pushBounded,
  SocketSet,
  stopListening,
  TimerBag,
  type PeerAddress,
} from './lifecycle.js';

/**
 * What the server does for one name. `delayMs` delays the reply (a slow resolver).
 * - `answer`: A and AAAA records (a type with no addresses gets NODATA: only-AAAA is `{aaaa}`).
 * - `nodata`: the name exists but has no records of the asked type.
 * - `nxdomain`, `servfail`, `refused`: that response code, no records.
 * - `silence`: no reply at all (the client times out).
 * - `garbage`: a reply with the query's id followed by bytes that do not parse.
 */
export type DnsBehaviour =
  | { kind: 'answer'; a?: readonly string[]; aaaa?: readonly string[]; ttl?: number; delayMs?: number }
  | { kind: 'nodata' | 'nxdomain' | 'servfail' | 'refused'; delayMs?: number }
  | { kind: 'garbage'; delayMs?: number }
  | { kind: 'silence' };

/** One query the server received. `at` is epoch milliseconds. */
export interface DnsQueryRecord {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
  at: number;
}

/** Options for {@link startDnsServer}. */
export interface DnsServerOptions {
  /** Bind address; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (a free port, the same for UDP and TCP). */
  port?: number;
  /** Also answer over TCP (default true). */
  tcp?: boolean;
  /** Initial behaviour per name. Keys are names or `*.suffix` wildcards, case-insensitive. */
  names?: Record<string, DnsBehaviour>;
  /** Behaviour for names with no entry; default NXDOMAIN. */
  fallback?: DnsBehaviour;
}

const RCODES = { nodata: 0, answer: 0, servfail: 2, nxdomain: 3, refused: 5 } as const;
type ReplyBehaviour = Exclude<DnsBehaviour, { kind: 'silence' } | { kind: 'garbage' }>;

/** A running DNS server. Create it with {@link startDnsServer}. */
export class DnsServer {
  /** Every query received (the last 10 000), oldest first. */
  readonly queries: DnsQueryRecord[] = [];
  private readonly names = new Map<string, DnsBehaviour>();
  private fallback: DnsBehaviour;
  private readonly timers = new TimerBag();
  private readonly tcpSockets = new SocketSet();
  private closed = false;

  private constructor(
    private readonly udp: UdpSocket,
    private readonly tcp: Server | undefined,
    /** Where the server listens (UDP, and TCP on the same port when enabled). */
    readonly address: PeerAddress,
    options: DnsServerOptions,
  ) {
    this.fallback = options.fallback ?? { kind: 'nxdomain' };
    for (const [name, behaviour] of Object.entries(options.names ?? {})) this.set(name, behaviour);
    udp.on('message', (message, remote) => this.onUdp(message, remote));
    tcp?.on('connection', (socket) => this.onTcp(socket));
  }

  /** @internal use {@link startDnsServer}. */
  static async start(options: DnsServerOptions = {}): Promise<DnsServer> {
    const host = options.host ?? DEFAULT_HOST;
    for (let attempt = 0; ; attempt++) {
      const udp = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind({ address: host, port: options.port ?? 0, exclusive: true }, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      const port = udp.address().port;
      if (options.tcp === false) return new DnsServer(udp, undefined, { host, port }, options);
      const tcp = createServer();
      try {
        await listen(tcp, host, port);
        return new DnsServer(udp, tcp, { host, port }, options);
      } catch (error) {
        udp.close();
        // The free UDP port may be taken for TCP; with port 0 try another one.
        if ((options.port ?? 0) !== 0 || attempt >= 10) throw error;
      }
    }
  }

  /** `host:port`, the form dns.Resolver#setServers and `--dns-server` take. */
  get server(): string {
    return isIPv6(this.address.host)
      ? `[${this.address.host}]:${this.address.port}`
      : `${this.address.host}:${this.address.port}`;
  }

  /** Sets the behaviour of one name (or `*.suffix` wildcard); takes effect for the next query. */
  set(name: string, behaviour: DnsBehaviour): void {
    this.names.set(normalise(name), behaviour);
  }

  /** Forgets one name, so the fallback applies to it again. */
  remove(name: string): void {
    this.names.delete(normalise(name));
  }

  /** Sets the behaviour for names with no entry. */
  setFallback(behaviour: DnsBehaviour): void {
    this.fallback = behaviour;
  }

  /** The behaviour that applies to `name` now: exact entry, then the longest wildcard, then fallback. */
  behaviourFor(name: string): DnsBehaviour {
    const wanted = normalise(name);
    const exact = this.names.get(wanted);
    if (exact) return exact;
    const labels = wanted.split('.');
    for (let i = 1; i < labels.length; i++) {
      const wildcard = this.names.get(`*.${labels.slice(i).join('.')}`);
      if (wildcard) return wildcard;
    }
    return this.fallback;
  }

  /** Number of queries received, for one name (case-insensitive) or all. */
  queryCount(name?: string): number {
    if (name === undefined) return this.queries.length;
    const wanted = normalise(name);
    return this.queries.filter((query) => query.name === wanted).length;
  }

  /** Forgets the query log (counts start again at zero). */
  resetCounts(): void {
    this.queries.length = 0;
  }

  /** Stops listening, destroys TCP connections and drops pending slow replies. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timers.clearAll();
    this.tcpSockets.destroyAll();
    await new Promise<void>((resolve) => this.udp.close(() => resolve()));
    if (this.tcp) await stopListening(this.tcp);
  }

  private onUdp(message: Buffer, remote: RemoteInfo): void {
    this.handle(message, 'udp', (reply) => {
      if (!this.closed) this.udp.send(reply, remote.port, remote.address);
    });
  }

  private onTcp(socket: Socket): void {
    this.tcpSockets.add(socket);
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const length = pending.readUInt16BE(0);
        const message = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        this.handle(message, 'tcp', (reply) => {
          const framed = Buffer.alloc(2 + reply.length);
          framed.writeUInt16BE(reply.length, 0);
          reply.copy(framed, 2);
          if (!socket.destroyed) socket.write(framed);
        });
      }
    });
  }

  private handle(message: Buffer, transport: 'udp' | 'tcp', send: (reply: Buffer) => void): void {
    let query: packet.DecodedPacket;
    try {
      query = packet.decode(message);
    } catch {
      return; // Not DNS: a real server drops it too.
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = normalise(question.name);
    pushBounded(this.queries, { name, type: question.type, transport, at: Date.now() });
    const behaviour = this.behaviourFor(name);
    if (behaviour.kind === 'silence') return;
    const reply = behaviour.kind === 'garbage' ? garbageFor(query.id ?? 0) : encodeReply(query, question, behaviour);
    if (behaviour.delayMs) this.timers.timeout(() => send(reply), behaviour.delayMs);
    else send(reply);
  }
}

/** Starts a DNS server (UDP + TCP on one port). Close it with `close()`. */
export function startDnsServer(options: DnsServerOptions = {}): Promise<DnsServer> {
  return DnsServer.start(options);
}

function encodeReply(query: packet.DecodedPacket, question: packet.Question, behaviour: ReplyBehaviour): Buffer {
  const answers: packet.Answer[] = [];
  if (behaviour.kind === 'answer') {
    const ttl = behaviour.ttl ?? 5;
    const qtype: string = question.type;
    const wantA = qtype === 'A' || qtype === 'ANY';
    const wantAaaa = qtype === 'AAAA' || qtype === 'ANY';
    if (wantA) for (const data of behaviour.a ?? []) answers.push({ type: 'A', name: question.name, ttl, data });
    if (wantAaaa)
      for (const data of behaviour.aaaa ?? []) answers.push({ type: 'AAAA', name: question.name, ttl, data });
  }
  const recursionDesired = (query.flags ?? 0) & packet.RECURSION_DESIRED;
  return packet.encode({
    type: 'response',
    id: query.id ?? 0,
    flags: packet.AUTHORITATIVE_ANSWER | packet.RECURSION_AVAILABLE | recursionDesired | RCODES[behaviour.kind],
    questions: [question],
    answers,
  });
}

/** A header that claims one question and several answers, then bytes that cannot be parsed. */
function garbageFor(id: number): Buffer {
  const header = Buffer.from([id >> 8, id & 0xff, 0x81, 0x80, 0, 1, 0, 4, 0, 0, 0, 0]);
  return Buffer.concat([header, Buffer.from([0xc0, 0xff, 0xee]), randomBytes(9)]);
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
