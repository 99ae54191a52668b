/** Computed trait definitions and per-profile states: pure counting, and reading and writing them in the store. */
import type { Kysely } from 'kysely';
import { addEntry, changesAt, mergeTraitStates, valueAt, type TraitState } from './aggregate.js';
import { contribution, matches, type TraitDefinition } from './definition.js';
import type { ComputedTables } from './tables.js';

export interface StoredTrait extends TraitDefinition {
  id: string;
  owner: string | null;
  createdAt: number;
  backfillUntil: number;
  backfillAt: number;
}

/** A profile's trait states by trait id. */
export type TraitStates = ReadonlyMap<string, TraitState>;

type Db = Kysely<ComputedTables>;
export const computedDb = (db: Kysely<object>): Db => db.withTables<ComputedTables>();

export async function loadDefinitions(db: Db): Promise<StoredTrait[]> {
  const rows = await db.selectFrom('computed_traits').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    ...(JSON.parse(r.definition) as TraitDefinition),
    id: r.id,
    owner: r.owner,
    createdAt: r.created_at,
    backfillUntil: r.backfill_until,
    backfillAt: r.backfill_at,
  }));
}

/** Trait states of many profiles, optionally of some traits only. */
export async function loadTraitStatesOf(db: Db, profileIds: readonly string[], traitIds?: readonly string[]): Promise<Map<string, Map<string, TraitState>>> {
  const found = new Map<string, Map<string, TraitState>>();
  if (traitIds && traitIds.length === 0) return found;
  for (let i = 0; i < profileIds.length; i += 500) {
    let query = db
      .selectFrom('computed_trait_values')
      .select(['profile_id', 'trait_id', 'state'])
      .where('profile_id', 'in', profileIds.slice(i, i + 500));
    if (traitIds) query = query.where('trait_id', 'in', [...traitIds]);
    for (const r of await query.execute()) {
      const states = found.get(r.profile_id) ?? new Map<string, TraitState>();
      found.set(r.profile_id, states);
      states.set(r.trait_id, JSON.parse(r.state) as TraitState);
    }
  }
  return found;
}

export interface CountedEvent {
  seq: number;
  timestamp: number;
  message: Record<string, unknown>;
}

/**
 * Adds an event to every trait it counts for. Returns new states when it
 * counted (the given map is left as it was), else the same map. Windows drop
 * what is older than the event's own time less the window.
 */
export function countInto(traits: readonly StoredTrait[], states: TraitStates, event: CountedEvent): TraitStates {
  let next: Map<string, TraitState> | undefined;
  for (const trait of traits) {
    if (!matches(trait, event.message)) continue;
    const value = contribution(trait, event.message);
    if (value === undefined) continue;
    next ??= new Map(states);
    next.set(trait.id, addEntry(trait, next.get(trait.id) ?? {}, [event.timestamp, event.seq, value], event.timestamp));
  }
  return next ?? states;
}

/** The merged profile's trait states folded into the survivor's. */
export function mergeInto(traits: readonly StoredTrait[], kept: TraitStates, gone: TraitStates, now: number): TraitStates {
  if (gone.size === 0) return kept;
  const merged = new Map(kept);
  for (const trait of traits) {
    const from = gone.get(trait.id);
    if (from) merged.set(trait.id, mergeTraitStates(trait, kept.get(trait.id) ?? {}, from, now));
  }
  return merged;
}

export interface TraitReading {
  value: unknown;
  changesAt: number | null;
}

/** One trait's value for a profile at `now`, and when it changes with no new event. */
export function readTrait(trait: StoredTrait, states: TraitStates, now: number): TraitReading {
  const state = states.get(trait.id) ?? {};
  return { value: valueAt(trait, state, now), changesAt: changesAt(trait, state, now) };
}
