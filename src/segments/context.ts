/** Building the evaluation context of one profile from what the store holds, with no I/O. */
import { consentDefaults, viewConsent, type ConsentDefault, type ProfileState, type TraitReading } from '../profiles/index.js';
import { CHANNELS } from '../collect/index.js';
import type { EvalContext } from './evaluate.js';

export interface ProfileFacts {
  profileId: string;
  state: ProfileState;
  /** Computed trait readings by trait name, the hidden counters included. */
  readings: Map<string, TraitReading>;
  stage: string | null;
  /** Names of the segments the profile is in now. */
  segments: Set<string>;
}

/** The hidden counter behind the event condition at `pointer` of an owner's condition. */
export const counterName = (owner: string, pointer: string) => `${owner}:${pointer || '/'}`;

/** One profile's context, built once and specialized per owner (each owner has its own event counters). */
export function profileContext(facts: ProfileFacts, now: number, defaults: Record<string, ConsentDefault>): (owner: string) => EvalContext {
  const consent = viewConsent(facts.state.consent, consentDefaults(defaults, CHANNELS));
  const builtins: Record<string, unknown> = {
    'orders.count': facts.state.orders.count,
    'orders.revenue': facts.state.orders.revenue,
    eventCount: facts.state.eventCount,
    firstSeen: facts.state.eventCount > 0 ? facts.state.firstSeen : undefined,
    lastSeen: facts.state.eventCount > 0 ? facts.state.lastSeen : undefined,
  };
  const base: Omit<EvalContext, 'events'> = {
    now,
    trait: (name) => facts.state.traits[name]?.value,
    computed: (name) => facts.readings.get(name),
    builtin: (name) => builtins[name],
    channels: Object.keys(facts.state.channels),
    consent: (channel, purpose) => {
      const view = consent[channel]?.[purpose];
      return view ? { status: view.status, allowed: view.allowed } : { status: 'unknown', allowed: false };
    },
    household: facts.state.household?.value ?? null,
    stage: facts.stage,
    inSegment: (name) => facts.segments.has(name),
  };
  return (owner) => ({
    ...base,
    events: (pointer) => {
      const reading = facts.readings.get(counterName(owner, pointer));
      return { count: typeof reading?.value === 'number' ? reading.value : 0, changesAt: reading?.changesAt ?? null };
    },
  });
}
