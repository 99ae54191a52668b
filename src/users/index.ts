/**
 * users: who may use the console and what their role lets them do. Owns the
 * tables `users`, `sessions` and `sign_in_failures`. Passwords are kept as
 * scrypt hashes, session tokens as sha256; failed password checks (at
 * sign-in, or a signed-in user's password change) lock an address out for a
 * while, in the store, so a restart does not reset the count.
 */
import type { Clock } from '../clock.js';
import type { Ids } from '../ids.js';
import type { Store } from '../store/index.js';
import { createAccounts, type Accounts, type User } from './accounts.js';
import { createSessions, type Sessions } from './sessions.js';
import { createFailures } from './failures.js';
import { createOwnPasswordChange, type ChangeOwnPassword } from './own-password.js';
import { createSignIn, type SignInResult } from './sign-in.js';

export type { NewUser, User, UserChange } from './accounts.js';
export type { ActiveSession, NewSession } from './sessions.js';
export type { SignInResult } from './sign-in.js';
export type { PasswordChangeResult } from './own-password.js';
export { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, MAX_FAILURES, FAILURE_WINDOW_MS } from './limits.js';
export { MIN_PASSWORD_LENGTH, passwordProblem } from './password.js';
export { can, isRole, PERMISSIONS, ROLES, ROLE_PERMISSIONS, rolesWith, type Permission, type Role } from './roles.js';
export { usersMigrations } from './tables.js';

export interface Users extends Accounts {
  signIn(email: string, password: string): Promise<SignInResult>;
  /** A signed-in user changes their own password (the current one checked first). */
  changeOwnPassword: ChangeOwnPassword;
  sessions: Pick<Sessions, 'resolve' | 'close'>;
}

export function createUsers(store: Store, deps: { clock: Clock; ids: Ids }): Users {
  const sessions = createSessions(store, deps);
  const failures = createFailures(store);
  return {
    ...createAccounts(store, deps),
    signIn: createSignIn(store, { ...deps, sessions, failures }),
    changeOwnPassword: createOwnPasswordChange(store, { ...deps, failures }),
    sessions,
  };
}

/** A user as the API and the CLI show it: times as ISO 8601, never the password hash. */
export interface UserView {
  id: string;
  email: string;
  name: string | null;
  role: User['role'];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export function presentUser(user: User): UserView {
  return { ...user, createdAt: new Date(user.createdAt).toISOString(), updatedAt: new Date(user.updatedAt).toISOString() };
}
