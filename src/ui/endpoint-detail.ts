/**
 * An endpoint's detail view: its last round as an httpstat-style waterfall (DNS, TCP, the
 * proxy's CONNECT, TLS, the server, the transfer: each phase's time and a bar that starts
 * where the previous phase ended, proportional to the round's total), what the TLS handshake
 * showed (protocol, cipher, issuer, chain, days to expiry, interception), what `GET /v2/`
 * answered (status, challenge, registry header) and the last error with its code.
 */
import type { PhaseTimes } from '../core/event-details.js';
import type { TargetSnapshot } from '../core/store.js';
import { BLANK, type PanelLine } from './panel-line.js';
import { fmtClock, fmtLatency } from './text.js';

/** The waterfall's phases in the order they happen, with the names httpstat gives them. */
const WATERFALL: ReadonlyArray<[keyof PhaseTimes, string]> = [
  ['dns', 'DNS lookup'],
  ['connect', 'TCP connect'],
  ['proxy', 'proxy CONNECT'],
  ['tls', 'TLS handshake'],
  ['ttfb', 'server'],
  ['transfer', 'transfer'],
];

const NAME_WIDTH = 14;
const TIME_WIDTH = 9;

/** The waterfall lines of a round's phases, bars in `width` columns; the failed phase marked. */
export function waterfallLines(phases: PhaseTimes, width: number, failedPhase?: string): PanelLine[] {
  const shown = WATERFALL.filter(([p]) => phases[p] !== undefined || p === failedPhase);
  const total = shown.reduce((sum, [p]) => sum + Math.max(0, phases[p] ?? 0), 0);
  const barWidth = Math.max(10, width - NAME_WIDTH - TIME_WIDTH - 4);
  let start = 0;
  const lines = shown.map(([p, name]): PanelLine => {
    const ms = Math.max(0, phases[p] ?? 0);
    const from = total > 0 ? Math.round((start / total) * barWidth) : 0;
    const to = total > 0 ? Math.round(((start + ms) / total) * barWidth) : 0;
    start += ms;
    const failed = p === failedPhase || (p === 'ttfb' && failedPhase === 'http');
    const bar = ' '.repeat(Math.min(from, barWidth - 1)) + (failed ? '×' : '█').repeat(Math.max(1, to - from));
    const time = phases[p] === undefined ? 'failed' : fmtLatency(ms);
    return {
      text: `${name.padEnd(NAME_WIDTH)}${time.padStart(TIME_WIDTH)}  |${bar.padEnd(barWidth).slice(0, barWidth)}|`,
      tone: failed ? 'fail' : 'accent',
    };
  });
  if (phases.total !== undefined)
    lines.push({
      text: `${'total'.padEnd(NAME_WIDTH)}${fmtLatency(phases.total).padStart(TIME_WIDTH)}`,
      tone: 'plain',
    });
  return lines;
}

/** The whole detail of `t` in `width` columns. */
export function endpointDetailLines(t: TargetSnapshot, width: number): PanelLine[] {
  const last = t.last;
  const head: PanelLine = { text: `${t.info.id}${t.info.pushTarget ? '  (push target)' : ''}`, tone: 'title' };
  if (!last) return [head, { text: 'no round yet', tone: 'dim' }];
  const lines: PanelLine[] = [
    head,
    {
      text: `last round ${fmtClock(Date.parse(last.t))} (#${last.round}): ${last.ok ? 'OK' : `FAIL ${last.error?.code ?? ''}`}${last.phases.total !== undefined ? `, ${fmtLatency(last.phases.total)}` : ''}`,
      tone: last.ok ? 'ok' : 'fail',
    },
    ...addressLines(t),
    BLANK,
    ...waterfallLines(last.phases, width, last.ok ? undefined : last.error?.phase),
    BLANK,
    ...tlsLines(t),
    ...httpLines(t),
  ];
  if (last.error) {
    lines.push({
      text: `error ${last.error.code} (${last.error.category}${last.error.phase ? `, ${last.error.phase} phase` : ''}): ${last.error.message}`,
      tone: 'fail',
    });
  } else if (t.lastOkAt === undefined) lines.push({ text: 'no round has succeeded yet', tone: 'warn' });
  return lines;
}

