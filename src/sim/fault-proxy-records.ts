/** What the fault proxy records of its connections, resets and faulted requests (JSON-safe). */
import type { HttpFaultRecord } from './http-faults.js';

/** Why a connection was reset. */
export type ResetReason = 'reset-after' | 'reset-large' | 'refuse' | 'reset-all' | 'upstream-error';

/** One reset the proxy sent to a client. `at` is epoch milliseconds. */
export interface ProxyResetRecord {
  connection: number;
  at: number;
  reason: ResetReason;
  /** Bytes the client had sent on that connection when it was reset. */
  clientToUpstream: number;
  /** For `upstream-error`: the upstream socket's error code (e.g. ECONNRESET). */
  cause?: string;
}

/** One accepted connection. Times are epoch milliseconds. */
export interface ProxyConnectionRecord {
  id: number;
  openedAt: number;
  closedAt?: number;
  clientToUpstream: number;
  upstreamToClient: number;
  fate: 'open' | 'closed' | 'reset' | 'stalled';
}

/** A JSON-safe snapshot of what the proxy has done. */
export interface FaultProxyStats {
  connections: number;
  open: number;
  resets: ProxyResetRecord[];
  log: ProxyConnectionRecord[];
  /** Requests answered with an HTTP fault. */
  http: HttpFaultRecord[];
}
