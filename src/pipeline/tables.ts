import { sql } from 'kysely';
import type { Migrations } from '../store/index.js';

export type PipelineTables = {
  pipeline_dead_letters: { seq: number; at: number; stage: string; reason: string; attempts: number };
  /** Events a stage refused on purpose (no identifier, erased, ...): they left no effect. */
  pipeline_dropped: { seq: number; at: number; stage: string; reason: string };
  /**
   * Where each consumer stands in the log, per partition (-1: all of them in
   * log order). high_water is the furthest it has ever been: below it, an
   * event neither dropped nor dead-lettered was applied.
   */
  consumer_positions: { consumer: string; partition: number; seq: number; high_water: number };
  /** Derived events written with a batch, appended to the log after it commits (a transactional outbox). */
  pipeline_outbox: { id: number; event: string };
};

export const pipelineMigrations: Migrations = {
  '2026-11-24-02-pipeline': {
    async up(db, dialect) {
      await db.schema
        .createTable('pipeline_applied')
        .addColumn('seq', dialect.bigintType, (c) => c.primaryKey())
        .execute();
      await db.schema
        .createTable('pipeline_dead_letters')
        .addColumn('seq', dialect.bigintType, (c) => c.primaryKey())
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .execute();
    },
  },
  '2026-11-30-01-pipeline-batches': {
    async up(db, dialect) {
      await db.schema
        .createTable('pipeline_dropped')
        .addColumn('seq', dialect.bigintType, (c) => c.primaryKey())
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('consumer_positions')
        .addColumn('consumer', 'text', (c) => c.notNull())
        .addColumn('partition', 'integer', (c) => c.notNull())
        .addColumn('seq', dialect.bigintType, (c) => c.notNull())
        .addColumn('high_water', dialect.bigintType, (c) => c.notNull())
        .addPrimaryKeyConstraint('consumer_positions_pk', ['consumer', 'partition'])
        .execute();
      // Positions were the log's; consumers keep their own now. Applied marks give way to the high-water mark.
      if (await dialect.hasTable(db, 'log_positions')) {
        await sql`insert into consumer_positions (consumer, partition, seq, high_water) select consumer, partition, seq, seq from log_positions`.execute(db);
        await db.schema.dropTable('log_positions').execute();
      }
      await db.schema.dropTable('pipeline_applied').execute();
      await dialect
        .addSequenceKey(db.schema.createTable('pipeline_outbox'), 'id')
        .addColumn('event', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
