/**
 * Rule: the registry refused something about the image itself — a blob upload it lost or
 * rejected (`blob upload unknown`), a digest or size mismatch, an invalid manifest, a
 * repository or blob it does not know. From the push's errors, the causes of its retries
 * and the daemon's log. Holds until a later push succeeds.
 */
import type { SessionEvent } from '../../events.js';
import type { FindingCode } from '../codes.js';
import { capEvidence, clock, quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Rule } from '../types.js';

/** The rule's name, as its file is named. */
const IMAGE_UPLOAD_ERRORS = 'image-upload-errors';

const BY_PUSH_CODE: Record<string, FindingCode> = {
  'push.blob_upload_unknown': 'image.blob_upload_unknown',
  'push.digest_invalid': 'image.digest_mismatch',
  'push.manifest_invalid': 'image.manifest_invalid',
  'push.name_unknown': 'image.reference_unknown',
  'push.blob_unknown': 'image.reference_unknown',
  'push.unsupported': 'image.manifest_invalid',
};

const SUMMARY: Partial<Record<FindingCode, string>> = {
  'image.blob_upload_unknown':
    'The registry lost or rejected a blob upload session (blob upload unknown): uploads are restarted or fail.',
  'image.digest_mismatch':
    'A layer arrived with a different digest or size than announced: the upload was corrupted on the way, or the local layer is inconsistent.',
  'image.manifest_invalid': 'The registry rejected the image manifest (manifest invalid or unsupported media type).',
  'image.reference_unknown': 'The registry does not know the repository (or a blob the manifest refers to).',
};

const ADVICE: Partial<Record<FindingCode, string>> = {
  'image.blob_upload_unknown':
    'Push again; if it repeats, lower "max-concurrent-uploads" in /etc/docker/daemon.json and check for a proxy that drops long uploads (upload sessions must reach the same registry).',
  'image.digest_mismatch':
    'Rebuild the image (`docker build --no-cache`) and push again; if it repeats on another network, check the proxy or antivirus that rewrites traffic.',
  'image.manifest_invalid':
    'Check the image format: an OCI index or attestation the registry does not accept (`docker buildx build --provenance=false`), or a manifest referring to layers not pushed.',
  'image.reference_unknown':
    'Create the repository first (`gcloud artifacts repositories create REPO --repository-format=docker --location LOCATION`) and check the project and repository names in the image reference.',
};

/** A push error code and its words, from the push's errors, its retries' causes or the daemon's log. */
function pushErrorIn(event: SessionEvent): { code: string; text: string } | undefined {
  if (event.type === 'push.error') return { code: event.code, text: event.text };
  if (event.type === 'push.retry' && event.causeCode)
    return { code: event.causeCode, text: event.cause ?? event.causeCode };
  if (event.type === 'daemon.log' && event.code) return { code: event.code, text: event.message };
  return undefined;
}

interface Seen {
  t: number;
  text: string;
}

/** Create the rule. */
export function imageUploadErrors(): Rule {
  const seen = new Map<FindingCode, Seen[]>();
  const add = (code: FindingCode, s: Seen) => {
    const list = seen.get(code) ?? [];
    if (list.length < 10) list.push(s);
    seen.set(code, list);
  };
  return {
    name: IMAGE_UPLOAD_ERRORS,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      const said = pushErrorIn(event);
      const finding = said ? BY_PUSH_CODE[said.code] : undefined;
      if (said && finding) {
        add(finding, { t: facts.now, text: said.text });
        return true;
      }
      if (event.type === 'push.end' && event.exitCode === 0 && seen.size) {
        seen.clear();
        return true;
      }
      return false;
    },
    findings() {
      return [...seen.entries()].map(([code, list]) => ({
        code,
        category: 'image' as const,
        summary: SUMMARY[code]!,
        evidence: capEvidence(list.map((s) => `${clock(s.t)} ${quote(s.text, 200)}`)),
        basis: 'stated' as const,
        coverage: 'full' as const,
        advice: ADVICE[code]!,
      }));
    },
  };
}
