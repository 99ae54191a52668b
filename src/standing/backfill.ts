/**
 * Back-fills as stored jobs. A new or edited segment counts its event
 * conditions over the log (its hidden computed traits), then evaluates that
 * segment, and the segments that depend on it, for every profile, a page at a
 * time; a new lifecycle model does the same for the stage and the segments
 * that refer to stages. Each page commits with the job's progress, so a
 * restart goes on from the last page. Nothing else is evaluated again.
 */
import type { Kysely } from 'kysely';
import type { JobHandler, StepContext } from '../jobs/index.js';
import { writeDerived, type BatchScope, type DerivedEvent } from '../pipeline/index.js';
import { computedTraitReferences, dependsOnTime, segmentReferences, stageReferences } from './conditions.js';
import { loadStandingDefinitions, withDependents } from './definitions.js';
import type { StandingDeps } from './deps.js';
import type { WriteOptions } from '../store/index.js';
import { evaluateAt, noChanges, type Coverage, type Definitions, type LiveSegment } from './fold.js';
import { loadRecords, recordChanges, standingDb, writeRecords } from './records.js';
import { LIFECYCLE_OWNER } from './model.js';

/** Back-fill steps are derived from the log and the profiles: a crash repeats the step, so commits need not wait for the disk. */
const DERIVED: WriteOptions = { lane: 'profiles', relaxed: true };
export const SEGMENT_JOB = 'segment-backfill';
export const LIFECYCLE_JOB = 'lifecycle-reevaluation';

export interface BackfillState {
  phase: 'counting' | 'evaluating';
  /** The last profile id evaluated. */
  after: string;
  /** backfill (new), edit, model */
  trigger: string;
  /** The moment the back-fill evaluates at: when it started. */
  at: number;
}

export interface BackfillDeps extends StandingDeps {
  now(): number;
  /** Profiles evaluated per step (one transaction). */
  pageSize: number;
  countStep(traitIds: readonly string[], save?: (trx: Kysely<object>) => Promise<void>): Promise<boolean>;
  ownedTraits(owner: string): Promise<string[]>;
  /** Wakes the pipeline: a back-fill may have set timers sooner than it knows of. */
  wakePipeline(): void;
}

/** What a page's evaluation needs to read: trait states, standing rows, memberships. */
function needs(coverage: Coverage, defs: Definitions, covered: LiveSegment[], trigger: string) {
  const conditions = [...(coverage.stage ? defs.model.stages.map((s) => s.condition) : []), ...covered.flatMap((s) => (s.condition ? [s.condition] : []))];
  const owners = new Set([...covered.map((s) => `segment:${s.id}`), ...(coverage.stage ? [LIFECYCLE_OWNER] : [])]);
  const named = new Set(conditions.flatMap(computedTraitReferences));
  const traitIds = [...defs.traits.values()].filter((t) => (t.owner === null ? named.has(t.name) : owners.has(t.owner))).map((t) => t.id);
  const refersOut = conditions.some((c) => segmentReferences(c).length > 0 || stageReferences(c).length > 0);
  // Rows hold the stage, the standing time and the timer; a condition that cannot change with time and refers to no stage or segment needs none.
  const rows = coverage.stage || refersOut || conditions.some(dependsOnTime);
  // A new segment has no members yet, and nothing refers to it.
  const segments = coverage.stage || refersOut ? undefined : trigger === 'backfill' ? [] : covered.map((s) => s.id);
  return { traitIds, rows, segments };
}

async function evaluatePage(deps: BackfillDeps, trx: Kysely<object>, state: BackfillState, coverage: Coverage): Promise<{ count: number; last: string }> {
  const defs = await loadStandingDefinitions(trx, deps.traitDefinitions, deps.consentDefaults);
  const covered = defs.segments.filter((s) => coverage.segments !== 'all' && coverage.segments.has(s.id));
  const need = needs(coverage, defs, covered, state.trigger);
  const page = await deps.profiles.page(trx, state.after, deps.pageSize, need.traitIds);
  if (page.length === 0) return { count: 0, last: state.after };
  const loaded = await loadRecords(
    trx,
    page.map((p) => p.id),
    { rows: need.rows, segments: need.segments },
  );
  const out = noChanges();
  for (const { id, facts } of page) {
    const record = loaded.records.get(id)!;
    evaluateAt(record, facts, Math.max(state.at, record.asOf ?? state.at), { trigger: state.trigger, seq: null }, defs, out, coverage);
  }
  await writeRecords(deps.store, trx, loaded);
  const derived: DerivedEvent[] = [];
  const scope: BatchScope = { trx, now: deps.now(), derive: (e) => derived.push(e) };
  await recordChanges(deps.store, scope, out);
  await writeDerived(deps.store, trx, derived);
  return { count: page.length, last: page[page.length - 1]!.id };
}

