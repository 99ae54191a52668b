/**
 * Previewing a condition before saving it: how many profiles match now, and a
 * sample. An event condition that counts what a stored counter already counts
 * (a saved segment's, back-filled) reads that counter; the others have no
 * counters yet, so they are counted in memory from one pass over the log.
 */
import type { EventLog } from '../log/index.js';
import { countInto, type StoredTrait, type TraitDefinition, type TraitStates } from '../profiles/index.js';
import { computedTraitReferences } from './conditions.js';
import { profileContext } from './context.js';
import { loadStandingDefinitions } from './definitions.js';
import type { StandingDeps } from './deps.js';
import { evaluate } from './evaluate.js';
import { loadRecords } from './records.js';
import type { Condition } from './schema.js';
import { countersFor } from './segments.js';

export interface PreviewDeps extends StandingDeps {
  log: EventLog;
  now(): number;
  eventOwners(seqs: readonly number[]): Promise<Map<number, string>>;
}

const OWNER = 'preview';
const PAGE = 1000;

export async function previewCondition(
  deps: PreviewDeps,
  condition: Condition,
  sampleSize: number,
): Promise<{ count: number; total: number; sample: string[] }> {
  const now = deps.now();
  const defs = await loadStandingDefinitions(deps.store.db, deps.traitDefinitions, deps.consentDefaults);
  const stored = sameCounters(defs.traits.values());
  const reused = new Map<string, StoredTrait>();
  const counters: StoredTrait[] = [];
  for (const d of countersFor(OWNER, condition)) {
    const same = stored.get(counterKey(d));
    if (same) reused.set(d.name, same);
    else counters.push({ ...d, id: `${OWNER}${d.name}`, owner: OWNER, createdAt: now, backfillUntil: 0, backfillAt: 0 });
  }
  const counted = await countInMemory(deps, counters);
  const traits = new Map([...defs.traits, ...counters.map((c) => [c.name, c] as const), ...reused]);
  const named = new Set(computedTraitReferences(condition));
  const traitIds = [
    ...[...defs.traits.values()].filter((t) => t.owner === null && named.has(t.name)).map((t) => t.id),
    ...[...reused.values()].map((t) => t.id),
  ];
  const names = new Map(defs.segments.map((s) => [s.id, s.name]));
  let count = 0;
  let total = 0;
  const sample: string[] = [];
  for (let after = ''; ; ) {
    const page = await deps.profiles.page(deps.store.db, after, PAGE, traitIds);
    if (page.length === 0) break;
    const records = (
      await loadRecords(
        deps.store.db,
        page.map((p) => p.id),
      )
    ).records;
    for (const { id, facts } of page) {
      const record = records.get(id)!;
      const segments = new Set([...record.members.keys()].flatMap((s) => [s, names.get(s) ?? s]));
      const mine = new Map([...facts.traits, ...(counted.get(id) ?? [])]);
      const context = profileContext({ state: facts.state, traits: mine, stage: record.stage, segments }, now, traits, defs.consentDefaults);
      context.owner = OWNER;
      total++;
      if (!evaluate(condition, context).match) continue;
      count++;
      if (sample.length < sampleSize) sample.push(id);
    }
    after = page[page.length - 1]!.id;
  }
  return { count, total, sample };
}

/** What a counter counts, whatever its name and owner. */
const counterKey = (d: TraitDefinition) =>
  JSON.stringify([
    d.aggregation,
    d.eventType,
    d.event ?? null,
    d.property ?? null,
    d.windowDays ?? null,
    d.where.map((f) => [f.property, f.op, f.value ?? null]),
  ]);

/** Stored counters whose back-fill is done, by what they count: each is current for every profile. */
function sameCounters(traits: Iterable<StoredTrait>): Map<string, StoredTrait> {
  const ready = new Map<string, StoredTrait>();
  for (const t of traits) if (t.backfillAt >= t.backfillUntil && !ready.has(counterKey(t))) ready.set(counterKey(t), t);
  return ready;
}

async function countInMemory(deps: PreviewDeps, counters: StoredTrait[]): Promise<Map<string, TraitStates>> {
  const states = new Map<string, TraitStates>();
  if (counters.length === 0) return states;
  for (let after = 0; ; ) {
    const events = await deps.log.readAll(after, PAGE);
    if (events.length === 0) break;
    after = events[events.length - 1]!.seq;
    const owners = await deps.eventOwners(events.map((e) => e.seq));
    for (const event of events) {
      const profileId = owners.get(event.seq);
      if (!profileId) continue;
      const message = JSON.parse(event.payload) as Record<string, unknown>;
      states.set(profileId, countInto(counters, states.get(profileId) ?? new Map(), { seq: event.seq, timestamp: event.timestamp, message }));
    }
  }
  return states;
}
