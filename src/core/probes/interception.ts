/**
 * TLS interception heuristic: Google's registry hosts are served with certificates issued
 * by Google Trust Services. A chain on such a host whose issuers are all someone else is
 * what a re-signing proxy (corporate TLS inspection) looks like. A warning, not a failure.
 */

const GOOGLE_HOST = /(^|\.)(gcr\.io|pkg\.dev|googleapis\.com|google\.com)$/i;
const GOOGLE_ISSUER = /^Google Trust Services/i;

/** True for hosts whose certificates Google issues. */
export function isGoogleHost(host: string): boolean {
  return GOOGLE_HOST.test(host);
}

/**
 * Given the host and the organisations of the certificates above the leaf, return the
 * issuer to name when the chain is not Google's on a Google host, else undefined.
 */
export function detectInterception(host: string, issuerOrgs: readonly string[]): string | undefined {
  if (!isGoogleHost(host)) return undefined;
  const orgs = issuerOrgs.filter(Boolean);
  if (orgs.some((o) => GOOGLE_ISSUER.test(o))) return undefined;
  return orgs[0] ?? 'an unknown issuer';
}
