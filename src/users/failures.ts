/**
 * Failed password checks per address, kept in the store (a restart does not
 * reset the count): sign-in and a signed-in user's password change count
 * alike, so a stolen session cannot guess its user's password any faster.
 * An attempt is counted as a failure before the password is checked, in one
 * write with the check of the count, so that guesses sent in parallel cannot
 * all pass the check; a success forgets the address's failures.
 */
import type { Kysely } from 'kysely';
import type { Store } from '../store/index.js';
import { FAILURE_WINDOW_MS, lockedFor } from './limits.js';
import type { UsersTables } from './tables.js';

export interface Failures {
  /** How long until the address may try again (ms); 0 when it may now, and the attempt is then counted until `clear`. */
  attempt(email: string, now: number): Promise<number>;
  /** In the caller's transaction: a success forgets the address's failures. */
  clear(trx: Kysely<object>, email: string): Promise<void>;
}

export function createFailures(store: Store): Failures {
  return {
    attempt(email, now) {
      return store.write(async (raw) => {
        const trx = raw.withTables<UsersTables>();
        await trx
          .deleteFrom('sign_in_failures')
          .where('at', '<=', now - FAILURE_WINDOW_MS)
          .execute();
        const recent = await trx.selectFrom('sign_in_failures').select('at').where('email', '=', email).execute();
        const wait = lockedFor(
          recent.map((f) => f.at),
          now,
        );
        if (wait === 0) await trx.insertInto('sign_in_failures').values({ email, at: now }).execute();
        return wait;
      }, 'users');
    },
    async clear(trx, email) {
      await trx.withTables<UsersTables>().deleteFrom('sign_in_failures').where('email', '=', email).execute();
    },
  };
}
