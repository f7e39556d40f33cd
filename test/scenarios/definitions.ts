/**
 * The scenario corpus: each a session as gcrwatch would log it, built event by event in the
 * shape of a real case, with the findings expected of it. `corpus.test.ts` writes nothing:
 * it reads the committed `<name>/session.ndjson` files (so they stay usable with
 * `gcrwatch report`), and `generated.test.ts` checks they are what these builders make
 * (UPDATE_SCENARIOS=1 rewrites them).
 */
import type { Confidence } from '../../src/core/diagnose/confidence.js';
import type { FindingCategory } from '../../src/core/diagnose/codes.js';
import { SessionBuilder } from '../support/session-builder.js';
import { UNKNOWN_AND_LOCAL } from './definitions-unknown.js';

/** What a scenario must produce. */
export interface Expectation {
  /** Codes that must be among the findings (current or cleared). */
  codes: string[];
  /**
   * The verdict's finding (the top problem that holds at the end): its category, the
   * confidence its evidence allows (diagnose/confidence.ts), and its code when it matters.
   */
  top?: { category: FindingCategory; confidence: Confidence; code?: string };
  /** Words the top finding's summary must contain. */
  summaryIncludes?: string[];
  /** Codes that must NOT be raised. */
  absent?: string[];
  /** Set for a run captured from a real push (test/e2e/http-faults-push.test.ts), not built here. */
  source?: string;
  /** The category of the fault the run injected, where the verdict may rightly not know it (no daemon log). */
  cause?: string;
}

export interface Scenario {
  name: string;
  description: string;
  build(): SessionBuilder;
  expect: Expectation;
}

const GCR = ['gcr.io', 'us.gcr.io', 'eu.gcr.io'];
const LAYERS = ['3c2cba919283', '5f70bf18a086', 'cbb277760eee'];

/** A clean push of three layers from `at` seconds. */
function cleanPush(b: SessionBuilder, image: string, at: number): SessionBuilder {
  b.at(at).pushStart(image);
  for (const l of LAYERS) b.at(at + 0.2).layer(l, 'preparing');
  for (const l of LAYERS) b.at(at + 1).layer(l, 'pushing');
  LAYERS.forEach((l, i) => b.at(at + 10 + i).layer(l, 'pushed'));
  return b
    .at(at + 14)
    .add({ type: 'push.digest', tag: 'v1', digest: `sha256:${'ab'.repeat(32)}`, size: 529 })
    .at(at + 14.1)
    .pushEnd(0, 14_100);
}

