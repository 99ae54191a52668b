/**
 * Previewing a condition before saving it: how many profiles match now, and a
 * sample. An event condition that counts what a stored counter already counts
 * (a saved segment's, back-filled) reads that counter; the others have no
 * counters yet, so they are counted in memory from the customers'
 * timelines, a page of profiles at a time as they are judged: the named
 * events only when every counter names its events, and only those recent
 * enough to count in a counter's window.
 */
import { countInto, type CountedEvent, type EventScan, type StoredTrait, type TraitDefinition, type TraitStates } from '../profiles/index.js';
import { computedTraitReferences } from './conditions.js';
import { profileContext } from './context.js';
import { loadStandingDefinitions } from './definitions.js';
import type { StandingDeps } from './deps.js';
import { evaluate } from './evaluate.js';
import { loadRecords } from './records.js';
import type { Condition } from './schema.js';
import { countersFor } from './segments.js';

export interface PreviewDeps extends StandingDeps {
  now(): number;
  /** These profiles' events that a scan names, from their timelines (profiles.eventsOfMany). */
  timelineEvents(profileIds: readonly string[], scan: EventScan): Promise<Map<string, CountedEvent[]>>;
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
  const scan = scanFor(counters, now);
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
    const counted = await countPage(
      deps,
      counters,
      scan,
      page.map((p) => p.id),
    );
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
    await nextTurn();
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

/** The names the counters read, when each names its own (else undefined: every event of their types is read). */
function namedEvents(counters: readonly StoredTrait[]): string[] | undefined {
  const names = new Set<string>();
  for (const c of counters) {
    if (c.event === undefined) return undefined;
    for (const name of Array.isArray(c.event) ? c.event : [c.event]) names.add(name);
  }
  return [...names];
}

/** The earliest time an event can count for at `now` when every counter has a window (the longest starts then). */
function earliestCounted(counters: readonly StoredTrait[], now: number): number | undefined {
  let earliest = now;
  for (const c of counters) {
    if (c.windowDays === undefined) return undefined;
    earliest = Math.min(earliest, now - (c.windowDays + 1) * DAY_MS);
  }
  return earliest;
}

const DAY_MS = 86_400_000;

/** What the new counters read of the timelines (undefined: there are none). */
function scanFor(counters: readonly StoredTrait[], now: number): EventScan | undefined {
  if (counters.length === 0) return undefined;
  const names = namedEvents(counters);
  const from = earliestCounted(counters, now);
  return {
    types: [...new Set(counters.map((c) => c.eventType))],
    ...(names && { names }),
    ...(from !== undefined && { from }),
    properties: counters.some((c) => c.aggregation !== 'count' || c.where.length > 0),
  };
}

/** The new counters' states of a page of profiles, counted from their events. */
async function countPage(
  deps: PreviewDeps,
  counters: readonly StoredTrait[],
  scan: EventScan | undefined,
  profileIds: string[],
): Promise<Map<string, TraitStates>> {
  const states = new Map<string, TraitStates>();
  if (!scan) return states;
  for (const [profileId, events] of await deps.timelineEvents(profileIds, scan)) {
    let counted: TraitStates = new Map();
    for (const event of events) counted = countInto(counters, counted, event);
    states.set(profileId, counted);
  }
  return states;
}

/** A turn of the event loop between pages (SQLite answers synchronously): the server keeps answering while a preview counts. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
