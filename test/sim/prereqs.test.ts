import { describe, expect, it } from 'vitest';
import { requirePrereqs } from '../peers/prereqs.js';

describe('requirePrereqs', () => {
  it('names each missing prerequisite and the package that brings it', () => {
    expect(requirePrereqs(['node'])).toBeUndefined();
    const reason = requirePrereqs(['node', 'gcrwatch-no-such-tool', 'dig']);
    expect(reason).toMatch(/^missing prerequisites: gcrwatch-no-such-tool/);
    if (requirePrereqs(['dig']) !== undefined) expect(reason).toContain('dig (apt-get install bind9-dnsutils)');
  });

  it('checks root and namespace permission without leaving a namespace behind', () => {
    const isRoot = process.getuid?.() === 0;
    expect(requirePrereqs(['root']) === undefined).toBe(isRoot);
    requirePrereqs(['netns']);
  });
});
