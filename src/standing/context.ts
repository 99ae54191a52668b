/** The evaluation context of one profile at one moment, built from what the profile stage knows, with no I/O. */
import { CHANNELS } from '../collect/index.js';
import { consentDefaults, consentOf, readTrait, type ConsentDefault, type ProfileState, type StoredTrait, type TraitStates } from '../profiles/index.js';
import type { EvalContext } from './evaluate.js';

export interface ProfileFacts {
  state: ProfileState;
  /** Computed trait states by trait id, the hidden counters included. */
  traits: TraitStates;
  stage: string | null;
  /** Ids and names of the segments the profile is in. */
  segments: { has(ref: string): boolean };
}

/** Computed trait definitions, by name. */
export type TraitIndex = ReadonlyMap<string, StoredTrait>;

/** The hidden counter behind the event condition at `pointer` of an owner's condition. */
export const counterName = (owner: string, pointer: string) => `${owner}:${pointer || '/'}`;

/** A profile's context, for one owner's condition at a time: its event conditions read the owner's counters. */
export interface OwnedContext extends EvalContext {
  /** `segment:<id>`, or `lifecycle/<stage>`. */
  owner: string;
}

const cachedDefaults = new WeakMap<Record<string, ConsentDefault>, Record<string, ConsentDefault>>();

/** One profile's context at `now`. Readings are computed once, when first asked for. */
export function profileContext(facts: ProfileFacts, now: number, traits: TraitIndex, defaults: Record<string, ConsentDefault>): OwnedContext {
  const readings = new Map<string, { value: unknown; changesAt: number | null } | undefined>();
  const reading = (name: string) => {
    let found = readings.get(name);
    if (found === undefined && !readings.has(name)) {
      const trait = traits.get(name);
      found = trait && readTrait(trait, facts.traits, now);
      readings.set(name, found);
    }
    return found;
  };
  const state = facts.state;
  const builtins: Record<string, unknown> = {
    'orders.count': state.orders.count,
    'orders.revenue': state.orders.revenue,
    eventCount: state.eventCount,
    firstSeen: state.eventCount > 0 ? state.firstSeen : undefined,
    lastSeen: state.eventCount > 0 ? state.lastSeen : undefined,
  };
  const context: OwnedContext = {
    owner: '',
    now,
    trait: (name) => state.traits[name]?.value,
    computed: reading,
    builtin: (name) => builtins[name],
    channels: Object.keys(state.channels),
    consent: (channel, purpose) => {
      let all = cachedDefaults.get(defaults);
      if (!all) {
        all = consentDefaults(defaults, CHANNELS);
        cachedDefaults.set(defaults, all);
      }
      return consentOf(state.consent, all, channel, purpose);
    },
    household: state.household?.value ?? null,
    stage: facts.stage,
    inSegment: (name) => facts.segments.has(name),
    events: (pointer) => {
      const counted = reading(counterName(context.owner, pointer));
      return { count: typeof counted?.value === 'number' ? counted.value : 0, changesAt: counted?.changesAt ?? null };
    },
  };
  return context;
}
