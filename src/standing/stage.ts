/**
 * The standing stage of the pipeline, after the profile stage: each event's
 * profile is evaluated (lifecycle stage, then segments) at the event's time,
 * after the timers it had due before then. A batch reads its profiles'
 * standing once, folds in memory (fold.ts), and writes what changed.
 */
import type { Identified } from '../identity/index.js';
import { ok, type Stage } from '../pipeline/index.js';
import type { Profiled } from '../profiles/index.js';
import { applyEvent, foldMerged, noChanges } from './fold.js';
import { loadRecords, recordChanges, writeRecords } from './records.js';
import type { StandingDeps } from './deps.js';
import { loadStandingDefinitions } from './definitions.js';

export function createStandingStage(deps: StandingDeps): Stage<Identified & Profiled, object> {
  return {
    name: 'standing',
    async run(items, scope) {
      // Touchpoint's own stage changes are on timelines, and change nothing here.
      const counted = items.filter((i) => i.ctx.origin !== 'derived');
      const ids = [...new Set(counted.flatMap((i) => [i.ctx.profileId, ...i.ctx.merges.flatMap((m) => [m.survivor, m.merged])]))];
      const [defs, loaded] = await Promise.all([loadStandingDefinitions(scope.trx, deps.traitDefinitions, deps.consentDefaults), loadRecords(scope.trx, ids)]);
      const out = noChanges();
      for (const { event, ctx } of counted) {
        for (const m of ctx.merges) foldMerged(loaded.records.get(m.survivor)!, loaded.records.get(m.merged)!, event.timestamp, event.seq, defs, out);
        applyEvent(loaded.records.get(ctx.profileId)!, ctx.before, ctx.after, { ...event, merged: ctx.merges.length > 0 }, defs, out);
      }
      await writeRecords(deps.store, scope.trx, loaded);
      await recordChanges(deps.store, scope, out);
      return items.map(() => ok({}));
    },
  };
}
