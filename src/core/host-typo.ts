/**
 * "Did you mean gcr.io?" for a registry host that does not exist: the Google registry host a
 * typed name most likely stands for (`gcr.i0` is gcr.io, `us-docker.pkg.dv` is
 * us-docker.pkg.dev). Callers show it only once the resolver has said the name does not
 * exist, so a guess near a real host of someone else (ghcr.io) is never shown. Pure.
 */
import { isIP } from 'node:net';
import { closestWord } from './suggest.js';
import { DEFAULT_HOSTS } from './targets.js';

/** The registry domains, each as the last two labels of a host. */
const DOMAINS = ['gcr.io', 'pkg.dev'];

/**
 * The Google registry host `host` is probably a typo of, or undefined when it is one already
 * (or an address, or nothing near): a default host within a typo's distance, else the host
 * with its last two labels corrected to gcr.io or pkg.dev and, on pkg.dev, its `-docker`.
 */
export function likelyGoogleHost(host: string): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (isIP(name)) return undefined;
  const whole = closestWord(name, DEFAULT_HOSTS);
  if (whole && whole !== name) return whole;
  const labels = name.split('.');
  if (labels.length < 2) return undefined;
  const domain = closestWord(labels.slice(-2).join('.'), DOMAINS);
  if (!domain) return undefined;
  const fixed = [...labels.slice(0, -2), domain];
  if (domain === 'pkg.dev' && fixed.length === 2) fixed[0] = withDockerFormat(fixed[0]!);
  const meant = fixed.join('.');
  return meant === name ? undefined : meant;
}

/** `europe-west1-dokcer` as `europe-west1-docker`; other formats (`us-npm`) as they are. */
function withDockerFormat(label: string): string {
  const dash = label.lastIndexOf('-');
  if (dash < 1) return label;
  return closestWord(label.slice(dash + 1), ['docker']) ? `${label.slice(0, dash)}-docker` : label;
}
