/** What the API shows of a profile: its state, identities, computed traits, consent, household and merges. */
import type { Kysely } from 'kysely';
import { CHANNELS } from '../collect/index.js';
import type { IdentityReader } from '../identity/index.js';
import type { ComputedTraits } from './computed/service.js';
import { consentDefaults, viewConsent, type ConsentDefault } from './consent.js';
import { loadState, profilesDb } from './repository.js';
import type { ProfileState } from './state.js';

export interface ViewDeps {
  db: Kysely<object>;
  identity: Pick<IdentityReader, 'identities' | 'merges' | 'conflicts'>;
  computed: ComputedTraits;
  consentDefaults: Record<string, ConsentDefault>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function summarize(id: string, state: ProfileState) {
  const trait = (name: string) => state.traits[name]?.value;
  const fullName = [trait('firstName') ?? trait('first_name'), trait('lastName') ?? trait('last_name')].filter(Boolean).join(' ');
  return {
    id,
    name: (trait('name') as string | undefined) ?? (fullName || null),
    email: (trait('email') as string | undefined) ?? null,
    firstSeen: iso(state.firstSeen),
    lastSeen: iso(state.lastSeen),
    eventCount: state.eventCount,
    channels: Object.keys(state.channels).sort(),
  };
}

export function createProfileViews(deps: ViewDeps) {
  const { identity } = deps;
  const defaults = consentDefaults(deps.consentDefaults, CHANNELS);
  return {
    defaults,
    async view(id: string) {
      const state = await loadState(profilesDb(deps.db), id);
      if (!state) return undefined;
      const [identities, merges, conflicts, computedTraits] = await Promise.all([
        identity.identities(id),
        identity.merges(id),
        identity.conflicts(id),
        deps.computed.valuesOf(id),
      ]);
      return {
        ...summarize(id, state),
        traits: Object.fromEntries(Object.entries(state.traits).map(([k, v]) => [k, v.value])),
        traitSources: Object.fromEntries(Object.entries(state.traits).map(([k, v]) => [k, { sourceId: v.sourceId, at: iso(v.at) }])),
        computedTraits,
        identities: identities.map((i) => ({ kind: i.kind, value: i.value })),
        channelUse: Object.fromEntries(
          Object.entries(state.channels).map(([c, u]) => [c, { firstSeen: iso(u.first), lastSeen: iso(u.last), events: u.events }]),
        ),
        firstTouch: state.firstTouch && { ...state.firstTouch, at: iso(state.firstTouch.at) },
        orders: state.orders,
        household: state.household ? { id: state.household.value, since: iso(state.household.at) } : null,
        consent: viewConsent(state.consent, defaults),
        merges: merges.map((m) => ({ ...m, at: iso(m.at), undoneAt: m.undoneAt === null ? null : iso(m.undoneAt) })),
        conflicts: conflicts.map((c) => ({ ...c, at: iso(c.at) })),
      };
    },
  };
}

export type ProfileViews = ReturnType<typeof createProfileViews>;
