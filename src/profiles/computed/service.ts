/**
 * Defining computed traits and back-filling them. A new trait counts the
 * events the pipeline had processed when it was defined through a back-fill
 * (a stored job), and every later event through the pipeline: the position
 * between the two is read while the pipeline cannot commit, so no event is
 * counted twice or missed.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import { TouchpointError } from '../../errors.js';
import type { Ids } from '../../ids.js';
import type { JobHandler, Jobs } from '../../jobs/index.js';
import type { EventLog } from '../../log/index.js';
import type { Store } from '../../store/index.js';
import { profilesDb } from '../repository.js';
import { valueAt } from './aggregate.js';
import { checkDefinition, type TraitDefinition } from './definition.js';
import { computedDb, countInto, loadDefinitions, loadTraitStatesOf, type StoredTrait } from './values.js';

export interface ComputedTraitsDeps {
  store: Store;
  log: EventLog;
  clock: Clock;
  ids: Ids;
  jobs: Jobs;
  /** The pipeline's position as seen in a transaction of the profiles lane. */
  pipelinePosition(db: Kysely<object>): Promise<number>;
}

export const COMPUTED_TRAIT_JOB = 'computed-trait-backfill';
/** Log events counted per back-fill step. */
const STEP_EVENTS = 2000;

/** What was defined, without what the store added. */
function definitionOf(trait: StoredTrait): TraitDefinition {
  const { id: _id, owner: _owner, createdAt: _created, backfillUntil: _until, backfillAt: _at, ...definition } = trait;
  return definition;
}

