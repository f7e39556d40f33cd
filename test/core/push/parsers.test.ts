import { describe, expect, it } from 'vitest';
import { ParserState } from '../../../src/core/push/parser-state.js';
import { parseDockerPushLine } from '../../../src/core/push/parsers/docker.js';
import { parseGenericLine } from '../../../src/core/push/parsers/generic.js';
import type { PushTool } from '../../../src/core/push/push-command.js';
import { ofType, readTranscript } from '../../support/transcripts.js';

const CHUNK_SIZES = [0, 1, 7, 64];

function finalLayers(tool: PushTool, name: string): Record<string, string> {
  const layers: Record<string, string> = {};
  for (const e of ofType(readTranscript(tool, name).events, 'push.layer')) layers[e.layer] = e.state;
  return layers;
}

describe('docker parser on recorded transcripts', () => {
  it('clean push: the layer goes preparing -> pushed, the digest is read, nothing else', () => {
    const { events } = readTranscript('docker', 'docker28-clean');
    expect(events).toEqual([
      { type: 'push.layer', layer: 'a6e44935aedb', state: 'preparing' },
      { type: 'push.layer', layer: 'a6e44935aedb', state: 'pushed' },
      {
        type: 'push.digest',
        tag: 'v1',
        digest: 'sha256:4ed6c558907c00f60d21f961d8224e1e520f89a9aa3821964a9e949576ea1199',
        size: 528,
      },
    ]);
  });

  it('the older CLI prints the same lines', () => {
    expect(ofType(readTranscript('docker', 'docker20-clean').events, 'push.layer').map((e) => e.state)).toEqual([
      'preparing',
      'pushed',
    ]);
  });

  it('seven layers: two waited, all pushed', () => {
    const { events } = readTranscript('docker', 'docker28-multi');
    const layers = finalLayers('docker', 'docker28-multi');
    expect(Object.keys(layers)).toHaveLength(7);
    expect(new Set(Object.values(layers))).toEqual(new Set(['pushed']));
    expect(ofType(events, 'push.layer').filter((e) => e.state === 'waiting')).toHaveLength(2);
  });

  it('existing and mounted layers', () => {
    expect(finalLayers('docker', 'docker28-exists')).toEqual({ a6e44935aedb: 'exists' });
    expect(finalLayers('docker', 'docker28-mounted')).toEqual({ a6e44935aedb: 'mounted' });
  });

  it('two resets: exactly two retries, attempts 1 and 2, delays 5 and 10, then pushed', () => {
    const { events } = readTranscript('docker', 'docker28-retry-2');
    expect(ofType(events, 'push.retry')).toEqual([
      { type: 'push.retry', layer: '999fb587b9e4', attempt: 1, delaySeconds: 5 },
      { type: 'push.retry', layer: '999fb587b9e4', attempt: 2, delaySeconds: 10 },
    ]);
    expect(ofType(events, 'push.error')).toEqual([]);
    expect(finalLayers('docker', 'docker28-retry-2')).toEqual({ '999fb587b9e4': 'pushed' });
  });

  it('every upload reset: four countdowns (five attempts), then a network error docker would retry', () => {
    const { events } = readTranscript('docker', 'docker28-reset-all');
    expect(ofType(events, 'push.retry').map((e) => [e.attempt, e.delaySeconds])).toEqual([
      [1, 5],
      [2, 10],
      [3, 15],
      [4, 20],
    ]);
    expect(ofType(events, 'push.error')).toEqual([
      {
        type: 'push.error',
        text: 'use of closed network connection',
        code: 'push.eof',
        category: 'network',
        retryable: true,
      },
    ]);
  });

  it('stalled handshakes: the final error is the TLS handshake timeout', () => {
    const { events } = readTranscript('docker', 'docker28-tls-timeout');
    expect(ofType(events, 'push.retry')).toHaveLength(4);
    expect(ofType(events, 'push.error').map((e) => e.code)).toEqual(['push.tls_timeout']);
  });

  it('terminal output: progress redraws and cursor codes still give two retries, two pushed layers and the digest', () => {
    const { events } = readTranscript('docker', 'docker28-tty-retry');
    expect(ofType(events, 'push.retry').map((e) => [e.layer, e.attempt, e.delaySeconds])).toEqual([
      ['df52d57a4b3d', 1, 5],
      ['df52d57a4b3d', 2, 10],
    ]);
    expect(Object.values(finalLayers('docker', 'docker28-tty-retry'))).toEqual(['pushed', 'pushed']);
    expect(ofType(events, 'push.digest')).toHaveLength(1);
  });

  it('terminal output: the error printed into the same stream is recognised', () => {
    const { events } = readTranscript('docker', 'docker28-tty-denied');
    expect(ofType(events, 'push.error').map((e) => e.code)).toEqual(['push.denied']);
  });

  it.each([
    ['docker28-denied', 'push.denied', 'auth', false],
    ['docker28-unauthorized', 'push.unauthorized', 'auth', false],
    ['docker28-no-basic-auth', 'push.no_credentials', 'auth', false],
    ['docker28-helper-missing', 'push.unauthorized', 'auth', false],
    ['docker28-toomanyrequests', 'push.toomanyrequests', 'registry', false],
    ['docker28-server-error', 'push.server_error', 'registry', true],
    ['docker28-name-unknown', 'push.name_unknown', 'image', false],
    ['docker28-manifest-invalid', 'push.manifest_invalid', 'image', false],
    ['docker28-connection-refused', 'push.connection_refused', 'network', true],
    ['docker28-no-such-host', 'push.no_such_host', 'network', true],
    ['docker28-not-local', 'push.image_not_found', 'local', false],
    ['docker28-daemon-unreachable', 'push.daemon_unreachable', 'local', false],
  ])('%s ends with one push.error %s (%s, retryable %s)', (name, code, category, retryable) => {
    const errors = ofType(readTranscript('docker', name).events, 'push.error');
    expect(errors.map((e) => [e.code, e.category, e.retryable])).toEqual([[code, category, retryable]]);
  });

  it('non-retryable refusals come with no retry; the 500s docker retried come with four', () => {
    expect(ofType(readTranscript('docker', 'docker28-denied').events, 'push.retry')).toEqual([]);
    expect(ofType(readTranscript('docker', 'docker28-server-error').events, 'push.retry')).toHaveLength(4);
  });

  it.each(['docker28-retry-2', 'docker28-reset-all', 'docker28-tty-retry', 'docker28-multi', 'docker28-denied'])(
    '%s gives the same events whatever the chunk boundaries',
    (name) => {
      const whole = readTranscript('docker', name).events;
      for (const size of CHUNK_SIZES) expect(readTranscript('docker', name, size).events).toEqual(whole);
    },
  );

  it('a countdown tick redrawn twice is still one retry', () => {
    const state = new ParserState();
    const lines = [
      'abc123abc123: Retrying in 5 seconds',
      'abc123abc123: Retrying in 5 seconds',
      'abc123abc123: Retrying in 4 seconds',
    ];
    const events = lines.flatMap((text) => parseDockerPushLine({ text, stream: 'stdout' }, state));
    expect(events).toEqual([{ type: 'push.retry', layer: 'abc123abc123', attempt: 1, delaySeconds: 5 }]);
  });

  it('informational lines and warnings on stderr are not errors', () => {
    const state = new ParserState();
    for (const text of ['Using default tag: latest', 'WARNING: No output specified']) {
      expect(parseDockerPushLine({ text, stream: 'stderr' }, state)).toEqual([]);
    }
  });
});

