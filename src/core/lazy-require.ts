/**
 * CommonJS packages loaded on first use: imported eagerly, undici, google-auth-library and
 * prom-client weigh on every start (bench/startup.mjs), though `report` or a session without
 * credentials never uses them. A `require` keeps the callers synchronous; loaded once, shared.
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
/**
 * gcp-metadata (is this machine on Google Cloud?), as google-auth-library exports it: a
 * dependency of our own would install a second copy, with its own HTTP stack, beside the one
 * google-auth-library pins.
 */
export const gcpMetadata = () => googleAuth().gcpMetadata;
