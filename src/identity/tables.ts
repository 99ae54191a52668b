import type { Generated } from 'kysely';
import type { Migrations } from '../store/index.js';

export type IdentityTables = {
  id_profiles: { id: string; created_seq: number; created_at: number; merged_into: string | null; merged_at: number | null };
  id_identities: { kind: string; value: string; profile_id: string; origin_profile_id: string; first_seq: number };
  id_observations: { kind: string; value: string; profile_id: string };
  id_hubs: { kind: string; value: string; profiles: number; flagged_at: number };
  id_merges: {
    id: Generated<number>;
    seq: number;
    at: number;
    survivor_id: string;
    merged_id: string;
    via_kind: string;
    via_value: string;
    reason: string;
    undone_at: number | null;
  };
  id_conflicts: {
    id: Generated<number>;
    seq: number;
    at: number;
    profile_id: string;
    owner_id: string | null;
    kind: string;
    value: string;
    reason: string;
  };
  id_blocks: { a: string; b: string };
  id_suppressions: { hash: string; at: number };
};

export const identityMigrations: Migrations = {
  '2026-11-24-01-identity': {
    async up(db, dialect) {
      await db.schema
        .createTable('id_profiles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_seq', dialect.bigintType, (c) => c.notNull())
        .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('merged_into', 'text')
        .addColumn('merged_at', dialect.bigintType)
        .execute();
      await db.schema.createIndex('id_profiles_merged_into').on('id_profiles').column('merged_into').execute();
      await db.schema
        .createTable('id_identities')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('origin_profile_id', 'text', (c) => c.notNull())
        .addColumn('first_seq', dialect.bigintType, (c) => c.notNull())
        .addPrimaryKeyConstraint('id_identities_pk', ['kind', 'value'])
        .execute();
      await db.schema.createIndex('id_identities_profile').on('id_identities').columns(['profile_id', 'kind']).execute();
      await db.schema.createIndex('id_identities_value').on('id_identities').column('value').execute();
      await db.schema
        .createTable('id_observations')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('id_observations_pk', ['kind', 'value', 'profile_id'])
        .execute();
      await db.schema
        .createTable('id_hubs')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('profiles', 'integer', (c) => c.notNull())
        .addColumn('flagged_at', dialect.bigintType, (c) => c.notNull())
        .addPrimaryKeyConstraint('id_hubs_pk', ['kind', 'value'])
        .execute();
      await dialect
        .addSequenceKey(db.schema.createTable('id_merges'), 'id')
        .addColumn('seq', dialect.bigintType, (c) => c.notNull())
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .addColumn('survivor_id', 'text', (c) => c.notNull())
        .addColumn('merged_id', 'text', (c) => c.notNull())
        .addColumn('via_kind', 'text', (c) => c.notNull())
        .addColumn('via_value', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('undone_at', dialect.bigintType)
        .execute();
      await db.schema.createIndex('id_merges_survivor').on('id_merges').column('survivor_id').execute();
      await db.schema.createIndex('id_merges_merged').on('id_merges').column('merged_id').execute();
      await dialect
        .addSequenceKey(db.schema.createTable('id_conflicts'), 'id')
        .addColumn('seq', dialect.bigintType, (c) => c.notNull())
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('id_conflicts_profile').on('id_conflicts').column('profile_id').execute();
      await db.schema
        .createTable('id_blocks')
        .addColumn('a', 'text', (c) => c.notNull())
        .addColumn('b', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('id_blocks_pk', ['a', 'b'])
        .execute();
      await db.schema
        .createTable('id_suppressions')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .execute();
    },
  },
  '2026-12-01-01-identity-search': {
    // Prefix search (the reader's withPrefix) on identifier values and profile ids, A-Z folded.
    async up(db, dialect) {
      await db.schema
        .createIndex('id_identities_search')
        .on('id_identities')
        .expression(dialect.searchKey('value', { foldAscii: true }))
        .execute();
      await db.schema
        .createIndex('id_profiles_search')
        .on('id_profiles')
        .expression(dialect.searchKey('id', { foldAscii: true }))
        .execute();
    },
  },
};