/** Every scenario of the corpus. */
export const SCENARIOS: Scenario[] = [
  {
    name: 'healthy',
    description: 'Every endpoint healthy, a clean push: nothing to report.',
    build: () =>
      cleanPush(
        new SessionBuilder(1).start(GCR, { push: 'gcr.io' }).probeRounds(GCR, 0, 60, 2),
        'gcr.io/proj/app:v1',
        20,
      )
        .at(61)
        .end(0),
    expect: { codes: [] },
  },
  {
    name: 'retry-tls-timeout-regional',
    description:
      'TLS handshakes to us.gcr.io time out in bursts; docker retries at those moments (net/http: TLS handshake timeout).',
    build: () => {
      const bad = (h: string, s: number) => h === 'us.gcr.io' && ((s >= 20 && s <= 26) || (s >= 44 && s <= 50));
      const b = new SessionBuilder(2)
        .start(GCR, { push: 'us.gcr.io' })
        .probeRounds(GCR, 0, 90, 2, (h, s) =>
          bad(h, s) ? { error: 'tls.timeout', message: 'TLS handshake did not complete in 5000 ms' } : {},
        );
      b.at(10).pushStart('us.gcr.io/proj/app:v2').at(11).layer('cbb277760eee', 'pushing');
      b.at(23).retry('cbb277760eee', 1, 'Upload failed, retrying: net/http: TLS handshake timeout', 'push.tls_timeout');
      b.at(47).retry('cbb277760eee', 2, 'Upload failed, retrying: net/http: TLS handshake timeout', 'push.tls_timeout');
      return b.at(80).layer('cbb277760eee', 'pushed').at(81).pushEnd(0, 71_000, 2).at(91).end(0);
    },
    expect: {
      codes: ['network.retries_with_probe_trouble', 'network.endpoint_failing'],
      top: { category: 'network', confidence: 'high', code: 'network.retries_with_probe_trouble' },
      summaryIncludes: ['TLS handshakes', 'us.gcr.io'],
      absent: ['network.upload_path'],
    },
  },
  {
    name: 'retry-healthy-probes',
    description:
      'Every probe to gcr.io is healthy while docker retries uploads reset by the peer: the upload path, not reachability.',
    build: () => {
      const b = new SessionBuilder(3).start(GCR, { push: 'gcr.io' }).probeRounds(GCR, 0, 90, 2);
      b.at(5).add({ type: 'engine.info', version: '20.10.24', storageDriver: 'overlay2', maxConcurrentUploads: 5 });
      b.at(10).pushStart('gcr.io/proj/app:v4').at(11).layer('cbb277760eee', 'pushing');
      b.at(24.5).daemon(
        'Upload failed, retrying: write tcp 10.0.0.5:50412->192.0.2.10:443: write: connection reset by peer',
        'push.connection_reset',
      );
      b.at(25).retry(
        'cbb277760eee',
        1,
        'write tcp 10.0.0.5:50412->192.0.2.10:443: write: connection reset by peer',
        'push.connection_reset',
      );
      b.at(44.5).daemon(
        'Upload failed, retrying: write tcp 10.0.0.5:50418->192.0.2.10:443: write: connection reset by peer',
        'push.connection_reset',
      );
      b.at(45).retry(
        'cbb277760eee',
        2,
        'write tcp 10.0.0.5:50418->192.0.2.10:443: write: connection reset by peer',
        'push.connection_reset',
      );
      return b.at(75).layer('cbb277760eee', 'pushed').at(76).pushEnd(0, 66_000, 2).at(91).end(0);
    },
    expect: {
      codes: ['network.upload_path'],
      top: { category: 'network', confidence: 'high', code: 'network.upload_path' },
      summaryIncludes: ['connection reset by peer', 'healthy'],
      absent: ['network.retries_with_probe_trouble', 'network.endpoint_failing'],
    },
  },
  {
    name: 'ipv6-blackhole',
    description: 'gcr.io has AAAA records but IPv6 connects time out; IPv4 works (docker falls back silently).',
    build: () =>
      new SessionBuilder(4)
        .start(GCR)
        .probeRounds(GCR, 0, 30, 2, () => ({ v6: 'tcp.timeout' }))
        .at(31)
        .end(0),
    expect: {
      codes: ['network.ipv6_unreachable'],
      top: { category: 'network', confidence: 'high', code: 'network.ipv6_unreachable' },
      summaryIncludes: ['IPv6'],
      absent: ['network.endpoint_failing'],
    },
  },
  {
    name: 'dns-resolver-split',
    description: 'The system resolver answers SERVFAIL for gcr.io while --dns-server 8.8.8.8 answers.',
    build: () =>
      new SessionBuilder(5)
        .start(['gcr.io'], { dnsServers: ['8.8.8.8'] })
        .probeRounds(['gcr.io'], 0, 30, 2, (_h, s) =>
          s >= 6 ? { error: 'dns.servfail', resolvers: { '8.8.8.8': 'ok' } } : { resolvers: { '8.8.8.8': 'ok' } },
        )
        .at(31)
        .end(1),
    expect: {
      codes: ['network.dns_resolver_split', 'network.endpoint_failing'],
      top: { category: 'network', confidence: 'high', code: 'network.dns_resolver_split' },
      summaryIncludes: ['system resolver', '8.8.8.8'],
    },
  },
  {
    name: 'tls-interception-untrusted',
    description:
      'A corporate proxy re-signs TLS to gcr.io; docker does not trust its CA (x509: certificate signed by unknown authority).',
    build: () => {
      const b = new SessionBuilder(6)
        .start(['gcr.io'], { push: 'gcr.io' })
        .probeRounds(['gcr.io'], 0, 30, 2, () => ({ interception: 'Zscaler Root CA' }));
      b.at(8).pushStart('gcr.io/proj/app:v1');
      b.at(9).pushError(
        'Get "https://gcr.io/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
        'push.tls_certificate',
      );
      return b.at(9.2).pushEnd(1, 1200).at(31).end(1);
    },
    expect: {
      codes: ['network.tls_interception', 'network.tls_certificate'],
      top: { category: 'network', confidence: 'high', code: 'network.tls_interception' },
      summaryIncludes: ['Zscaler Root CA'],
    },
  },
  {
    name: 'certificate-expired',
    description:
      'eu.gcr.io presents an expired certificate (a stale TLS-inspecting front); the other endpoints are fine.',
    build: () =>
      new SessionBuilder(7)
        .start(GCR)
        .probeRounds(GCR, 0, 20, 2, (h) =>
          h === 'eu.gcr.io' ? { error: 'tls.expired', message: 'certificate has expired' } : {},
        )
        .at(21)
        .end(1),
    expect: {
      codes: ['network.tls_certificate'],
      top: { category: 'network', confidence: 'high', code: 'network.tls_certificate' },
      summaryIncludes: ['expired'],
      absent: ['network.endpoint_failing'],
    },
  },
  {
    name: 'wrong-host-pkg-dev',
    description:
      'gcloud auth configure-docker was run for gcr.io, but the push goes to europe-west1-docker.pkg.dev (Unauthenticated request).',
    build: () => {
      const host = 'europe-west1-docker.pkg.dev';
      const b = new SessionBuilder(8).start(['gcr.io', host], { push: host }).probeRounds(['gcr.io', host], 0, 30, 2);
      b.at(1).auth({
        view: 'docker',
        host: 'gcr.io',
        ok: true,
        source: 'credHelpers',
        kind: '_dcgcloud_token',
        helper: { name: 'gcloud', ms: 420 },
      });
      b.at(1.1).auth({
        view: 'docker',
        host,
        ok: false,
        error: {
          code: 'auth.wrong_host',
          category: 'auth',
          message: `docker has no credential for ${host} (no credHelpers, credsStore or auths entry); it has credentials only for gcr.io. Run: gcloud auth configure-docker ${host}`,
        },
      });
      b.at(8).pushStart(`${host}/proj/repo/app:v1`);
      b.at(9).pushError(
        `denied: Unauthenticated request. Unauthenticated requests do not have permission "artifactregistry.repositories.uploadArtifacts" on resource "projects/proj/locations/europe-west1/repositories/repo" (or it may not exist)`,
        'push.denied',
      );
      return b.at(9.1).pushEnd(1, 1100).at(31).end(1);
    },
    expect: {
      codes: ['auth.wrong_host'],
      top: { category: 'auth', confidence: 'high', code: 'auth.wrong_host' },
      summaryIncludes: ['gcr.io', 'europe-west1-docker.pkg.dev'],
    },
  },
  {
    name: 'token-expires-mid-push',
    description: 'docker login with a one-hour oauth2accesstoken; a long push outlives it and is refused.',
    build: () => {
      const b = new SessionBuilder(9).start(['gcr.io'], { push: 'gcr.io', intervalMs: 30_000 });
      // As the credential checks report a pasted token: a finding of their own (auth.short_lived), with the expiry.
      b.at(0.5).auth({
        view: 'docker',
        host: 'gcr.io',
        ok: false,
        source: 'auths',
        kind: 'access-token',
        identity: 'ci@proj.iam.gserviceaccount.com',
        expiresAt: '2026-03-02T10:50:00.000Z',
        fingerprint: 'a1b2c3',
        error: {
          code: 'auth.short_lived',
          category: 'auth',
          message:
            "docker's access token for gcr.io is an access token pasted at docker login: it expires in 49m30s and nothing refreshes it (use a credential helper: gcloud auth configure-docker)",
        },
      });
      b.probeRounds(['gcr.io'], 1, 3300, 30);
      b.at(300).pushStart('gcr.io/proj/big:v7').at(301).layer('9f0e1d2c3b4a', 'pushing', 4_200_000_000);
      b.at(3060).pushError(
        "unauthorized: You don't have the needed permissions to perform this operation, and you may have invalid credentials. To authenticate your request, follow the steps in: https://cloud.google.com/container-registry/docs/advanced-authentication",
        'push.unauthorized',
      );
      return b.at(3060.2).pushEnd(1, 2_760_200).at(3301).end(1);
    },
    expect: {
      codes: ['auth.token_expired', 'auth.expires_during_push'],
      top: { category: 'auth', confidence: 'high', code: 'auth.token_expired' },
      summaryIncludes: ['oauth2accesstoken', 'expired'],
    },
  },
  {
    name: 'quota-429-burst',
    description:
      'Artifact Registry answers 429 with Retry-After during a burst of CI pushes; the push fails with Quota exceeded.',
    build: () => {
      const host = 'us-docker.pkg.dev';
      const b = new SessionBuilder(10)
        .start([host, 'gcr.io'], { push: host })
        .probeRounds([host, 'gcr.io'], 0, 60, 2, (h, s) =>
          h === host && s >= 20 && s <= 40
            ? { error: 'http.429', retryAfterSeconds: 30, message: 'HTTP 429 Too Many Requests' }
            : {},
        );
      b.at(22).pushStart(`${host}/proj/repo/app:v3`);
      b.at(24).pushError(
        "toomanyrequests: Quota exceeded for quota metric 'Requests per project per region' and limit 'Requests per project per region per minute per region' of service 'artifactregistry.googleapis.com'",
        'push.toomanyrequests',
      );
      return b.at(24.1).pushEnd(1, 2100).at(61).end(1);
    },
    expect: {
      codes: ['registry.rate_limited'],
      top: { category: 'registry', confidence: 'high', code: 'registry.rate_limited' },
      summaryIncludes: ['quota', '30 s'],
      absent: ['network.endpoint_failing', 'network.retries_with_probe_trouble'],
    },
  },
  {
    name: 'server-errors-5xx',
    description:
      'gcr.io answers 503 for a minute; docker retries with "received unexpected HTTP status: 503 Service Unavailable" and gets through afterwards.',
    build: () => {
      const b = new SessionBuilder(11)
        .start(GCR, { push: 'gcr.io' })
        .probeRounds(GCR, 0, 120, 2, (h, s) =>
          h === 'gcr.io' && s >= 30 && s <= 80 ? { error: 'http.5xx', message: 'HTTP 503 Service Unavailable' } : {},
        );
      b.at(20).pushStart('gcr.io/proj/app:v5').at(21).layer('5f70bf18a086', 'pushing');
      b.at(35).retry(
        '5f70bf18a086',
        1,
        'received unexpected HTTP status: 503 Service Unavailable',
        'push.server_error',
      );
      b.at(55).retry(
        '5f70bf18a086',
        2,
        'received unexpected HTTP status: 503 Service Unavailable',
        'push.server_error',
      );
      return b.at(100).layer('5f70bf18a086', 'pushed').at(101).pushEnd(0, 81_000, 2).at(121).end(0);
    },
    expect: {
      codes: ['registry.server_errors'],
      top: { category: 'registry', confidence: 'high', code: 'registry.server_errors' },
      summaryIncludes: ['5xx'],
      absent: ['network.retries_with_probe_trouble', 'network.upload_path', 'network.endpoint_failing'],
    },
  },
  {
    name: 'pull-only-credential',
    description: 'The service account may pull but not push: the registry refuses the push scope in its own words.',
    build: () => {
      const host = 'us-docker.pkg.dev';
      const words =
        'Permission "artifactregistry.repositories.uploadArtifacts" denied on resource "projects/proj/locations/us/repositories/repo" (or it may not exist)';
      const b = new SessionBuilder(12).start([host], { push: host }).probeRounds([host], 0, 20, 2);
      b.at(1).auth({
        view: 'docker',
        host,
        ok: true,
        source: 'credHelpers',
        kind: '_dcgcloud_token',
        identity: 'ci-reader@proj.iam.gserviceaccount.com',
      });
      b.at(1.5).auth({
        view: 'registry',
        host,
        ok: false,
        canPush: false,
        identity: 'ci-reader@proj.iam.gserviceaccount.com',
        error: { code: 'auth.denied', category: 'auth', message: words },
      });
      b.at(5).pushStart(`${host}/proj/repo/app:v1`).at(6).pushError(`denied: ${words}`, 'push.denied');
      return b.at(6.1).pushEnd(1, 1100).at(21).end(1);
    },
    expect: {
      codes: ['auth.push_denied'],
      top: { category: 'auth', confidence: 'high', code: 'auth.push_denied' },
      summaryIncludes: ['artifactregistry.repositories.uploadArtifacts', 'ci-reader@proj.iam.gserviceaccount.com'],
    },
  },
  {
    name: 'helper-missing',
    description: 'config.json names credHelpers gcloud, but docker-credential-gcloud is not on PATH.',
    build: () => {
      const b = new SessionBuilder(13).start(['gcr.io'], { push: 'gcr.io' }).probeRounds(['gcr.io'], 0, 20, 2);
      b.at(1).auth({
        view: 'docker',
        host: 'gcr.io',
        ok: false,
        source: 'credHelpers',
        helper: { name: 'gcloud' },
        error: {
          code: 'auth.helper_missing',
          category: 'auth',
          message: 'docker-credential-gcloud: not found on PATH',
        },
      });
      b.at(5).pushStart('gcr.io/proj/app:v1');
      b.at(5.5).pushError(
        'error getting credentials - err: exec: "docker-credential-gcloud": executable file not found in $PATH, out: ``',
        'push.helper_missing',
      );
      return b.at(5.6).pushEnd(1, 600).at(21).end(1);
    },
    expect: {
      codes: ['auth.helper_missing'],
      top: { category: 'auth', confidence: 'high', code: 'auth.helper_missing' },
      summaryIncludes: ['docker-credential-gcloud'],
    },
  },
  {
    name: 'clock-skew',
    description: "This machine's clock is 10 minutes ahead of the registry's Date header.",
    build: () =>
      new SessionBuilder(14)
        .start(GCR)
        .probeRounds(GCR, 0, 20, 2, () => ({ dateOffsetSeconds: -600 }))
        .at(21)
        .end(0),
    expect: {
      codes: ['local.clock_skew'],
      top: { category: 'local', confidence: 'high', code: 'local.clock_skew' },
      summaryIncludes: ['ahead'],
    },
  },
  {
    name: 'blob-upload-unknown',
    description: 'The registry loses upload sessions (blob upload unknown) while every probe is healthy.',
    build: () => {
      const b = new SessionBuilder(15).start(GCR, { push: 'gcr.io' }).probeRounds(GCR, 0, 60, 2);
      b.at(10).pushStart('gcr.io/proj/app:v8').at(11).layer('3c2cba919283', 'pushing');
      b.at(20).retry(
        '3c2cba919283',
        1,
        'blob upload unknown: blob upload unknown to registry',
        'push.blob_upload_unknown',
      );
      b.at(40).pushError('blob upload unknown: blob upload unknown to registry', 'push.blob_upload_unknown');
      return b.at(40.1).pushEnd(1, 30_100, 1).at(61).end(1);
    },
    expect: {
      codes: ['image.blob_upload_unknown'],
      top: { category: 'image', confidence: 'high', code: 'image.blob_upload_unknown' },
    },
  },
  {
    name: 'manifest-invalid',
    description: 'Layers upload, then the registry rejects the manifest (an OCI index with attestations).',
    build: () => {
      const b = new SessionBuilder(16)
        .start(['europe-docker.pkg.dev'], { push: 'europe-docker.pkg.dev' })
        .probeRounds(['europe-docker.pkg.dev'], 0, 30, 2);
      b.at(5).pushStart('europe-docker.pkg.dev/proj/repo/app:v1');
      for (const l of LAYERS) b.at(12).layer(l, 'pushed');
      b.at(13).pushError('manifest invalid: manifest invalid', 'push.manifest_invalid');
      return b.at(13.1).pushEnd(1, 8100).at(31).end(1);
    },
    expect: {
      codes: ['image.manifest_invalid'],
      top: { category: 'image', confidence: 'high', code: 'image.manifest_invalid' },
    },
  },
  {
    name: 'large-layer-retries',
    description: 'A 2.4 GB layer is reset four times on a flaky upload path while the small layers go through.',
    build: () => {
      const b = new SessionBuilder(17)
        .start(['gcr.io'], { push: 'gcr.io', intervalMs: 5000 })
        .probeRounds(['gcr.io'], 0, 600, 5);
      b.at(10).pushStart('gcr.io/proj/ml-model:v1');
      b.at(11).layer('3c2cba919283', 'pushing', 4_000_000).layer('a7e9d1c0b3f2', 'pushing', 2_400_000_000);
      b.at(15).layer('3c2cba919283', 'pushed');
      [100, 220, 340, 460].forEach((s, i) =>
        b
          .at(s)
          .retry(
            'a7e9d1c0b3f2',
            i + 1,
            'write tcp 10.0.0.5:50412->192.0.2.10:443: write: broken pipe',
            'push.connection_reset',
          ),
      );
      b.at(580).pushError('write tcp 10.0.0.5:50412->192.0.2.10:443: write: broken pipe', 'push.connection_reset');
      return b.at(580.1).pushEnd(1, 570_100, 4).at(601).end(1);
    },
    expect: {
      codes: ['image.large_layer_retries', 'network.upload_path'],
      top: { category: 'image', confidence: 'high', code: 'image.large_layer_retries' },
      summaryIncludes: ['2.4 GB'],
    },
  },
  {
    name: 'denied-push-loop',
    description: 'A CI job retries a push that is denied every time (a permanent error retried by an outer loop).',
    build: () => {
      const b = new SessionBuilder(18).start(['gcr.io'], { push: 'gcr.io' }).probeRounds(['gcr.io'], 0, 120, 2);
      for (const s of [5, 35, 65, 95]) {
        b.at(s).pushStart('gcr.io/proj/app:v9');
        b.at(s + 1).pushError(
          "denied: Token exchange failed for project 'proj'. Caller does not have permission 'storage.buckets.get'.",
          'push.denied',
        );
        b.at(s + 1.1).pushEnd(1, 1100);
      }
      return b.at(121).end(1);
    },
    expect: {
      codes: ['push.permanent_error_repeated', 'auth.push_denied'],
      top: { category: 'auth', confidence: 'high', code: 'push.permanent_error_repeated' },
      summaryIncludes: ['4 times'],
    },
  },
  ...UNKNOWN_AND_LOCAL,
];
