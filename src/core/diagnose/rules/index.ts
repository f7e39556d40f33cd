/**
 * Every diagnosis rule, in no particular order (ranking decides what comes first). Adding a
 * rule is adding its file and a line here.
 */
import type { RuleFactory } from '../types.js';
import { addressFamily } from './address-family.js';
import { clockSkew } from './clock-skew.js';
import { credentialCheckFailures } from './credential-check-failures.js';
import { credentialExpiry } from './credential-expiry.js';
import { credentialHelper } from './credential-helper.js';
import { credentialMissing } from './credential-missing.js';
import { dnsResolverSplit } from './dns-resolver-split.js';
import { endpointFailing } from './endpoint-failing.js';
import { imageUploadErrors } from './image-upload-errors.js';
import { largeLayerRetries } from './large-layer-retries.js';
import { localNetwork } from './local-network.js';
import { localPushErrors } from './local-push-errors.js';
import { outerRetryLoop } from './outer-retry-loop.js';
import { pushCauseUnknown } from './push-cause-unknown.js';
import { pushPermission } from './push-permission.js';
import { registryRateLimit } from './registry-rate-limit.js';
import { registryServerErrors } from './registry-server-errors.js';
import { retriesWithHealthyProbes } from './retries-with-healthy-probes.js';
import { retriesWithProbeTrouble } from './retries-with-probe-trouble.js';
import { tlsCertificate } from './tls-certificate.js';
import { tlsInterception } from './tls-interception.js';

/** The rules a default engine runs. */
export const DEFAULT_RULES: readonly RuleFactory[] = [
  retriesWithProbeTrouble,
  retriesWithHealthyProbes,
  endpointFailing,
  addressFamily,
  dnsResolverSplit,
  tlsInterception,
  tlsCertificate,
  registryServerErrors,
  registryRateLimit,
  credentialMissing,
  credentialHelper,
  credentialExpiry,
  pushPermission,
  credentialCheckFailures,
  clockSkew,
  imageUploadErrors,
  largeLayerRetries,
  localNetwork,
  localPushErrors,
  outerRetryLoop,
  pushCauseUnknown,
];
