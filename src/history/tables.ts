import type { Generated } from 'kysely';
import type { Migrations } from '../store/index.js';

export type HistoryTables = {
  /** One row per contact request, with its latest status; `seq` orders the outbox. */
  messages: {
    seq: Generated<number>;
    id: string;
    /** Derived from what asked for the message (journey enrolment, version, step): asking again finds this row. */
    idempotency_key: string;
    profile_id: string;
    journey_id: string | null;
    journey_version: number | null;
    step_id: string | null;
    enrolment_id: string | null;
    arm: string | null;
    channel: string;
    /** The delivery adapter that took it (outbox, the embedded default). */
    delivery: string | null;
    content_id: string | null;
    purpose: string;
    status: string;
    reason: string | null;
    deferred_until: number | null;
    /** The rendered variant, JSON. */
    rendered: string | null;
    requested_at: number;
    updated_at: number;
    /** The customer's lifecycle stage when it was asked for (the policy learns response rates per stage). */
    stage: string | null;
    /** When it went out: caps count these. */
    sent_at: number | null;
    /** While deferred: the contact request and its renderings, JSON, to decide it again when due. */
    request: string | null;
  };
  /** Every status a message went through, in order. */
  message_events: {
    id: Generated<number>;
    message_id: string;
    status: string;
    at: number;
    detail: string | null;
  };
};

export const historyMigrations: Migrations = {
  '2026-11-30-11-messages': {
    async up(db, dialect) {
      await dialect
        .addSequenceKey(db.schema.createTable('messages'), 'seq')
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('journey_id', 'text')
        .addColumn('journey_version', 'integer')
        .addColumn('step_id', 'text')
        .addColumn('enrolment_id', 'text')
        .addColumn('arm', 'text')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('delivery', 'text')
        .addColumn('content_id', 'text')
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('deferred_until', dialect.bigintType)
        .addColumn('rendered', 'text')
        .addColumn('requested_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('updated_at', dialect.bigintType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('messages_profile').on('messages').columns(['profile_id', 'requested_at']).execute();
      await db.schema.createIndex('messages_journey').on('messages').columns(['journey_id', 'seq']).execute();
      await db.schema.createIndex('messages_status').on('messages').columns(['status', 'seq']).execute();
      await dialect
        .addSequenceKey(db.schema.createTable('message_events'), 'id')
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('message_events_message').on('message_events').columns(['message_id', 'id']).execute();
    },
  },
  '2026-12-02-02-message-decisions': {
    async up(db, dialect) {
      for (const [name, type] of [
        ['stage', 'text'],
        ['sent_at', dialect.bigintType],
        ['request', 'text'],
      ] as const)
        await db.schema.alterTable('messages').addColumn(name, type).execute();
      await db.schema.createIndex('messages_deferred').on('messages').columns(['status', 'deferred_until']).execute();
      await db.schema.createIndex('messages_sent').on('messages').columns(['sent_at']).execute();
      // A goal reached marks the enrolment's messages converted: found by enrolment.
      await db.schema.createIndex('messages_enrolment').on('messages').columns(['enrolment_id']).execute();
    },
  },
};
