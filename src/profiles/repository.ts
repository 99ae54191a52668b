/** Reading and writing profile state rows. */
import type { Kysely } from 'kysely';
import { emptyState, type ProfileState } from './state.js';
import type { ProfileTables } from './tables.js';

export type Db = Kysely<ProfileTables>;
export const profilesDb = (db: Kysely<object>): Db => db.withTables<ProfileTables>();

export async function loadState(db: Db, id: string): Promise<ProfileState | undefined> {
  const row = await db.selectFrom('profiles').selectAll().where('id', '=', id).executeTakeFirst();
  return row && (JSON.parse(row.state) as ProfileState);
}

export async function saveState(db: Db, id: string, state: ProfileState, createdAt: number, previous?: ProfileState): Promise<void> {
  const row = {
    first_seen: state.firstSeen, last_seen: state.lastSeen, event_count: state.eventCount,
    household_id: state.household?.value ?? null, state: JSON.stringify(state),
  };
  if (previous) await db.updateTable('profiles').set(row).where('id', '=', id).execute();
  else await db.insertInto('profiles').values({ id, created_at: createdAt, ...row }).execute();
  await indexTraits(db, id, state, previous ?? emptyState());
}

/** Keeps the searchable copy of scalar trait values (lower-cased) in step with the traits. */
async function indexTraits(db: Db, id: string, state: ProfileState, previous: ProfileState): Promise<void> {
  for (const [name, trait] of Object.entries(state.traits)) {
    if (previous.traits[name]?.value === trait.value) continue;
    const value = searchable(trait.value);
    await db.deleteFrom('profile_trait_values').where('profile_id', '=', id).where('name', '=', name).execute();
    if (value !== undefined) await db.insertInto('profile_trait_values').values({ profile_id: id, name, value }).execute();
  }
}

export function searchable(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '' && value.length <= 256) return value.trim().toLowerCase();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export async function deleteProfileRows(db: Db, id: string): Promise<void> {
  await db.deleteFrom('profile_trait_values').where('profile_id', '=', id).execute();
  await db.deleteFrom('profiles').where('id', '=', id).execute();
}
