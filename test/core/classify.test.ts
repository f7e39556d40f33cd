import { describe, expect, it } from 'vitest';
import {
  classifyDnsError,
  classifyHttpError,
  classifyTcpError,
  classifyTlsError,
  classifyPhaseError,
} from '../../src/core/classify.js';
import { ERROR_CODES, failure, isErrorCode, isTemporary } from '../../src/core/errors.js';

const err = (code: string, message = `${code} happened`) => Object.assign(new Error(message), { code });
const deadline = () => Object.assign(new Error('deadline'), { name: 'TimeoutError' });

describe('classification onto the closed set', () => {
  it.each([
    ['ENOTFOUND', 'dns.nxdomain'],
    ['EAI_NONAME', 'dns.nxdomain'],
    ['ENODATA', 'dns.no_address'],
    ['ESERVFAIL', 'dns.servfail'],
    ['EAI_AGAIN', 'dns.servfail'],
    ['EREFUSED', 'dns.refused'],
    ['ETIMEOUT', 'dns.timeout'],
    ['EBADRESP', 'dns.bad_response'],
    ['EFORMERR', 'dns.bad_response'],
    ['ESOMETHINGELSE', 'dns.error'],
  ])('DNS %s -> %s', (code, expected) => {
    const info = classifyDnsError(err(code));
    expect(info.code).toBe(expected);
    expect(info.category).toBe('network');
    expect(info.phase).toBe('dns');
  });

  it.each([
    ['ECONNREFUSED', 'tcp.refused'],
    ['ECONNRESET', 'tcp.reset'],
    ['ETIMEDOUT', 'tcp.timeout'],
    ['EHOSTUNREACH', 'tcp.unreachable'],
    ['ENETUNREACH', 'tcp.unreachable'],
    ['EWHATEVER', 'tcp.error'],
  ])('TCP %s -> %s', (code, expected) => {
    expect(classifyTcpError(err(code)).code).toBe(expected);
  });

  it.each([
    ['CERT_HAS_EXPIRED', 'tls.expired'],
    ['CERT_NOT_YET_VALID', 'tls.not_yet_valid'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls.hostname_mismatch'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls.untrusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls.untrusted'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls.untrusted'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'tls.untrusted'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls.protocol'],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'tls.protocol'],
    ['ERR_SSL_SOMETHING_NEW', 'tls.protocol'],
    ['ECONNRESET', 'tls.reset'],
    ['EODD', 'tls.error'],
  ])('TLS %s -> %s', (code, expected) => {
    expect(classifyTlsError(err(code)).code).toBe(expected);
  });

  it.each([
    ['UND_ERR_HEADERS_TIMEOUT', 'http.timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'http.timeout'],
    ['UND_ERR_SOCKET', 'http.reset'],
    ['ECONNRESET', 'http.reset'],
    ['UND_ERR_X', 'http.error'],
  ])('HTTP %s -> %s', (code, expected) => {
    expect(classifyHttpError(err(code)).code).toBe(expected);
  });

  it('our own deadline is a timeout of the phase it hit', () => {
    expect(classifyDnsError(deadline()).code).toBe('dns.timeout');
    expect(classifyTcpError(deadline()).code).toBe('tcp.timeout');
    expect(classifyTlsError(deadline()).code).toBe('tls.timeout');
    expect(classifyHttpError(deadline()).code).toBe('http.timeout');
    expect(classifyPhaseError('proxy', deadline()).code).toBe('proxy.timeout');
  });

  it('tolerates things that are not errors', () => {
    expect(classifyTcpError('a string').code).toBe('tcp.error');
    expect(classifyTlsError(undefined).message).toBe('undefined');
    expect(classifyHttpError({ code: 42 }).code).toBe('http.error');
  });

  it('keeps messages to one line', () => {
    expect(classifyTcpError(err('ECONNRESET', 'first line\nsecond line')).message).toBe('first line');
  });
});

describe('the closed set', () => {
  it('every code has a category of the five and a description', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(['network', 'auth', 'image', 'registry', 'local'], code).toContain(spec.category);
      expect(spec.description.length, code).toBeGreaterThan(10);
      expect(code).toMatch(/^[a-z]+\.[a-z0-9_]+$/);
    }
  });

  it('failure() takes the category from the set', () => {
    expect(failure('http.5xx', 'boom')).toEqual({ code: 'http.5xx', category: 'registry', message: 'boom' });
    expect(failure('auth.denied', 'no', 'auth').category).toBe('auth');
    expect(isErrorCode('tcp.reset')).toBe(true);
    expect(isErrorCode('tcp.bogus')).toBe(false);
    expect(isTemporary('push.denied')).toBe(false);
    expect(isTemporary('push.connection_reset')).toBe(true);
  });
});
