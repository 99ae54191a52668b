import type { Migrations } from '../store/index.js';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export type JobTables = {
  jobs: {
    id: string;
    kind: string;
    /** What the job works on, e.g. a segment id: one active job per kind and subject. */
    subject: string;
    status: JobStatus;
    /** The handler's own state as JSON: where to go on from after a restart. */
    state: string;
    done: number;
    total: number;
    error: string | null;
    attempts: number;
    /** The runner working on it, and until when its claim holds without being renewed. */
    claimed_by: string | null;
    lease_until: number | null;
    created_at: number;
    updated_at: number;
    finished_at: number | null;
  };
};

export const jobMigrations: Migrations = {
  '2026-11-30-03-jobs': {
    async up(db, dialect) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('done', dialect.bigintType, (c) => c.notNull())
        .addColumn('total', dialect.bigintType, (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('lease_until', dialect.bigintType)
        .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('updated_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('finished_at', dialect.bigintType)
        .execute();
      await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'created_at']).execute();
      await db.schema.createIndex('jobs_subject').on('jobs').columns(['kind', 'subject']).execute();
    },
  },
};
