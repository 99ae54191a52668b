/**
 * Unmerge and erasure, for the profile side. Both run while the pipeline is
 * paused and in one transaction; the identity side is done by the identity
 * module. Events leave the log only after the transaction, so a crash in
 * between leaves the events in the log but their identifiers suppressed.
 */
import type { Kysely } from 'kysely';
import { createIdentityReader, eraseFromGraph, splitMerge } from '../identity/index.js';
import type { EventLog, LoggedEvent } from '../log/index.js';
import { TouchpointError } from '../errors.js';
import { forgetEvents } from '../pipeline/index.js';
import type { PipelineControl } from './computed/service.js';
import { computedDb, countEvent, loadDefinitions } from './computed/values.js';
import { deleteProfileRows, loadState, profilesDb, saveState } from './repository.js';
import { applyEvent, emptyState, type StateOptions } from './state.js';

export interface MaintenanceDeps {
  db: Kysely<object>;
  log: EventLog;
  pipeline: PipelineControl;
  now(): number;
  stateOptions: StateOptions;
  /** Touchpoint's own events are on timelines but count for nothing. */
  internalSourceId?: string;
  /** Other modules' data about profiles: re-derived after an unmerge, deleted by an erasure. */
  dependents?: {
    refresh(trx: Kysely<object>, profileId: string): Promise<void>;
    forget(trx: Kysely<object>, profileIds: string[]): Promise<void>;
  };
}

export function createProfileMaintenance(deps: MaintenanceDeps) {
  /** Rebuilds a profile's state and computed traits from its events (read beforehand: the log is not read inside a transaction). */
  async function recompute(trx: Kysely<object>, profileId: string, loaded: Map<number, LoggedEvent>): Promise<void> {
    const db = profilesDb(trx);
    const rows = await db.selectFrom('profile_events').select('seq').where('profile_id', '=', profileId).orderBy('seq').execute();
    const events = rows.map((r) => loaded.get(r.seq)).filter((e): e is LoggedEvent => e !== undefined);
    const traits = await loadDefinitions(computedDb(trx));
    await computedDb(trx).deleteFrom('computed_trait_values').where('profile_id', '=', profileId).execute();
    let state = emptyState();
    for (const e of events) {
      if (e.sourceId === deps.internalSourceId) continue;
      const event = { seq: e.seq, sourceId: e.sourceId, channel: e.channel, timestamp: e.timestamp, message: JSON.parse(e.payload) as Record<string, unknown> };
      state = applyEvent(state, event, deps.stateOptions);
      await countEvent(computedDb(trx), traits, profileId, event, deps.now());
    }
    const previous = await loadState(db, profileId);
    if (previous) await deleteProfileRows(db, profileId);
    await saveState(db, profileId, state, events[0]?.receivedAt ?? deps.now());
  }

  return {
    /** Splits a merged profile back out; returns the two live profiles. */
    unmerge(profileId: string, mergedId?: string): Promise<{ profileId: string; restoredId: string }> {
      return deps.pipeline.paused(async () => {
        const holder = await createIdentityReader(deps.db).live(profileId);
        if (!holder) throw new TouchpointError('TP_PROFILE_NOT_FOUND', `No profile has the id ${JSON.stringify(profileId)}.`);
        const seqs = await profilesDb(deps.db).selectFrom('profile_events').select('seq').where('profile_id', '=', holder).execute();
        const loaded = new Map((await deps.log.get(seqs.map((r) => r.seq))).map((e) => [e.seq, e]));
        return deps.db.transaction().execute(async (trx) => {
          const split = await splitMerge(trx, holder, mergedId, deps.now());
          await profilesDb(trx).updateTable('profile_events').set({ profile_id: split.restored })
            .where('profile_id', '=', split.holder).where('origin_profile_id', 'in', split.restoredTree).execute();
          await recompute(trx, split.holder, loaded);
          await recompute(trx, split.restored, loaded);
          await deps.dependents?.refresh(trx, split.holder);
          await deps.dependents?.refresh(trx, split.restored);
          return { profileId: split.holder, restoredId: split.restored };
        });
      });
    },
    /** Erases a person: profile, identities, events and everything derived; returns what was removed. */
    async erase(profileId: string): Promise<{ profiles: number; identifiers: number; events: number }> {
      const result = await deps.pipeline.paused(() => deps.db.transaction().execute(async (trx) => {
        const graph = await eraseFromGraph(trx, profileId, deps.now());
        const db = profilesDb(trx);
        const live = graph.profiles[0]!;
        const seqs = (await db.selectFrom('profile_events').select('seq').where('profile_id', '=', live).execute()).map((r) => r.seq);
        await db.deleteFrom('profile_events').where('profile_id', '=', live).execute();
        await computedDb(trx).deleteFrom('computed_trait_values').where('profile_id', '=', live).execute();
        await deleteProfileRows(db, live);
        await forgetEvents(trx, seqs);
        await deps.dependents?.forget(trx, graph.profiles);
        return { profiles: graph.profiles.length, identifiers: graph.identifiers, seqs };
      }));
      const events = await deps.log.erase(result.seqs);
      return { profiles: result.profiles, identifiers: result.identifiers, events };
    },
  };
}

export type ProfileMaintenance = ReturnType<typeof createProfileMaintenance>;
