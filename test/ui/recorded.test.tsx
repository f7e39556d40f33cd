/**
 * The dashboard fed with a recorded session: 48 s of `gcrwatch --demo --json` (real probes
 * of the demo world, the demo push retrying through gcr.io's TLS stall), read back with the
 * session log reader, as `replay` will.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';
import { readSessionLog } from '../../src/core/log/ndjson-reader.js';
import { SessionStore } from '../../src/core/store.js';
import { mountDashboard } from './helpers/dashboard.js';
import type { Rendered } from './helpers/render-at.js';

const FIXTURE = path.resolve(__dirname, '../fixtures/ui/demo-session.ndjson');
let mounted: Rendered | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

async function replay(): Promise<{ store: SessionStore; events: SessionEvent[] }> {
  const store = new SessionStore();
  const events: SessionEvent[] = [];
  for await (const e of readSessionLog(FIXTURE)) {
    events.push(e);
    store.onEvent(e);
  }
  store.flush();
  return { store, events };
}

function columnsOf(line: string, re: RegExp): number[] {
  return [...line].map((c, i) => (re.test(c) ? i : -1)).filter((i) => i >= 0);
}

describe('a recorded demo session', () => {
  it('shows the retries under the failed TLS rounds of the push target', async () => {
    const { store, events } = await replay();
    const end = Date.parse(events.at(-1)!.t);
    mounted = mountDashboard(store, 120, 40, { now: () => end, refreshMs: undefined }).r;
    const frame = await mounted.waitForFrame('the chart with its marker row', (f) => /^ push .*D/m.test(f));
    const out = frame.split('\n');
    expect(out[0]).toMatch(/^gcrwatch 0\.1\.0 {2}DEMO /);
    for (const host of ['gcr.io', 'eu.gcr.io', 'asia.gcr.io', 'us-docker.pkg.dev', 'europe-docker.pkg.dev']) {
      expect(
        out.some((l) => new RegExp(`^[> ] (OK |WARN|FAIL) +[* ]${host.replace(/\./g, '\\.')}:\\d+ `).test(l)),
        host,
      ).toBe(true);
    }
    expect(out.find((l) => l.startsWith('>'))).toMatch(/\*gcr\.io:\d+/);
    const axis = out.find((l) => l.includes('└'))!;
    const marker = out.find((l) => l.startsWith(' push '))!;
    const retries = columnsOf(marker, /[1-9]/);
    expect(retries).toHaveLength(2);
    for (const col of retries) expect(axis[col], `${axis}\n${marker}`).toBe('×');
    // The push started before the trouble and finished after it.
    expect(columnsOf(marker, /S/)[0]).toBeLessThan(retries[0]!);
    expect(columnsOf(marker, /D/)[0]).toBeGreaterThan(retries[1]!);
    expect(out.some((l) => /push retry #1 layer [0-9a-f]{12} in 5s: net\/http: TLS handsh/.test(l))).toBe(true);
  });

  it('shows the DNS failure spell of eu.gcr.io in its DNS chart', async () => {
    const { store, events } = await replay();
    const end = Date.parse(events.at(-1)!.t);
    mounted = mountDashboard(store, 120, 40, { now: () => end, refreshMs: undefined }).r;
    await mounted.waitForFrame('the dashboard', (f) => f.includes('latency ms'));
    mounted.stdin.write('\x1b[B');
    await mounted.waitForFrame('eu.gcr.io selected', (f) => /^latency ms {2}eu\.gcr\.io/m.test(f));
    mounted.stdin.write('p');
    const frame = await mounted.waitForFrame('its DNS chart', (f) => /^latency ms {2}eu\.gcr\.io:\d+ {2}DNS/m.test(f));
    const out = frame.split('\n');
    expect(out.some((l) => /^latency ms {2}eu\.gcr\.io:\d+ {2}DNS/.test(l))).toBe(true);
    const axis = out.find((l) => l.includes('└'))!;
    const failed = events.filter((e) => e.type === 'probe' && e.target.startsWith('eu.gcr.io') && !e.ok);
    expect(failed.length).toBeGreaterThan(3);
    expect(failed.every((e) => e.type === 'probe' && e.error?.code === 'dns.servfail')).toBe(true);
    expect(columnsOf(axis, /×/)).toHaveLength(failed.length);
  });
});
