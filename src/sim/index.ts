/**
 * The simulated peers: real servers on loopback that behave like the pieces of Google's registry
 * world and fail on demand. Used by the tests and by `gcrwatch --demo` (started in-process).
 */
export * from './lifecycle.js';
export * from './pki.js';
export * from './dns-server.js';
export * from './fault-proxy.js';
export * from './http-faults.js';
export * from './http-host.js';
export * from './registry-front.js';
export * from './token-service.js';
export * from './token-server.js';
export * from './oauth-server.js';
export * from './relay.js';
export * from './mdns-responder.js';
