/** Reading and writing profile rows, many at a time. */
import type { Kysely } from 'kysely';
import type { Store } from '../store/index.js';
import { emptyState, type ProfileState } from './state.js';
import type { ProfileTables } from './tables.js';

export type Db = Kysely<ProfileTables>;
export const profilesDb = (db: Kysely<object>): Db => db.withTables<ProfileTables>();

export interface StoredProfile {
  id: string;
  createdAt: number;
  state: ProfileState;
}

export async function loadState(db: Db, id: string): Promise<ProfileState | undefined> {
  const row = await db.selectFrom('profiles').select('state').where('id', '=', id).executeTakeFirst();
  return row && (JSON.parse(row.state) as ProfileState);
}

export async function loadProfiles(db: Db, ids: readonly string[]): Promise<Map<string, StoredProfile>> {
  const found = new Map<string, StoredProfile>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('profiles')
      .select(['id', 'created_at', 'state'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) found.set(r.id, { id: r.id, createdAt: r.created_at, state: JSON.parse(r.state) as ProfileState });
  }
  return found;
}

export interface ProfileWrite extends StoredProfile {
  /** The state as it was stored before (undefined: a new profile). */
  previous?: ProfileState;
}

const COLUMNS = ['id', 'created_at', 'first_seen', 'last_seen', 'event_count', 'household_id', 'state'] as const;

/** Upserts profiles and keeps the searchable copy of their scalar trait values in step. */
export async function writeProfiles(store: Store, trx: Kysely<object>, writes: readonly ProfileWrite[]): Promise<void> {
  const rows = writes.map((w) => [
    w.id,
    w.createdAt,
    w.state.firstSeen,
    w.state.lastSeen,
    w.state.eventCount,
    w.state.household?.value ?? null,
    JSON.stringify(w.state),
  ]);
  await store.bulk.insert(trx, 'profiles', COLUMNS, rows, { conflict: { target: ['id'], update: COLUMNS.slice(2) } });
  const stale: [string, string][] = [];
  const fresh: [string, string, string][] = [];
  for (const w of writes) {
    const before = w.previous ?? emptyState();
    for (const [name, trait] of Object.entries(w.state.traits)) {
      if (before.traits[name]?.value === trait.value) continue;
      if (w.previous) stale.push([w.id, name]);
      const value = searchable(trait.value);
      if (value !== undefined) fresh.push([w.id, name, value]);
    }
  }
  await store.bulk.deleteTuples(trx, 'profile_trait_values', ['profile_id', 'name'], stale);
  await store.bulk.insert(trx, 'profile_trait_values', ['profile_id', 'name', 'value'], fresh);
}

export function searchable(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '' && value.length <= 256) return value.trim().toLowerCase();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export async function deleteProfiles(store: Store, trx: Kysely<object>, ids: readonly string[]): Promise<void> {
  await store.bulk.deleteIn(trx, 'profile_trait_values', 'profile_id', ids);
  await store.bulk.deleteIn(trx, 'computed_trait_values', 'profile_id', ids);
  await store.bulk.deleteIn(trx, 'profiles', 'id', ids);
}
