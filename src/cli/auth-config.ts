/**
 * The credential checks' part of the monitor configuration: `--auth-interval`,
 * `--no-push-check`, and the push target of `--repo` (registry endpoint and repository).
 */
import type { ProxySettings } from '../core/proxy/proxy-settings.js';
import { imagePushTarget, parseImageRef, type PushTarget } from '../core/image-ref.js';
import { parseDuration } from './duration.js';
import type { MonitorFlags } from './program.js';

/** Validated settings of the credential checks. */
export interface AuthSettings {
  intervalMs: number;
  pushCheck: boolean;
  repo?: PushTarget;
  env: NodeJS.ProcessEnv;
  /** The session's proxies, set with the rest of the monitor configuration. */
  proxy?: ProxySettings;
  /** PEM text of the --ca-file certificates. */
  extraCaPems?: string[];
}

/** Validate the credential flags (`--repo` itself is validated with the targets). */
export function buildAuthSettings(
  flags: Pick<MonitorFlags, 'authInterval' | 'pushCheck' | 'repo'>,
  env: NodeJS.ProcessEnv,
): AuthSettings {
  const settings: AuthSettings = {
    intervalMs: parseDuration(flags.authInterval ?? '60s', '--auth-interval', { min: 1000, max: 86_400_000 }),
    pushCheck: flags.pushCheck !== false,
    env,
  };
  if (flags.repo) {
    settings.repo = imagePushTarget(parseImageRef(flags.repo));
  }
  return settings;
}
