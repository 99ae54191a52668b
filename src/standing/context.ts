/** The evaluation context of one profile at one moment, built from what the profile stage knows, with no I/O. */
import { CHANNELS } from '../collect/index.js';
import { consentDefaults, readTrait, viewConsent, type ConsentDefault, type ProfileState, type StoredTrait, type TraitStates } from '../profiles/index.js';
import type { EvalContext } from './evaluate.js';

export interface ProfileFacts {
  state: ProfileState;
  /** Computed trait states by trait id, the hidden counters included. */
  traits: TraitStates;
  stage: string | null;
  /** Ids and names of the segments the profile is in. */
  segments: ReadonlySet<string>;
}

/** Computed trait definitions, by name. */
export type TraitIndex = ReadonlyMap<string, StoredTrait>;

/** The hidden counter behind the event condition at `pointer` of an owner's condition. */
export const counterName = (owner: string, pointer: string) => `${owner}:${pointer || '/'}`;

/** One profile's context at `now`, specialized per owner (each owner has its own event counters). */
export function profileContext(facts: ProfileFacts, now: number, traits: TraitIndex, defaults: Record<string, ConsentDefault>): (owner: string) => EvalContext {
  let consent: ReturnType<typeof viewConsent> | undefined;
  const readings = new Map<string, { value: unknown; changesAt: number | null } | undefined>();
  const reading = (name: string) => {
    if (!readings.has(name)) {
      const trait = traits.get(name);
      readings.set(name, trait && readTrait(trait, facts.traits, now));
    }
    return readings.get(name);
  };
  const state = facts.state;
  const builtins: Record<string, unknown> = {
    'orders.count': state.orders.count,
    'orders.revenue': state.orders.revenue,
    eventCount: state.eventCount,
    firstSeen: state.eventCount > 0 ? state.firstSeen : undefined,
    lastSeen: state.eventCount > 0 ? state.lastSeen : undefined,
  };
  const channels = Object.keys(state.channels);
  const base: Omit<EvalContext, 'events'> = {
    now,
    trait: (name) => state.traits[name]?.value,
    computed: reading,
    builtin: (name) => builtins[name],
    channels,
    consent: (channel, purpose) => {
      consent ??= viewConsent(state.consent, consentDefaults(defaults, CHANNELS));
      const view = consent[channel]?.[purpose];
      return view ? { status: view.status, allowed: view.allowed } : { status: 'unknown', allowed: false };
    },
    household: state.household?.value ?? null,
    stage: facts.stage,
    inSegment: (name) => facts.segments.has(name),
  };
  return (owner) => ({
    ...base,
    events: (pointer) => {
      const counted = reading(counterName(owner, pointer));
      return { count: typeof counted?.value === 'number' ? counted.value : 0, changesAt: counted?.changesAt ?? null };
    },
  });
}
