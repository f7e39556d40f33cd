#!/usr/bin/env node
/**
 * Benchmark: redaction on long adversarial text. Each input repeats the opening of a secret's
 * shape or key form (secret-shapes.ts) 20,000 times then 50,000 plain characters: a pattern
 * that backtracks catastrophically would take seconds or hang here. Prints the time per input and the worst;
 * exits 1 above BOUND_MS (a regression to look at, not a measurement to compare across machines).
 *
 *   npm run build && node bench/redact-adversarial.mjs
 */
import { redactText } from '../dist/core/log/redact.js';

const BOUND_MS = 2000;
const HOSTILE = [
  '"password": "',
  '\\"token\\": \\"',
  'Bearer ',
  '-----BEGIN PRIVATE KEY-----',
  'ya29.',
  'eyJ',
  '1//',
  'token=',
  '\\',
  'Basic ',
  '_json_key:',
  '{"auth":"',
  'AIza',
  'ghp_',
  'github_pat_',
  'glpat-',
  'AKIA',
  'npm_',
  'https://hooks.slack.com/services/',
  'xoxb-',
  'password: ',
  'DB_PASSWORD=',
  'a=',
  'x://u:',
  '--password ',
];
let worst = 0;
for (const piece of HOSTILE) {
  const text = piece.repeat(20_000) + 'x'.repeat(50_000);
  const started = performance.now();
  redactText(text);
  const ms = performance.now() - started;
  worst = Math.max(worst, ms);
  console.log(
    `${JSON.stringify(piece).padEnd(34)} ${String(text.length).padStart(7)} chars  ${ms.toFixed(1).padStart(8)} ms`,
  );
}
console.log(`worst ${worst.toFixed(1)} ms (bound ${BOUND_MS} ms)`);
process.exit(worst > BOUND_MS ? 1 : 0);
