/**
 * Proof of push permission that writes nothing: `POST /v2/NAME/blobs/uploads/` with the
 * push token opens an upload session (202 Accepted, a `Location`), and a `DELETE` of that
 * location cancels it at once. No byte of any blob is sent, so nothing is stored.
 * A refusal of the POST (401 insufficient_scope, 403 DENIED) settles that the identity may
 * not push. A refusal of the DELETE (the reference registry wants the `delete` action for
 * it) only means the empty session is left to expire: a note, not a finding.
 */
import { failure, type ProbeErrorInfo } from '../errors.js';
import { describeHttpFailure, registryWords, type RegistryHttp } from './registry-http.js';

/** What the push check found. */
export interface PushCheckOutcome {
  canPush?: boolean;
  error?: ProbeErrorInfo;
  /** How the cancel went, or why there was none. */
  note?: string;
}

/** Open and cancel an upload on `base` (`https://host[:port]`) for `repository`. Never throws. */
export async function checkPushPermission(
  http: RegistryHttp,
  base: string,
  repository: string,
  authorization: string | undefined,
): Promise<PushCheckOutcome> {
  const headers: Record<string, string> = { 'content-length': '0' };
  if (authorization) headers.authorization = authorization;
  let answer;
  try {
    answer = await http.send(`${base}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers });
  } catch (err) {
    return {
      error: failure(
        'auth.error',
        `push check: POST /v2/${repository}/blobs/uploads/ got no answer (${describeHttpFailure(err)})`,
        'auth',
      ),
    };
  }
  const words = registryWords(answer.body) ?? `status ${answer.status}`;
  if (answer.status === 401 || answer.status === 403) {
    const scope = /error="insufficient_scope"/.test(answer.headers['www-authenticate'] ?? '')
      ? ' (the token lacks push)'
      : '';
    return {
      canPush: false,
      error: failure(
        'auth.denied',
        `the registry refused to start an upload to ${repository}${scope}: ${words}`,
        'auth',
      ),
    };
  }
  if (answer.status !== 202) {
    return {
      error: failure(
        'auth.error',
        `push check: POST /v2/${repository}/blobs/uploads/ answered ${answer.status}: ${words}`,
        'auth',
      ),
    };
  }
  const location = answer.headers.location;
  if (!location)
    return {
      canPush: true,
      note: 'upload session opened (202) without a Location to cancel; it will expire on its own',
    };
  return { canPush: true, note: await cancelUpload(http, base, location, authorization) };
}

async function cancelUpload(
  http: RegistryHttp,
  base: string,
  location: string,
  authorization: string | undefined,
): Promise<string> {
  const url = new URL(location, `${base}/`);
  // The token is for this registry only: never send it to another origin a Location names.
  if (url.origin !== new URL(base).origin)
    return `push permission proved (202); the upload session is on ${url.origin}, not cancelled from here, left to expire; nothing was written`;
  try {
    const res = await http.send(url.toString(), { method: 'DELETE', headers: authorization ? { authorization } : {} });
    if (res.status >= 200 && res.status < 300)
      return 'push permission proved: upload session opened (202) and cancelled; nothing was written';
    return `push permission proved (202); the registry refused to cancel the empty upload session (${registryWords(res.body) ?? `status ${res.status}`}), so it is left to expire; nothing was written`;
  } catch (err) {
    return `push permission proved (202); cancelling the empty upload session failed (${describeHttpFailure(err)}), so it is left to expire`;
  }
}
