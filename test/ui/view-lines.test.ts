import { describe, expect, it } from 'vitest';
import type {
  AuthEvent,
  DiagnosisEvent,
  PushEndEvent,
  PushLayerEvent,
  PushOutputEvent,
  PushRetryEvent,
  PushStartEvent,
} from '../../src/core/events.js';
import { credentialLines } from '../../src/ui/credential-lines.js';
import { columnsFor, endpointRow, endpointRows, healthOf } from '../../src/ui/endpoint-rows.js';
import { describeEvent, logLines } from '../../src/ui/event-lines.js';
import { pushLines, pushView } from '../../src/ui/push-lines.js';
import { verdictOf } from '../../src/ui/verdict.js';
import { at, event, failedProbe, okProbe, rounds, sessionStart, storeOf, T0 } from './helpers/events.js';

describe('endpoint rows', () => {
  it('write health in words and phase cells as last/p95', () => {
    const store = storeOf([
      sessionStart(['gcr.io', 'eu.gcr.io']),
      ...rounds('gcr.io', [20, 40, 30]),
      ...rounds('eu.gcr.io', [20, undefined]),
    ]);
    const [gcr, eu] = endpointRows(store.state);
    expect(gcr!.health).toBe('ok');
    expect(gcr!.cells.state).toBe('OK');
    expect(gcr!.cells.tls).toBe('15/20');
    expect(gcr!.cells.addr).toBe('127.0.0.1 v6:1');
    expect(gcr!.cells.cert).toBe('1.3 89d');
    expect(gcr!.cells.http).toBe('401');
    expect(eu!.health).toBe('fail');
    expect(eu!.cells).toMatchObject({
      state: 'FAIL',
      dns: '1.0/1.0',
      tls: '×/10',
      ttfb: '-/8.0',
      error: 'tls.timeout',
      loss: '50%',
    });
    // The TLS details of the last handshake stay through a round that failed before TLS.
    expect(eu!.cells.cert).toBe('1.3 89d');
  });

  it('says wait before the first round, and marks the push target', () => {
    const store = storeOf([sessionStart(['gcr.io'])]);
    store.state.targets.get('gcr.io')!.info.pushTarget = true;
    const row = endpointRow(store.state.targets.get('gcr.io')!);
    expect(row.cells.state).toBe('wait');
    expect(row.cells.host).toBe('*gcr.io');
  });

  it('shows the proxy CONNECT time, and its column, only for rounds through a proxy', () => {
    const proxied = okProbe('gcr.io', 1000, { dns: 1, connect: 2, proxy: 12, tls: 20, ttfb: 30, total: 65 });
    proxied.details.proxy = { url: 'http://proxy.corp:3128', status: 200 };
    proxied.details.address = '10.1.1.1';
    const store = storeOf([sessionStart(['gcr.io', 'eu.gcr.io']), proxied, okProbe('eu.gcr.io', 1000, { total: 9 })]);
    const rows = endpointRows(store.state);
    expect(rows[0]!.cells).toMatchObject({ proxy: '12/12', addr: 'proxy 10.1.1.1' });
    expect(rows[1]!.cells.proxy).toBe('');
    expect(columnsFor(rows).map((c) => c.key)).toContain('proxy');
    expect(columnsFor(rows.slice(1)).map((c) => c.key)).not.toContain('proxy');
  });

  it('warns on interception even without loss', () => {
    const probe = okProbe('gcr.io', 1000, { total: 10 });
    probe.details.tls = { protocol: 'TLSv1.3', verified: true, interception: 'Corp Proxy CA' };
    const store = storeOf([sessionStart(['gcr.io']), probe]);
    const t = store.state.targets.get('gcr.io')!;
    expect(healthOf(t)).toBe('warn');
    expect(endpointRow(t).cells).toMatchObject({ cert: '1.3 MITM', error: 'issuer Corp Proxy CA' });
  });
});

describe('verdict', () => {
  it('names the worst current error per category, then says all is well once it is', () => {
    const failing = storeOf([
      sessionStart(['a', 'b', 'c']),
      failedProbe('a', 1000, 'tls.timeout', 'tls'),
      failedProbe('b', 1000, 'tls.timeout', 'tls'),
      failedProbe('c', 1000, 'http.5xx', 'http'),
    ]);
    expect(verdictOf(failing.state)).toEqual({
      text: 'network: tls.timeout on a, b | registry: http.5xx on c',
      tone: 'fail',
    });
    const fine = storeOf([sessionStart(['a']), okProbe('a', 1000, { total: 3 })]);
    expect(verdictOf(fine.state)).toEqual({ text: 'all 1 endpoint answering', tone: 'ok' });
    expect(verdictOf(storeOf([sessionStart(['a'])]).state).tone).toBe('dim');
  });
  it("headlines the best-ranked problem in the report's words, never a note", () => {
    const finding = (code: string, confidence: DiagnosisEvent['confidence'], ms: number, category = 'network') =>
      event<DiagnosisEvent>(ms, {
        type: 'diagnosis',
        category,
        code,
        summary: `summary ${code}`,
        evidence: [],
        confidence,
        advice: '',
      });
    const store = storeOf([
      sessionStart(['a']),
      okProbe('a', 1000, { total: 3 }),
      finding('network.endpoint_failing', 'low', 1),
      finding('registry.server_errors', 'high', 2, 'registry'),
      finding('network.tls_interception', 'medium', 3),
    ]);
    expect(verdictOf(store.state)).toEqual({
      text: 'Registry side (registry.server_errors, high confidence): summary registry.server_errors (+2 more)',
      tone: 'fail',
    });
    // A certificate renewing soon is a note (ranked below a problem): it does not make the headline.
    const notes = storeOf([
      sessionStart(['a']),
      okProbe('a', 1000, { total: 3 }),
      { ...finding('network.tls_certificate', 'low', 2), score: 20 },
    ]);
    expect(verdictOf(notes.state)).toEqual({ text: 'all 1 endpoint answering (1 note)', tone: 'ok' });
  });
});

