import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import { DiagnosisEngine } from '../../../src/core/diagnose/engine.js';
import { DEFAULT_HOSTS } from '../../../src/core/targets.js';
import type { EventInput } from '../../../src/core/events.js';
import { WrapPlainOutput } from '../../../src/cli/outputs/wrap-plain.js';

function setup() {
  const out: string[] = [];
  const err: string[] = [];
  const bus = new EventBus();
  // The session's diagnosis, as wrap.ts wires it: the output reads its findings at the end.
  const diagnosis = new DiagnosisEngine((finding) => bus.emit(finding));
  bus.subscribe(diagnosis);
  bus.subscribe(
    new WrapPlainOutput({ line: (l) => out.push(l) }, { line: (l) => err.push(l) }, '/tmp/s.ndjson', () =>
      diagnosis.history(),
    ),
  );
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
      { type: 'session.end', reason: 'child-exit', exitCode: 1, summary: [] },
    );
    const text = err.join('\n');
    expect(text).toContain('gcrwatch: retry 1 of layer abc123abc123 in 5s - cause: EOF');
    expect(text).toMatch(/command {2}docker push gcr\.io\/p\/a:1 {2}\(exit 1, 51s\)/);
    expect(text).toContain('layers   0 pushed, 0 already there, 1 not finished');
    expect(text).toMatch(/layer abc123abc123, attempt 1, wait 5s {2}cause: EOF \(push\.eof\)/);
    expect(text).toMatch(/attempt 2, wait 10s {2}cause: not known \(follow the daemon log with --daemon-log\)/);
    expect(text).toContain('error    push.eof (network, docker retries it): use of closed network connection');
    // A failed push has no digest: no "digest none" line.
    expect(text).not.toContain('digest');
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
    // Each run of the checks: docker's view, then Google's (which ends the run's docker lines).
    const google: EventInput = { type: 'auth', view: 'google', identity: 'me@example.com', ok: true };
    emit(check(true), google, check(true), google, check(false), google, check(false), google);
    expect(err).toHaveLength(3);
    expect(err[0]).toMatch(/^gcrwatch: .*auth docker +gcr\.io .* ok$/);
    expect(err[1]).toMatch(/^gcrwatch: .*auth google +me@example\.com {2}ok$/);
    expect(err[2]).toMatch(/^gcrwatch: .*expired/);
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

  it('ends a refused push with the verdict and the next step, in the words of the report', () => {
    const { err, emit } = setup();
    const refusal =
      'denied: Permission "artifactregistry.repositories.uploadArtifacts" denied on resource "projects/p/locations/europe-west1/repositories/r"';
    emit(
      { type: 'push.start', argv: ['docker', 'push', 'gcr.io/p/a:1'], tool: 'docker', pid: 1, registry: 'gcr.io' },
      { type: 'push.output', stream: 'stderr', line: refusal },
      { type: 'push.error', text: refusal, code: 'push.denied', category: 'auth', retryable: false },
      { type: 'push.end', exitCode: 1, durationMs: 2_000, layersPushed: 0, layersExisting: 0, retries: 0 },
    );
    err.length = 0;
    emit({ type: 'session.end', reason: 'child-exit', exitCode: 1, summary: [] });
    const text = err.join('\n');
    expect(text).toMatch(
      /^gcrwatch: verdict: Credentials \(auth\.push_denied, high confidence\)\. The registry refuses to let this identity push to gcr\.io: .*uploadArtifacts/m,
    );
    expect(text).toMatch(/^gcrwatch: next step: Grant the identity push rights .*roles\/artifactregistry\.writer/m);
    expect(text).toMatch(/^gcrwatch: the evidence and the timeline: gcrwatch report \/tmp\/s\.ndjson$/m);
    // The push summary, then the verdict, last: nothing after it but the pointer to the report.
    expect(text.indexOf('gcrwatch: push summary')).toBeLessThan(text.indexOf('gcrwatch: verdict: '));
    expect(err.at(-1)).toMatch(/gcrwatch report/);
  });

  it('says that no error line was recognised, with the status, never "error none"', () => {
    const { err, emit } = setup();
    emit(
      { type: 'push.start', argv: ['sh', '-c', 'exit 3'], tool: 'generic', pid: 1 },
      { type: 'push.end', exitCode: 3, durationMs: 20, layersPushed: 0, layersExisting: 0, retries: 0 },
      { type: 'session.end', reason: 'child-exit', exitCode: 3, summary: [] },
    );
    expect(err).toContain('gcrwatch:   error    no error line recognised; exit 3');
    expect(err.join('\n')).not.toMatch(/error +none/);
  });

  it('shows the causes of retries for people: method, host and path, not the upload state', () => {
    const { err, emit } = setup();
    const cause =
      'writing blob: Patch "https://gcr.io/v2/p/a/blobs/uploads/1ad0653e?_state=zEnEIwaL7Jiytf98RQ0pxsExsYM7_TM9XvLAJ0l5LuF7Ik5hbWUiOiJwcm9qL3BvZDIiLCJVVUlE": write: connection reset by peer';
    emit(
      { type: 'push.start', argv: ['podman', 'push', 'gcr.io/p/a:1'], tool: 'podman', pid: 1 },
      { type: 'push.retry', attempt: 1, delaySeconds: 1, cause, causeCode: 'push.connection_reset' },
      { type: 'push.end', exitCode: 0, durationMs: 20, layersPushed: 1, layersExisting: 0, retries: 1 },
      { type: 'session.end', reason: 'child-exit', exitCode: 0, summary: [] },
    );
    const quoted = 'writing blob: PATCH gcr.io/v2/p/a/blobs/uploads/1ad0653e: write: connection reset by peer';
    expect(err).toContain(`gcrwatch: retry 1 in 1s - cause: ${quoted}`);
    expect(err.join('\n')).toContain(`attempt 1, wait 1s  cause: ${quoted} (push.connection_reset)`);
    expect(err.join('\n')).not.toContain('_state');
  });

  it('says once that one credential serves seven hosts, with its warning once', () => {
    const { err, emit } = setup();
    emit({ type: 'push.start', argv: ['docker'], tool: 'docker', pid: 1 });
    err.length = 0;
    const hosts = DEFAULT_HOSTS;
    // Checked a moment apart: the countdown in each message differs by a second.
    hosts.forEach((host, i) =>
      emit({
        type: 'auth',
        view: 'docker',
        host,
        source: '/home/me/.docker/config.json',
        kind: 'access-token',
        identity: 'pusher@p.iam.gserviceaccount.com',
        expiresAt: '2030-01-01T00:00:00.000Z',
        fingerprint: 'ab12cd34',
        ok: false,
        error: {
          code: 'auth.short_lived',
          category: 'auth',
          message: `docker's access token for ${host} is an access token pasted at docker login: it expires in 59m${40 - i}s`,
        },
      }),
    );
    emit({ type: 'auth', view: 'google', ok: true, identity: 'me@example.com' });
    expect(err).toHaveLength(2);
    expect(err[0]).toContain(`auth docker   7 hosts (${hosts.join(', ')})  /home/me/.docker/config.json  access-token`);
    expect(err[0]).toContain('pusher@p.iam.gserviceaccount.com');
    expect(err[0]).toContain(
      "WARN auth.short_lived: docker's access token for each host is an access token pasted at docker login: it expires in 59m40s",
    );
    expect(err[0].match(/short_lived/g)).toHaveLength(1);
  });
});
