/** Failures of a probe round, by its phase: DNS, TCP, TLS, the HTTP answer, a proxy. */
import type { CodeSpec } from '../errors.js';

/** Network codes, part of the closed set `ERROR_CODES`. */
export const NETWORK_CODES = {
  'dns.nxdomain': { category: 'network', temporary: false, description: 'The name does not exist (NXDOMAIN).' },
  'dns.servfail': {
    category: 'network',
    temporary: true,
    description: 'The resolver failed to answer (SERVFAIL, or getaddrinfo EAI_AGAIN).',
  },
  'dns.refused': { category: 'network', temporary: false, description: 'The resolver refused the query (REFUSED).' },
  'dns.timeout': { category: 'network', temporary: true, description: 'No answer from the resolver in time.' },
  'dns.no_address': {
    category: 'network',
    temporary: false,
    description: 'The name exists but has no address of the wanted family (NODATA).',
  },
  'dns.bad_response': {
    category: 'network',
    temporary: true,
    description: 'The resolver answered with a malformed packet.',
  },
  'dns.error': { category: 'network', temporary: true, description: 'Another resolver failure.' },
  'tcp.refused': {
    category: 'network',
    temporary: true,
    description: 'Connection refused: nothing listens, or a firewall rejects.',
  },
  'tcp.reset': { category: 'network', temporary: true, description: 'Connection reset by the peer or a middlebox.' },
  'tcp.timeout': {
    category: 'network',
    temporary: true,
    description: 'Connect did not complete in time (black hole, SYN dropped).',
  },
  'tcp.unreachable': {
    category: 'network',
    temporary: true,
    description: 'No route to the host or network (EHOSTUNREACH, ENETUNREACH).',
  },
  'tcp.error': { category: 'network', temporary: true, description: 'Another connect failure.' },
  'tls.expired': { category: 'network', temporary: false, description: 'The server certificate has expired.' },
  'tls.not_yet_valid': {
    category: 'network',
    temporary: false,
    description: 'The server certificate is not valid yet (or this clock is wrong).',
  },
  'tls.hostname_mismatch': {
    category: 'network',
    temporary: false,
    description: 'The certificate does not name the host.',
  },
  'tls.untrusted': {
    category: 'network',
    temporary: false,
    description: 'The certificate chain does not lead to a trusted CA (or is self-signed).',
  },
  'tls.timeout': {
    category: 'network',
    temporary: true,
    description: 'The TLS handshake did not complete in time (docker: TLS handshake timeout).',
  },
  'tls.reset': {
    category: 'network',
    temporary: true,
    description: 'The connection was reset or closed during the handshake.',
  },
  'tls.protocol': {
    category: 'network',
    temporary: false,
    description: 'No TLS spoken, or no protocol version in common (plain HTTP on 443, TLS 1.0 only).',
  },
  'tls.error': { category: 'network', temporary: true, description: 'Another TLS failure.' },
  'http.timeout': {
    category: 'network',
    temporary: true,
    description: 'No complete response in time (headers or body never came).',
  },
  'http.reset': {
    category: 'network',
    temporary: true,
    description: 'The connection was reset or closed before the response was complete.',
  },
  'http.5xx': {
    category: 'registry',
    temporary: true,
    description: 'The registry answered with a server error (500-599).',
  },
  'http.429': {
    category: 'registry',
    temporary: true,
    description: 'Too many requests or quota exceeded (Retry-After is recorded).',
  },
  'http.no_challenge': {
    category: 'registry',
    temporary: false,
    description: '401 without a WWW-Authenticate challenge: clients cannot log in.',
  },
  'http.not_registry': {
    category: 'network',
    temporary: false,
    description: 'Something answered that is not a registry (a captive portal or proxy page).',
  },
  'http.unexpected_status': {
    category: 'registry',
    temporary: false,
    description: 'A status a registry should not give to GET /v2/.',
  },
  'http.error': { category: 'network', temporary: true, description: 'Another HTTP failure.' },
  'proxy.denied': {
    category: 'network',
    temporary: false,
    description: 'The proxy refused the CONNECT (403 and similar).',
  },
  'proxy.auth_required': { category: 'network', temporary: false, description: 'The proxy wants credentials (407).' },
  'proxy.unreachable': { category: 'network', temporary: true, description: 'The proxy itself could not be reached.' },
  'proxy.error': {
    category: 'network',
    temporary: true,
    description: 'The proxy failed the CONNECT in another way (502, closed).',
  },
} as const satisfies Record<string, CodeSpec>;