describe('podman and skopeo (containers/image) parser', () => {
  it('podman clean push: both blobs counted as pushed once the manifest is written', () => {
    expect(Object.values(finalLayers('podman', 'podman-clean'))).toEqual(['pushed', 'pushed']);
    expect(ofType(readTranscript('podman', 'podman-clean').events, 'push.error')).toEqual([]);
  });

  it('podman retry line: attempt, delay and the cause it names itself', () => {
    const { events } = readTranscript('podman', 'podman-retry');
    const [retry, ...more] = ofType(events, 'push.retry');
    expect(more).toEqual([]);
    expect(retry).toMatchObject({ attempt: 1, delaySeconds: 1, causeCode: 'push.connection_reset' });
    expect(retry!.cause).toMatch(
      /^writing blob: Patch "https:\/\/gcr.io\/v2\/proj\/pod2\/blobs\/uploads\/.*connection reset by peer$/,
    );
    expect(ofType(events, 'push.error').map((e) => e.code)).toEqual(['push.eof']);
  });

  it('podman refused by the token realm (403): denied', () => {
    expect(
      ofType(readTranscript('podman', 'podman-denied').events, 'push.error').map((e) => [e.code, e.retryable]),
    ).toEqual([['push.denied', false]]);
  });

  it('podman on a terminal: progress bars, "done" and "skipped: already exists"', () => {
    expect(finalLayers('podman', 'podman-tty-clean')).toEqual({ ebe9bd594f61: 'pushed', '4d228ff828c9': 'pushed' });
    expect(finalLayers('podman', 'podman-tty-exists')).toEqual({ '5f4fa0f52ead': 'exists', f8c6cb878fb4: 'exists' });
  });

  it('terminal recordings give the same events byte by byte', () => {
    for (const name of ['podman-tty-clean', 'podman-tty-exists']) {
      expect(readTranscript('podman', name, 1).events).toEqual(readTranscript('podman', name).events);
    }
  });

  it('skopeo: a retry, then success', () => {
    const { events } = readTranscript('skopeo', 'skopeo-retry');
    expect(ofType(events, 'push.retry').map((e) => [e.attempt, e.causeCode])).toEqual([[1, 'push.connection_reset']]);
    expect(ofType(events, 'push.error')).toEqual([]);
  });

  it.each([
    ['skopeo-unauthorized', 'push.unauthorized'],
    ['skopeo-toomanyrequests', 'push.toomanyrequests'],
    ['skopeo-no-such-host', 'push.no_such_host'],
  ])('skopeo %s: its fatal log line is a %s error', (name, code) => {
    expect(ofType(readTranscript('skopeo', name).events, 'push.error').map((e) => e.code)).toEqual([code]);
  });
});

