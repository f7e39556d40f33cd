/**
 * The reference form of probe events (event schema 2): details that do not change from round
 * to round are written once, and when they change; the reader gives back exactly the events
 * the writer was handed.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type ProbeEvent, type SessionEvent, type TlsDetails } from '../../../src/core/events.js';
import { readSessionLog } from '../../../src/core/log/ndjson-reader.js';
import { NdjsonLogWriter } from '../../../src/core/log/ndjson-writer.js';
import { MAX_KEYS } from '../../../src/core/log/probe-refs.js';

let dir: string;
let fileNo = 0;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-refs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nextFile = () => path.join(dir, `refs-${fileNo++}.ndjson`);

const T0 = Date.parse('2026-03-02T10:00:00.000Z');

/** A certificate description as the TLS probe makes it. */
function certificate(cn: string): TlsDetails {
  return {
    verified: true,
    protocol: 'TLSv1.3',
    alpn: 'h2',
    cipher: 'TLS_AES_128_GCM_SHA256',
    subject: `CN=${cn}`,
    issuer: 'CN=WR2, O=Google Trust Services, C=US',
    issuerOrg: 'Google Trust Services',
    sans: [cn, `*.${cn}`, '*.pkg.dev', '*.gcr.io'],
    chain: [cn, 'WR2', 'GTS Root R1'],
    validFrom: '2026-02-01T08:00:00.000Z',
    validTo: '2026-04-26T08:00:00.000Z',
    daysLeft: 54,
  };
}

/** Round `round` of `target`, `seconds` after T0, as a live session emits it. */
function probe(target: string, round: number, tls: TlsDetails, seconds = round * 2): ProbeEvent {
  const t = T0 + seconds * 1000 + 37;
  const jitter = (round % 7) * 0.113;
  return {
    v: SCHEMA_VERSION,
    t: new Date(t).toISOString(),
    type: 'probe',
    target,
    round,
    kind: 'round',
    ok: true,
    ms: 81.5 + jitter,
    phases: { dns: 1.9 + jitter, connect: 12.6, tls: 28.2 + jitter, ttfb: 38.4, transfer: 0.4, total: 81.5 + jitter },
    details: {
      address: '192.0.2.10',
      family: 4,
      dns: [{ resolver: 'system', ok: true, ms: 1.9 + jitter, v4: ['192.0.2.10'], v6: ['2001:db8::10'] }],
      tcp: [
        { family: 4, address: '192.0.2.10', ok: true, ms: 12.6 },
        { family: 6, address: '2001:db8::10', ok: true, ms: 13.1 + jitter },
      ],
      tls,
      http: {
        status: 401,
        httpVersion: '1.1',
        challenge: { scheme: 'Bearer', realm: `https://${target}/v2/token`, service: target },
        date: new Date(Math.floor(t / 1000) * 1000).toUTCString(),
      },
    },
    lagMs: round % 3,
  };
}

function write(file: string, events: SessionEvent[]): void {
  const writer = new NdjsonLogWriter(file, (p) => {
    throw new Error(p.message);
  });
  writer.open();
  for (const e of events) writer.onEvent(e);
  writer.close();
}

