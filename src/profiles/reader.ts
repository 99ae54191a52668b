/** Reading profiles for the API: state, households, timelines. (Search and listing: search.ts.) */
import type { Kysely } from 'kysely';
import { loadState, profilesDb } from './repository.js';
import type { ProfileState } from './state.js';
import type { ProfileTables } from './tables.js';
import type { ComputedTables } from './computed/tables.js';
import { summarizeActivity } from './activity-summary.js';

export interface TimelineFilter {
  channel?: string;
  type?: string;
  /** Cursor: events before this (timestamp, seq). */
  before?: { timestamp: number; seq: number };
  limit: number;
}

export interface TimelineEntry {
  seq: number;
  timestamp: number;
  channel: string;
  type: string;
  event: string | null;
  sourceId: string;
}

export function createProfileReader(db: Kysely<object>) {
  const profiles = profilesDb(db);
  return {
    state: (id: string): Promise<ProfileState | undefined> => loadState(profiles, id),
    async createdAt(id: string): Promise<number | undefined> {
      return (await profiles.selectFrom('profiles').select('created_at').where('id', '=', id).executeTakeFirst())?.created_at;
    },
    async householdMembers(householdId: string): Promise<string[]> {
      const rows = await profiles.selectFrom('profiles').select('id').where('household_id', '=', householdId).orderBy('id').execute();
      return rows.map((r) => r.id);
    },
    /** Customers' events per channel and day over [from, to) (without Touchpoint's own), orders among them, and how many customers there are. */
    activity: (from: number, to: number, ownSourceIds: readonly string[]) => summarizeActivity(db, from, to, ownSourceIds),
    /** Newest first. */
    async timeline(id: string, filter: TimelineFilter): Promise<TimelineEntry[]> {
      let query = profiles.selectFrom('profile_events').selectAll().where('profile_id', '=', id);
      if (filter.channel) query = query.where('channel', '=', filter.channel);
      if (filter.type) query = query.where('type', '=', filter.type);
      const before = filter.before;
      if (before) {
        query = query.where((eb) =>
          eb.or([eb('timestamp', '<', before.timestamp), eb.and([eb('timestamp', '=', before.timestamp), eb('seq', '<', before.seq)])]),
        );
      }
      const rows = await query.orderBy('timestamp', 'desc').orderBy('seq', 'desc').limit(filter.limit).execute();
      return rows.map((r) => ({ seq: r.seq, timestamp: r.timestamp, channel: r.channel, type: r.type, event: r.event, sourceId: r.source_id }));
    },
  };
}

export type ProfileReader = ReturnType<typeof createProfileReader>;

export const profileResettable = {
  async reset(db: Kysely<object>): Promise<void> {
    const profiles = db.withTables<ProfileTables>();
    await profiles.deleteFrom('profile_trait_values').execute();
    await profiles.deleteFrom('profile_events').execute();
    await profiles.deleteFrom('profiles').execute();
    // Trait values are derived; definitions stay and count everything again.
    const computed = db.withTables<ComputedTables>();
    await computed.deleteFrom('computed_trait_values').execute();
    await computed.updateTable('computed_traits').set({ backfill_until: 0, backfill_at: 0 }).execute();
  },
};
