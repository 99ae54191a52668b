/** What profile maintenance asks of the standing: evaluate split profiles again, forget erased ones, reset before a rebuild. */
import type { Kysely } from 'kysely';
import { writeDerived, type DerivedEvent } from '../pipeline/index.js';
import { loadStandingDefinitions } from './definitions.js';
import type { StandingDeps } from './deps.js';
import { evaluateAt, noChanges } from './fold.js';
import { loadRecords, recordChanges, standingDb, writeRecords } from './records.js';

/** Evaluates these profiles again in `trx` (after an unmerge changed what they hold), at `now` or their standing time if later. */
export async function refreshStanding(deps: StandingDeps, trx: Kysely<object>, profileIds: string[], now: number, trigger: string): Promise<void> {
  const [defs, loaded, facts] = await Promise.all([
    loadStandingDefinitions(trx, deps.traitDefinitions, deps.consentDefaults),
    loadRecords(trx, profileIds),
    deps.profiles.facts(trx, profileIds),
  ]);
  const out = noChanges();
  for (const id of profileIds) {
    const record = loaded.records.get(id)!;
    const profile = facts.get(id);
    if (profile) evaluateAt(record, profile, Math.max(now, record.asOf ?? now), { trigger, seq: null }, defs, out);
  }
  await writeRecords(deps.store, trx, loaded);
  const derived: DerivedEvent[] = [];
  await recordChanges(deps.store, { trx, now, derive: (e) => derived.push(e) }, out);
  await writeDerived(deps.store, trx, derived);
}

/** Erasure: every trace of these profiles in stages, segments and timers. */
export async function forgetStanding(deps: StandingDeps, trx: Kysely<object>, profileIds: string[]): Promise<void> {
  for (const table of ['standing_profiles', 'stage_history', 'segment_members', 'segment_changes'] as const) {
    await deps.store.bulk.deleteIn(trx, table, 'profile_id', profileIds);
  }
}

/** Derived standing (stages, dynamic memberships, timers, history) is rebuilt from events; static segment members are kept. */
export async function resetStanding(trx: Kysely<object>): Promise<void> {
  const db = standingDb(trx);
  const dynamic = (await db.selectFrom('segments').select('id').where('kind', '=', 'dynamic').execute()).map((r) => r.id);
  if (dynamic.length > 0) await db.deleteFrom('segment_members').where('segment_id', 'in', dynamic).execute();
  await db.deleteFrom('segment_changes').execute();
  await db.deleteFrom('standing_profiles').execute();
  await db.deleteFrom('stage_history').execute();
}
