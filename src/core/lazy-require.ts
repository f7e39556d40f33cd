/**
 * CommonJS packages loaded on first use instead of at start-up. Imported eagerly, undici,
 * google-auth-library (with gcp-metadata) and prom-client cost ~300 ms of start-up and
 * ~30 MB of memory (bench/startup.mjs), although `gcrwatch --version`, `report` or a session
 * without credentials may never use them. A `require` (through createRequire) keeps the
 * callers synchronous; the module is loaded once and shared.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function returning the package `name`, loading it on its first call. */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}

/** undici (HTTP client of the credential checks and proxy tunnels). */
export const undici = lazyRequire<typeof import('undici')>('undici');
/**
 * undici's Client class alone, for the probes' `GET /v2/`: from the file undici's own index
 * requires it from (undici has no exports map; package-lock pins the version, and a test
 * checks it is the very class `undici` exports). The whole package costs 70-90 ms of the
 * first round's time, on the probes' event loop, of which the Client is 25-30 ms (fetch,
 * cookies, websockets and the rest are not needed to probe).
 */
export const undiciClient = lazyRequire<typeof import('undici').Client>('undici/lib/dispatcher/client.js');
/** google-auth-library (Google's view of the credential). */
export const googleAuth = lazyRequire<typeof import('google-auth-library')>('google-auth-library');
/** gcp-metadata (is this machine on Google Cloud?). */
export const gcpMetadata = lazyRequire<typeof import('gcp-metadata')>('gcp-metadata');
