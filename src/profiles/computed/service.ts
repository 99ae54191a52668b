/**
 * Defining computed traits and back-filling them. A new trait counts the
 * events the pipeline has already processed through a back-fill, and every
 * later event through the pipeline; the position between the two is fixed
 * while the pipeline is paused, so no event is counted twice or missed.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import { TouchpointError } from '../../errors.js';
import type { Ids } from '../../ids.js';
import type { EventLog } from '../../log/index.js';
import { profilesDb } from '../repository.js';
import { valueOf } from './aggregate.js';
import { checkDefinition, type TraitDefinition } from './definition.js';
import { computedDb, countEvent, loadDefinitions, loadTraitStates, type StoredTrait } from './values.js';

export interface PipelineControl {
  /** Runs `work` while no pipeline batch is in flight; gives the pipeline position. */
  paused<T>(work: (position: number) => Promise<T>): Promise<T>;
}

export interface ComputedTraitsDeps {
  db: Kysely<object>;
  log: EventLog;
  clock: Clock;
  ids: Ids;
  logger?: { error(obj: object, msg: string): void };
}

const BATCH = 1000;

/** What was defined, without what the store added. */
function definitionOf(trait: StoredTrait): TraitDefinition {
  const { id: _id, owner: _owner, createdAt: _created, backfillUntil: _until, backfillAt: _at, ...definition } = trait;
  return definition;
}

