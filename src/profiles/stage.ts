/**
 * The profile stage: every event joins its profile's timeline and updates its
 * state and computed traits; merged profiles fold into the survivor. A batch
 * reads its profiles and their trait states once, folds the events in memory
 * in log order, and writes each changed profile once.
 */
import type { Kysely } from 'kysely';
import type { Identified } from '../identity/index.js';
import { ok, type BatchItem, type Stage } from '../pipeline/index.js';
import type { Store } from '../store/index.js';
import { computedDb, countInto, loadDefinitions, loadTraitStatesOf, mergeInto, type StoredTrait, type TraitStates } from './computed/values.js';
import { deleteProfiles, loadProfiles, profilesDb, writeProfiles, type ProfileWrite, type StoredProfile } from './repository.js';
import { eventFacts } from './activity.js';
import { applyAdminChange, applyEvent, emptyState, mergeStates, type ProfileState, type StateOptions } from './state.js';

/** A profile as one event leaves it. */
export interface Snapshot {
  state: ProfileState;
  /** Computed trait states by trait id (the hidden counters of segments and stages included). */
  traits: TraitStates;
}

/** What the profile stage hands on: the profile before the event (after its merges; null when the event created it) and after it. */
export interface Profiled {
  before: Snapshot | null;
  after: Snapshot;
}

interface Working {
  loaded: Map<string, StoredProfile>;
  loadedTraits: ReadonlyMap<string, TraitStates>;
  states: Map<string, ProfileState>;
  traits: Map<string, TraitStates>;
  createdAt: Map<string, number>;
  merged: Set<string>;
}

export function createProfileStage(options: StateOptions & { store: Store }): Stage<Identified, Profiled> {
  return {
    name: 'profile',
    async run(items, scope) {
      const ids = [...new Set(items.flatMap((i) => [i.ctx.profileId, ...i.ctx.merges.flatMap((m) => [m.survivor, m.merged])]))];
      const [loaded, definitions, traitStates] = await Promise.all([
        loadProfiles(profilesDb(scope.trx), ids),
        loadDefinitions(computedDb(scope.trx)),
        loadTraitStatesOf(computedDb(scope.trx), ids),
      ]);
      const work: Working = {
        loaded,
        loadedTraits: traitStates,
        merged: new Set(),
        createdAt: new Map([...loaded].map(([id, p]) => [id, p.createdAt])),
        states: new Map([...loaded].map(([id, p]) => [id, p.state])),
        traits: new Map(traitStates),
      };
      const results = items.map((item) => ok(fold(item, work, definitions, options)));
      await flush(options.store, scope.trx, items, work);
      return results;
    },
  };
}

function snapshot(work: Working, id: string): Snapshot | null {
  const state = work.states.get(id);
  return state ? { state, traits: work.traits.get(id) ?? new Map() } : null;
}

function fold(item: BatchItem<Identified>, work: Working, definitions: StoredTrait[], options: StateOptions): Profiled {
  const { event, ctx } = item;
  for (const { survivor, merged } of ctx.merges) {
    const gone = work.states.get(merged);
    work.merged.add(merged);
    if (!gone) continue;
    const kept = work.states.get(survivor);
    work.states.set(survivor, kept ? mergeStates(kept, gone) : gone);
    work.traits.set(survivor, mergeInto(definitions, work.traits.get(survivor) ?? new Map(), work.traits.get(merged) ?? new Map(), event.timestamp));
    if (!work.createdAt.has(survivor)) work.createdAt.set(survivor, work.createdAt.get(merged)!);
    work.states.delete(merged);
    work.traits.delete(merged);
  }
  const id = ctx.profileId;
  const before = snapshot(work, id);
  // Touchpoint's own stage changes join the timeline but are not the customer's doing.
  if (ctx.origin === 'derived') return { before, after: before ?? { state: emptyState(), traits: new Map() } };
  if (!work.createdAt.has(id)) work.createdAt.set(id, event.receivedAt);
  const previous = before?.state ?? emptyState();
  if (ctx.origin === 'admin') {
    work.states.set(id, applyAdminChange(previous, event));
    return { before, after: snapshot(work, id)! };
  }
  work.states.set(id, applyEvent(previous, event, options));
  // Events up to a trait's back-fill position are counted by its back-fill.
  const live = definitions.filter((t) => event.seq > t.backfillUntil);
  work.traits.set(id, countInto(live, before?.traits ?? new Map(), event));
  return { before, after: snapshot(work, id)! };
}

async function flush(store: Store, trx: Kysely<object>, items: readonly BatchItem<Identified>[], work: Working): Promise<void> {
  await store.bulk.insert(
    trx,
    'profile_events',
    ['seq', 'profile_id', 'origin_profile_id', 'timestamp', 'channel', 'type', 'event', 'source_id', 'properties', 'campaign'],
    items.map(({ event, ctx }) => [
      event.seq,
      ctx.profileId,
      ctx.profileId,
      event.timestamp,
      event.channel,
      event.type,
      event.event,
      event.sourceId,
      ...eventFacts(event.message),
    ]),
  );
  // Timelines follow merges in order, rows written above included.
  const timeline = profilesDb(trx);
  for (const { ctx } of items) {
    for (const m of ctx.merges) await timeline.updateTable('profile_events').set({ profile_id: m.survivor }).where('profile_id', '=', m.merged).execute();
  }
  await deleteProfiles(store, trx, [...work.merged]);
  const writes: ProfileWrite[] = [];
  for (const [id, state] of work.states) {
    const previous = work.loaded.get(id)?.state;
    if (state !== previous) writes.push({ id, createdAt: work.createdAt.get(id)!, state, previous });
  }
  await writeProfiles(store, trx, writes);
  const traitRows: unknown[][] = [];
  for (const [id, states] of work.traits) {
    const stored = work.loadedTraits.get(id);
    for (const [traitId, state] of states) if (stored?.get(traitId) !== state) traitRows.push([id, traitId, JSON.stringify(state)]);
  }
  await store.bulk.insert(trx, 'computed_trait_values', ['profile_id', 'trait_id', 'state'], traitRows, {
    conflict: { target: ['profile_id', 'trait_id'], update: ['state'] },
  });
}
