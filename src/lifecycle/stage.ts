/** The standing stage of the pipeline: lifecycle stage and segments, after the profile stage. */
import { ok, type Stage } from '../pipeline/index.js';
import type { ProfileState, TraitState } from '../profiles/index.js';
import { foldStanding, reevaluate, type StandingOptions } from './standing.js';

export function createStandingStage(options: StandingOptions): Stage {
  return {
    name: 'standing',
    async run(event, ctx) {
      if (!ctx.profileId) throw new Error('the standing stage runs after the identity stage');
      if (ctx.internal) return ok();
      for (const merge of ctx.merges ?? []) {
        await foldStanding(ctx.db, merge.survivor, merge.merged, { now: event.receivedAt, seq: event.seq }, options);
      }
      const known = ctx.profile as { state: ProfileState; traitStates?: Map<string, TraitState> } | undefined;
      await reevaluate(ctx.db, ctx.profileId, options, { now: event.receivedAt, trigger: 'event', seq: event.seq }, ctx.cache, known);
      return ok();
    },
  };
}
