import type { Generated } from 'kysely';
import type { Migrations } from '../store/index.js';

export type LifecycleTables = {
  lifecycle_model: { id: number; definition: string; updated_at: number };
  profile_stages: { profile_id: string; stage: string; since: number };
  stage_history: {
    id: Generated<number>; profile_id: string; from_stage: string | null; to_stage: string | null; at: number; trigger: string; seq: number | null;
  };
};

export const lifecycleMigrations: Migrations = {
  '2026-11-25-03-lifecycle': {
    async up(db, dialect) {
      await db.schema.createTable('lifecycle_model')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('updated_at', dialect.bigintType, (c) => c.notNull())
        .execute();
      await db.schema.createTable('profile_stages')
        .addColumn('profile_id', 'text', (c) => c.primaryKey())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('since', dialect.bigintType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('profile_stages_stage').on('profile_stages').column('stage').execute();
      await dialect.addSequenceKey(db.schema.createTable('stage_history'), 'id')
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('from_stage', 'text')
        .addColumn('to_stage', 'text')
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('seq', dialect.bigintType)
        .execute();
      await db.schema.createIndex('stage_history_profile').on('stage_history').columns(['profile_id', 'at']).execute();
      await db.schema.createIndex('stage_history_at').on('stage_history').column('at').execute();
    },
  },
};
