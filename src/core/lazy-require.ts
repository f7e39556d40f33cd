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

/** undici (HTTP client of the credential checks and proxy tunnels; the probes use node:https). */
export const undici = lazyRequire<typeof import('undici')>('undici');
/** google-auth-library (Google's view of the credential). */
export const googleAuth = lazyRequire<typeof import('google-auth-library')>('google-auth-library');
/** gcp-metadata (is this machine on Google Cloud?). */
export const gcpMetadata = lazyRequire<typeof import('gcp-metadata')>('gcp-metadata');
