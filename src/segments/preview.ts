/**
 * Previewing a condition before saving it: how many profiles match now, and a
 * sample. Its event conditions have no counters yet, so they are counted in
 * memory from one pass over the log.
 */
import type { Kysely } from 'kysely';
import type { EventLog } from '../log/index.js';
import {
  addEntry, changesAt, computedDb, loadDefinitions, loadState, loadTraitStates, matches, profilesDb, readTraits, valueOf,
  type ConsentDefault, type TraitDefinition, type TraitState,
} from '../profiles/index.js';
import { countersFor } from './registry.js';
import type { Condition } from './conditions.js';
import { profileContext } from './context.js';
import { evaluate } from './evaluate.js';
import { membershipsOf, segmentsDb } from './membership.js';

export interface PreviewDeps {
  db: Kysely<object>;
  log: EventLog;
  now(): number;
  consentDefaults: Record<string, ConsentDefault>;
  stageOf(db: Kysely<object>, profileId: string): Promise<string | null>;
}

const OWNER = 'preview';
const BATCH = 1000;

export async function previewCondition(deps: PreviewDeps, condition: Condition, sampleSize: number): Promise<{ count: number; total: number; sample: string[] }> {
  const now = deps.now();
  const counters = await countInMemory(deps, countersFor(OWNER, condition), now);
  const traits = await loadDefinitions(computedDb(deps.db));
  const names = new Map((await segmentsDb(deps.db).selectFrom('segments').select(['id', 'name']).execute()).map((s) => [s.id, s.name]));
  const profiles = deps.db.withTables<{ profiles: { id: string } }>();
  let after = '';
  let count = 0;
  let total = 0;
  const sample: string[] = [];
  for (;;) {
    const ids = (await profiles.selectFrom('profiles').select('id').where('id', '>', after).orderBy('id').limit(BATCH).execute()).map((r) => r.id);
    if (ids.length === 0) break;
    for (const profileId of ids) {
      const state = await loadState(profilesDb(deps.db), profileId);
      if (!state) continue;
      const readings = readTraits(traits, await loadTraitStates(computedDb(deps.db), profileId), now);
      for (const [name, reading] of counters.get(profileId) ?? []) readings.set(name, reading);
      const segments = new Set([...(await membershipsOf(deps.db, profileId))].flatMap((id) => [id, names.get(id) ?? id]));
      const context = profileContext({ profileId, state, readings, stage: await deps.stageOf(deps.db, profileId), segments }, now, deps.consentDefaults)(OWNER);
      total++;
      if (!evaluate(condition, context).match) continue;
      count++;
      if (sample.length < sampleSize) sample.push(profileId);
    }
    after = ids[ids.length - 1]!;
  }
  return { count, total, sample };
}

async function countInMemory(deps: PreviewDeps, definitions: TraitDefinition[], now: number) {
  const states = new Map<string, Map<string, TraitState>>();
  if (definitions.length === 0) return new Map<string, Map<string, { value: unknown; changesAt: number | null }>>();
  const owners = profilesDb(deps.db);
  for (let after = 0; ;) {
    const events = await deps.log.readAll(after, BATCH);
    if (events.length === 0) break;
    after = events[events.length - 1]!.seq;
    const rows = await owners.selectFrom('profile_events').select(['seq', 'profile_id']).where('seq', 'in', events.map((e) => e.seq)).execute();
    const ownerOf = new Map(rows.map((r) => [r.seq, r.profile_id]));
    for (const event of events) {
      const profileId = ownerOf.get(event.seq);
      if (!profileId) continue;
      const message = JSON.parse(event.payload) as Record<string, unknown>;
      for (const def of definitions) {
        if (!matches(def, message)) continue;
        const perProfile = states.get(profileId) ?? new Map<string, TraitState>();
        states.set(profileId, perProfile);
        perProfile.set(def.name, addEntry(def, perProfile.get(def.name) ?? {}, [event.timestamp, event.seq, 1], now));
      }
    }
  }
  return new Map([...states].map(([profileId, perProfile]) => [profileId, new Map([...perProfile].map(([name, state]) => {
    const def = definitions.find((d) => d.name === name)!;
    return [name, { value: valueOf(def, state, now), changesAt: changesAt(def, state, now) }];
  }))]));
}
