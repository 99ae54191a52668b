/**
 * Where some profiles stand now, for readers outside the pipeline (a
 * journey's branch): each profile's evaluation context at this moment, and
 * a condition evaluated in it. Event conditions have no counters of their
 * own here, so they are counted in memory from the profile's own events.
 */
import { countInto, type CountedEvent, type StoredTrait, type TraitStates } from '../profiles/index.js';
import { profileContext } from './context.js';
import { loadStandingDefinitions } from './definitions.js';
import type { StandingDeps } from './deps.js';
import { evaluate, type EvalContext } from './evaluate.js';
import { loadRecords } from './records.js';
import type { Condition } from './schema.js';
import { countersFor } from './segments.js';

export interface NowDeps extends StandingDeps {
  /** A profile's events of these names, for the event conditions of a condition evaluated now. */
  eventsOf(profileId: string, names: readonly string[]): Promise<CountedEvent[]>;
}

/** A profile as it stands now: its context (stage, segments, consent, traits), and conditions evaluated against it. */
export interface Standpoint {
  context: EvalContext;
  /** What templates see of the profile: traits, computed traits (by name), stage, household. */
  scope: { id: string; traits: Record<string, unknown>; computedTraits: Record<string, unknown>; stage: string | null; household: string | null };
  /** The customer's events by hour of the day, UTC (24 counts; empty before any): when they are active. */
  activeHoursUtc: readonly number[];
  matches(condition: Condition): Promise<boolean>;
}

let owners = 0;

export async function standpoints(deps: NowDeps, profileIds: readonly string[], now: number): Promise<Map<string, Standpoint>> {
  const db = deps.store.db;
  const [defs, facts, { records }] = await Promise.all([
    loadStandingDefinitions(db, deps.traitDefinitions, deps.consentDefaults),
    deps.profiles.facts(db, profileIds),
    loadRecords(db, profileIds),
  ]);
  const result = new Map<string, Standpoint>();
  for (const id of profileIds) {
    const fact = facts.get(id);
    const record = records.get(id);
    if (!fact || !record) continue;
    const segments = new Set([...record.members.keys()].flatMap((s) => [s, defs.names.get(s) ?? s]));
    const context = profileContext({ state: fact.state, traits: fact.traits, stage: record.stage, segments }, now, defs.traits, defs.consentDefaults);
    const visible = [...defs.traits.values()].filter((t) => t.owner === null);
    result.set(id, {
      context,
      activeHoursUtc: fact.state.hours ?? [],
      scope: {
        id,
        traits: Object.fromEntries(Object.entries(fact.state.traits).map(([k, v]) => [k, v.value])),
        computedTraits: Object.fromEntries(visible.map((t) => [t.name, context.computed(t.name)?.value ?? null])),
        stage: record.stage,
        household: fact.state.household?.value ?? null,
      },
      async matches(condition) {
        const owner = `now-${++owners}`;
        const counters: StoredTrait[] = countersFor(owner, condition).map((d) => ({
          ...d,
          id: `${owner}${d.name}`,
          owner,
          createdAt: now,
          backfillUntil: 0,
          backfillAt: 0,
        }));
        if (counters.length === 0) return evaluate(condition, context).match;
        let states: TraitStates = new Map();
        // Only the events the conditions name are read (each condition names its events).
        const names = [...new Set(counters.flatMap((c) => (c.event === undefined ? [] : [c.event].flat())))];
        for (const e of await deps.eventsOf(id, names)) states = countInto(counters, states, e);
        const traits = new Map([...defs.traits, ...counters.map((c) => [c.name, c] as const)]);
        const counted = profileContext(
          { state: fact.state, traits: new Map([...fact.traits, ...states]), stage: record.stage, segments },
          now,
          traits,
          defs.consentDefaults,
        );
        counted.owner = owner;
        return evaluate(condition, counted).match;
      },
    });
  }
  return result;
}
