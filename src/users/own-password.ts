/**
 * A signed-in user changes their own password: the current one first (the
 * attempt counts toward the address's lock-out until it succeeds, as at
 * sign-in), then the new one is kept, unless the password or the session
 * changed meanwhile (an admin's reset wins); the user's other sessions end,
 * the one that asked goes on.
 */
import type { Clock } from '../clock.js';
import { TouchpointError } from '../errors.js';
import type { Store } from '../store/index.js';
import type { Failures } from './failures.js';
import { checkPassword, hashPassword, verifyPassword } from './password.js';
import type { User } from './accounts.js';
import { tokenId } from './sessions.js';
import type { UsersTables } from './tables.js';

export type PasswordChangeResult =
  | { kind: 'changed'; endedSessions: number }
  | { kind: 'signed-out' }
  | { kind: 'wrong' }
  | { kind: 'locked'; retryAfterMs: number };

/** `asking`: the session the request came with (its cookie's token) and its user, as the caller resolved them. */
export type ChangeOwnPassword = (asking: { token: string; user: Pick<User, 'id' | 'email'> }, current: string, next: string) => Promise<PasswordChangeResult>;

export function createOwnPasswordChange(store: Store, deps: { clock: Clock; failures: Failures }): ChangeOwnPassword {
  const db = store.db.withTables<UsersTables>();
  return async (asking, current, next) => {
    checkPassword(next);
    if (next === current) throw new TouchpointError('TP_INVALID_PASSWORD', 'The new password is the current one; choose another.');
    const { email, id } = asking.user;
    const now = deps.clock.now();
    const wait = await deps.failures.attempt(email, now);
    if (wait > 0) return { kind: 'locked', retryAfterMs: wait };
    const row = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
    if (!row) return { kind: 'signed-out' };
    if (!(await verifyPassword(current, row.password_hash))) return { kind: 'wrong' };
    const hash = await hashPassword(next);
    return store.write(async (raw): Promise<PasswordChangeResult> => {
      const trx = raw.withTables<UsersTables>();
      const session = tokenId(asking.token);
      const still = await trx.selectFrom('sessions').select('id').where('id', '=', session).where('expires_at', '>', now).executeTakeFirst();
      if (!still) return { kind: 'signed-out' };
      const updated = await trx
        .updateTable('users')
        .set({ password_hash: hash, updated_at: now })
        .where('id', '=', id)
        .where('password_hash', '=', row.password_hash)
        .where('disabled', '=', 0)
        .executeTakeFirst();
      // Reset or disabled by an admin since it was checked: that stands.
      if (Number(updated.numUpdatedRows) === 0) return { kind: 'signed-out' };
      await trx.deleteFrom('sessions').where('user_id', '=', id).where('expires_at', '<=', now).execute();
      const ended = await trx.deleteFrom('sessions').where('user_id', '=', id).where('id', '!=', session).executeTakeFirst();
      await deps.failures.clear(raw, email);
      return { kind: 'changed', endedSessions: Number(ended.numDeletedRows) };
    }, 'users');
  };
}
