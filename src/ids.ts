/**
 * Identifiers and secrets, injected so that tests can make them predictable.
 * The default draws from the operating system's CSPRNG: write keys and tokens
 * are secrets.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface Ids {
  /** A unique id with a readable prefix, e.g. `src_3kq…`. */
  id(prefix: string): string;
  /** A random secret (write key, token): 32 url-safe characters or more. */
  secret(): string;
  uuid(): string;
}

export const randomIds: Ids = {
  id: (prefix) => `${prefix}_${randomBytes(12).toString('base64url')}`,
  secret: () => randomBytes(24).toString('base64url'),
  uuid: () => randomUUID(),
};