/** Counting, then evaluating page by page; `coverage` and `progress` say what is evaluated and where progress is shown. */
async function backfillStep(
  deps: BackfillDeps,
  ctx: StepContext<BackfillState>,
  counters: string[],
  coverage: () => Promise<Coverage>,
  progress: Progress,
): Promise<'more' | 'finished'> {
  const state = ctx.job.state;
  if (state.phase === 'counting') {
    const counted = await deps.countStep(counters, (trx) => ctx.save(trx, { state, done: 0, total: 0 }));
    if (!counted) return 'more';
    const total = await deps.profiles.count(deps.store.db);
    await deps.store.write(async (trx) => {
      await progress.live(trx, total);
      await ctx.save(trx, { state: { ...state, phase: 'evaluating' }, done: 0, total });
    }, DERIVED);
    return 'more';
  }
  const covers = await coverage();
  const result = await deps.store.write(async (trx) => {
    const page = await evaluatePage(deps, trx, state, covers);
    const done = ctx.job.done + page.count;
    const finished = page.count < deps.pageSize;
    if (finished) await progress.ready(trx);
    else await progress.step(trx, done, ctx.job.total);
    await ctx.save(trx, { state: { ...state, after: page.last }, done, total: Math.max(ctx.job.total, done) });
    return finished;
  }, DERIVED);
  deps.wakePipeline();
  return result ? 'finished' : 'more';
}

interface Progress {
  /** The counters are counted: from now on the pipeline evaluates live events too. */
  live(trx: Kysely<object>, total: number): Promise<void>;
  step(trx: Kysely<object>, done: number, total: number): Promise<void>;
  ready(trx: Kysely<object>): Promise<void>;
}

export function segmentBackfillJob(deps: BackfillDeps): JobHandler<BackfillState> {
  return {
    kind: SEGMENT_JOB,
    async step(ctx) {
      const id = ctx.job.subject;
      const segments = () => standingDb(deps.store.db).selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
      if (!(await segments())) return 'finished';
      const status = (trx: Kysely<object>, set: { status: string; backfill_done?: number; backfill_total?: number }) =>
        standingDb(trx)
          .updateTable('segments')
          .set(set)
          .where('id', '=', id)
          .execute()
          .then(() => undefined);
      return backfillStep(
        deps,
        ctx,
        await deps.ownedTraits(`segment:${id}`),
        async () => {
          const defs = await loadStandingDefinitions(deps.store.db, deps.traitDefinitions, deps.consentDefaults);
          return { stage: false, segments: withDependents(defs.segments, id) };
        },
        {
          live: (trx, total) => status(trx, { status: 'evaluating', backfill_done: 0, backfill_total: total }),
          step: (trx, done, total) => status(trx, { status: 'evaluating', backfill_done: done, backfill_total: total }),
          ready: (trx) => status(trx, { status: 'ready' }),
        },
      );
    },
  };
}

export function lifecycleJob(deps: BackfillDeps): JobHandler<BackfillState> {
  const nothing = async () => {};
  return {
    kind: LIFECYCLE_JOB,
    async step(ctx) {
      return backfillStep(
        deps,
        ctx,
        await deps.ownedTraits(LIFECYCLE_OWNER),
        async () => {
          const defs = await loadStandingDefinitions(deps.store.db, deps.traitDefinitions, deps.consentDefaults);
          const stageBound = defs.segments.filter((s) => s.condition && stageReferences(s.condition).length > 0);
          return { stage: true, segments: new Set(stageBound.flatMap((s) => [...withDependents(defs.segments, s.id)])) };
        },
        { live: nothing, step: nothing, ready: nothing },
      );
    },
  };
}
