import { createHash } from 'node:crypto';

/**
 * Write keys are random 192-bit secrets, so a plain SHA-256 is enough to store
 * them: there is nothing to brute-force the way there is with a password.
 */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The first characters of a key: enough to tell keys apart in a list, too few to use. */
export function keyHint(key: string): string {
  return `${key.slice(0, 4)}…`;
}
