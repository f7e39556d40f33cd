/**
 * What a probe round measured and learnt, the parts of `ProbeEvent` (events.ts): the phase
 * times as httpstat derives them from curl, and the DNS, TCP, TLS and HTTP details. Part of
 * the event schema: the compatibility contract of events.ts applies here too.
 */
import type { ProbeErrorInfo } from './errors.js';

/** Latency phases, named as httpstat names curl's derived durations. All in milliseconds. */
export interface PhaseTimes {
  /** getaddrinfo (or mDNS); 0 when pinned with --resolve. curl: time_namelookup. */
  dns?: number;
  /** TCP connect. curl: time_connect - time_namelookup. */
  connect?: number;
  /** HTTP CONNECT through a proxy, when one is used. */
  proxy?: number;
  /** TLS handshake. curl: time_appconnect - time_connect. */
  tls?: number;
  /** Request sent to first response byte. curl: time_starttransfer - time_appconnect. */
  ttfb?: number;
  /** Body read after the first byte. curl: time_total - time_starttransfer. */
  transfer?: number;
  /** The sum of the phases: the network's and the server's time, end to end. curl: time_total. */
  total?: number;
}

/** The phase names a chart or a statistic can be asked for. */
export type PhaseName = keyof PhaseTimes;
export const PHASE_NAMES: readonly PhaseName[] = ['dns', 'connect', 'proxy', 'tls', 'ttfb', 'transfer', 'total'];

/** One resolver's answer (system resolver, a --dns-server, or mDNS). */
export interface DnsAnswer {
  resolver: string;
  /** The name asked, when it is not the target's own (the proxy's host, with a proxy). */
  host?: string;
  ok: boolean;
  ms: number;
  v4: string[];
  v6: string[];
  error?: ProbeErrorInfo;
}

/** A TCP connect attempt to one address family. */
export interface TcpAttempt {
  family: 4 | 6;
  address: string;
  ok: boolean;
  ms: number;
  error?: ProbeErrorInfo;
}

/** What the TLS handshake showed. Present on success and, where known, on failure. */
export interface TlsDetails {
  protocol?: string;
  alpn?: string;
  cipher?: string;
  subject?: string;
  sans?: string[];
  issuer?: string;
  issuerOrg?: string;
  chain?: string[];
  validFrom?: string;
  validTo?: string;
  daysLeft?: number;
  verified: boolean;
  /** Set when the chain is not Google's on a Google host: names the issuer seen. */
  interception?: string;
}

/** A parsed `WWW-Authenticate` challenge. */
export interface AuthChallenge {
  scheme: string;
  realm?: string;
  service?: string;
  scope?: string;
}

/** What `GET /v2/` answered. */
export interface HttpDetails {
  status?: number;
  challenge?: AuthChallenge;
  retryAfterSeconds?: number;
  registryHeader?: string;
  /** The registry's Date header, for clock-skew checks. */
  date?: string;
  httpVersion?: string;
}

/** Everything a round learnt besides the phase times. */
export interface ProbeDetails {
  address?: string;
  family?: 4 | 6;
  pinned?: boolean;
  dns?: DnsAnswer[];
  tcp?: TcpAttempt[];
  tls?: TlsDetails;
  http?: HttpDetails;
  proxy?: { url: string; status?: number };
  /** 'proxy' or 'direct' when --compare-direct probes both ways. */
  route?: 'proxy' | 'direct';
}
