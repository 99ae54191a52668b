import type { Migrations } from '../store/index.js';

export type PipelineTables = {
  pipeline_applied: { seq: number };
  pipeline_dead_letters: { seq: number; at: number; stage: string; reason: string; attempts: number };
};

export const pipelineMigrations: Migrations = {
  '2026-11-24-02-pipeline': {
    async up(db, dialect) {
      await db.schema.createTable('pipeline_applied').addColumn('seq', dialect.bigintType, (c) => c.primaryKey()).execute();
      await db.schema.createTable('pipeline_dead_letters')
        .addColumn('seq', dialect.bigintType, (c) => c.primaryKey())
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .execute();
    },
  },
};
