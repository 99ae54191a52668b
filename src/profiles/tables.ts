import { sql } from 'kysely';
import type { Migrations } from '../store/index.js';

export type ProfileTables = {
  profiles: {
    id: string;
    created_at: number;
    first_seen: number;
    last_seen: number;
    event_count: number;
    household_id: string | null;
    /** The whole ProfileState as JSON. */
    state: string;
  };
  profile_events: {
    seq: number;
    profile_id: string;
    origin_profile_id: string;
    timestamp: number;
    channel: string;
    type: string;
    event: string | null;
    source_id: string;
    /** The event's properties (JSON), for reports: products, categories, revenue, filters. */
    properties: string | null;
    /** The campaign it came from (context.campaign.name, the UTM campaign), for attribution by campaign. */
    campaign: string | null;
  };
  profile_trait_values: { profile_id: string; name: string; value: string };
};

export const profileMigrations: Migrations = {
  '2026-11-24-03-profiles': {
    async up(db, dialect) {
      await db.schema
        .createTable('profiles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
        .addColumn('first_seen', dialect.bigintType, (c) => c.notNull())
        .addColumn('last_seen', dialect.bigintType, (c) => c.notNull())
        .addColumn('event_count', 'integer', (c) => c.notNull())
        .addColumn('household_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('profiles_household').on('profiles').column('household_id').execute();
      await db.schema
        .createTable('profile_events')
        .addColumn('seq', dialect.bigintType, (c) => c.primaryKey())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('origin_profile_id', 'text', (c) => c.notNull())
        .addColumn('timestamp', dialect.bigintType, (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('event', 'text')
        .addColumn('source_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('profile_events_timeline').on('profile_events').columns(['profile_id', 'timestamp', 'seq']).execute();
      await db.schema
        .createTable('profile_trait_values')
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('profile_trait_values_pk', ['profile_id', 'name'])
        .execute();
      await db.schema.createIndex('profile_trait_values_value').on('profile_trait_values').column('value').execute();
    },
  },
  '2026-12-04-01-profile-event-facts': {
    // Reports read every customer's events in order, with properties and campaigns: the timeline is
    // stored in (profile, time) order, so that such a read goes front to back. Events processed
    // before this keep no properties until a rebuild.
    async up(db, dialect) {
      await dialect
        .clustered(
          db.schema
            .createTable('profile_timeline')
            .addColumn('seq', dialect.bigintType, (c) => c.notNull())
            .addColumn('profile_id', 'text', (c) => c.notNull())
            .addColumn('origin_profile_id', 'text', (c) => c.notNull())
            .addColumn('timestamp', dialect.bigintType, (c) => c.notNull())
            .addColumn('channel', 'text', (c) => c.notNull())
            .addColumn('type', 'text', (c) => c.notNull())
            .addColumn('event', 'text')
            .addColumn('source_id', 'text', (c) => c.notNull())
            .addColumn('properties', 'text')
            .addColumn('campaign', 'text')
            .addPrimaryKeyConstraint('profile_timeline_pk', ['profile_id', 'timestamp', 'seq']),
        )
        .execute();
      await sql`insert into profile_timeline (seq, profile_id, origin_profile_id, timestamp, channel, type, event, source_id)
        select seq, profile_id, origin_profile_id, timestamp, channel, type, event, source_id from profile_events
        order by profile_id, timestamp, seq`.execute(db);
      await db.schema.dropTable('profile_events').execute();
      await db.schema.alterTable('profile_timeline').renameTo('profile_events').execute();
      await db.schema.createIndex('profile_events_seq').unique().on('profile_events').column('seq').execute();
    },
  },
  '2026-12-01-02-profile-search': {
    // Trait values are found by prefix (search.ts): their index compares by code point on every dialect.
    async up(db, dialect) {
      await db.schema.dropIndex('profile_trait_values_value').execute();
      await db.schema.createIndex('profile_trait_values_search').on('profile_trait_values').expression(dialect.searchKey('value')).execute();
    },
  },
};
