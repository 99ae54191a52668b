/**
 * standing: where each customer stands. The condition language (one TypeBox
 * schema; pure validation and evaluation), the lifecycle stage model and each
 * profile's stage history, segments (dynamic by condition, static by list)
 * with their memberships and change stream, timers for standing that changes
 * with time alone, and back-fills as stored jobs. Every change is recorded at
 * the moment it happened in event time (fold.ts).
 */
import type { Kysely } from 'kysely';
import type { JobHandler, Jobs } from '../jobs/index.js';
import type { StoredTrait, TraitDefinition } from '../profiles/index.js';
import { lifecycleJob, segmentBackfillJob } from './backfill.js';
import type { ProfileSource, StandingDeps } from './deps.js';
import { createLifecycle } from './lifecycle.js';
import { forgetStanding, refreshStanding, resetStanding } from './maintenance.js';
import { standpoints } from './now.js';
import { previewCondition, type PreviewDeps } from './preview.js';
import { createSegments } from './segments.js';
import { createStandingStage } from './stage.js';
import { createTimers } from './timers.js';

export type { Standpoint } from './now.js';
export { PropertyFilterSchema } from './schema.js';
export { schemaProblems, type Wording } from './conditions.js';
export { ConditionSchema, CONDITION_KINDS, type Condition, type ConditionKind } from './schema.js';
export { validateCondition } from './conditions.js';
export { evaluate, earliest, type EvalContext, type Verdict } from './evaluate.js';
export { DEFAULT_MODEL, LifecycleModelSchema, type LifecycleModel } from './model.js';
export { standingMigrations } from './tables.js';
export type { Lifecycle, StageTransitionRow } from './lifecycle.js';
export type { SegmentChange, SegmentInput, SegmentRow, Segments } from './segments.js';
export type { ProfileSource } from './deps.js';
export { SEGMENT_JOB, LIFECYCLE_JOB } from './backfill.js';

export interface StandingModuleDeps {
  store: StandingDeps['store'];
  consentDefaults: StandingDeps['consentDefaults'];
  jobs: Jobs;
  now(): number;
  newId(): string;
  profiles: ProfileSource;
  /** Profiles' events by what a scan names (a preview counts its new event conditions from them). */
  timelineEvents: PreviewDeps['timelineEvents'];
  /** The profiles module's computed traits: definitions, the hidden counters of segments and stages, their counting. */
  computed: {
    definitions(db: Kysely<object>): Promise<StoredTrait[]>;
    ensureOwned(owner: string, wanted: TraitDefinition[], trx: Kysely<object>): Promise<StoredTrait[]>;
    removeOwned(owner: string, trx: Kysely<object>): Promise<void>;
    names(): Promise<Set<string>>;
    countStep(traitIds: readonly string[], save?: (trx: Kysely<object>) => Promise<void>): Promise<boolean>;
  };
  resolveIdentifier(kind: string, value: string): Promise<string | undefined>;
  /** A profile's events (a condition evaluated now counts its event conditions from them). */
  eventsOf(profileId: string, names: readonly string[]): Promise<import('../profiles/index.js').CountedEvent[]>;
  identifierKinds: readonly string[];
  wakePipeline(): void;
  /** Profiles a back-fill evaluates per step. */
  backfillPageSize: number;
}

export function createStanding(deps: StandingModuleDeps) {
  const base: StandingDeps = { store: deps.store, consentDefaults: deps.consentDefaults, traitDefinitions: deps.computed.definitions, profiles: deps.profiles };
  const counters = { ensure: deps.computed.ensureOwned, remove: deps.computed.removeOwned, names: deps.computed.names };
  const segments = createSegments({
    store: deps.store,
    now: deps.now,
    newId: deps.newId,
    jobs: deps.jobs,
    counters,
    resolveIdentifier: deps.resolveIdentifier,
    identifierKinds: deps.identifierKinds,
  });
  const lifecycle = createLifecycle({
    store: deps.store,
    now: deps.now,
    jobs: deps.jobs,
    counters,
    segments: segments.refs,
  });
  const backfills = {
    ...base,
    now: deps.now,
    countStep: deps.computed.countStep,
    wakePipeline: deps.wakePipeline,
    pageSize: deps.backfillPageSize,
    ownedTraits: async (owner: string) => (await deps.computed.definitions(deps.store.db)).filter((t) => t.owner === owner).map((t) => t.id),
  };
  return {
    stage: createStandingStage(base),
    timers: createTimers(base),
    segments,
    lifecycle,
    jobs: [segmentBackfillJob(backfills), lifecycleJob(backfills)] as JobHandler<never>[],
    async preview(condition: unknown, sampleSize: number) {
      const checked = await segments.check('(preview)', condition);
      return previewCondition({ ...base, now: deps.now, timelineEvents: deps.timelineEvents }, checked, sampleSize);
    },
    /** Where these profiles stand now, to evaluate conditions against (a journey's branch). */
    standpoints: (profileIds: readonly string[], now: number) => standpoints({ ...base, eventsOf: deps.eventsOf }, profileIds, now),
    refresh: (trx: Kysely<object>, profileIds: string[], now: number) => refreshStanding(base, trx, profileIds, now, 'unmerge'),
    forget: (trx: Kysely<object>, profileIds: string[]) => forgetStanding(base, trx, profileIds),
    resettable: { reset: resetStanding },
  };
}

export type Standing = ReturnType<typeof createStanding>;
