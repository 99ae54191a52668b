/** The standing's timers, fired by the pipeline's clock ticks: profiles due up to a time are evaluated at their due times. */
import type { Timers } from '../pipeline/index.js';
import { loadStandingDefinitions } from './definitions.js';
import type { StandingDeps } from './deps.js';
import { noChanges, runDue } from './fold.js';
import { loadRecords, recordChanges, standingDb, writeRecords } from './records.js';

export function createTimers(deps: StandingDeps): Timers {
  return {
    async nextDue() {
      const row = await standingDb(deps.store.db)
        .selectFrom('standing_profiles')
        .select((eb) => eb.fn.min('due_at').as('due'))
        .executeTakeFirst();
      return row?.due === null || row?.due === undefined ? null : Number(row.due);
    },
    async fire(upTo, limit, scope) {
      const due = await standingDb(scope.trx)
        .selectFrom('standing_profiles')
        .select('profile_id')
        .where('due_at', '<=', upTo)
        .orderBy('due_at')
        .orderBy('profile_id')
        .limit(limit)
        .execute();
      if (due.length === 0) return 0;
      const ids = due.map((r) => r.profile_id);
      const [defs, loaded, facts] = await Promise.all([
        loadStandingDefinitions(scope.trx, deps.traitDefinitions, deps.consentDefaults),
        loadRecords(scope.trx, ids),
        deps.profiles.facts(scope.trx, ids),
      ]);
      const out = noChanges();
      for (const id of ids) {
        const profile = facts.get(id);
        const record = loaded.records.get(id)!;
        if (profile) runDue(record, profile, upTo, defs, out);
        else record.due = null; // a timer left by a profile that is gone
      }
      await writeRecords(deps.store, scope.trx, loaded);
      await recordChanges(deps.store, scope, out);
      return ids.length;
    },
  };
}
