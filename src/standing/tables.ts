import { sql, type Generated } from 'kysely';
import type { Migrations } from '../store/index.js';

export type StandingTables = {
  lifecycle_model: { id: number; definition: string; updated_at: number };
  /** One row per profile: its stage, the moment its standing was last evaluated at, and its next timer. */
  standing_profiles: { profile_id: string; stage: string | null; since: number | null; as_of: number | null; due_at: number | null };
  stage_history: {
    id: Generated<number>;
    profile_id: string;
    from_stage: string | null;
    to_stage: string | null;
    at: number;
    trigger: string;
    seq: number | null;
    recorded_at: number | null;
  };
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
    id: Generated<number>;
    segment_id: string;
    profile_id: string;
    change: 'entered' | 'exited';
    at: number;
    trigger: string;
    seq: number | null;
    recorded_at: number | null;
  };
  segment_sizes: { segment_id: string; day: string; size: number };
};

export const standingMigrations: Migrations = {
  '2026-11-25-02-segments': {
    async up(db, dialect) {
      await db.schema
        .createTable('segments')
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
      await db.schema
        .createTable('segment_members')
        .addColumn('segment_id', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('since', dialect.bigintType, (c) => c.notNull())
        .addPrimaryKeyConstraint('segment_members_pk', ['segment_id', 'profile_id'])
        .execute();
      await db.schema.createIndex('segment_members_profile').on('segment_members').column('profile_id').execute();
      await dialect
        .addSequenceKey(db.schema.createTable('segment_changes'), 'id')
        .addColumn('segment_id', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('change', 'text', (c) => c.notNull())
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('seq', dialect.bigintType)
        .execute();
      await db.schema.createIndex('segment_changes_segment').on('segment_changes').columns(['segment_id', 'at']).execute();
      await db.schema.createIndex('segment_changes_profile').on('segment_changes').column('profile_id').execute();
      await db.schema
        .createTable('segment_sizes')
        .addColumn('segment_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('segment_sizes_pk', ['segment_id', 'day'])
        .execute();
      await db.schema
        .createTable('profile_timers')
        .addColumn('profile_id', 'text', (c) => c.primaryKey())
        .addColumn('due_at', dialect.bigintType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('profile_timers_due').on('profile_timers').column('due_at').execute();
    },
  },
  '2026-11-25-03-lifecycle': {
    async up(db, dialect) {
      await db.schema
        .createTable('lifecycle_model')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('updated_at', dialect.bigintType, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('profile_stages')
        .addColumn('profile_id', 'text', (c) => c.primaryKey())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('since', dialect.bigintType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('profile_stages_stage').on('profile_stages').column('stage').execute();
      await dialect
        .addSequenceKey(db.schema.createTable('stage_history'), 'id')
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
  '2026-11-30-02-standing': {
    async up(db, dialect) {
      await db.schema
        .createTable('standing_profiles')
        .addColumn('profile_id', 'text', (c) => c.primaryKey())
        .addColumn('stage', 'text')
        .addColumn('since', dialect.bigintType)
        .addColumn('as_of', dialect.bigintType)
        .addColumn('due_at', dialect.bigintType)
        .execute();
      await db.schema.createIndex('standing_profiles_due').on('standing_profiles').column('due_at').execute();
      await db.schema.createIndex('standing_profiles_stage').on('standing_profiles').column('stage').execute();
      // Stages and timers were two tables; now one row per profile, with the time its standing was evaluated at.
      await sql`insert into standing_profiles (profile_id, stage, since, as_of, due_at)
        select s.profile_id, s.stage, s.since, s.since, t.due_at from profile_stages s left join profile_timers t on t.profile_id = s.profile_id`.execute(db);
      await sql`insert into standing_profiles (profile_id, stage, since, as_of, due_at)
        select t.profile_id, null, null, null, t.due_at from profile_timers t where not exists (select 1 from profile_stages s where s.profile_id = t.profile_id)`.execute(
        db,
      );
      await db.schema.dropTable('profile_stages').execute();
      await db.schema.dropTable('profile_timers').execute();
      // When a change was recorded (processing time), beside when it happened (at).
      await db.schema.alterTable('stage_history').addColumn('recorded_at', dialect.bigintType).execute();
      await db.schema.alterTable('segment_changes').addColumn('recorded_at', dialect.bigintType).execute();
      await db.schema.createIndex('stage_history_profile_order').on('stage_history').columns(['profile_id', 'at', 'id']).execute();
    },
  },
};
