import { describe, expect, it } from 'vitest';
import type {
  AuthEvent,
  DiagnosisEvent,
  PushEndEvent,
  PushLayerEvent,
  PushOutputEvent,
  PushRetryEvent,
} from '../../src/core/events.js';
import type { FindingCode } from '../../src/core/diagnose/codes.js';
import type { Category } from '../../src/core/errors.js';
import { columnsFor, endpointRow, endpointRows, healthOf } from '../../src/ui/endpoint-rows.js';
import { describeEvent, logLines } from '../../src/ui/event-lines.js';
import { pushLines, pushTitle } from '../../src/ui/push-lines.js';
import { verdictOf } from '../../src/ui/verdict.js';
import { event, failedProbe, okProbe, pushStart, rounds, sessionStart, storeOf, T0 } from './helpers/events.js';

describe('endpoint rows', () => {
  it('write health in words and phase cells as last/p95', () => {
    const store = storeOf([
      sessionStart(['gcr.io', 'eu.gcr.io']),
      ...rounds('gcr.io', [20, 40, 30]),
      ...rounds('eu.gcr.io', [20, undefined]),
    ]);
    const [gcr, eu] = endpointRows(store.getSnapshot());
    expect(gcr!.health).toBe('ok');
    expect(gcr!.cells.state).toBe('OK');
    expect(gcr!.cells.tls).toBe('15/20');
    expect(gcr!.cells.host).toBe('gcr.io');
    expect(gcr!.pushTarget).toBe(false);
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
    expect(eu!.health).toBe('fail');
    // The TLS details of the last handshake stay through a round that failed before TLS.
    expect(eu!.cells.cert).toBe('1.3 89d');
  });

  it('says wait before the first round, and marks the push target', () => {
    const store = storeOf([sessionStart(['gcr.io']), pushStart(['docker', 'push'])]);
    const row = endpointRow(store.getSnapshot().targets.get('gcr.io')!);
    expect(row.cells.state).toBe('wait');
    expect(row.pushTarget).toBe(true);
  });

  it('counts a 503 as an error, not as loss: loss is a round with no answer at all', () => {
    const answered = failedProbe('gcr.io', 2000, 'http.5xx', 'http', { dns: 1, connect: 1, tls: 5, ttfb: 9 });
    answered.details = { http: { status: 503 } };
    const store = storeOf([
      sessionStart(['gcr.io', 'eu.gcr.io']),
      okProbe('gcr.io', 1000, { total: 10 }),
      answered,
      okProbe('gcr.io', 3000, { total: 10 }),
      okProbe('gcr.io', 4000, { total: 10 }),
      ...rounds('eu.gcr.io', [10, undefined, 10, 10]),
    ]);
    const [gcr, eu] = endpointRows(store.getSnapshot());
    expect(gcr!.cells).toMatchObject({ loss: '0%', error: '25% errors', state: 'WARN' });
    expect(eu!.cells).toMatchObject({ loss: '25%', error: '25% lost', state: 'WARN' });
  });

  it('gives an unchanged target the same row object, and a changed one a new row', () => {
    const store = storeOf([
      sessionStart(['gcr.io', 'eu.gcr.io']),
      ...rounds('gcr.io', [10]),
      ...rounds('eu.gcr.io', [10]),
    ]);
    const [gcr1, eu1] = endpointRows(store.getSnapshot());
    store.onEvent(okProbe('gcr.io', 2000, { total: 12 }));
    store.flush();
    const [gcr2, eu2] = endpointRows(store.getSnapshot());
    expect(eu2).toBe(eu1);
    expect(gcr2).not.toBe(gcr1);
  });

  it('shows the proxy CONNECT time, and its column, only for rounds through a proxy', () => {
    const proxied = okProbe('gcr.io', 1000, { dns: 1, connect: 2, proxy: 12, tls: 20, ttfb: 30, total: 65 });
    proxied.details.proxy = { url: 'http://proxy.corp:3128', status: 200 };
    proxied.details.address = '10.1.1.1';
    const store = storeOf([sessionStart(['gcr.io', 'eu.gcr.io']), proxied, okProbe('eu.gcr.io', 1000, { total: 9 })]);
    const rows = endpointRows(store.getSnapshot());
    expect(rows[0]!.cells).toMatchObject({ proxy: '12/12', addr: 'proxy 10.1.1.1' });
    expect(rows[1]!.cells.proxy).toBe('');
    expect(columnsFor(rows).map((c) => c.key)).toContain('proxy');
    expect(columnsFor(rows.slice(1)).map((c) => c.key)).not.toContain('proxy');
  });

  it('warns on interception even without loss', () => {
    const probe = okProbe('gcr.io', 1000, { total: 10 });
    probe.details.tls = { protocol: 'TLSv1.3', verified: true, interception: 'Corp Proxy CA' };
    const store = storeOf([sessionStart(['gcr.io']), probe]);
    const t = store.getSnapshot().targets.get('gcr.io')!;
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
    expect(verdictOf(failing.getSnapshot())).toEqual({
      text: 'network: tls.timeout on a, b | registry: http.5xx on c',
      tone: 'fail',
    });
    const fine = storeOf([sessionStart(['a']), okProbe('a', 1000, { total: 3 })]);
    expect(verdictOf(fine.getSnapshot())).toEqual({ text: 'all 1 endpoint answering', tone: 'ok' });
    expect(verdictOf(storeOf([sessionStart(['a'])]).getSnapshot()).tone).toBe('dim');
  });
  it("headlines the best-ranked problem in the report's words, never a note", () => {
    const finding = (
      code: FindingCode,
      confidence: DiagnosisEvent['confidence'],
      ms: number,
      category: Category = 'network',
    ) =>
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
    expect(verdictOf(store.getSnapshot())).toEqual({
      text: 'Registry side: summary registry.server_errors (+2 more)',
      tone: 'fail',
    });
    // A finding short of high confidence says so, in the warning tone.
    const hedged = storeOf([sessionStart(['a']), finding('network.endpoint_failing', 'low', 1)]);
    expect(verdictOf(hedged.getSnapshot())).toEqual({
      text: 'Network (low confidence): summary network.endpoint_failing',
      tone: 'warn',
    });
    // A certificate renewing soon is a note (ranked below a problem): it does not make the headline.
    const notes = storeOf([
      sessionStart(['a']),
      okProbe('a', 1000, { total: 3 }),
      { ...finding('network.tls_certificate', 'low', 2), score: 20 },
    ]);
    expect(verdictOf(notes.getSnapshot())).toEqual({ text: 'all 1 endpoint answering (1 note)', tone: 'ok' });
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
  it('push lines show the command, layers with retries, and the last output', () => {
    const store = storeOf([
      sessionStart(['gcr.io']),
      pushStart(['docker', 'push', 'gcr.io/p/app:1']),
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
    const snapshot = store.getSnapshot();
    expect(snapshot.targets.get('gcr.io')!.info.pushTarget).toBe(true);
    expect(pushTitle(snapshot.push!, 60)).toBe('push docker push gcr.io/p/app:1');
    const lines = pushLines(snapshot.push!, T0 + 20_000, 5, 60).map((l) => l.text);
    expect(lines).toEqual([
      'done, exit 0  9s  1 retry',
      'cbb277760eee pushing r1',
      '| cbb277760eee: Retrying in 5 seconds',
    ]);
  });

  it('push lines keep the command output in sight when room is short, counting the layers in one line', () => {
    const layers = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6'].map((id, i) =>
      event<PushLayerEvent>(100 + i, {
        type: 'push.layer',
        layer: `${id}0000000000`,
        state: i < 4 ? 'pushed' : 'pushing',
      }),
    );
    const output = ['first line', 'second line', 'third line'].map((line, i) =>
      event<PushOutputEvent>(200 + i, { type: 'push.output', stream: 'stderr', line }),
    );
    const store = storeOf([sessionStart(['gcr.io']), pushStart(['docker', 'push', 'x']), ...layers, ...output]);
    const lines = pushLines(store.getSnapshot().push!, T0 + 5_000, 4, 30).map((l) => l.text);
    expect(lines).toEqual(['running  5s  0 retries', '6 layers: 4 pushed, 2 pushing', '| second line', '| third line']);
  });
});

describe('the push panel title', () => {
  const titleOf = (argv: string[], width: number) => {
    const store = storeOf([sessionStart(['gcr.io']), pushStart(argv)]);
    return pushTitle(store.getSnapshot().push!, width);
  };

  // The panel cut the command at its end: `running  3s  2 retries  docker push 127.0.0.1:4~`.
  it('names the whole command when it fits the panel (48 columns at 120x40)', () => {
    expect(titleOf(['docker', 'push', '127.0.0.1:43409/proj/retry:v1'], 48)).toBe(
      'push docker push 127.0.0.1:43409/proj/retry:v1',
    );
  });

  it('cuts the middle of a long command, keeping the image and its tag', () => {
    const title = titleOf(['docker', 'push', 'europe-west1-docker.pkg.dev/my-project/my-repo/my-app:1.2.3'], 48);
    expect(title).toBe('push docker push europe-west1-dock~/my-app:1.2.3');
    expect(title.length).toBe(48);
  });

  it('keeps both ends of a command without a path, and never exceeds the width', () => {
    const argv = ['buildah', 'push', '--retry', '3', 'localimage:v1'];
    for (const width of [5, 12, 30, 47]) expect(titleOf(argv, width).length).toBeLessThanOrEqual(width);
    expect(titleOf(argv, 30)).toMatch(/^push buildah .*~.* localimage:v1$/);
  });
});

describe('latency in sentences', () => {
  it('carries one unit', async () => {
    const { fmtLatency } = await import('../../src/ui/text.js');
    expect([0.42, 45, 999.4, 1234, undefined].map(fmtLatency)).toEqual(['0.4 ms', '45 ms', '999 ms', '1.2 s', '-']);
    expect(describeEvent(okProbe('a', 0, { total: 1234 }))?.text).toBe('a answering (1.2 s)');
  });
});