async function read(file: string): Promise<{ events: SessionEvent[]; warnings: string[] }> {
  const events: SessionEvent[] = [];
  const warnings: string[] = [];
  for await (const e of readSessionLog(file, { onWarning: (w) => warnings.push(w) })) events.push(e);
  return { events, warnings };
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe('probe events on disk', () => {
  it('writes a certificate once per target while it does not change, and again when it does', async () => {
    const file = nextFile();
    const events: ProbeEvent[] = [];
    for (let round = 0; round < 50; round++)
      for (const host of ['gcr.io', 'eu.gcr.io']) events.push(probe(host, round, certificate('gcr.io')));
    // The leaf is renewed: the next rounds show the new one.
    for (let round = 50; round < 60; round++) events.push(probe('gcr.io', round, certificate('gcr.io-renewed')));
    write(file, events);
    const text = readFileSync(file, 'utf8');
    expect(text.trimEnd().split('\n')).toHaveLength(110);
    expect(count(text, '"subject":"CN=gcr.io"')).toBe(2);
    expect(count(text, '"subject":"CN=gcr.io-renewed"')).toBe(1);
    expect(count(text, 'GTS Root R1')).toBe(3);
    expect(count(text, '"ref":')).toBe(107);
    const { events: back, warnings } = await read(file);
    expect(warnings).toEqual([]);
    expect(back).toEqual(events);
    // Every event of a shape shares the unchanging parts, which nobody may change.
    const gcr = back.filter((e): e is ProbeEvent => e.type === 'probe' && e.target === 'gcr.io');
    expect(gcr[1]!.details.tls).toBe(gcr[2]!.details.tls);
    expect(() => {
      (gcr[3]!.details.tls as { daysLeft: number }).daysLeft = 1;
    }).toThrow(TypeError);
  });

  it('is at most a fifth of the version 1 size for rounds with a certificate', () => {
    const file = nextFile();
    const events = Array.from({ length: 200 }, (_, i) => probe('gcr.io', i, certificate('gcr.io')));
    write(file, events);
    const v1 = events.map((e) => JSON.stringify(e)).join('\n').length;
    expect(readFileSync(file, 'utf8').length).toBeLessThan(v1 / 5);
  });

  it('starts its keys again when all are used, and still reads every probe back', async () => {
    const file = nextFile();
    const hosts = Array.from({ length: MAX_KEYS + 50 }, (_, i) => `r${i}.pkg.dev`);
    const events = [0, 1].flatMap((round) =>
      hosts.map((h, i) => probe(h, round, certificate('x'), round * 2 + i / 1e4)),
    );
    write(file, events);
    const text = readFileSync(file, 'utf8');
    const keys = text.match(/"key":\d+/g)!;
    expect(keys.every((k) => Number(k.slice(6)) < MAX_KEYS)).toBe(true);
    expect((await read(file)).events).toEqual(events);
  });

  it('gives back exactly what it was handed, whatever changes from round to round', async () => {
    const value = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
    const dateText = fc.oneof(
      fc
        .integer({ min: -900, max: 900 })
        .map((s) => (t: number) => new Date(Math.floor(t / 1000 + s) * 1000).toUTCString()),
      fc.constantFrom(
        () => 'Mon, 2 Mar 2026 10:00:00 GMT',
        () => 'yesterday',
        () => '',
      ),
    );
    const round = fc.record({
      ms: value,
      phases: fc.dictionary(fc.constantFrom('dns', 'connect', 'proxy', 'tls', 'ttfb', 'transfer', 'total'), value),
      dnsMs: fc.array(value, { maxLength: 3 }),
      tcpMs: fc.array(value, { maxLength: 2 }),
      lag: fc.option(value, { nil: undefined }),
      date: fc.option(dateText, { nil: undefined }),
      target: fc.constantFrom('gcr.io', 'eu.gcr.io'),
      ms0: fc.integer({ min: 0, max: 5000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(round, { minLength: 1, maxLength: 25 }), async (rounds) => {
        const events = rounds.map((r, i): ProbeEvent => {
          const t = T0 + i * 2000 + r.ms0;
          const base = probe(r.target, i, certificate(r.target));
          const e: ProbeEvent = {
            ...base,
            t: new Date(t).toISOString(),
            ms: r.ms,
            phases: r.phases,
            details: {
              ...base.details,
              dns: r.dnsMs.map((ms) => ({ resolver: 'system', ok: true, ms, v4: ['192.0.2.1'], v6: [] })),
              tcp: r.tcpMs.map((ms) => ({ family: 4, address: '192.0.2.1', ok: true, ms })),
              http: { status: 401, ...(r.date ? { date: r.date(t) } : {}) },
            },
          };
          if (r.lag === undefined) delete e.lagMs;
          else e.lagMs = r.lag;
          return e;
        });
        const file = nextFile();
        write(file, events);
        const { events: back, warnings } = await read(file);
        expect(warnings).toEqual([]);
        // What JSON keeps of the events (-0 is written as 0, as in version 1).
        expect(back).toEqual(JSON.parse(JSON.stringify(events)));
      }),
      { numRuns: 60 },
    );
  });
});
