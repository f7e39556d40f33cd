import { describe, expect, it } from 'vitest';
import { imageUploadErrors } from '../../../../src/core/diagnose/rules/image-upload-errors.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

describe('image-upload-errors', () => {
  it.each([
    ['blob upload unknown: blob upload unknown to registry', 'push.blob_upload_unknown', 'image.blob_upload_unknown'],
    ['digest invalid: provided digest did not match uploaded content', 'push.digest_invalid', 'image.digest_mismatch'],
    ['manifest invalid: manifest invalid', 'push.manifest_invalid', 'image.manifest_invalid'],
    ['name unknown: The repository name is not known to the registry', 'push.name_unknown', 'image.reference_unknown'],
  ] as const)('maps "%s" to its finding', (text, code, finding) => {
    const [f] = conclude(
      imageUploadErrors,
      new SessionBuilder(151).start(['gcr.io']).at(1).pushStart('gcr.io/p/a:1').pushError(text, code),
    );
    expect(f).toMatchObject({ code: finding, category: 'image', confidence: 'high' });
    expect(f!.evidence[0]).toContain(text);
  });

  it('also reads the causes of retries and the daemon log', () => {
    const b = new SessionBuilder(152)
      .start(['gcr.io'])
      .at(1)
      .pushStart('gcr.io/p/a:1')
      .retry('l', 1, 'blob upload unknown', 'push.blob_upload_unknown');
    expect(conclude(imageUploadErrors, b)[0]?.code).toBe('image.blob_upload_unknown');
    const d = new SessionBuilder(153)
      .start(['gcr.io'])
      .at(1)
      .daemon('Upload failed: digest invalid', 'push.digest_invalid');
    expect(conclude(imageUploadErrors, d)[0]?.code).toBe('image.digest_mismatch');
  });

  it('clears after a push succeeds', () => {
    const b = new SessionBuilder(154)
      .start(['gcr.io'])
      .at(1)
      .pushStart('gcr.io/p/a:1')
      .pushError('manifest invalid', 'push.manifest_invalid')
      .pushEnd(1, 10)
      .at(60)
      .pushStart('gcr.io/p/a:1')
      .at(70)
      .pushEnd(0, 10_000);
    expect(conclude(imageUploadErrors, b)).toEqual([]);
  });
});
