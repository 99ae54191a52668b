import type { Generated } from 'kysely';
import type { Migrations } from '../store/index.js';

export type LogTables = {
  event_log: {
    seq: Generated<number>;
    partition: number;
    source_id: string;
    message_id: string;
    type: string;
    event: string | null;
    channel: string;
    user_id: string | null;
    anonymous_id: string | null;
    timestamp: number;
    received_at: number;
    payload: string;
  };
};

export const logMigrations: Migrations = {
  // Consumer positions moved to the consumers (pipeline's consumer_positions); a log in a file of its own never needed them.
  '2026-11-30-05-log-positions-gone': {
    async up(db) {
      await db.schema.dropTable('log_positions').ifExists().execute();
    },
  },
  '2026-11-23-02-event-log': {
    async up(db, dialect) {
      await dialect
        .addSequenceKey(db.schema.createTable('event_log'), 'seq')
        .addColumn('partition', 'integer', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('event', 'text')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('anonymous_id', 'text')
        .addColumn('timestamp', dialect.bigintType, (c) => c.notNull())
        .addColumn('received_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('event_log_message').unique().on('event_log').columns(['source_id', 'message_id']).execute();
      await db.schema.createIndex('event_log_partition').on('event_log').columns(['partition', 'seq']).execute();
      await db.schema.createIndex('event_log_source').on('event_log').columns(['source_id', 'seq']).execute();
      await db.schema.createIndex('event_log_user').on('event_log').columns(['user_id', 'seq']).execute();
      await db.schema.createIndex('event_log_anonymous').on('event_log').columns(['anonymous_id', 'seq']).execute();
      await db.schema.createIndex('event_log_type').on('event_log').columns(['type', 'seq']).execute();
      await db.schema
        .createTable('log_positions')
        .addColumn('consumer', 'text', (c) => c.notNull())
        .addColumn('partition', 'integer', (c) => c.notNull())
        .addColumn('seq', dialect.bigintType, (c) => c.notNull())
        .addPrimaryKeyConstraint('log_positions_pk', ['consumer', 'partition'])
        .execute();
    },
  },
};
