import type { Migrations } from '../store/index.js';

export type PolicyTables = {
  /** Every version of the policy document ever saved; the highest is in force. */
  policy_versions: {
    version: number;
    /** The document as saved, with its defaults, JSON. */
    document: string;
    created_at: number;
  };
  /**
   * One row per customer ever decided for. Deciding takes the customer's row
   * (an upsert, which PostgreSQL locks until the transaction ends), so two
   * decisions for one customer never read the same sends and both allow.
   */
  contact_guards: {
    profile_id: string;
    decided_at: number;
  };
};

export const policyMigrations: Migrations = {
  '2026-12-02-01-policy': {
    async up(db, dialect) {
      await db.schema
        .createTable('policy_versions')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('contact_guards')
        .addColumn('profile_id', 'text', (c) => c.primaryKey())
        .addColumn('decided_at', dialect.bigintType, (c) => c.notNull())
        .execute();
    },
  },
};
