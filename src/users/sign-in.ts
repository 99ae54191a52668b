/**
 * Sign-in: the password, then a session. Failures are counted per address in
 * the store (a restart does not reset the lock-out), for unknown addresses
 * too, and an unknown address costs one hash like a known one.
 */
import type { Clock } from '../clock.js';
import type { Store } from '../store/index.js';
import { normalizeEmail, toUser, type User } from './accounts.js';
import { FAILURE_WINDOW_MS, lockedFor } from './limits.js';
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

export function createSignIn(store: Store, deps: { clock: Clock; sessions: Sessions }): (email: string, password: string) => Promise<SignInResult> {
  const db = store.db.withTables<UsersTables>();

  async function recordFailure(email: string, now: number): Promise<void> {
    await store.write(async (raw) => {
      const trx = raw.withTables<UsersTables>();
      await trx
        .deleteFrom('sign_in_failures')
        .where('at', '<=', now - FAILURE_WINDOW_MS)
        .execute();
      await trx.insertInto('sign_in_failures').values({ email, at: now }).execute();
    });
  }

  return async (rawEmail, password) => {
    const email = normalizeEmail(rawEmail);
    const now = deps.clock.now();
    const failures = await db
      .selectFrom('sign_in_failures')
      .select('at')
      .where('email', '=', email)
      .where('at', '>', now - FAILURE_WINDOW_MS)
      .execute();
    const wait = lockedFor(
      failures.map((f) => f.at),
      now,
    );
    if (wait > 0) return { kind: 'locked', retryAfterMs: wait };
    const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    const matches = await verifyPassword(password, row?.password_hash ?? DECOY);
    if (!row || !matches) {
      await recordFailure(email, now);
      return { kind: 'wrong' };
    }
    const user = toUser(row);
    if (user.disabled) return { kind: 'disabled', user };
    await store.write((trx) => trx.withTables<UsersTables>().deleteFrom('sign_in_failures').where('email', '=', email).execute());
    return { kind: 'signed-in', session: await deps.sessions.open(user) };
  };
}
