/**
 * Retry causes as shown to a person: the request line of a Go error keeps its method, host and
 * path, and drops the opaque upload state (skopeo's and podman's causes, from the fixtures).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { quoteCause } from '../../../src/core/push/retry-causes.js';
import { FIXTURES } from '../../support/transcripts.js';

describe('quoteCause', () => {
  it("turns skopeo's 300-character upload URL into method, host and path", () => {
    const line = readFileSync(path.join(FIXTURES, 'skopeo-retry.stderr'), 'utf8').split('\n')[0]!;
    const cause = /Error: (.*)"$/.exec(line)![1]!.replace(/\\"/g, '"');
    expect(cause.length).toBeGreaterThan(300);
    expect(quoteCause(cause)).toBe(
      'writing blob: PATCH gcr.io/v2/proj/sk2/blobs/uploads/2429fa37-21e5-477e-960e-d5f14db95a71: write tcp 127.0.0.1:34768->127.0.1.1:443: write: connection reset by peer',
    );
  });

  it('drops the query of a bare URL, keeps its port, and leaves text without URLs alone', () => {
    expect(quoteCause('Put https://eu.gcr.io:5000/v2/x/blobs/uploads/1?digest=sha256:abc#f: EOF')).toBe(
      'PUT eu.gcr.io:5000/v2/x/blobs/uploads/1: EOF',
    );
    expect(quoteCause('see https://gcr.io/v2/?a=1 now')).toBe('see gcr.io/v2/ now');
    expect(quoteCause('received unexpected HTTP status: 503 Service Unavailable')).toBe(
      'received unexpected HTTP status: 503 Service Unavailable',
    );
  });
});
