/**
 * `NO_PROXY` matching, as curl and Go's net/http (docker) read it: a list separated by commas
 * or spaces of
 *   - `*`: no proxy for anything;
 *   - a host name: that host and its subdomains (`example.com` and `.example.com` both match
 *     `example.com` and `a.example.com`; `*.example.com` is read as `.example.com`);
 *   - an IP address, or a CIDR block (`10.0.0.0/8`, `fd00::/8`) for IP-literal hosts;
 *   - any of those with `:PORT`, which then matches that port only.
 * Pure: no I/O, no environment reading here.
 */
import { BlockList, isIP } from 'node:net';

/** One parsed entry. */
export type NoProxyRule =
  | { kind: 'all' }
  | { kind: 'domain'; domain: string; port?: number }
  | { kind: 'ip'; block: BlockList; text: string; port?: number };

/** Parse a `NO_PROXY` value; entries that cannot mean anything are skipped, as curl does. */
export function parseNoProxy(value: string | undefined): NoProxyRule[] {
  if (!value) return [];
  const rules: NoProxyRule[] = [];
  for (const raw of value.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') {
      rules.push({ kind: 'all' });
      continue;
    }
    const rule = parseEntry(entry);
    if (rule) rules.push(rule);
  }
  return rules;
}

function parseEntry(entry: string): NoProxyRule | undefined {
  const { host, port } = splitPort(entry);
  const cidr = /^\[?([0-9a-f:.]+)\]?\/(\d{1,3})$/.exec(host);
  if (cidr) return ipRule(cidr[1]!, Number(cidr[2]), entry, port);
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return ipRule(bare, isIP(bare) === 4 ? 32 : 128, entry, port);
  const domain = host.replace(/^\*?\./, '').replace(/\.$/, '');
  if (!domain) return undefined;
  return port === undefined ? { kind: 'domain', domain } : { kind: 'domain', domain, port };
}

function ipRule(address: string, prefix: number, text: string, port?: number): NoProxyRule | undefined {
  const family = isIP(address);
  if (!family || prefix > (family === 4 ? 32 : 128)) return undefined;
  const block = new BlockList();
  block.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return port === undefined ? { kind: 'ip', block, text } : { kind: 'ip', block, text, port };
}

/** `host:port`, `[v6]:port`; a bare IPv6 address has no port. */
function splitPort(entry: string): { host: string; port?: number } {
  const bracketed = /^(\[[^\]]+\](?:\/\d+)?)(?::(\d+))?$/.exec(entry);
  if (bracketed) return withPort(bracketed[1]!, bracketed[2]);
  if ((entry.match(/:/g) ?? []).length === 1) {
    const [host, port] = entry.split(':');
    if (/^\d+$/.test(port!)) return withPort(host!, port);
  }
  return { host: entry };
}

function withPort(host: string, port: string | undefined): { host: string; port?: number } {
  return port === undefined ? { host } : { host, port: Number(port) };
}

/** True when `rules` say that `host:port` must be reached directly. */
export function bypassesProxy(rules: readonly NoProxyRule[], host: string, port: number): boolean {
  const name = host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  const family = isIP(name);
  return rules.some((rule) => {
    if (rule.kind === 'all') return true;
    if (rule.port !== undefined && rule.port !== port) return false;
    if (rule.kind === 'ip') return family !== 0 && rule.block.check(name, family === 4 ? 'ipv4' : 'ipv6');
    return name === rule.domain || name.endsWith(`.${rule.domain}`);
  });
}
