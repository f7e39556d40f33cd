import { describe, expect, it } from 'vitest';
import { classifyPushError } from '../../../src/core/push/classify-push-error.js';

describe('classifyPushError', () => {
  it.each([
    ['unauthorized: authentication required', 'push.unauthorized', 'auth', false],
    ['denied: requested access to the resource is denied', 'push.denied', 'auth', false],
    [
      'denied: Permission "artifactregistry.repositories.uploadArtifacts" denied on resource "projects/p/locations/us/repositories/r" (or it may not exist)',
      'push.denied',
      'auth',
      false,
    ],
    ['toomanyrequests: too many requests', 'push.toomanyrequests', 'registry', false],
    [
      "Quota exceeded for quota metric 'Requests' and limit 'Requests per project per region'",
      'push.toomanyrequests',
      'registry',
      false,
    ],
    ['blob upload unknown: blob upload unknown to registry', 'push.blob_upload_unknown', 'image', true],
    ['blob unknown: blob unknown to registry', 'push.blob_unknown', 'image', false],
    ['received unexpected HTTP status: 503 Service Unavailable', 'push.server_error', 'registry', true],
    ["error parsing HTTP 500 response body: invalid character '<'", 'push.server_error', 'registry', false],
    [
      'Put "https://gcr.io/v2/p/a/blobs/uploads/x": net/http: TLS handshake timeout',
      'push.tls_timeout',
      'network',
      true,
    ],
    ['dial tcp 142.250.1.82:443: i/o timeout', 'push.io_timeout', 'network', true],
    [
      'write tcp 10.0.0.2:40108->142.250.1.82:443: write: connection reset by peer',
      'push.connection_reset',
      'network',
      true,
    ],
    ['Patch "https://gcr.io/v2/p/a/blobs/uploads/x": EOF', 'push.eof', 'network', true],
    ['EOF', 'push.eof', 'network', true],
    ['dial tcp: lookup gcr.io on 127.0.0.53:53: no such host', 'push.no_such_host', 'network', true],
    [
      'error getting credentials - err: exec: "docker-credential-gcloud": executable file not found in $PATH, out: ``',
      'push.helper_missing',
      'auth',
      false,
    ],
    ['no basic auth credentials', 'push.no_credentials', 'auth', false],
    ['name unknown: Repository "app" not found', 'push.name_unknown', 'image', false],
    ['manifest invalid: manifest invalid', 'push.manifest_invalid', 'image', false],
    ['unsupported: The operation is unsupported.', 'push.unsupported', 'image', false],
    ['write /var/lib/docker/tmp/GetImageBlob123: no space left on device', 'push.disk_full', 'local', false],
    ['dial tcp 127.0.1.9:443: connect: network is unreachable', 'push.network_unreachable', 'network', true],
    ['x509: certificate signed by unknown authority', 'push.tls_certificate', 'network', true],
  ])('%s -> %s', (text, code, category, retryable) => {
    expect(classifyPushError(text)).toEqual({ code, category, retryable });
  });

  it('a local "permission denied" is not the registry refusing the push', () => {
    expect(classifyPushError('open /root/.docker/config.json: permission denied')?.code).not.toBe('push.denied');
    expect(
      classifyPushError(
        'Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock',
      )?.code,
    ).toBe('push.daemon_unreachable');
  });

  it('ordinary output is not an error', () => {
    for (const text of [
      'The push refers to repository [gcr.io/p/a]',
      'Writing manifest to image destination',
      'EOF marker written to file.txt',
    ]) {
      expect(classifyPushError(text)).toBeUndefined();
    }
  });
});