describe('crane parser (lines built from its format strings)', () => {
  it('retry with its cause, blob states, the digest once', () => {
    const { events } = readTranscript('crane', 'crane-constructed-retry');
    expect(ofType(events, 'push.retry')).toEqual([
      expect.objectContaining({ attempt: 1, causeCode: 'push.connection_reset' }),
    ]);
    expect(finalLayers('crane', 'crane-constructed-retry')).toEqual({
      a3992ffeb82d: 'pushed',
      b641675cf6d0: 'exists',
      '2cfacf8846b5': 'mounted',
      dcd44cc5e0ef: 'pushed',
    });
    expect(ofType(events, 'push.digest')).toEqual([
      {
        type: 'push.digest',
        tag: 'v1',
        digest: 'sha256:bc0f991d5c6d58b35c575b96526d5133103fdbd2ea1d5fdb84a6e32be5f0c297',
        size: 738,
      },
    ]);
  });

  it("cobra's final error with the spec code in upper case", () => {
    expect(ofType(readTranscript('crane', 'crane-constructed-denied').events, 'push.error').map((e) => e.code)).toEqual(
      ['push.denied'],
    );
  });
});

describe('generic parser', () => {
  it('recognises docker lines inside another command and error texts anywhere', () => {
    const state = new ParserState();
    const run = (text: string) => parseGenericLine({ text, stream: 'stdout' }, state);
    expect(run('make: pushing image')).toEqual([]);
    expect(run('fe33a43fb861: Retrying in 5 seconds')).toEqual([
      { type: 'push.retry', layer: 'fe33a43fb861', attempt: 1, delaySeconds: 5 },
    ]);
    expect(run('step 3 failed: net/http: TLS handshake timeout')).toMatchObject([
      { code: 'push.tls_timeout', retryable: true },
    ]);
    expect(run('Error: something nobody has seen')).toMatchObject([{ code: 'push.error' }]);
  });

  it('the same error line repeated is one error', () => {
    const state = new ParserState();
    const line = { text: 'unauthorized: Not Authorized.', stream: 'stderr' as const };
    expect([...parseGenericLine(line, state), ...parseGenericLine(line, state)]).toHaveLength(1);
  });
});
