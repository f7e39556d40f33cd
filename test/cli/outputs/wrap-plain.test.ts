import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import type { EventInput } from '../../../src/core/events.js';
import { WrapPlainOutput } from '../../../src/cli/outputs/wrap-plain.js';

function setup() {
  const out: string[] = [];
  const err: string[] = [];
  const bus = new EventBus();
  bus.subscribe(new WrapPlainOutput({ line: (l) => out.push(l) }, { line: (l) => err.push(l) }, '/tmp/s.ndjson'));
  const emit = (...events: EventInput[]) => {
    for (const e of events) bus.emit(e);
  };
  emit({
    type: 'session.start',
    version: '0',
    node: 'v20',
    platform: 'linux',
    mode: 'wrap',
    options: {},
    targets: [
      { id: 'gcr.io', host: 'gcr.io', port: 443, source: 'push', pushTarget: true },
      { id: 'us.gcr.io', host: 'us.gcr.io', port: 443, source: 'default' },
    ],
  });
  return { out, err, emit };
}

const probe = (target: string, ok: boolean, code?: 'tls.timeout'): EventInput => ({
  type: 'probe',
  target,
  round: 1,
  kind: 'round',
  ok,
  ms: 10,
  phases: { total: 10 },
  details: {},
  ...(code ? { error: { code, category: 'network', message: 'TLS handshake did not complete' } } : {}),
});

describe('WrapPlainOutput', () => {
  it("prints the command's lines on the stream they came from, unprefixed", () => {
    const { out, err, emit } = setup();
    emit(
      { type: 'push.start', argv: ['docker', 'push', 'gcr.io/p/a:1'], tool: 'docker', pid: 42 },
      { type: 'push.output', stream: 'stdout', line: 'abc123abc123: Preparing' },
      { type: 'push.output', stream: 'stderr', line: 'denied: no' },
    );
    expect(out).toEqual(['abc123abc123: Preparing']);
    expect(err).toEqual([
      'gcrwatch: watching pid 42; probing 2 registry endpoint(s), push target gcr.io; log /tmp/s.ndjson',
      'denied: no',
    ]);
  });

  it("prints a probe line only when an endpoint changes health (and the push target's first round)", () => {
    const { err, emit } = setup();
    emit({ type: 'push.start', argv: ['docker'], tool: 'docker', pid: 1 });
    err.length = 0;
    emit(
      probe('gcr.io', true),
      probe('us.gcr.io', true),
      probe('gcr.io', true),
      probe('gcr.io', false, 'tls.timeout'),
      probe('gcr.io', false, 'tls.timeout'),
      probe('gcr.io', true),
    );
    expect(err.map((l) => / (ok|FAIL \S+)/.exec(l)?.[1])).toEqual(['ok', 'FAIL tls.timeout:', 'ok']);
  });

  it('announces each retry with its cause, then a summary with the final error', () => {
    const { err, emit } = setup();
    emit(
      { type: 'push.start', argv: ['docker', 'push', 'gcr.io/p/a:1'], tool: 'docker', pid: 1 },
      { type: 'push.layer', layer: 'abc123abc123', state: 'preparing' },
      { type: 'push.retry', layer: 'abc123abc123', attempt: 1, delaySeconds: 5, cause: 'EOF', causeCode: 'push.eof' },
      { type: 'push.retry', layer: 'abc123abc123', attempt: 2, delaySeconds: 10 },
      {
        type: 'push.error',
        text: 'use of closed network connection',
        code: 'push.eof',
        category: 'network',
        retryable: true,
      },
      { type: 'push.end', exitCode: 1, durationMs: 51_000, layersPushed: 0, layersExisting: 0, retries: 2 },
    );
    const text = err.join('\n');
    expect(text).toContain('gcrwatch: retry 1 of layer abc123abc123 in 5s - cause: EOF');
    expect(text).toMatch(/command {2}docker push gcr\.io\/p\/a:1 {2}\(exit 1, 51s\)/);
    expect(text).toContain('layers   0 pushed, 0 already there, 1 not finished');
    expect(text).toMatch(/layer abc123abc123, attempt 1, wait 5s {2}cause: EOF \(push\.eof\)/);
    expect(text).toMatch(/attempt 2, wait 10s {2}cause: not known \(follow the daemon log with --daemon-log\)/);
    expect(text).toContain('error    push.eof (network, docker retries it): use of closed network connection');
    expect(text).toContain('digest   none');
  });

  it('says nothing of its own for a command that could not start (the CLI prints the one line)', () => {
    const { out, err, emit } = setup();
    emit(
      { type: 'push.start', argv: ['nope'], tool: 'generic' },
      {
        type: 'push.error',
        text: 'cannot run "nope"',
        code: 'local.child_failed',
        category: 'local',
        retryable: false,
      },
      { type: 'push.end', exitCode: 127, durationMs: 3, layersPushed: 0, layersExisting: 0, retries: 0 },
      { type: 'session.end', reason: 'child-exit', exitCode: 127, summary: [] },
    );
    expect([...out, ...err]).toEqual([]);
  });

  it('prints a credential check the first time and when its outcome changes', () => {
    const { err, emit } = setup();
    emit({ type: 'push.start', argv: ['docker'], tool: 'docker', pid: 1 });
    err.length = 0;
    const check = (ok: boolean): EventInput => ({
      type: 'auth',
      view: 'docker',
      host: 'gcr.io',
      kind: 'oauth2accesstoken',
      ok,
      ...(ok ? {} : { error: { code: 'auth.token_expired', category: 'auth', message: 'the token has expired' } }),
    });
    emit(check(true), check(true), check(false), check(false));
    expect(err).toHaveLength(2);
    expect(err[1]).toMatch(/^gcrwatch: .*expired/);
  });

  it("prints the engine's notes", () => {
    const { err, emit } = setup();
    emit(
      { type: 'push.start', argv: ['docker'], tool: 'docker', pid: 1 },
      {
        type: 'engine.info',
        version: '27.0',
        storageDriver: 'overlayfs',
        containerdSnapshotter: true,
        maxConcurrentUploads: 5,
        maxConcurrentUploadsSource: 'default',
        notes: ['the containerd image store is in use'],
      },
    );
    expect(err.slice(1)).toEqual([
      'gcrwatch: docker 27.0, storage overlayfs (containerd image store), max-concurrent-uploads 5 (default), daemon proxy none',
      'gcrwatch: note: the containerd image store is in use',
    ]);
  });
});