describe('event log lines', () => {
  it('describe state changes, retries and errors, skipping repeated credential checks', () => {
    const auth = (ms: number, fingerprint: string) =>
      event<AuthEvent>(ms, { type: 'auth', view: 'docker', host: 'gcr.io', ok: true, fingerprint });
    const lines = logLines([
      auth(1, 'aa'),
      auth(2, 'aa'),
      auth(3, 'bb'),
      event<PushRetryEvent>(4, {
        type: 'push.retry',
        attempt: 2,
        layer: 'abc',
        delaySeconds: 10,
        cause: 'TLS handshake timeout',
      }),
    ]);
    expect(lines.map((l) => l.text)).toEqual([
      'docker credential for gcr.io ok token aa',
      'docker credential for gcr.io ok token bb',
      'push retry #2 layer abc in 10s: TLS handshake timeout',
    ]);
    expect(describeEvent(failedProbe('a', 0, 'dns.servfail', 'dns'))).toMatchObject({
      text: 'a FAIL dns.servfail: dns.servfail for the test',
      tone: 'fail',
      t: T0,
    });
  });
});

describe('panels', () => {
  it('credential lines show identity, expiry countdown and push permission', () => {
    const a = event<AuthEvent>(0, {
      type: 'auth',
      view: 'docker',
      host: 'gcr.io',
      ok: true,
      kind: 'oauth2accesstoken',
      helper: { name: 'gcloud', ms: 120.4 },
      expiresAt: at(600_000),
      canPush: true,
    });
    expect(credentialLines([a], [], T0 + 60_000)).toEqual([
      { text: 'docker gcr.io: ok expires in 9m00s push: yes oauth2accesstoken helper gcloud 120ms', tone: 'ok' },
    ]);
    expect(credentialLines([a], [], T0 + 400_000)[0]!.tone).toBe('warn');
    expect(credentialLines([a], [], T0 + 700_000)[0]!.text).toContain('ok expired 1m40s ago');
  });

  it('push lines show the command, layers with retries, and the last output', () => {
    const store = storeOf([
      sessionStart(['gcr.io']),
      event<PushStartEvent>(0, {
        type: 'push.start',
        argv: ['docker', 'push', 'gcr.io/p/app:1'],
        tool: 'docker',
        registry: 'gcr.io',
      }),
      event<PushLayerEvent>(100, { type: 'push.layer', layer: 'cbb277760eee', state: 'pushing' }),
      event<PushRetryEvent>(200, { type: 'push.retry', layer: 'cbb277760eee', attempt: 1 }),
      event<PushOutputEvent>(300, {
        type: 'push.output',
        stream: 'stdout',
        line: 'cbb277760eee: Retrying in 5 seconds',
      }),
      event<PushEndEvent>(9000, {
        type: 'push.end',
        exitCode: 0,
        durationMs: 9000,
        layersPushed: 1,
        layersExisting: 0,
        retries: 1,
      }),
    ]);
    expect(store.state.targets.get('gcr.io')!.info.pushTarget).toBe(true);
    const lines = pushLines(pushView(store.state.push!), T0 + 20_000, 5, 60).map((l) => l.text);
    expect(lines).toEqual([
      'push docker push gcr.io/p/app:1  9s  1 retry  exit 0',
      'cbb277760eee pushing r1',
      '| cbb277760eee: Retrying in 5 seconds',
    ]);
  });
});

describe('latency in sentences', () => {
  it('carries one unit', async () => {
    const { fmtLatency } = await import('../../src/ui/text.js');
    expect([0.42, 45, 999.4, 1234, undefined].map(fmtLatency)).toEqual(['0.4 ms', '45 ms', '999 ms', '1.2 s', '-']);
    expect(describeEvent(okProbe('a', 0, { total: 1234 }))?.text).toBe('a answering (1.2 s)');
  });
});

describe('credential lines from the credential checks', () => {
  it("say warn for a short-lived token, fail for a refusal, and carry the check's note", () => {
    const warn = event<AuthEvent>(0, {
      type: 'auth',
      view: 'docker',
      host: 'gcr.io',
      ok: false,
      kind: 'oauth2accesstoken',
      error: { code: 'auth.short_lived', category: 'auth', message: 'will expire' },
    });
    const denied = event<AuthEvent>(0, {
      type: 'auth',
      view: 'registry',
      host: 'gcr.io',
      repository: 'proj/app',
      ok: false,
      canPush: false,
      error: { code: 'auth.denied', category: 'auth', message: 'no' },
    });
    const none = event<AuthEvent>(0, {
      type: 'auth',
      view: 'google',
      ok: true,
      kind: 'none',
      note: 'no Application Default Credentials',
    });
    const [w, d, n] = credentialLines([warn, denied, none], [], T0);
    expect(w).toMatchObject({ tone: 'warn', text: 'docker gcr.io: WARN auth.short_lived oauth2accesstoken' });
    expect(d).toMatchObject({ tone: 'fail', text: 'registry gcr.io/proj/app: FAIL auth.denied push: NO' });
    expect(n).toMatchObject({ tone: 'ok', text: 'google: ok none - no Application Default Credentials' });
  });
});