function addressLines(t: TargetSnapshot): PanelLine[] {
  const d = t.last?.details;
  if (!d) return [];
  const parts: string[] = [];
  if (d.address) parts.push(`address ${d.address}${d.family ? ` (IPv${d.family})` : ''}${d.pinned ? ' pinned' : ''}`);
  const dns = d.dns?.[0];
  if (dns)
    parts.push(
      dns.ok
        ? `${dns.resolver} resolver: ${[...dns.v4, ...dns.v6].slice(0, 4).join(' ') || 'no address'}`
        : `${dns.resolver} resolver: ${dns.error?.code ?? 'failed'}`,
    );
  const v6Failed = d.tcp?.filter((a) => a.family === 6 && !a.ok);
  if (v6Failed?.length) parts.push(`IPv6 connect failed (${v6Failed[0]!.error?.code ?? 'error'})`);
  if (d.proxy) parts.push(`via proxy ${d.proxy.url}${d.proxy.status !== undefined ? ` (${d.proxy.status})` : ''}`);
  return parts.length ? [{ text: parts.join('  '), tone: 'plain' }] : [];
}

function tlsLines(t: TargetSnapshot): PanelLine[] {
  const tls = t.lastTls;
  if (!tls) return [{ text: 'TLS   no handshake completed yet', tone: 'dim' }];
  const first = [
    tls.protocol ?? '?',
    tls.cipher,
    tls.alpn ? `ALPN ${tls.alpn}` : undefined,
    tls.verified ? 'verified' : 'NOT verified',
  ]
    .filter(Boolean)
    .join('  ');
  const issuer = `issuer ${tls.issuer ?? '?'}${tls.issuerOrg ? ` (${tls.issuerOrg})` : ''}`;
  const expiry =
    tls.daysLeft !== undefined
      ? `certificate expires in ${Math.floor(tls.daysLeft)} days${tls.validTo ? ` (${tls.validTo})` : ''}`
      : undefined;
  const lines: PanelLine[] = [
    { text: `TLS   ${first}`, tone: tls.verified ? 'plain' : 'fail' },
    { text: `      ${issuer}`, tone: 'plain' },
  ];
  if (tls.chain?.length) lines.push({ text: `      chain: ${tls.chain.join(' < ')}`, tone: 'plain' });
  if (expiry) lines.push({ text: `      ${expiry}`, tone: (tls.daysLeft ?? 99) < 14 ? 'warn' : 'plain' });
  if (tls.interception)
    lines.push({ text: `      TLS interception suspected: the chain is issued by ${tls.interception}`, tone: 'warn' });
  return lines;
}

function httpLines(t: TargetSnapshot): PanelLine[] {
  const http = t.last?.details.http;
  if (!http) return [{ text: 'HTTP  no answer to GET /v2/ in the last round', tone: 'dim' }];
  const challenge = http.challenge
    ? `challenge ${http.challenge.scheme}${http.challenge.realm ? ` realm=${http.challenge.realm}` : ''}${http.challenge.service ? ` service=${http.challenge.service}` : ''}`
    : 'no challenge';
  const parts = [
    `HTTP  ${http.status ?? '?'}`,
    challenge,
    http.registryHeader ? `registry header: ${http.registryHeader}` : 'no registry header',
  ];
  if (http.httpVersion) parts.push(`HTTP/${http.httpVersion}`);
  if (http.retryAfterSeconds !== undefined) parts.push(`Retry-After ${http.retryAfterSeconds}s`);
  const status = http.status ?? 0;
  return [{ text: parts.join('  '), tone: status >= 500 || status === 429 ? 'fail' : 'plain' }];
}
