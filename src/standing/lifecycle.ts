/**
 * The lifecycle model (read, replace) and what the stage history tells: the
 * distribution of profiles over stages at any moment, one profile's history.
 * Replacing the model re-evaluates every profile's stage as a stored job.
 */
import { sql, type Kysely } from 'kysely';
import { TouchpointError } from '../errors.js';
import type { Jobs } from '../jobs/index.js';
import type { Store } from '../store/index.js';
import type { TraitDefinition } from '../profiles/index.js';
import { LIFECYCLE_JOB, type BackfillState } from './backfill.js';
import { readModel } from './definitions.js';
import { LIFECYCLE_OWNER, stageOwner, validateModel, type LifecycleModel } from './model.js';
import { standingDb } from './records.js';
import { countersFor } from './segments.js';
import { stageCycles, type SegmentRefs } from './references.js';
import { stageReferences } from './conditions.js';

export interface LifecycleDeps {
  store: Store;
  now(): number;
  jobs: Jobs;
  counters: {
    ensure(owner: string, wanted: TraitDefinition[], trx: Kysely<object>): Promise<{ backfillAt: number; backfillUntil: number }[]>;
    names(): Promise<Set<string>>;
  };
  /** Segment ids and names. */
  /** Every segment, with what its condition refers to. */
  segments(): Promise<SegmentRefs[]>;
}

export interface StageTransitionRow {
  from: string | null;
  to: string | null;
  at: number;
  trigger: string;
  seq: number | null;
  recordedAt: number | null;
}

/** Segments that ask about stages must still find them in the new model. */
function segmentsKeepTheirStages(model: LifecycleModel, segments: readonly SegmentRefs[]): string[] {
  const names = new Set(model.stages.map((s) => s.name));
  return segments.flatMap((s) =>
    (s.condition ? stageReferences(s.condition) : [])
      .filter((stage) => !names.has(stage))
      .map((stage) => `/stages: segment ${s.name} refers to stage ${stage}, which this model does not have; change the segment first`),
  );
}

const countersOf = (model: LifecycleModel) => model.stages.flatMap((s) => countersFor(stageOwner(s.name), s.condition));

export function createLifecycle(deps: LifecycleDeps) {
  const db = standingDb(deps.store.db);
  const reevaluate = (trx: Kysely<object>) =>
    deps.jobs.enqueue<BackfillState>(LIFECYCLE_JOB, 'model', { phase: 'counting', after: '', trigger: 'model', at: deps.now() }, trx);

  /** Throws TP_INVALID_CONDITION naming every problem (shape, conditions, what they refer to). */
  async function check(model: unknown): Promise<void> {
    const segments = await deps.segments();
    const known = { computedTraits: await deps.counters.names(), segments: new Set(segments.flatMap((s) => [s.id, s.name])) };
    const problems = validateModel(model, known);
    if (problems.length === 0)
      problems.push(...segmentsKeepTheirStages(model as LifecycleModel, segments), ...stageCycles((model as LifecycleModel).stages, segments));
    if (problems.length > 0) throw new TouchpointError('TP_INVALID_CONDITION', `The lifecycle model is not valid: ${problems.join('; ')}.`);
  }

  return {
    model: () => readModel(deps.store.db),
    /** Makes sure the model's counters exist (first start, upgrades); re-evaluates everyone when some were missing. */
    async prepare(): Promise<void> {
      const model = await readModel(deps.store.db);
      await deps.store.write(async (trx) => {
        const counters = await deps.counters.ensure(LIFECYCLE_OWNER, countersOf(model), trx);
        if (counters.some((c) => c.backfillAt < c.backfillUntil) && !(await deps.jobs.activeIn(trx, LIFECYCLE_JOB, 'model'))) await reevaluate(trx);
      }, 'profiles');
    },
    check,
    async replaceModel(model: LifecycleModel): Promise<LifecycleModel> {
      await check(model);
      const clean: LifecycleModel = {
        stages: model.stages.map((s) => ({ name: s.name, ...(s.description && { description: s.description }), condition: s.condition })),
      };
      const definition = JSON.stringify(clean);
      await deps.store.write(async (trx) => {
        await standingDb(trx)
          .insertInto('lifecycle_model')
          .values({ id: 1, definition, updated_at: deps.now() })
          .onConflict((oc) => oc.column('id').doUpdateSet({ definition, updated_at: deps.now() }))
          .execute();
        await deps.counters.ensure(LIFECYCLE_OWNER, countersOf(clean), trx);
        await reevaluate(trx);
      }, 'profiles');
      return clean;
    },
    /** Profiles per stage at a moment, from the stage history (event time). */
    async distribution(at: number): Promise<Record<string, number>> {
      const rows = await sql<{ stage: string; n: number }>`
        select to_stage as stage, count(*) as n from (
          select to_stage, row_number() over (partition by profile_id order by at desc, id desc) as rn
          from stage_history where at <= ${at}
        ) latest where rn = 1 and to_stage is not null group by to_stage`.execute(deps.store.db);
      return Object.fromEntries(rows.rows.map((r) => [r.stage, Number(r.n)]));
    },
    async current(profileId: string): Promise<{ stage: string; since: number } | undefined> {
      const row = await db.selectFrom('standing_profiles').select(['stage', 'since']).where('profile_id', '=', profileId).executeTakeFirst();
      return row?.stage ? { stage: row.stage, since: row.since ?? 0 } : undefined;
    },
    /** Every profile's stage changes in the order recorded, after a position: the change stream other modules consume. */
    async transitionsAfter(after: number, limit: number): Promise<(StageTransitionRow & { id: number; profileId: string })[]> {
      const rows = await db.selectFrom('stage_history').selectAll().where('id', '>', after).orderBy('id').limit(limit).execute();
      return rows.map((r) => ({
        id: r.id,
        profileId: r.profile_id,
        from: r.from_stage,
        to: r.to_stage,
        at: r.at,
        trigger: r.trigger,
        seq: r.seq,
        recordedAt: r.recorded_at,
      }));
    },
    async transitionsHead(): Promise<number> {
      return deps.store.dialect.sequenceHead(deps.store.db, 'stage_history', 'id');
    },
    /** A profile's stage changes, in time order. */
    async history(profileId: string): Promise<StageTransitionRow[]> {
      const rows = await db.selectFrom('stage_history').selectAll().where('profile_id', '=', profileId).orderBy('at').orderBy('id').execute();
      return rows.map((r) => ({ from: r.from_stage, to: r.to_stage, at: r.at, trigger: r.trigger, seq: r.seq, recordedAt: r.recorded_at }));
    },
  };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
