/** Users: who may sign in to the console, with what role. Changing what a session rests on ends the user's sessions. */
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { TouchpointError } from '../errors.js';
import type { Ids } from '../ids.js';
import type { Store } from '../store/index.js';
import { checkPassword, hashPassword } from './password.js';
import { isRole, ROLES, type Role } from './roles.js';
import type { UsersTables } from './tables.js';

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface NewUser {
  email: string;
  name?: string;
  role: Role;
  password: string;
}

export interface UserChange {
  name?: string | null;
  role?: Role;
  password?: string;
  disabled?: boolean;
}

export interface Accounts {
  list(): Promise<User[]>;
  /** By id or by email (any case). */
  find(idOrEmail: string): Promise<User | undefined>;
  create(input: NewUser): Promise<User>;
  update(idOrEmail: string, change: UserChange): Promise<User>;
  remove(idOrEmail: string): Promise<void>;
}

type Row = UsersTables['users'];
type Db = Kysely<UsersTables>;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
const EMAIL = /^[^@\s]+@[^@\s]+$/;

export function toUser(row: Row): User {
  if (!isRole(row.role)) throw new Error(`user ${row.id} has an unknown role ${JSON.stringify(row.role)}`);
  return { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabled === 1, createdAt: row.created_at, updatedAt: row.updated_at };
}

export function findRow(db: Db, idOrEmail: string): Promise<Row | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrEmail), eb('email', '=', normalizeEmail(idOrEmail))]))
    .executeTakeFirst();
}

const notFound = (idOrEmail: string) => new TouchpointError('TP_USER_NOT_FOUND', `No user has the id or email ${JSON.stringify(idOrEmail)}.`);
const exists = (email: string) => new TouchpointError('TP_USER_EXISTS', `A user with the email ${email} exists already; change that user instead.`);

function checkNewUser(input: NewUser): string {
  const email = normalizeEmail(input.email);
  if (!EMAIL.test(email) || email.length > 320) throw new TouchpointError('TP_VALIDATION', `${JSON.stringify(input.email)} is not an email address.`);
  if (!isRole(input.role)) throw new TouchpointError('TP_VALIDATION', `The role must be one of ${ROLES.join(', ')}; got ${JSON.stringify(input.role)}.`);
  checkPassword(input.password);
  return email;
}

/** Whether the change leaves no enabled admin (the admin token still works, but no one could sign in to manage users). */
async function removesLastAdmin(trx: Db, row: Row, after: { role: string; disabled: number } | 'deleted'): Promise<boolean> {
  if (row.role !== 'admin' || row.disabled === 1) return false;
  if (after !== 'deleted' && after.role === 'admin' && after.disabled === 0) return false;
  const others = await trx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .where('id', '!=', row.id)
    .executeTakeFirstOrThrow();
  return Number(others.n) === 0;
}

const lastAdmin = (email: string, what: string) =>
  new TouchpointError('TP_LAST_ADMIN', `${email} is the last admin; make another user admin before you ${what} this one.`);

export function createAccounts(store: Store, deps: { clock: Clock; ids: Ids }): Accounts {
  const db = store.db.withTables<UsersTables>();
  const endSessions = (trx: Db, userId: string) => trx.deleteFrom('sessions').where('user_id', '=', userId).execute();

  return {
    async list() {
      return (await db.selectFrom('users').selectAll().orderBy('email').execute()).map(toUser);
    },
    async find(idOrEmail) {
      const row = await findRow(db, idOrEmail);
      return row && toUser(row);
    },
    async create(input) {
      const email = checkNewUser(input);
      if (await findRow(db, email)) throw exists(email);
      const now = deps.clock.now();
      const row: Row = {
        id: deps.ids.id('usr'),
        email,
        name: input.name?.trim() || null,
        role: input.role,
        password_hash: await hashPassword(input.password),
        created_at: now,
        updated_at: now,
        disabled: 0,
      };
      try {
        await store.write((trx) => trx.withTables<UsersTables>().insertInto('users').values(row).execute(), 'users');
      } catch (error) {
        if (await findRow(db, email)) throw exists(email); // lost a race with another create
        throw error;
      }
      return toUser(row);
    },
    async update(idOrEmail, change) {
      if (change.password !== undefined) checkPassword(change.password);
      const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
      return store.write(async (raw) => {
        const trx = raw.withTables<UsersTables>();
        const row = await findRow(trx, idOrEmail);
        if (!row) throw notFound(idOrEmail);
        const next: Row = {
          ...row,
          name: change.name === undefined ? row.name : change.name?.trim() || null,
          role: change.role ?? row.role,
          disabled: change.disabled === undefined ? row.disabled : change.disabled ? 1 : 0,
          password_hash: passwordHash ?? row.password_hash,
          updated_at: deps.clock.now(),
        };
        if (await removesLastAdmin(trx, row, next)) throw lastAdmin(row.email, next.disabled ? 'disable' : 'demote');
        await trx.updateTable('users').set(next).where('id', '=', row.id).execute();
        if (next.role !== row.role || next.disabled !== row.disabled || passwordHash !== undefined) await endSessions(trx, row.id);
        // A new password is how an admin lets a locked-out user in again.
        if (passwordHash !== undefined) await trx.deleteFrom('sign_in_failures').where('email', '=', row.email).execute();
        return toUser(next);
      }, 'users');
    },
    async remove(idOrEmail) {
      await store.write(async (raw) => {
        const trx = raw.withTables<UsersTables>();
        const row = await findRow(trx, idOrEmail);
        if (!row) throw notFound(idOrEmail);
        if (await removesLastAdmin(trx, row, 'deleted')) throw lastAdmin(row.email, 'delete');
        await endSessions(trx, row.id);
        await trx.deleteFrom('users').where('id', '=', row.id).execute();
      }, 'users');
    },
  };
}
