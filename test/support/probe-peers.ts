/**
 * Loopback peers for probe tests: a test CA (named like Google's, so no interception flag),
 * a registry front on 127.0.0.1 with a leaf for the Google names, and helpers to run one
 * probe round against it with gcr.io pinned to the front (as `--resolve` does).
 */
import tls from 'node:tls';
import { afterAll, beforeAll } from 'vitest';
import { runRound, type RoundResult } from '../../src/core/probes/round.js';
import type { ProbeOptions } from '../../src/core/probes/types.js';
import { makeTarget } from '../../src/core/targets.js';
import { createCa, issueLeaf, GOOGLE_TRUST_SERVICES, type TestCa, type TestLeaf } from '../../src/sim/pki.js';
import { startRegistryFront, type RegistryFront, type RegistryFrontOptions } from '../../src/sim/registry-front.js';

export interface ProbePki {
  ca: TestCa;
  leaf: TestLeaf;
  trust: tls.SecureContext;
}

/** A Google-looking CA and leaf, and a trust store holding that CA. */
export async function makePki(): Promise<ProbePki> {
  const ca = await createCa({ organization: GOOGLE_TRUST_SERVICES, commonName: 'GTS test root' });
  const leaf = await issueLeaf(ca);
  return { ca, leaf, trust: tls.createSecureContext({ ca: [...tls.rootCertificates, ca.certPem] }) };
}

/** A registry front with `leaf` on 127.0.0.1. */
export function startFront(leaf: TestLeaf, opts: RegistryFrontOptions = {}): Promise<RegistryFront> {
  return startRegistryFront({ tls: { cert: leaf.chainPem, key: leaf.keyPem }, ...opts });
}

/** Probe options for tests: short deadline, extra trust, and pins. */
export function probeOptions(overrides: Partial<ProbeOptions> = {}): ProbeOptions {
  return { timeoutMs: 2000, pins: new Map(), dnsServers: [], userAgent: 'gcrwatch-test', ...overrides };
}

/** One round against `host:port` with the given options and a deadline of `timeoutMs`. */
export function roundAgainst(host: string, port: number, options: ProbeOptions): Promise<RoundResult> {
  return runRound({ target: makeTarget(host, port, 'flag'), options, signal: AbortSignal.timeout(options.timeoutMs) });
}

/** One round against gcr.io pinned to 127.0.0.1:`port`. */
export function roundAsGcr(
  port: number,
  trust: tls.SecureContext | undefined,
  extra: Partial<ProbeOptions> = {},
): Promise<RoundResult> {
  const pins = new Map([[`gcr.io:${port}`, '127.0.0.1']]);
  return roundAgainst('gcr.io', port, probeOptions({ pins, secureContext: trust, ...extra }));
}

/** The PKI and registry front a test file shares: made before its tests, closed after them. */
export interface FileFront {
  pki: ProbePki;
  front: RegistryFront;
}

/** Register the hooks that make a `FileFront` for the calling test file (call at its top level). */
export function frontForFile(): FileFront {
  const shared = {} as FileFront;
  beforeAll(async () => {
    shared.pki = await makePki();
    shared.front = await startFront(shared.pki.leaf);
  });
  afterAll(() => shared.front?.close());
  return shared;
}