export function createComputedTraits(deps: ComputedTraitsDeps) {
  const db = computedDb(deps.store.db);

  async function find(idOrName: string): Promise<StoredTrait> {
    const trait = (await loadDefinitions(db)).find((t) => t.owner === null && (t.id === idOrName || t.name === idOrName));
    if (!trait) throw new TouchpointError('TP_COMPUTED_TRAIT_NOT_FOUND', `No computed trait has the id or name ${JSON.stringify(idOrName)}.`);
    return trait;
  }

  /**
   * Counts the next log events for these traits (up to their back-fill
   * positions) and moves the positions on; `save` writes the caller's own
   * progress in the same transaction. Resolves true when nothing is left.
   */
  async function countStep(traitIds: readonly string[], save?: (trx: Kysely<object>) => Promise<void>): Promise<boolean> {
    const traits = (await loadDefinitions(db)).filter((t) => traitIds.includes(t.id) && t.backfillAt < t.backfillUntil);
    if (traits.length === 0) return true;
    const from = Math.min(...traits.map((t) => t.backfillAt));
    const until = Math.max(...traits.map((t) => t.backfillUntil));
    const read = await deps.log.readAll(from, STEP_EVENTS);
    const events = read.filter((e) => e.seq <= until);
    const reached = read.length < STEP_EVENTS || events.length < read.length ? until : events[events.length - 1]!.seq;
    await deps.store.write(
      async (trx) => {
        const owners = new Map<number, string>();
        for (let i = 0; i < events.length; i += 500) {
          const rows = await profilesDb(trx)
            .selectFrom('profile_events')
            .select(['seq', 'profile_id'])
            .where(
              'seq',
              'in',
              events.slice(i, i + 500).map((e) => e.seq),
            )
            .execute();
          for (const r of rows) owners.set(r.seq, r.profile_id);
        }
        const states = await loadTraitStatesOf(
          computedDb(trx),
          [...new Set(owners.values())],
          traits.map((t) => t.id),
        );
        const changed = new Set<string>();
        for (const event of events) {
          const profileId = owners.get(event.seq);
          const counting = traits.filter((t) => event.seq > t.backfillAt && event.seq <= t.backfillUntil);
          if (!profileId || counting.length === 0) continue;
          const before = states.get(profileId) ?? new Map();
          const after = countInto(counting, before, {
            seq: event.seq,
            timestamp: event.timestamp,
            message: JSON.parse(event.payload) as Record<string, unknown>,
          });
          if (after === before) continue;
          states.set(profileId, new Map(after));
          changed.add(profileId);
        }
        const rows = [...changed].flatMap((id) => [...states.get(id)!].map(([traitId, state]) => [id, traitId, JSON.stringify(state)]));
        await deps.store.bulk.insert(trx, 'computed_trait_values', ['profile_id', 'trait_id', 'state'], rows, {
          conflict: { target: ['profile_id', 'trait_id'], update: ['state'] },
        });
        for (const t of traits)
          await computedDb(trx)
            .updateTable('computed_traits')
            .set({ backfill_at: Math.min(reached, t.backfillUntil) })
            .where('id', '=', t.id)
            .execute();
        await save?.(trx);
      },
      { lane: 'profiles', relaxed: true },
    );
    return reached >= until;
  }

  async function insert(trx: Kysely<object>, definition: TraitDefinition, owner: string | null): Promise<StoredTrait> {
    const tables = computedDb(trx);
    if (await tables.selectFrom('computed_traits').select('id').where('name', '=', definition.name).executeTakeFirst()) {
      throw new TouchpointError('TP_COMPUTED_TRAIT_EXISTS', `A computed trait named ${definition.name} exists already.`);
    }
    const position = await deps.pipelinePosition(trx);
    const row = {
      id: deps.ids.id('ct'),
      name: definition.name,
      definition: JSON.stringify(definition),
      created_at: deps.clock.now(),
      backfill_until: position,
      backfill_at: 0,
      owner,
    };
    await tables.insertInto('computed_traits').values(row).execute();
    return { ...definition, id: row.id, owner, createdAt: row.created_at, backfillUntil: position, backfillAt: 0 };
  }

  async function deleteTraits(trx: Kysely<object>, ids: string[]): Promise<void> {
    await deps.store.bulk.deleteIn(trx, 'computed_trait_values', 'trait_id', ids);
    await deps.store.bulk.deleteIn(trx, 'computed_traits', 'id', ids);
  }

  const job: JobHandler<Record<string, never>> = {
    kind: COMPUTED_TRAIT_JOB,
    async step(ctx) {
      const trait = (await loadDefinitions(db)).find((t) => t.id === ctx.job.subject);
      if (!trait) return 'finished';
      const done = await countStep([trait.id], (trx) =>
        ctx.save(trx, { state: {}, done: Math.min(trait.backfillUntil, trait.backfillAt + STEP_EVENTS), total: trait.backfillUntil }),
      );
      return done ? 'finished' : 'more';
    },
  };

  return {
    job,
    countStep,
    list: async () => (await loadDefinitions(db)).filter((t) => t.owner === null),
    /** Every definition, the hidden counters of segments and stages included. */
    definitions: (within: Kysely<object> = deps.store.db) => loadDefinitions(computedDb(within)),
    find,
    async create(definition: TraitDefinition): Promise<StoredTrait> {
      const problems = checkDefinition(definition);
      if (problems.length > 0) throw new TouchpointError('TP_VALIDATION', `The computed trait is not valid: ${problems.join('; ')}.`);
      return deps.store.write(async (trx) => {
        const trait = await insert(trx, definition, null);
        await deps.jobs.enqueue(COMPUTED_TRAIT_JOB, trait.id, {}, trx);
        return trait;
      }, 'profiles');
    },
    /**
     * Makes an owner's hidden counters exactly these (by name): missing or
     * changed ones are created anew (their owner's job counts them), others
     * deleted. Returns them all.
     */
    ensureOwned(owner: string, wanted: TraitDefinition[], within?: Kysely<object>): Promise<StoredTrait[]> {
      const run = async (trx: Kysely<object>) => {
        const existing = (await loadDefinitions(computedDb(trx))).filter((t) => t.owner === owner);
        const byName = new Map(existing.map((t) => [t.name, t]));
        const same = (t: StoredTrait | undefined, d: TraitDefinition) => t && JSON.stringify(definitionOf(t)) === JSON.stringify(d);
        await deleteTraits(
          trx,
          existing.filter((t) => !wanted.some((d) => same(t, d))).map((t) => t.id),
        );
        const result: StoredTrait[] = [];
        for (const definition of wanted) {
          const current = byName.get(definition.name);
          result.push(same(current, definition) ? current! : await insert(trx, definition, owner));
        }
        return result;
      };
      return within ? run(within) : deps.store.write(run, 'profiles');
    },
    removeOwned: (owner: string, trx?: Kysely<object>) => {
      const run = async (within: Kysely<object>) =>
        deleteTraits(
          within,
          (await loadDefinitions(computedDb(within))).filter((t) => t.owner === owner).map((t) => t.id),
        );
      return trx ? run(trx) : deps.store.write(run, 'profiles');
    },
    /** The names in use by traits defined through the API. */
    names: async (): Promise<Set<string>> => new Set((await loadDefinitions(db)).filter((t) => t.owner === null).map((t) => t.name)),
    async remove(idOrName: string): Promise<void> {
      const trait = await find(idOrName);
      await deps.store.write(async (trx) => {
        await deleteTraits(trx, [trait.id]);
        await deps.jobs.cancel(COMPUTED_TRAIT_JOB, trait.id, trx);
      }, 'profiles');
    },
    async valuesOf(profileId: string): Promise<Record<string, unknown>> {
      const [traits, states] = await Promise.all([loadDefinitions(db), loadTraitStatesOf(db, [profileId])]);
      const now = deps.clock.now();
      const mine = states.get(profileId) ?? new Map();
      return Object.fromEntries(traits.filter((t) => t.owner === null).map((t) => [t.name, valueAt(t, mine.get(t.id) ?? {}, now)]));
    },
  };
}

export type ComputedTraits = ReturnType<typeof createComputedTraits>;
