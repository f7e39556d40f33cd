/** A short, one-way fingerprint of a secret, to show that a token changed without showing it. */
import { createHash } from 'node:crypto';

/**
 * The first 8 hex digits of the SHA-256 of `secret`. Enough to tell two tokens apart in a
 * session, far too little to recover or guess a high-entropy token from.
 */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 8);
}
