import type { Generated, Kysely } from 'kysely';
import type { Migrations } from '../store/index.js';

export type DestinationTables = {
  destinations: {
    id: string;
    name: string;
    segment_id: string;
    /** The segment's name as last seen, for batch bodies written where the segment cannot be asked (an erasure's transaction). */
    segment_name: string;
    /** webhook (batches pushed as signed requests) or csv (pulled as a file). */
    kind: 'webhook' | 'csv';
    url: string | null;
    /** The Standard Webhooks signing secret (whsec_…): needed in clear to sign. */
    secret: string | null;
    batch_size: number;
    /** JSON array of the identifiers sent: "email", "phone". */
    identifiers: string;
    /** Whose normalisation the hashes follow: google or meta (normalize.ts). */
    hashing: string;
    /** active or paused (the operator's choice); back-filling is told by backfill_after. */
    status: 'active' | 'paused';
    /** The segment change stream's position consumed up to. */
    position: number;
    /** While the current members are being added: the last profile id added (''), null once done. */
    backfill_after: string | null;
    added: number;
    removed: number;
    skipped: number;
    failed_batches: number;
    last_error: string | null;
    last_error_at: number | null;
    last_sync_at: number | null;
    created_at: number;
    updated_at: number;
  };
  /** What the platform was told: each profile added, with the hashes it was added with (a removal sends the same). */
  destination_members: {
    destination_id: string;
    profile_id: string;
    email_sha256: string | null;
    phone_sha256: string | null;
    added_at: number;
  };
  /** The durable queue of batches, sent in seq order per destination. */
  destination_batches: {
    seq: Generated<number>;
    /** The receiver's idempotency key (webhook-id), the same on every try. */
    id: string;
    destination_id: string;
    /** The JSON body as sent; null once sent (it holds hashed personal data that is no longer needed). */
    body: string | null;
    adds: number;
    removes: number;
    attempts: number;
    /** When the next try is due; while a try is under way, when its lease runs out. */
    next_attempt_at: number;
    status: 'pending' | 'sent' | 'dead';
    /** The last try's outcome: the reason and the receiver's response, JSON. */
    response: string | null;
    created_at: number;
    updated_at: number;
  };
};

export const destinationsDb = (db: Kysely<object>) => db.withTables<DestinationTables>();

export const destinationMigrations: Migrations = {
  '2026-12-03-01-destinations': {
    async up(db, dialect) {
      const big = dialect.bigintType;
      await db.schema
        .createTable('destinations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('segment_id', 'text', (c) => c.notNull())
        .addColumn('segment_name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('secret', 'text')
        .addColumn('batch_size', 'integer', (c) => c.notNull())
        .addColumn('identifiers', 'text', (c) => c.notNull())
        .addColumn('hashing', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('position', big, (c) => c.notNull())
        .addColumn('backfill_after', 'text')
        .addColumn('added', big, (c) => c.notNull())
        .addColumn('removed', big, (c) => c.notNull())
        .addColumn('skipped', big, (c) => c.notNull())
        .addColumn('failed_batches', big, (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('last_error_at', big)
        .addColumn('last_sync_at', big)
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('destination_members')
        .addColumn('destination_id', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('email_sha256', 'text')
        .addColumn('phone_sha256', 'text')
        .addColumn('added_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('destination_members_pk', ['destination_id', 'profile_id'])
        .execute();
      await db.schema.createIndex('destination_members_profile').on('destination_members').column('profile_id').execute();
      await dialect
        .addSequenceKey(db.schema.createTable('destination_batches'), 'seq')
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('destination_id', 'text', (c) => c.notNull())
        .addColumn('body', 'text')
        .addColumn('adds', 'integer', (c) => c.notNull())
        .addColumn('removes', 'integer', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('response', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('destination_batches_queue').on('destination_batches').columns(['destination_id', 'status', 'seq']).execute();
    },
  },
};
