/**
 * A loopback registry front with a Google-looking test CA, and that CA in a PEM file for
 * `--ca-file`: what CLI tests need to run gcrwatch against a healthy registry.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RegistryFront, RegistryFrontOptions } from '../../src/sim/registry-front.js';
import { makePki, startFront, type ProbePki } from './probe-peers.js';

/** The front, its `127.0.0.1:PORT` target, the CA file, and a scratch folder. */
export interface TrustedFront {
  pki: ProbePki;
  front: RegistryFront;
  target: string;
  caFile: string;
  dir: string;
  close(): Promise<void>;
}

/** Start a front trusted through a CA file in a fresh temporary folder. */
export async function startTrustedFront(opts: RegistryFrontOptions = {}): Promise<TrustedFront> {
  const pki = await makePki();
  const front = await startFront(pki.leaf, opts);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-front-'));
  const caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, pki.ca.certPem);
  return {
    pki,
    front,
    dir,
    caFile,
    target: `127.0.0.1:${front.address.port}`,
    close: async () => {
      await front.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
