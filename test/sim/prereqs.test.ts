import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requirePrereqs } from '../peers/prereqs.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PREREQS = path.join(ROOT, 'test/peers/prereqs.ts');

describe('requirePrereqs', () => {
  const path0 = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path0;
  });

  it('names each missing prerequisite and the package that brings it', () => {
    expect(requirePrereqs(['node'])).toBeUndefined();
    // With an empty PATH, dig (in /usr/bin, not in the sbin folders always searched) is missing.
    process.env.PATH = mkdtempSync(path.join(os.tmpdir(), 'gcw-empty-path-'));
    expect(requirePrereqs(['gcrwatch-no-such-tool', 'dig'])).toBe(
      'missing prerequisites: gcrwatch-no-such-tool, dig (apt-get install bind9-dnsutils)',
    );
    rmSync(process.env.PATH, { recursive: true, force: true });
  });

  it('checks root and namespace permission, without leaving a namespace behind', () => {
    const isRoot = process.getuid?.() === 0;
    expect(requirePrereqs(['root']) === undefined).toBe(isRoot);
    const netns = requirePrereqs(['netns']) === undefined;
    // Namespaces need root here; as root, whether one can be made is checked by making one.
    if (!isRoot) expect(netns).toBe(false);
    else expect(netns).toBe(spawnSync('unshare', ['--net', 'true']).status === 0);
    const left = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
    expect(left).not.toMatch(new RegExp(`gcwprobe-${process.pid}\\b`));
  });
});

/** Run `body` as a test file of its own with vitest, `CI` set or not; resolves with its exit code and output. */
function runTestFile(body: string, ci: boolean): { code: number | null; out: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gcw-prereq-run-'));
  try {
    writeFileSync(path.join(dir, 'probe.test.ts'), body);
    const env = { ...process.env, CI: ci ? 'true' : '' };
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--reporter', 'verbose'],
      { env, encoding: 'utf8', timeout: 60_000 },
    );
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('describeWithPrereqs with a prerequisite missing', () => {
  const body = `import { describeWithPrereqs } from ${JSON.stringify(PREREQS)};
describeWithPrereqs('needs a tool', ['gcrwatch-no-such-tool'], () => { throw new Error('the body must not run'); });
`;

  it('fails the run under CI=true, naming what is missing', () => {
    const { code, out } = runTestFile(body, true);
    expect(code).toBe(1);
    expect(out).toContain('needs a tool: missing prerequisites: gcrwatch-no-such-tool');
  }, 90_000);

  it('outside CI skips, and says on stderr what it skipped and why', () => {
    const { code, out } = runTestFile(body, false);
    expect(code).toBe(0);
    expect(out).toContain('gcrwatch tests: skipping "needs a tool": missing prerequisites: gcrwatch-no-such-tool');
    expect(out).not.toContain('the body must not run');
  }, 90_000);
});
