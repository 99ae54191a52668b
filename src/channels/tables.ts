import type { Generated } from 'kysely';
import type { Migrations } from '../store/index.js';

export type ChannelTables = {
  /**
   * The delivery queue: one row per message (or journey webhook call) still
   * to go out through a configured channel. A row is claimed for a lease
   * while it is being delivered, so a node that dies mid-delivery leaves it
   * to be taken again when the lease runs out. Delivered rows go (the
   * contact history keeps the message); rows out of tries stay as the dead
   * letter.
   */
  deliveries: {
    seq: Generated<number>;
    /** The message's id (or the call's): the receiver's idempotency key. */
    id: string;
    /** message (a contact history message) or call (a journey's webhook step). */
    kind: string;
    profile_id: string;
    channel_name: string;
    /** pending, sending (claimed) or dead. */
    status: string;
    attempts: number;
    next_at: number;
    claimed_by: string | null;
    lease_until: number | null;
    /** What the adapter needs, JSON. */
    payload: string;
    last_reason: string | null;
    last_response: string | null;
    created_at: number;
    updated_at: number;
  };
  /** Addresses that must not be written to again (a hard bounce, a complaint). */
  address_suppressions: {
    channel: string;
    address: string;
    reason: string;
    message_id: string | null;
    at: number;
  };
  /** Delivery callbacks already taken, by their webhook-id: a provider's repeat is answered without being recorded twice. Kept a week. */
  callback_receipts: {
    channel_name: string;
    webhook_id: string;
    at: number;
  };
  /** Secrets Touchpoint made for itself (the key that signs tracked links), kept so every node and restart signs alike. */
  channel_keys: {
    name: string;
    value: string;
  };
};

export const channelMigrations: Migrations = {
  '2026-12-03-02-channels': {
    async up(db, dialect) {
      await dialect
        .addSequenceKey(db.schema.createTable('deliveries'), 'seq')
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('channel_name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('lease_until', dialect.bigintType)
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('last_reason', 'text')
        .addColumn('last_response', 'text')
        .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('updated_at', dialect.bigintType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('deliveries_profile').on('deliveries').column('profile_id').execute();
      await db.schema.createIndex('deliveries_due').on('deliveries').columns(['channel_name', 'status', 'next_at', 'seq']).execute();
      await db.schema
        .createTable('address_suppressions')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text')
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .addPrimaryKeyConstraint('address_suppressions_pk', ['channel', 'address'])
        .execute();
      await db.schema
        .createTable('channel_keys')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '2026-12-03-03-callback-receipts': {
    async up(db, dialect) {
      await db.schema
        .createTable('callback_receipts')
        .addColumn('channel_name', 'text', (c) => c.notNull())
        .addColumn('webhook_id', 'text', (c) => c.notNull())
        .addColumn('at', dialect.bigintType, (c) => c.notNull())
        .addPrimaryKeyConstraint('callback_receipts_pk', ['channel_name', 'webhook_id'])
        .execute();
      await db.schema.createIndex('callback_receipts_at').on('callback_receipts').column('at').execute();
    },
  },
};
