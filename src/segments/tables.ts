import type { Generated } from 'kysely';
import type { Migrations } from '../store/index.js';

export type SegmentTables = {
  segments: {
    id: string;
    name: string;
    description: string | null;
    kind: 'dynamic' | 'static';
    condition: string | null;
    created_at: number;
    updated_at: number;
    /** counting (event counters back-filling), evaluating (members back-filling), ready */
    status: string;
    backfill_done: number;
    backfill_total: number;
  };
  segment_members: { segment_id: string; profile_id: string; since: number };
  segment_changes: {
    id: Generated<number>; segment_id: string; profile_id: string; change: 'entered' | 'exited'; at: number; trigger: string; seq: number | null;
  };
  segment_sizes: { segment_id: string; day: string; size: number };
  profile_timers: { profile_id: string; due_at: number };
};

export const segmentMigrations: Migrations = {
  '2026-11-25-02-segments': {
    async up(db, dialect) {
      await db.schema.createTable('segments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('condition', 'text')
        .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('updated_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('backfill_done', 'integer', (c) => c.notNull())
        .addColumn('backfill_total', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createTable('segment_members')
        .addColumn('segment_id', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('since', dialect.bigintType, (c) => c.notNull())
        .addPrimaryKeyConstraint('segment_members_pk', ['segment_id', 'profile_id'])
        .execute();
      await db.schema.createIndex('segment_members_profile').on('segment_members').column('profile_id').execute();
      await dialect.addSequenceKey(db.schema.createTable('segment_changes'), 'id')
        .addColumn('segment_id', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('change', 'text', (c) => c.notNull())
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('seq', dialect.bigintType)
        .execute();
      await db.schema.createIndex('segment_changes_segment').on('segment_changes').columns(['segment_id', 'at']).execute();
      await db.schema.createIndex('segment_changes_profile').on('segment_changes').column('profile_id').execute();
      await db.schema.createTable('segment_sizes')
        .addColumn('segment_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('segment_sizes_pk', ['segment_id', 'day'])
        .execute();
      await db.schema.createTable('profile_timers')
        .addColumn('profile_id', 'text', (c) => c.primaryKey())
        .addColumn('due_at', dialect.bigintType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('profile_timers_due').on('profile_timers').column('due_at').execute();
    },
  },
};
