/** The profile stage: the event joins its profile's timeline and updates its state; merged profiles fold into the survivor. */
import { cached, ok, type Stage } from '../pipeline/index.js';
import { deleteProfileRows, loadState, profilesDb, saveState, type Db } from './repository.js';
import { applyEvent, emptyState, mergeStates, type StateOptions } from './state.js';
import { computedDb, countEvent, loadDefinitions, mergeTraitValues } from './computed/values.js';

export function createProfileStage(options: StateOptions): Stage {
  return {
    name: 'profile',
    async run(event, ctx) {
      const db = profilesDb(ctx.db);
      const profileId = ctx.profileId;
      if (!profileId) throw new Error('the profile stage runs after the identity stage');
      const traits = await cached(ctx.cache, 'computed-traits', () => loadDefinitions(computedDb(ctx.db)));
      for (const merge of ctx.merges ?? []) {
        await foldInto(db, merge.survivor, merge.merged, event.receivedAt);
        await mergeTraitValues(computedDb(ctx.db), traits, merge.survivor, merge.merged, event.receivedAt);
      }
      await db.insertInto('profile_events').values({
        seq: event.seq, profile_id: profileId, origin_profile_id: profileId, timestamp: event.timestamp,
        channel: event.channel, type: event.type, event: event.event, source_id: event.sourceId,
      }).execute();
      // Touchpoint's own events (stage changes, segment entries) join the timeline but are not the customer's doing.
      if (ctx.internal) return ok();
      const previous = await loadState(db, profileId);
      const state = applyEvent(previous ?? emptyState(), event, options);
      await saveState(db, profileId, state, event.receivedAt, previous);
      // Events up to a trait's back-fill position are counted by its back-fill.
      const live = traits.filter((t) => event.seq > t.backfillUntil);
      const traitStates = await countEvent(computedDb(ctx.db), live, profileId, event, event.receivedAt);
      ctx.profile = { state, traitStates };
      return ok();
    },
  };
}

async function foldInto(db: Db, survivor: string, merged: string, at: number): Promise<void> {
  await db.updateTable('profile_events').set({ profile_id: survivor }).where('profile_id', '=', merged).execute();
  const [kept, gone] = await Promise.all([loadState(db, survivor), loadState(db, merged)]);
  if (!gone) return;
  await deleteProfileRows(db, merged);
  await saveState(db, survivor, kept ? mergeStates(kept, gone) : gone, at, kept);
}
