/** Profiles as other modules read them in bulk: state and trait states for many profiles, a page of all, event owners. */
import { sql, type Kysely } from 'kysely';
import { computedDb, loadTraitStatesOf, type CountedEvent, type TraitStates } from './computed/values.js';
import { loadProfiles, profilesDb } from './repository.js';
import type { ProfileState } from './state.js';

export interface ProfileFacts {
  state: ProfileState;
  traits: TraitStates;
}

const NONE: TraitStates = new Map();

/** These profiles' state and trait states (of `traitIds` only, when given; none for an empty list). */
export async function profileFacts(db: Kysely<object>, ids: readonly string[], traitIds?: readonly string[]): Promise<Map<string, ProfileFacts>> {
  const [profiles, traits] = await Promise.all([loadProfiles(profilesDb(db), ids), loadTraitStatesOf(computedDb(db), ids, traitIds)]);
  return new Map([...profiles].map(([id, p]) => [id, { state: p.state, traits: traits.get(id) ?? NONE }]));
}

/** A page of every profile, in id order, after `after`. */
export async function profilePage(
  db: Kysely<object>,
  after: string,
  limit: number,
  traitIds?: readonly string[],
): Promise<{ id: string; facts: ProfileFacts }[]> {
  const rows = await profilesDb(db).selectFrom('profiles').select(['id', 'state']).where('id', '>', after).orderBy('id').limit(limit).execute();
  const traits =
    traitIds?.length === 0
      ? new Map<string, TraitStates>()
      : await loadTraitStatesOf(
          computedDb(db),
          rows.map((r) => r.id),
          traitIds,
        );
  return rows.map((r) => ({ id: r.id, facts: { state: JSON.parse(r.state) as ProfileState, traits: traits.get(r.id) ?? NONE } }));
}

export async function countProfiles(db: Kysely<object>): Promise<number> {
  const row = await profilesDb(db)
    .selectFrom('profiles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The profile each of these logged events went to (events that went to none are left out). */
export async function eventOwners(db: Kysely<object>, seqs: readonly number[]): Promise<Map<number, string>> {
  const owners = new Map<number, string>();
  for (let i = 0; i < seqs.length; i += 500) {
    const rows = await profilesDb(db)
      .selectFrom('profile_events')
      .select(['seq', 'profile_id'])
      .where('seq', 'in', seqs.slice(i, i + 500))
      .execute();
    for (const r of rows) owners.set(r.seq, r.profile_id);
  }
  return owners;
}

/**
 * A profile's events of these names (track events, or pages and screens by
 * their name), in order, as computed traits count them: type, name and
 * properties, read from its timeline (not the log).
 */
export async function namedEventsOf(db: Kysely<object>, profileId: string, names: readonly string[]): Promise<CountedEvent[]> {
  if (names.length === 0) return [];
  const rows = await profilesDb(db)
    .selectFrom('profile_events')
    .select(['seq', 'timestamp', 'type', 'event', 'properties'])
    .where('profile_id', '=', profileId)
    .where('event', 'in', [...names])
    .orderBy('seq')
    .execute();
  return rows.map(toCountedEvent);
}

/** A timeline row as computed traits count it: type, name and properties. */
function toCountedEvent(r: { seq: number; timestamp: number; type: string; event: string | null; properties: string | null }): CountedEvent {
  const properties = r.properties === null ? {} : (JSON.parse(r.properties) as unknown);
  return { seq: Number(r.seq), timestamp: Number(r.timestamp), message: { type: r.type, event: r.event, name: r.event, properties } };
}

/** Which timeline events a read takes: of these types, of these names when given, at or after `from` when given. */
export interface EventScan {
  types: readonly string[];
  /** Track event names, or page and screen names; every event of the types when absent. */
  names?: readonly string[];
  from?: number;
  /** false: the events come without their properties (a count with no filter needs none), which are not read. */
  properties?: boolean;
}

/**
 * These profiles' events that a scan names, from their timelines, each
 * profile's in time order, as computed traits count them. Read by profile
 * (the timeline's key), so that the cost follows the profiles asked for on
 * every store, whatever the events' names.
 */
export async function eventsOfMany(db: Kysely<object>, profileIds: readonly string[], scan: EventScan): Promise<Map<string, CountedEvent[]>> {
  const found = new Map<string, CountedEvent[]>();
  if (scan.types.length === 0 || scan.names?.length === 0) return found;
  const withProperties = scan.properties !== false;
  for (let i = 0; i < profileIds.length; i += 500) {
    let query = profilesDb(db)
      .selectFrom('profile_events')
      .select(['profile_id', 'seq', 'timestamp', 'type', 'event', withProperties ? 'properties' : sql<null>`null`.as('properties')])
      .where('profile_id', 'in', profileIds.slice(i, i + 500))
      .where('type', 'in', [...scan.types]);
    if (scan.names) query = query.where('event', 'in', [...scan.names]);
    if (scan.from !== undefined) query = query.where('timestamp', '>=', scan.from);
    for (const r of await query.orderBy('profile_id').orderBy('timestamp').orderBy('seq').execute()) {
      const event = toCountedEvent(r);
      const list = found.get(r.profile_id);
      if (list) list.push(event);
      else found.set(r.profile_id, [event]);
    }
  }
  return found;
}
