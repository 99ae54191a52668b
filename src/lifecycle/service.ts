/**
 * The lifecycle model (read, replace), re-evaluating every profile after a
 * change, the scheduler for time-based changes, and stage statistics.
 */
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { TouchpointError } from '../errors.js';
import type { ComputedTraits, PipelineControl } from '../profiles/index.js';
import { countersFor, dueProfiles, segmentsDb, type Condition } from '../segments/index.js';
import { DEFAULT_MODEL, stageOwner, validateModel, type LifecycleModel } from './model.js';
import { reevaluate, type StandingOptions } from './standing.js';
import type { LifecycleTables } from './tables.js';

const BATCH = 500;

export interface LifecycleDeps {
  db: Kysely<object>;
  computed: ComputedTraits;
  pipeline: PipelineControl;
  clock: Clock;
  consentDefaults: StandingOptions['consentDefaults'];
  emit?: StandingOptions['emit'];
  logger?: { error(obj: object, msg: string): void };
}

export async function readModel(db: Kysely<object>): Promise<LifecycleModel> {
  const row = await db.withTables<LifecycleTables>().selectFrom('lifecycle_model').select('definition').where('id', '=', 1).executeTakeFirst();
  return row ? (JSON.parse(row.definition) as LifecycleModel) : DEFAULT_MODEL;
}

export function createLifecycle(deps: LifecycleDeps) {
  const db = deps.db.withTables<LifecycleTables>();
  const options: StandingOptions = { consentDefaults: deps.consentDefaults, model: readModel, emit: deps.emit };
  let stopping = false;
  let job: Promise<void> = Promise.resolve();

  const counters = (model: LifecycleModel) => model.stages.flatMap((s) => countersFor(stageOwner(s.name), s.condition as Condition));

  /** Re-evaluates every profile in batches, each while the pipeline is paused. */
  async function reevaluateAll(trigger: string, onProgress?: (done: number, total: number) => Promise<void>): Promise<void> {
    const profiles = deps.db.withTables<{ profiles: { id: string } }>();
    const total = Number((await profiles.selectFrom('profiles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    let after = '';
    let done = 0;
    while (!stopping) {
      const ids = (await profiles.selectFrom('profiles').select('id').where('id', '>', after).orderBy('id').limit(BATCH).execute()).map((r) => r.id);
      if (ids.length === 0) break;
      await deps.pipeline.paused(() => deps.db.transaction().execute(async (trx) => {
        const cache = new Map<string, unknown>();
        for (const id of ids) await reevaluate(trx, id, options, { now: deps.clock.now(), trigger, seq: null }, cache);
      }));
      after = ids[ids.length - 1]!;
      done += ids.length;
      await onProgress?.(done, total);
    }
  }

  function schedule(work: () => Promise<void>): Promise<void> {
    job = job.then(work).catch((error) => deps.logger?.error({ err: error }, 'lifecycle re-evaluation failed'));
    return job;
  }

  return {
    options,
    reevaluateAll,
    model: () => readModel(deps.db),
    /** Makes sure the model's counters exist (first start, upgrades); re-evaluates everyone when they were missing. */
    async prepare(): Promise<void> {
      const model = await readModel(deps.db);
      const wanted = counters(model);
      const before = (await deps.computed.ensureOwned('lifecycle', wanted, deps.pipeline)).filter((t) => t.backfillAt < t.backfillUntil);
      if (before.length > 0) void schedule(async () => {
        await deps.computed.whenReady(before.map((t) => t.id));
        await reevaluateAll('model');
      });
    },
    async replaceModel(model: LifecycleModel): Promise<LifecycleModel> {
      const problems = validateModel(model);
      if (problems.length > 0) throw new TouchpointError('TP_INVALID_CONDITION', `The lifecycle model is not valid: ${problems.join('; ')}.`);
      const clean: LifecycleModel = { stages: model.stages.map((s) => ({ name: s.name, ...(s.description && { description: s.description }), condition: s.condition })) };
      const traits = await deps.computed.ensureOwned('lifecycle', counters(clean), deps.pipeline);
      await db.insertInto('lifecycle_model').values({ id: 1, definition: JSON.stringify(clean), updated_at: deps.clock.now() })
        .onConflict((oc) => oc.column('id').doUpdateSet({ definition: JSON.stringify(clean), updated_at: deps.clock.now() })).execute();
      void schedule(async () => {
        await deps.computed.whenReady(traits.map((t) => t.id));
        await reevaluateAll('model');
      });
      return clean;
    },
    /** Re-evaluates profiles whose timers are due (windows closed, relative dates passed). */
    async runDue(limit = BATCH): Promise<number> {
      const now = deps.clock.now();
      const ids = await dueProfiles(deps.db, now, limit);
      if (ids.length === 0) return 0;
      await deps.pipeline.paused(() => deps.db.transaction().execute(async (trx) => {
        const cache = new Map<string, unknown>();
        for (const id of ids) await reevaluate(trx, id, options, { now, trigger: 'schedule', seq: null }, cache);
      }));
      return ids.length;
    },
    /** Records today's size of every segment (the last run of a day stands for it). */
    async recordSizes(): Promise<void> {
      const day = new Date(deps.clock.now()).toISOString().slice(0, 10);
      const sdb = segmentsDb(deps.db);
      const sizes = await sdb.selectFrom('segments').leftJoin('segment_members', 'segment_members.segment_id', 'segments.id')
        .select(['segments.id as id', (eb) => eb.fn.count<number>('segment_members.profile_id').as('size')]).groupBy('segments.id').execute();
      for (const { id, size } of sizes) {
        await sdb.insertInto('segment_sizes').values({ segment_id: id, day, size: Number(size) })
          .onConflict((oc) => oc.columns(['segment_id', 'day']).doUpdateSet({ size: Number(size) })).execute();
      }
    },
    /** Profiles per stage at a moment, from the stage history. */
    async distribution(at: number): Promise<Record<string, number>> {
      const rows = await sql<{ stage: string; n: number }>`
        select to_stage as stage, count(*) as n from (
          select to_stage, row_number() over (partition by profile_id order by at desc, id desc) as rn
          from stage_history where at <= ${at}
        ) latest where rn = 1 and to_stage is not null group by to_stage`.execute(deps.db);
      return Object.fromEntries(rows.rows.map((r) => [r.stage, Number(r.n)]));
    },
    async current(profileId: string, within: Kysely<object> = deps.db): Promise<{ stage: string; since: number } | undefined> {
      return within.withTables<LifecycleTables>().selectFrom('profile_stages').select(['stage', 'since']).where('profile_id', '=', profileId).executeTakeFirst();
    },
    async history(profileId: string) {
      return db.selectFrom('stage_history').select(['from_stage', 'to_stage', 'at', 'trigger', 'seq']).where('profile_id', '=', profileId).orderBy('id').execute();
    },
    /** Waits for model re-evaluations started so far (tests). */
    settle: () => job,
    async stop(): Promise<void> {
      stopping = true;
      await job;
    },
  };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
