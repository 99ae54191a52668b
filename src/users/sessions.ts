/**
 * Sessions of signed-in users. The cookie carries a random token; the table
 * keeps only its sha256, so reading the database gives no usable cookie.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Store } from '../store/index.js';
import { toUser, type User } from './accounts.js';
import { checkSession, expiryOf } from './limits.js';
import type { UsersTables } from './tables.js';

export interface ActiveSession {
  user: User;
  csrfToken: string;
  expiresAt: number;
}

export interface NewSession extends ActiveSession {
  /** For the cookie; not kept. */
  token: string;
}

export interface Sessions {
  open(user: User): Promise<NewSession>;
  /** The session a cookie's token names, if it holds now (and its user may still sign in). */
  resolve(token: string): Promise<ActiveSession | undefined>;
  close(token: string): Promise<void>;
}

export const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

export function createSessions(store: Store, deps: { clock: Clock }): Sessions {
  const db = store.db.withTables<UsersTables>();
  return {
    async open(user) {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const now = deps.clock.now();
      const expiresAt = expiryOf(now, now);
      await store.write(async (raw) => {
        const trx = raw.withTables<UsersTables>();
        // Ended sessions go when someone signs in, so the table holds only live ones and a few stale.
        await trx.deleteFrom('sessions').where('expires_at', '<=', now).execute();
        await trx
          .insertInto('sessions')
          .values({ id: tokenId(token), user_id: user.id, csrf_token: csrfToken, created_at: now, last_seen_at: now, expires_at: expiresAt })
          .execute();
      });
      return { token, user, csrfToken, expiresAt };
    },
    async resolve(token) {
      const id = tokenId(token);
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('users')
        .select(['sessions.csrf_token', 'sessions.created_at as session_created_at', 'sessions.last_seen_at', 'sessions.expires_at'])
        .where('sessions.id', '=', id)
        .executeTakeFirst();
      if (!row || row.disabled === 1) return undefined;
      const check = checkSession({ createdAt: row.session_created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at }, deps.clock.now());
      if (check.kind === 'expired') return undefined;
      if (check.touch) {
        const touch = check.touch;
        await store.write((trx) =>
          trx
            .withTables<UsersTables>()
            .updateTable('sessions')
            .set({ last_seen_at: touch.lastSeenAt, expires_at: touch.expiresAt })
            .where('id', '=', id)
            .execute(),
        );
      }
      return { user: toUser(row), csrfToken: row.csrf_token, expiresAt: check.touch?.expiresAt ?? row.expires_at };
    },
    async close(token) {
      await store.write((trx) => trx.withTables<UsersTables>().deleteFrom('sessions').where('id', '=', tokenId(token)).execute());
    },
  };
}
