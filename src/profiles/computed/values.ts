/** Computed trait definitions and per-profile states in the store. */
import type { Kysely } from 'kysely';
import { addEntry, changesAt, mergeTraitStates, valueOf, type TraitState } from './aggregate.js';
import { contribution, matches, type TraitDefinition } from './definition.js';
import type { ComputedTables } from './tables.js';

export interface StoredTrait extends TraitDefinition {
  id: string;
  owner: string | null;
  createdAt: number;
  backfillUntil: number;
  backfillAt: number;
}

type Db = Kysely<ComputedTables>;
export const computedDb = (db: Kysely<object>): Db => db.withTables<ComputedTables>();

export async function loadDefinitions(db: Db): Promise<StoredTrait[]> {
  const rows = await db.selectFrom('computed_traits').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    ...(JSON.parse(r.definition) as TraitDefinition), id: r.id, owner: r.owner, createdAt: r.created_at, backfillUntil: r.backfill_until, backfillAt: r.backfill_at,
  }));
}

export async function loadTraitStates(db: Db, profileId: string): Promise<Map<string, TraitState>> {
  const rows = await db.selectFrom('computed_trait_values').select(['trait_id', 'state']).where('profile_id', '=', profileId).execute();
  return new Map(rows.map((r) => [r.trait_id, JSON.parse(r.state) as TraitState]));
}

async function saveTraitState(db: Db, profileId: string, traitId: string, state: TraitState): Promise<void> {
  const json = JSON.stringify(state);
  await db.insertInto('computed_trait_values').values({ profile_id: profileId, trait_id: traitId, state: json })
    .onConflict((oc) => oc.columns(['profile_id', 'trait_id']).doUpdateSet({ state: json })).execute();
}

export interface CountedEvent { seq: number; timestamp: number; message: Record<string, unknown> }

/**
 * Adds an event to every trait it counts for. Returns the profile's trait
 * states after the change when it had to read them (undefined: nothing counted).
 */
export async function countEvent(db: Db, traits: StoredTrait[], profileId: string, event: CountedEvent, now: number): Promise<Map<string, TraitState> | undefined> {
  const counted = traits.filter((t) => matches(t, event.message));
  if (counted.length === 0) return undefined;
  const states = await loadTraitStates(db, profileId);
  const rows = counted.flatMap((trait) => {
    const value = contribution(trait, event.message);
    if (value === undefined) return [];
    const state = addEntry(trait, states.get(trait.id) ?? {}, [event.timestamp, event.seq, value], now);
    states.set(trait.id, state);
    return [{ profile_id: profileId, trait_id: trait.id, state: JSON.stringify(state) }];
  });
  if (rows.length === 0) return states;
  await db.insertInto('computed_trait_values').values(rows)
    .onConflict((oc) => oc.columns(['profile_id', 'trait_id']).doUpdateSet((eb) => ({ state: eb.ref('excluded.state') }))).execute();
  return states;
}

/** Folds the merged profile's trait states into the survivor's. */
export async function mergeTraitValues(db: Db, traits: StoredTrait[], survivor: string, merged: string, now: number): Promise<void> {
  const [kept, gone] = await Promise.all([loadTraitStates(db, survivor), loadTraitStates(db, merged)]);
  for (const trait of traits) {
    const from = gone.get(trait.id);
    if (!from) continue;
    await saveTraitState(db, survivor, trait.id, mergeTraitStates(trait, kept.get(trait.id) ?? {}, from, now));
  }
  await db.deleteFrom('computed_trait_values').where('profile_id', '=', merged).execute();
}

export interface TraitReading { value: unknown; changesAt: number | null }

/** Each trait's value for one profile at `now`, and when it changes with no new event. */
export function readTraits(traits: StoredTrait[], states: Map<string, TraitState>, now: number): Map<string, TraitReading> {
  return new Map(traits.map((t) => {
    const state = states.get(t.id) ?? {};
    return [t.name, { value: valueOf(t, state, now), changesAt: changesAt(t, state, now) }];
  }));
}
