import type { Generated } from 'kysely';
import type { Migrations } from '../store/index.js';

export type CollectTables = {
  sources: {
    id: string;
    name: string;
    channel: string;
    write_key_hash: string;
    write_key_hint: string;
    previous_key_hash: string | null;
    previous_key_expires_at: number | null;
    created_at: number;
    rotated_at: number | null;
    /** 1 for Touchpoint's own sources: hidden from lists, no key works for them. */
    internal: number;
  };
  /** The latest messages each source had refused (rejections.ts keeps a bounded number per source). */
  source_rejections: {
    id: Generated<number>;
    source_id: string;
    at: number;
    code: string;
    message: string;
    message_index: number;
  };
};

export const collectMigrations: Migrations = {
  '2026-11-23-01-sources': {
    async up(db, dialect) {
      await db.schema
        .createTable('sources')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('write_key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('write_key_hint', 'text', (c) => c.notNull())
        .addColumn('previous_key_hash', 'text')
        .addColumn('previous_key_expires_at', dialect.bigintType)
        .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('rotated_at', dialect.bigintType)
        .execute();
      await db.schema.createIndex('sources_previous_key').on('sources').column('previous_key_hash').execute();
    },
  },
  '2026-11-30-04-internal-sources': {
    async up(db) {
      await db.schema
        .alterTable('sources')
        .addColumn('internal', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.withTables<CollectTables>().updateTable('sources').set({ internal: 1 }).where('name', '=', 'Touchpoint (internal)').execute();
    },
  },
  '2026-12-05-07-source-rejections': {
    async up(db, dialect) {
      await dialect
        .addSequenceKey(db.schema.createTable('source_rejections'), 'id')
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('message_index', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('source_rejections_source').on('source_rejections').columns(['source_id', 'id']).execute();
    },
  },
};
