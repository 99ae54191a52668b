import type { Migrations } from '../../store/index.js';

export type ComputedTables = {
  computed_traits: {
    id: string;
    name: string;
    definition: string;
    created_at: number;
    /** Events up to this log position are counted by the back-fill, later ones by the pipeline. */
    backfill_until: number;
    /** Log position the back-fill has reached; equal to backfill_until when done. */
    backfill_at: number;
    /** Null for traits defined through the API; `segment:<id>` or `lifecycle` for the counters behind their event conditions. */
    owner: string | null;
  };
  computed_trait_values: { profile_id: string; trait_id: string; state: string };
};

export const computedMigrations: Migrations = {
  '2026-11-24-04-computed-traits': {
    async up(db, dialect) {
      await db.schema
        .createTable('computed_traits')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('backfill_until', dialect.bigintType, (c) => c.notNull())
        .addColumn('backfill_at', dialect.bigintType, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('computed_trait_values')
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('trait_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('computed_trait_values_pk', ['profile_id', 'trait_id'])
        .execute();
    },
  },
};

export const computedOwnerMigrations: Migrations = {
  '2026-11-25-01-computed-trait-owner': {
    async up(db) {
      await db.schema.alterTable('computed_traits').addColumn('owner', 'text').execute();
      await db.schema.createIndex('computed_traits_owner').on('computed_traits').column('owner').execute();
    },
  },
};