export function createComputedTraits(deps: ComputedTraitsDeps) {
  const db = computedDb(deps.db);
  const running = new Map<string, Promise<void>>();
  let stopping = false;

  async function find(idOrName: string): Promise<StoredTrait> {
    const trait = (await loadDefinitions(db)).find((t) => t.owner === null && (t.id === idOrName || t.name === idOrName));
    if (!trait) throw new TouchpointError('TP_COMPUTED_TRAIT_NOT_FOUND', `No computed trait has the id or name ${JSON.stringify(idOrName)}.`);
    return trait;
  }

  /** Counts the events up to backfill_until, a batch at a time, each batch while the pipeline is paused. */
  async function backfill(trait: StoredTrait, pipeline: PipelineControl): Promise<void> {
    let at = trait.backfillAt;
    while (at < trait.backfillUntil && !stopping) {
      at = await pipeline.paused(async () => {
        const events = (await deps.log.readAll(at, BATCH)).filter((e) => e.seq <= trait.backfillUntil);
        const next = events.length === 0 ? trait.backfillUntil : events[events.length - 1]!.seq;
        await deps.db.transaction().execute(async (trx) => {
          const owners = await profilesDb(trx).selectFrom('profile_events').select(['seq', 'profile_id'])
            .where('seq', 'in', events.length ? events.map((e) => e.seq) : [-1]).execute();
          const ownerOf = new Map(owners.map((o) => [o.seq, o.profile_id]));
          for (const event of events) {
            const profileId = ownerOf.get(event.seq);
            if (profileId) await countEvent(computedDb(trx), [trait], profileId, { seq: event.seq, timestamp: event.timestamp, message: JSON.parse(event.payload) }, deps.clock.now());
          }
          await computedDb(trx).updateTable('computed_traits').set({ backfill_at: next }).where('id', '=', trait.id).execute();
        });
        return next;
      });
    }
  }

  async function deleteTrait(id: string): Promise<void> {
    await db.deleteFrom('computed_trait_values').where('trait_id', '=', id).execute();
    await db.deleteFrom('computed_traits').where('id', '=', id).execute();
  }

  function startBackfill(trait: StoredTrait, pipeline: PipelineControl): Promise<void> {
    const job = backfill(trait, pipeline)
      .catch((error) => deps.logger?.error({ err: error, trait: trait.name }, 'computed trait back-fill failed; it resumes at the next start'))
      .finally(() => running.delete(trait.id));
    running.set(trait.id, job);
    return job;
  }

  async function insert(definition: TraitDefinition, owner: string | null, pipeline: PipelineControl): Promise<StoredTrait> {
    const trait = await pipeline.paused(async (position) => {
        const existing = await db.selectFrom('computed_traits').select('id').where('name', '=', definition.name).executeTakeFirst();
        if (existing) throw new TouchpointError('TP_COMPUTED_TRAIT_EXISTS', `A computed trait named ${definition.name} exists already.`);
        const row = {
          id: deps.ids.id('ct'), name: definition.name, definition: JSON.stringify(definition),
          created_at: deps.clock.now(), backfill_until: position, backfill_at: 0, owner,
        };
        await db.insertInto('computed_traits').values(row).execute();
        return { ...definition, id: row.id, owner, createdAt: row.created_at, backfillUntil: position, backfillAt: 0 };
      });
      void startBackfill(trait, pipeline);
      return trait;
  }

  return {
    list: async () => (await loadDefinitions(db)).filter((t) => t.owner === null),
    find,
    async create(definition: TraitDefinition, pipeline: PipelineControl): Promise<StoredTrait> {
      const problems = checkDefinition(definition);
      if (problems.length > 0) throw new TouchpointError('TP_VALIDATION', `The computed trait is not valid: ${problems.join('; ')}.`);
      return insert(definition, null, pipeline);
    },
    /**
     * Makes an owner's hidden counters exactly these (by name): missing ones are
     * created and back-filled, others deleted. Returns them all.
     */
    async ensureOwned(owner: string, wanted: TraitDefinition[], pipeline: PipelineControl): Promise<StoredTrait[]> {
      const existing = (await loadDefinitions(db)).filter((t) => t.owner === owner);
      const byName = new Map(existing.map((t) => [t.name, t]));
      const result: StoredTrait[] = [];
      for (const definition of wanted) {
        const current = byName.get(definition.name);
        if (current && JSON.stringify(definitionOf(current)) === JSON.stringify(definition)) {
          result.push(current);
          continue;
        }
        // A changed definition counts again from scratch: names are unique, so the old one goes first.
        if (current) await pipeline.paused(() => deleteTrait(current.id));
        result.push(await insert(definition, owner, pipeline));
      }
      const kept = new Set(result.map((t) => t.id));
      for (const t of existing) if (!kept.has(t.id)) await pipeline.paused(() => deleteTrait(t.id));
      return result;
    },
    async removeOwned(owner: string, pipeline: PipelineControl): Promise<void> {
      for (const t of (await loadDefinitions(db)).filter((x) => x.owner === owner)) await pipeline.paused(() => deleteTrait(t.id));
    },
    /** Resolves when the back-fills of these traits are done (or the service stops). */
    async whenReady(ids: string[]): Promise<void> {
      for (;;) {
        const traits = (await loadDefinitions(db)).filter((t) => ids.includes(t.id));
        if (stopping || traits.every((t) => t.backfillAt >= t.backfillUntil)) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async remove(idOrName: string, pipeline: PipelineControl): Promise<void> {
      const trait = await find(idOrName);
      await pipeline.paused(() => deleteTrait(trait.id));
    },
    /** Resumes back-fills cut short by a stop. */
    async resume(pipeline: PipelineControl): Promise<void> {
      for (const trait of await loadDefinitions(db)) if (trait.backfillAt < trait.backfillUntil && !running.has(trait.id)) void startBackfill(trait, pipeline);
    },
    /** Waits for running back-fills (tests). */
    async settle(): Promise<void> {
      await Promise.all(running.values());
    },
    /** Stops back-fills after their current batch; they resume at the next start. */
    async stop(): Promise<void> {
      stopping = true;
      await Promise.all(running.values());
    },
    async valuesOf(profileId: string): Promise<Record<string, unknown>> {
      const [traits, states] = await Promise.all([loadDefinitions(db), loadTraitStates(db, profileId)]);
      const now = deps.clock.now();
      return Object.fromEntries(traits.filter((t) => t.owner === null).map((t) => [t.name, valueOf(t, states.get(t.id) ?? {}, now)]));
    },
  };
}

export type ComputedTraits = ReturnType<typeof createComputedTraits>;
