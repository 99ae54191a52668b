/**
 * Failed password checks per address, kept in the store (a restart does not
 * reset the count): sign-in and a signed-in user's password change count
 * alike, so a stolen session cannot guess its user's password any faster.
 */
import type { Kysely } from 'kysely';
import type { Store } from '../store/index.js';
import { FAILURE_WINDOW_MS, lockedFor } from './limits.js';
import type { UsersTables } from './tables.js';

export interface Failures {
  /** How long until the address may try again (0: it may now). */
  lockedFor(email: string, now: number): Promise<number>;
  record(email: string, now: number): Promise<void>;
  /** In the caller's transaction: a success forgets the address's failures. */
  clear(trx: Kysely<object>, email: string): Promise<void>;
}

export function createFailures(store: Store): Failures {
  const db = store.db.withTables<UsersTables>();
  return {
    async lockedFor(email, now) {
      const rows = await db
        .selectFrom('sign_in_failures')
        .select('at')
        .where('email', '=', email)
        .where('at', '>', now - FAILURE_WINDOW_MS)
        .execute();
      return lockedFor(
        rows.map((f) => f.at),
        now,
      );
    },
    async record(email, now) {
      await store.write(async (raw) => {
        const trx = raw.withTables<UsersTables>();
        await trx
          .deleteFrom('sign_in_failures')
          .where('at', '<=', now - FAILURE_WINDOW_MS)
          .execute();
        await trx.insertInto('sign_in_failures').values({ email, at: now }).execute();
      });
    },
    async clear(trx, email) {
      await trx.withTables<UsersTables>().deleteFrom('sign_in_failures').where('email', '=', email).execute();
    },
  };
}
