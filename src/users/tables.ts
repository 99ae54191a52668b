import type { Migrations } from '../store/index.js';

export type UsersTables = {
  users: {
    id: string;
    /** Trimmed and lower-case. */
    email: string;
    name: string | null;
    role: string;
    /** scrypt$N$r$p$salt$hash (password.ts). */
    password_hash: string;
    created_at: number;
    updated_at: number;
    /** 1: cannot sign in; their sessions were ended. */
    disabled: number;
  };
  sessions: {
    /** sha256 of the cookie's token, hex: a stolen table gives no usable cookie. */
    id: string;
    user_id: string;
    csrf_token: string;
    created_at: number;
    last_seen_at: number;
    expires_at: number;
  };
  /** Failed sign-ins by address (known or not), kept for the lock-out window. */
  sign_in_failures: { email: string; at: number };
};

export const usersMigrations: Migrations = {
  '2026-12-05-01-users': {
    async up(db, dialect) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('updated_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('last_seen_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('expires_at', dialect.bigintType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema.createIndex('sessions_expiry').on('sessions').column('expires_at').execute();
      await db.schema
        .createTable('sign_in_failures')
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sign_in_failures_email').on('sign_in_failures').columns(['email', 'at']).execute();
      await db.schema.createIndex('sign_in_failures_at').on('sign_in_failures').column('at').execute();
    },
  },
};
