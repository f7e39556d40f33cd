/**
 * `--metrics [ADDR:]PORT`: parsing the listen address, and attaching the Prometheus
 * collector and its HTTP server to a session. Bound to 127.0.0.1 unless an address is given,
 * so a fleet host does not expose its metrics by accident.
 */
import { isIP } from 'node:net';
import type { Session } from '../core/session.js';
import type { MetricsListen } from '../metrics/server.js';
import { UsageError } from './usage-error.js';
import { gcrwatchVersion } from './version.js';

/** Parse `PORT`, `ADDR:PORT` or `[V6]:PORT`; throws `UsageError` naming the flag and value. */
export function parseMetricsListen(raw: string, flag = '--metrics'): MetricsListen {
  const s = raw.trim();
  const m = /^(?:\[([^\]]+)\]:|([^:[\]]+):)?(\d{1,5})$/.exec(s);
  const host = m?.[1] ?? m?.[2] ?? '127.0.0.1';
  const port = Number(m?.[3]);
  if (!m || port > 65535) {
    throw new UsageError(`${flag}: "${raw}" is not [ADDRESS:]PORT (e.g. 9464, 0.0.0.0:9464 or [::1]:9464)`);
  }
  if (!isIP(host))
    throw new UsageError(
      `${flag}: "${host}" in "${raw}" is not an IP address to listen on (use 0.0.0.0 for every interface)`,
    );
  return { host, port };
}

/** An attached metrics endpoint. */
export interface AttachedMetrics {
  url: string;
  close(): Promise<void>;
}

/** Subscribe a collector to `session` and serve it; call before `session.start()`. */
export async function attachMetrics(session: Session, listen: MetricsListen): Promise<AttachedMetrics> {
  // prom-client and node:http are loaded only when metrics are asked for (~70 ms and ~8 MB of start-up otherwise).
  const [{ MetricsCollector }, { MetricsListenError, startMetricsServer }] = await Promise.all([
    import('../metrics/collector.js'),
    import('../metrics/server.js'),
  ]);
  const collector = new MetricsCollector(gcrwatchVersion());
  try {
    const server = await startMetricsServer(collector.registry, listen);
    const detach = session.attach(collector);
    return {
      url: server.url,
      close: async () => {
        detach();
        await server.close();
      },
    };
  } catch (err) {
    if (err instanceof MetricsListenError) throw new UsageError(`--metrics: ${err.message}`);
    throw err;
  }
}
