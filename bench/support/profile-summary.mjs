#!/usr/bin/env node
/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by file,
 * and total (inclusive) time of the heaviest call paths' functions, so a benchmark that misses
 * its target shows where the time goes without opening DevTools.
 *
 *   node bench/support/profile-summary.mjs PROFILE.cpuprofile [--top 25] [--filter TEXT]
 */
import { readFileSync } from 'node:fs';

/** Self and inclusive milliseconds per function and self milliseconds per file of a profile. */
export function summariseProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  }
  const label = (n) =>
    `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const self = new Map();
  const total = new Map();
  const files = new Map();
  let all = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    all += us;
    self.set(label(node), (self.get(label(node)) ?? 0) + us);
    const file = shortUrl(node.callFrame.url) || node.callFrame.functionName;
    files.set(file, (files.get(file) ?? 0) + us);
    // Inclusive time: count each function once per sample along the path to the root.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur));
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + us);
    }
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / 1000]);
  return { totalMs: all / 1000, self: sorted(self), inclusive: sorted(total), files: sorted(files) };
}

/**
 * The heaviest items of a profile, as shares of the time the process was busy (idle left
 * out): `self` by function over all code, `own` by function of gcrwatch's own code (dist/),
 * inclusive of what it calls. Each item is `{ label, ms, pct }`.
 */
export function topItems(profile, count = 12) {
  const s = summariseProfile(profile);
  const idle = s.self.find(([k]) => k.startsWith('(idle)'))?.[1] ?? 0;
  const busy = s.totalMs - idle;
  const item = ([label, ms]) => ({ label, ms, pct: (100 * ms) / busy });
  return {
    busyMs: busy,
    self: s.self
      .filter(([k]) => !k.startsWith('(idle)'))
      .slice(0, count)
      .map(item),
    own: s.inclusive
      .filter(([k]) => k.includes(' dist/'))
      .slice(0, count)
      .map(item),
  };
}

function shortUrl(url) {
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, 'nm:')
    .replace(/^.*\/(dist|src)\//, '$1/');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 25;
  const fi = process.argv.indexOf('--filter');
  const filter = fi > 0 ? process.argv[fi + 1] : undefined;
  const s = summariseProfile(JSON.parse(readFileSync(file, 'utf8')));
  const show = (title, rows) => {
    console.log(`\n${title}`);
    for (const [k, ms] of rows.filter(([k]) => !filter || k.includes(filter)).slice(0, top))
      console.log(`${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / s.totalMs).toFixed(1).padStart(5)} %  ${k}`);
  };
  console.log(`profile: ${s.totalMs.toFixed(0)} ms sampled`);
  show('self time by file', s.files);
  show('self time by function', s.self);
  show('inclusive time by function', s.inclusive);
}
