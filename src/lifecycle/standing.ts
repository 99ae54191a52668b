/**
 * Where a profile stands: its lifecycle stage, then its segments (which may
 * refer to the stage), evaluated after each of its events and again when a
 * window closes or a relative date passes (profile_timers). Changes are
 * recorded in stage_history and segment_changes, ordered streams that later
 * consumers (journeys) read like an outbox.
 */
import type { Kysely } from 'kysely';
import { cached } from '../pipeline/index.js';
import {
  computedDb, loadDefinitions, loadState, loadTraitStates, profilesDb, readTraits, type ConsentDefault, type ProfileState, type TraitState,
} from '../profiles/index.js';
import {
  earliest, foldMemberships, loadLiveSegments, profileContext, setTimer, updateMemberships, type LiveSegment,
} from '../segments/index.js';
import { decideStage, stageOwner, type LifecycleModel } from './model.js';
import type { LifecycleTables } from './tables.js';

export interface StandingOptions {
  consentDefaults: Record<string, ConsentDefault>;
  model(db: Kysely<object>): Promise<LifecycleModel>;
  /** Puts "Stage Changed" events on the event log, in the same transaction. */
  emit?: (trx: Kysely<object>, events: InternalEvent[]) => Promise<void>;
}

export interface InternalEvent {
  profileId: string;
  event: 'Stage Changed';
  properties: Record<string, unknown>;
  /** Unique per change: repeated processing emits nothing twice. */
  key: string;
  at: number;
}

const lifecycleDb = (db: Kysely<object>) => db.withTables<LifecycleTables>();

/** Re-evaluates one profile; writes stage, memberships and the next timer in `trx`. */
export async function reevaluate(
  trx: Kysely<object>, profileId: string, options: StandingOptions, occasion: { now: number; trigger: string; seq: number | null },
  cache?: Map<string, unknown>,
  known?: { state: ProfileState; traitStates?: Map<string, TraitState> },
): Promise<void> {
  const state = known?.state ?? (await loadState(profilesDb(trx), profileId));
  if (!state) return;
  const computed = computedDb(trx);
  const definitions = await cached(cache, 'computed-traits', () => loadDefinitions(computed));
  const readings = readTraits(definitions, known?.traitStates ?? (await loadTraitStates(computed, profileId)), occasion.now);
  const db = lifecycleDb(trx);
  const current = await db.selectFrom('profile_stages').select('stage').where('profile_id', '=', profileId).executeTakeFirst();
  const previousStage = current?.stage ?? null;
  const facts = { profileId, state, readings, stage: previousStage, segments: new Set<string>() };
  const model = await cached(cache, 'lifecycle-model', () => options.model(trx));
  const contextFor = profileContext(facts, occasion.now, options.consentDefaults);
  const decided = decideStage(model, (stage) => contextFor(stageOwner(stage)));
  if (decided.stage !== previousStage) {
    if (decided.stage === null) await db.deleteFrom('profile_stages').where('profile_id', '=', profileId).execute();
    else {
      await db.insertInto('profile_stages').values({ profile_id: profileId, stage: decided.stage, since: occasion.now })
        .onConflict((oc) => oc.column('profile_id').doUpdateSet({ stage: decided.stage!, since: occasion.now })).execute();
    }
    await db.insertInto('stage_history').values({
      profile_id: profileId, from_stage: previousStage, to_stage: decided.stage, at: occasion.now, trigger: occasion.trigger, seq: occasion.seq,
    }).execute();
  }
  const live: LiveSegment[] = await cached(cache, 'live-segments', () => loadLiveSegments(trx));
  const membership = await updateMemberships(trx, { ...facts, stage: decided.stage }, live, { ...occasion, consentDefaults: options.consentDefaults });
  const when = occasion.seq ?? occasion.now;
  const internal: InternalEvent[] = [];
  if (decided.stage !== previousStage) {
    internal.push({ profileId, event: 'Stage Changed', at: occasion.now, key: `stage:${profileId}:${occasion.trigger}:${when}`,
      properties: { from: previousStage, to: decided.stage, trigger: occasion.trigger } });
  }
  // Segment entries and exits are many more; they stay in segment_changes, a stream of their own.
  if (internal.length > 0) await options.emit?.(trx, internal);
  await setTimer(trx, profileId, earliest([decided.changesAt, membership.changesAt]));
}

/** A merged-away profile leaves its stage and its dynamic segments; static memberships follow the survivor. */
export async function foldStanding(trx: Kysely<object>, survivor: string, merged: string, occasion: { now: number; seq: number | null }, options: StandingOptions): Promise<void> {
  const db = lifecycleDb(trx);
  const current = await db.selectFrom('profile_stages').select('stage').where('profile_id', '=', merged).executeTakeFirst();
  if (current) {
    await db.deleteFrom('profile_stages').where('profile_id', '=', merged).execute();
    await db.insertInto('stage_history').values({ profile_id: merged, from_stage: current.stage, to_stage: null, at: occasion.now, trigger: 'merge', seq: occasion.seq }).execute();
  }
  await foldMemberships(trx, survivor, merged, await loadLiveSegments(trx), { ...occasion, trigger: 'merge', consentDefaults: options.consentDefaults });
  await setTimer(trx, merged, null);
}

/** Erasure: every trace of these profiles in stages, segments and timers. */
export async function forgetStanding(trx: Kysely<object>, profileIds: string[]): Promise<void> {
  if (profileIds.length === 0) return;
  const db = lifecycleDb(trx);
  await db.deleteFrom('profile_stages').where('profile_id', 'in', profileIds).execute();
  await db.deleteFrom('stage_history').where('profile_id', 'in', profileIds).execute();
  const sdb = trx.withTables<import('../segments/index.js').SegmentTables>();
  for (const table of ['segment_members', 'segment_changes', 'profile_timers'] as const) {
    await sdb.deleteFrom(table).where('profile_id', 'in', profileIds).execute();
  }
}
