/**
 * The metadata server, on Google Cloud: does it answer, how fast, and which service account
 * it speaks for. Asked only where ADC would come from it (see `adc.ts`), with the header
 * every metadata client must send, and judged by the header every real metadata server
 * returns (`Metadata-Flavor: Google`), so that something else on the address is not taken
 * for it.
 */
import { undici } from '../lazy-require.js';
import { failure } from '../errors.js';
import { describeHttpFailure } from './registry-http.js';
import { roundMs, type AuthInput } from './types.js';
import { performance } from 'node:perf_hooks';

/** An answer slower than this is worth a note: every token refresh waits for it. */
export const SLOW_METADATA_MS = 1000;

const EMAIL_PATH = '/computeMetadata/v1/instance/service-accounts/default/email';

/** Ask the metadata server at `host` (host[:port]) who it is. Never throws. */
export async function checkMetadataView(host: string, timeoutMs: number, signal?: AbortSignal): Promise<AuthInput> {
  const e: AuthInput = { type: 'auth', view: 'metadata', host, source: 'metadata server', kind: 'metadata', ok: true };
  const started = performance.now();
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const res = await undici().request(`http://${host}${EMAIL_PATH}`, {
      headers: { 'metadata-flavor': 'Google' },
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
    const body = (await res.body.text()).slice(0, 512).trim();
    const ms = roundMs(performance.now() - started);
    if (res.headers['metadata-flavor'] !== 'Google') {
      return {
        ...e,
        ms,
        ok: false,
        error: failure(
          'auth.error',
          `${host} answered ${res.statusCode} without Metadata-Flavor: Google: not a metadata server`,
          'auth',
        ),
      };
    }
    if (res.statusCode !== 200) {
      return {
        ...e,
        ms,
        ok: false,
        error: failure(
          'auth.error',
          `the metadata server answered ${res.statusCode} for the default service account (none attached?)`,
          'auth',
        ),
      };
    }
    return {
      ...e,
      ms,
      identity: body,
      note:
        ms > SLOW_METADATA_MS
          ? `the metadata server is slow: ${Math.round(ms)} ms`
          : `the metadata server answered in ${ms} ms`,
    };
  } catch (err) {
    return {
      ...e,
      ms: roundMs(performance.now() - started),
      ok: false,
      error: failure('auth.error', `the metadata server ${host} did not answer: ${describeHttpFailure(err)}`, 'auth'),
    };
  }
}
