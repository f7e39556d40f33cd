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

/** undici (HTTP client of the credential checks and proxy tunnels). */
export const undici = lazyRequire<typeof import('undici')>('undici');
/** google-auth-library (Google's view of the credential). */
export const googleAuth = lazyRequire<typeof import('google-auth-library')>('google-auth-library');
/**
 * gcp-metadata (is this machine on Google Cloud?), as google-auth-library exports it: a
 * dependency of our own would install a second copy, with its own HTTP stack, beside the one
 * google-auth-library pins.
 */
export const gcpMetadata = () => googleAuth().gcpMetadata;
/** What the probes need of undici: its Client, and its `request` called on a Client. */
export interface UndiciForProbes {
  Client: typeof import('undici').Client;
  request: (
    this: import('undici').Dispatcher,
    options: import('undici').Dispatcher.RequestOptions,
  ) => Promise<import('undici').Dispatcher.ResponseData>;
}

/**
 * undici's Client and its `request`, loaded from the two files undici's own index takes them
 * from: the whole package costs 70-90 ms of the first round, on the probes' event loop (fetch,
 * cookies, websockets...), these two 25-30 ms. undici has no exports map and package-lock pins
 * it; should a later undici move these files, the whole package is loaded instead (slower,
 * never broken), and a test checks that they are the very class and method undici exports.
 */
export const undiciForProbes = lazyLoad<UndiciForProbes>(() => {
  try {
    const Client = require('undici/lib/dispatcher/client.js') as UndiciForProbes['Client'];
    const request = require('undici/lib/api/api-request.js') as UndiciForProbes['request'];
    if (typeof Client === 'function' && typeof request === 'function') return { Client, request };
  } catch {
    // A different layout: the package's own entry point below.
  }
  const whole = undici();
  return { Client: whole.Client, request: whole.Dispatcher.prototype.request as UndiciForProbes['request'] };
});

function lazyLoad<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}
