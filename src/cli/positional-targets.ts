/**
 * The words after `gcrwatch` that are not options, read as ping and gping read theirs:
 * registry hosts to watch (`gcr.io`, `registry.local:5000`, `https://HOST[:PORT]`) and at
 * most one image reference (`europe-west1-docker.pkg.dev/proj/repo/app:tag`), whose registry
 * is watched as the push target. A word that is neither is never run: a mistyped command gets
 * "did you mean", anything else the way to wrap a command (after `--`). Pure.
 */
import { isIP } from 'node:net';
import { ImageRefError, looksLikeRegistryHost, parseImageRef } from '../core/image-ref.js';
import { parseTarget, TargetError } from '../core/targets.js';
import type { MonitorFlags } from './program.js';
import { closestWord } from '../core/suggest.js';
import { UsageError } from './usage-error.js';

/** What the positional words ask to watch. */
export interface PositionalTargets {
  /** Hosts as typed (validated). */
  hosts: string[];
  /** The image pushed, when one was given. */
  image?: string;
}

/** Split the words of the default command into the ones before `--` and the command after it. */
export function splitWrapped(
  argv: readonly string[],
  words: readonly string[],
): { positional: string[]; wrapped: string[] } {
  const dash = argv.indexOf('--');
  if (dash < 0) return { positional: [...words], wrapped: [] };
  const wrapped = argv.slice(dash + 1);
  if (!wrapped.length) throw new UsageError('nothing to run after --: gcrwatch [options] -- COMMAND [ARGS...]');
  return { positional: words.slice(0, Math.max(0, words.length - wrapped.length)), wrapped };
}

/** Read the positional words; `commands` are the subcommand names (for "did you mean"). */
export function readPositionals(words: readonly string[], commands: readonly string[]): PositionalTargets {
  const out: PositionalTargets = { hosts: [] };
  words.forEach((typed, i) => {
    // `gcr.io/`, as a host is often copied, is the host.
    const word = typed.trim().replace(/^([^/]+)\/+$/, '$1');
    const kind = kindOf(word);
    if (kind === 'host') out.hosts.push(word);
    else if (kind === 'image') {
      if (out.image) throw new UsageError(`one image at a time: "${out.image}" and "${word}" (the others as hosts)`);
      out.image = word;
    } else throw new UsageError(notATarget(word, words.slice(i), commands, i === 0));
  });
  return out;
}

/**
 * The flags with the positional targets applied: hosts and image are watched alone (as
 * `--only`), `--target` still adds to them, and the image is the push target (`--repo`).
 * `fromFile` tells whether the flags' targets came from the configuration file: typed hosts
 * replace those.
 */
export function withPositionals<F extends MonitorFlags>(flags: F, pos: PositionalTargets, fromFile: boolean): F {
  if (!pos.hosts.length && !pos.image) return flags;
  if (pos.image && flags.repo !== undefined && flags.repo !== pos.image)
    throw new UsageError(`give the image once: "${pos.image}" or --repo ${flags.repo}, not both`);
  const typed = fromFile ? [] : flags.target;
  return { ...flags, only: true, target: [...pos.hosts, ...typed], ...(pos.image ? { repo: pos.image } : {}) };
}

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

/**
 * What a word is. A word shaped like a host or an image (a scheme, a dot, a colon, or a
 * registry host before a slash, as docker reads image names) that does not parse is refused
 * with the parser's reason; anything else (`echo`, `./push.sh`) is "other".
 */
function kindOf(word: string): 'host' | 'image' | 'other' {
  const w = word.trim();
  const slash = w.indexOf('/');
  const looksLikeImage = !SCHEME.test(w) && slash > 0 && looksLikeRegistryHost(w.slice(0, slash)) && !w.startsWith('.');
  const looksLikeHost = SCHEME.test(w) || (slash < 0 && (isIP(w) !== 0 || looksLikeRegistryHost(w)));
  if (!looksLikeImage && !looksLikeHost) return 'other';
  try {
    if (looksLikeImage) parseImageRef(w);
    parseTarget(w);
  } catch (err) {
    if (err instanceof TargetError || err instanceof ImageRefError) throw new UsageError(err.message);
    throw err;
  }
  return looksLikeImage ? 'image' : 'host';
}

/** Why `word` was refused, and what the user probably wanted. */
function notATarget(word: string, rest: readonly string[], commands: readonly string[], first: boolean): string {
  const guess = first ? closestWord(word, commands) : undefined;
  if (guess) return `unknown command "${word}": did you mean ${guess}?`;
  return `"${word}" is neither a registry host nor an image reference; to wrap a command, put it after --: gcrwatch -- ${rest.join(' ')}`;
}
