/**
 * No TLS check is ever disabled (issue 9): no source file turns certificate verification off
 * (`rejectUnauthorized: false`, NODE_TLS_REJECT_UNAUTHORIZED, a `checkServerIdentity` that
 * accepts anything, undici's `connect: { rejectUnauthorized }`); every TLS connection that
 * names `rejectUnauthorized` sets it to true. The simulated world's own servers (src/sim) are
 * test peers and are scanned too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

describe('TLS verification', () => {
  const files = sources(SRC).map((f) => ({ file: path.relative(SRC, f), text: readFileSync(f, 'utf8') }));

  it('is never turned off anywhere in src/', () => {
    expect(files.length).toBeGreaterThan(50);
    const bypass =
      /rejectUnauthorized\s*:(?!\s*true\b)|NODE_TLS_REJECT_UNAUTHORIZED|checkServerIdentity\s*[:=]|--insecure/;
    const offenders = files
      .filter(({ text }) => bypass.test(text))
      .map(({ file, text }) => `${file}: ${bypass.exec(text)![0]}`);
    expect(offenders).toEqual([]);
  });

  it('is asked for explicitly where the probe opens TLS itself', () => {
    const tls = files.find((f) => f.file === path.join('core', 'probes', 'tls.ts'))!;
    expect(tls.text).toMatch(/rejectUnauthorized:\s*true/);
  });
});
