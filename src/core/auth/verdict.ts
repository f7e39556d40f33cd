/**
 * The credential verdict: the latest `auth` event of every check, folded into one answer —
 * may docker push, as whom, until when, and the findings, worst first. A pure function, so
 * the live session, the end summary and a report of a log all say the same thing.
 */
import type { AuthEvent, CredentialVerdict } from '../events.js';

/** Findings that warn about the future rather than say a push fails now. */
export const WARNING_CODES: ReadonlySet<string> = new Set(['auth.short_lived', 'auth.helper_slow']);

/** True when the event's finding is a warning (the credential still works today). */
export function isWarning(e: AuthEvent): boolean {
  return !e.ok && e.error !== undefined && WARNING_CODES.has(e.error.code);
}

/** Fold the latest event of each check (`pushHost`: the push target's host, if any). */
export function credentialVerdict(latest: Iterable<AuthEvent>, pushHost?: string): CredentialVerdict {
  const events = [...latest];
  if (!events.length) return { state: 'unknown', summary: 'no credential check ran', codes: [] };
  const failing = events.filter((e) => !e.ok && !isWarning(e));
  const warnings = events.filter(isWarning);
  const registry = events.find((e) => e.view === 'registry');
  const docker = events.find((e) => e.view === 'docker' && e.host === pushHost);
  const google = events.find((e) => e.view === 'google');
  const verdict: CredentialVerdict = {
    state: failing.length ? 'failing' : warnings.length ? 'warning' : 'ok',
    summary: '',
    codes: [...failing, ...warnings].map((e) => e.error!.code).filter((c, i, all) => all.indexOf(c) === i),
  };
  if (registry?.canPush !== undefined) verdict.canPush = registry.canPush;
  const identity = registry?.identity ?? docker?.identity ?? google?.identity;
  if (identity) verdict.identity = identity;
  if (docker?.expiresAt) verdict.expiresAt = docker.expiresAt;
  const worst = failing[0] ?? warnings[0];
  const finding = worst ? `; ${worst.error!.code}: ${worst.error!.message}` : '';
  verdict.summary = (registry ? pushSentence(registry, docker) : overview(events, google)) + finding;
  return verdict;
}

function pushSentence(registry: AuthEvent, docker: AuthEvent | undefined): string {
  const target = `${registry.host}/${registry.repository ?? ''}`;
  const may = registry.canPush === true ? 'allowed' : registry.canPush === false ? 'REFUSED' : 'not proved';
  const who = registry.identity ?? docker?.identity;
  const via = docker?.source
    ? `docker: ${docker.source}${docker.kind && docker.kind !== 'none' ? `, ${docker.kind}` : ''}`
    : `docker: ${registry.source ?? 'no credential'}`;
  const until = docker?.expiresAt ? `, expires ${docker.expiresAt}` : '';
  return `push to ${target} ${may}${who ? ` as ${who}` : ''} (${via}${until})`;
}

function overview(events: AuthEvent[], google: AuthEvent | undefined): string {
  const dockerHosts = events.filter((e) => e.view === 'docker' && e.host);
  const withCredential = dockerHosts.filter((e) => e.kind && e.kind !== 'none').length;
  const adc = google
    ? (google.identity ?? (google.kind === 'none' ? 'none' : (google.kind ?? 'unknown')))
    : 'not checked';
  return `docker has a credential for ${withCredential} of ${dockerHosts.length} host(s); Google ADC: ${adc}`;
}
