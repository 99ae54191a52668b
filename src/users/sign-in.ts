/**
 * Sign-in: the password, then a session. Failures are counted per address in
 * the store (a restart does not reset the lock-out; failures.ts), for unknown
 * addresses too, and an unknown address costs one hash like a known one.
 */
import type { Clock } from '../clock.js';
import type { Store } from '../store/index.js';
import { normalizeEmail, toUser, type User } from './accounts.js';
import type { Failures } from './failures.js';
import { verifyPassword } from './password.js';
import type { NewSession, Sessions } from './sessions.js';
import type { UsersTables } from './tables.js';

/** The hash of a random password no one knows: an unknown address is checked against it, so that it takes as long as a known one. */
const DECOY = 'scrypt$16384$8$1$wQapxC058ryCMfqRBfECmQ==$c07D3q9uxNq5mXoJYvQnRyh5FCBMJjCQXVteXtwAXj9+t4tFydgS3PwtNBjsPXWwi+S3FvT4/Hv1KnrraLZ0VA==';

export type SignInResult =
  | { kind: 'signed-in'; session: NewSession }
  | { kind: 'wrong' }
  | { kind: 'locked'; retryAfterMs: number }
  | { kind: 'disabled'; user: User };

export function createSignIn(
  store: Store,
  deps: { clock: Clock; sessions: Sessions; failures: Failures },
): (email: string, password: string) => Promise<SignInResult> {
  const db = store.db.withTables<UsersTables>();
  return async (rawEmail, password) => {
    const email = normalizeEmail(rawEmail);
    const now = deps.clock.now();
    const wait = await deps.failures.attempt(email, now);
    if (wait > 0) return { kind: 'locked', retryAfterMs: wait };
    const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    const matches = await verifyPassword(password, row?.password_hash ?? DECOY);
    // A wrong password or an unknown address stays counted as the failure it is.
    if (!row || !matches) return { kind: 'wrong' };
    await store.write((trx) => deps.failures.clear(trx, email), 'users');
    const user = toUser(row);
    if (user.disabled) return { kind: 'disabled', user };
    return { kind: 'signed-in', session: await deps.sessions.open(user) };
  };
}
