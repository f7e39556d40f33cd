/**
 * Registry fronts (src/sim, the peers the tests use) on loopback in a child process of their
 * own, so that serving TLS does not run on the event loop of the benchmark that measures a
 * client. `startFronts(count)` resolves with `{ ports, caFile, close }`: `count` HTTPS fronts
 * answering /v2/ with a Bearer challenge, certificates from a fresh test CA (in `caFile`) for
 * gcr.io, *.gcr.io, *.pkg.dev and 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './kit.mjs';

const CHILD = `
import { writeFileSync } from 'node:fs';
const sim = await import(process.argv[1] + 'dist/sim/index.js');
const [count, caFile] = [Number(process.argv[2]), process.argv[3]];
const ca = await sim.createCa({ commonName: 'WR2', organization: sim.GOOGLE_TRUST_SERVICES });
const leaf = await sim.issueLeaf(ca);
writeFileSync(caFile, ca.certPem);
const fronts = [];
for (let i = 0; i < count; i++) fronts.push(await sim.startRegistryFront({ tls: { cert: leaf.chainPem, key: leaf.keyPem } }));
process.stdout.write(JSON.stringify(fronts.map((f) => f.address.port)) + '\\n');
const stop = async () => { for (const f of fronts) await f.close(); process.exit(0); };
process.stdin.on('end', stop).resume();
process.on('SIGTERM', stop);
`;

/** Start `count` fronts in a child process; `close()` stops it. */
export function startFronts(count = 1) {
  const dir = mkdtempSync(join(tmpdir(), 'gcrwatch-bench-fronts-'));
  const caFile = join(dir, 'ca.pem');
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, ROOT, String(count), caFile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the fronts' process exited (${code}) before it was ready`)));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      child.removeAllListeners('exit');
      resolve({ ports: JSON.parse(out.split('\n')[0]), caFile, pid: child.pid, close });
    });
  });
}
