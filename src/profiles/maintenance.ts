/**
 * Unmerge and erasure, for the profile side. Each runs in one write
 * transaction of the profiles lane (no pipeline batch interleaves); the
 * identity side is done by the identity module, other modules' data by the
 * dependents given at wiring. Events leave the log only after the
 * transaction, so a crash in between leaves the events in the log but their
 * identifiers suppressed.
 */
import type { Kysely } from 'kysely';
import { TouchpointError } from '../errors.js';
import { createIdentityReader, eraseFromGraph, splitMerge } from '../identity/index.js';
import type { EventLog, LoggedEvent } from '../log/index.js';
import type { Store } from '../store/index.js';
import { computedDb, countInto, loadDefinitions, type TraitStates } from './computed/values.js';
import { deleteProfiles, loadProfiles, profilesDb, writeProfiles } from './repository.js';
import { applyAdminChange, applyEvent, emptyState, type StateOptions } from './state.js';

export interface MaintenanceDeps {
  store: Store;
  log: EventLog;
  now(): number;
  stateOptions: StateOptions;
  /** Touchpoint's own sources: derived events are on timelines but count for nothing; admin changes change only what they say. */
  internalSources: { derived: string; admin: string };
  /** Other modules' data about profiles: evaluated again after an unmerge, deleted by an erasure. */
  dependents: {
    refresh(trx: Kysely<object>, profileIds: string[], now: number): Promise<void>;
    forget(trx: Kysely<object>, profileIds: string[]): Promise<void>;
    /** Erased events' own records (the pipeline's drops and dead letters). */
    forgetEvents(trx: Kysely<object>, seqs: number[]): Promise<void>;
    /** After an erasure: events carrying the person's identifiers are kept out of the log from now on. */
    erased(): void;
  };
}

export function createProfileMaintenance(deps: MaintenanceDeps) {
  const identity = createIdentityReader(deps.store);

  /** Rebuilds profiles' state and computed traits from their events (read beforehand: the log is not read inside a transaction). */
  async function recompute(trx: Kysely<object>, profileIds: string[], loaded: Map<number, LoggedEvent>): Promise<void> {
    const traits = await loadDefinitions(computedDb(trx));
    const before = await loadProfiles(profilesDb(trx), profileIds);
    await deleteProfiles(deps.store, trx, profileIds);
    const writes = [];
    const traitRows: unknown[][] = [];
    for (const profileId of profileIds) {
      const rows = await profilesDb(trx).selectFrom('profile_events').select('seq').where('profile_id', '=', profileId).orderBy('seq').execute();
      const events = rows.map((r) => loaded.get(r.seq)).filter((e): e is LoggedEvent => e !== undefined && e.sourceId !== deps.internalSources.derived);
      let state = emptyState();
      let states: TraitStates = new Map();
      for (const e of events) {
        const event = {
          seq: e.seq,
          sourceId: e.sourceId,
          channel: e.channel,
          timestamp: e.timestamp,
          message: JSON.parse(e.payload) as Record<string, unknown>,
        };
        if (e.sourceId === deps.internalSources.admin) {
          state = applyAdminChange(state, event);
          continue;
        }
        state = applyEvent(state, event, deps.stateOptions);
        states = countInto(traits, states, event);
      }
      writes.push({ id: profileId, createdAt: before.get(profileId)?.createdAt ?? events[0]?.receivedAt ?? deps.now(), state });
      for (const [traitId, s] of states) traitRows.push([profileId, traitId, JSON.stringify(s)]);
    }
    await writeProfiles(deps.store, trx, writes);
    await deps.store.bulk.insert(trx, 'computed_trait_values', ['profile_id', 'trait_id', 'state'], traitRows);
  }

  return {
    /** Splits a merged profile back out; returns the two live profiles. */
    async unmerge(profileId: string, mergedId?: string): Promise<{ profileId: string; restoredId: string }> {
      const holder = await identity.live(profileId);
      if (!holder) throw new TouchpointError('TP_PROFILE_NOT_FOUND', `No profile has the id ${JSON.stringify(profileId)}.`);
      const seqs = await profilesDb(deps.store.db).selectFrom('profile_events').select('seq').where('profile_id', '=', holder).execute();
      const loaded = new Map((await deps.log.get(seqs.map((r) => r.seq))).map((e) => [e.seq, e]));
      return deps.store.write(async (trx) => {
        const split = await splitMerge(trx, holder, mergedId, deps.now());
        await profilesDb(trx)
          .updateTable('profile_events')
          .set({ profile_id: split.restored })
          .where('profile_id', '=', split.holder)
          .where('origin_profile_id', 'in', split.restoredTree)
          .execute();
        await recompute(trx, [split.holder, split.restored], loaded);
        await deps.dependents.refresh(trx, [split.holder, split.restored], deps.now());
        return { profileId: split.holder, restoredId: split.restored };
      }, 'profiles');
    },
    /** Erases a person: profile, identities, events and everything derived; returns what was removed. */
    async erase(profileId: string): Promise<{ profiles: number; identifiers: number; events: number }> {
      const result = await deps.store.write(async (trx) => {
        const graph = await eraseFromGraph(trx, profileId, deps.now());
        const live = graph.profiles[0]!;
        const seqs = (await profilesDb(trx).selectFrom('profile_events').select('seq').where('profile_id', '=', live).execute()).map((r) => r.seq);
        await deps.store.bulk.deleteIn(trx, 'profile_events', 'profile_id', [live]);
        await deleteProfiles(deps.store, trx, [live]);
        await deps.dependents.forgetEvents(trx, seqs);
        await deps.dependents.forget(trx, graph.profiles);
        return { profiles: graph.profiles.length, identifiers: graph.identifiers, seqs };
      }, 'profiles');
      deps.dependents.erased();
      const events = await deps.log.erase(result.seqs);
      return { profiles: result.profiles, identifiers: result.identifiers, events };
    },
  };
}

export type ProfileMaintenance = ReturnType<typeof createProfileMaintenance>;
