import type { Kysely } from 'kysely';
import type { ConsentDefault, StoredTrait } from '../profiles/index.js';
import type { Store } from '../store/index.js';

/** What the standing module needs from the rest, given at wiring time. */
export interface StandingDeps {
  store: Store;
  consentDefaults: Record<string, ConsentDefault>;
  /** Computed trait definitions (the profiles module's), hidden counters included. */
  traitDefinitions(db: Kysely<object>): Promise<StoredTrait[]>;
  profiles: ProfileSource;
}

export interface Facts {
  state: import('../profiles/index.js').ProfileState;
  traits: import('../profiles/index.js').TraitStates;
}

/** Profiles as the standing reads them outside the pipeline (timers, back-fills). */
export interface ProfileSource {
  /** These profiles' state and trait states (of `traitIds` only, when given). */
  facts(db: Kysely<object>, ids: readonly string[], traitIds?: readonly string[]): Promise<Map<string, Facts>>;
  /** A page of every profile, by id, after `after`. */
  page(db: Kysely<object>, after: string, limit: number, traitIds?: readonly string[]): Promise<{ id: string; facts: Facts }[]>;
  count(db: Kysely<object>): Promise<number>;
}
