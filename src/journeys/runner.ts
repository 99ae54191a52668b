/**
 * The journeys runner: a consumer of its own, apart from the profile
 * pipeline. It reads the event log up to where the pipeline has processed it
 * (so that every event has its profile), the segment and stage change
 * streams, the enrolments whose wait is over and the scheduled runs that are
 * due, each from a position of its own. Each batch is planned outside the
 * write transaction and written in one, with the position: a crash repeats
 * the batch, and the unique keys of enrolments and messages make the repeat
 * write nothing twice.
 */
import type { Clock } from '../clock.js';
import type { Messages } from '../history/index.js';
import type { Policy } from '../policy/index.js';
import type { EventLog, LoggedEvent } from '../log/index.js';
import type { Standpoint } from '../standing/index.js';
import type { Store } from '../store/index.js';
import { createCatalogs, type Catalog } from './catalog.js';
import { journeysDb } from './definitions.js';
import { afterWait } from './engine.js';
import { conversionValue, converts, entryByEvent, entryBySegment, entryByStage, fresh, keyOf, resumes, type LoggedMessage } from './matching.js';
import { planConversion, planRun, type Plan, type PlanServices } from './plan.js';
import { createSchedules } from './schedules.js';
import { createStreamPositions } from './positions.js';
import { activeEnrolments, pastEnrolments, waitingOf } from './enrolment-reads.js';
import { planEntry, type Trigger } from './triggers.js';
import type { JourneyTables } from './tables.js';
import { releaseDue } from './release.js';
import { relayTraits } from './traits.js';

type EnrolmentRow = JourneyTables['journey_enrolments'];

export interface SegmentChangeIn {
  id: number;
  segmentId: string;
  segmentName: string;
  profileId: string;
  change: 'entered' | 'exited';
  at: number;
  recordedAt: number | null;
}
export interface StageChangeIn {
  id: number;
  profileId: string;
  from: string | null;
  to: string | null;
  at: number;
  recordedAt: number | null;
}

export interface RunnerDeps {
  store: Store;
  log: EventLog;
  clock: Clock;
  messages: Messages;
  /** The contact policy: decides each message in the write transaction. */
  policy: Pick<Policy, 'decide' | 'refresh'>;
  services: PlanServices & { newEnrolmentId(): string };
  logger?: { error(obj: object, msg: string): void };
  /** How far the profile pipeline has processed the log. */
  pipelinePosition(): Promise<number>;
  eventOwners(seqs: readonly number[]): Promise<Map<number, string>>;
  standpoints(profileIds: readonly string[], now: number): Promise<Map<string, Standpoint>>;
  segmentChanges: { after(position: number, limit: number): Promise<SegmentChangeIn[]>; head(): Promise<number> };
  stageChanges: { after(position: number, limit: number): Promise<StageChangeIn[]>; head(): Promise<number> };
  segmentMembers(segment: string, after: string, limit: number): Promise<string[]>;
  /** The profile a merged-away profile now lives on (undefined when erased). */
  survivorOf(profileId: string): Promise<string | undefined>;
  /** Profiles merged into these, each with the one of these it lives on: their customers' enrolments go on there. */
  absorbedInto(profileIds: readonly string[]): Promise<Map<string, string>>;
  /** Touchpoint's own sources: their events enter no journey. */
  internalSourceIds: readonly string[];
  adminSourceId: string;
  batchSize: number;
  pollMs: number;
}

export interface Runner {
  start(): void;
  wake(): void;
  stop(): Promise<void>;
  /** Runs until nothing is left to do now: events the pipeline processed, changes, due waits and runs. */
  drain(): Promise<void>;
  /** The next moment a wait or a scheduled run is due (null: none). */
  nextDue(): Promise<number | null>;
  /** Sets the positions of a store that has none (at open, before any journey can go live). */
  prepare(): Promise<void>;
}

/** Content items are looked up once a second at most: a send step renders the same item for many customers. */
const CONTENT_TTL_MS = 1000;

function cachingContent<S extends RunnerDeps['services']>(services: S): S {
  const cache = new Map<string, { at: number; item: Awaited<ReturnType<S['findContent']>> }>();
  return {
    ...services,
    async findContent(idOrName: string) {
      const hit = cache.get(idOrName);
      if (hit && performance.now() - hit.at < CONTENT_TTL_MS) return hit.item;
      const item = (await services.findContent(idOrName)) as Awaited<ReturnType<S['findContent']>>;
      if (cache.size > 10_000) cache.clear();
      cache.set(idOrName, { at: performance.now(), item });
      return item;
    },
  };
}

export function createRunner(options: RunnerDeps): Runner {
  const deps = { ...options, services: cachingContent(options.services) };
  const db = () => journeysDb(deps.store.db);
  const loadCatalog = createCatalogs(deps.store.db);
  const internal = new Set(deps.internalSourceIds);
  const schedules = createSchedules(deps);
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let woken = false;
  let queue: Promise<unknown> = Promise.resolve();

  const positions = createStreamPositions({
    store: deps.store,
    sending: { messages: deps.messages, policy: deps.policy, deliveries: deps.services.deliveries },
    heads: { log: deps.log.lastGiven, segments: deps.segmentChanges.head, stages: deps.stageChanges.head },
  });
  const { readFrom, commit } = positions;

  const activeOf = (profileIds: readonly string[]) => activeEnrolments(deps.store.db, profileIds);
  const pastOf = (journeyIds: readonly string[], profileIds: readonly string[]) => pastEnrolments(deps.store.db, journeyIds, profileIds);

  /** What one event does to the enrolments it concerns: goals first (a conversion ends the journey), then waits. */
  async function progressOn(
    event: LoggedMessage,
    enrolments: EnrolmentRow[],
    catalog: Catalog,
    standpoint: Standpoint | undefined,
    now: number,
    plans: Plan[],
  ) {
    for (const [i, e] of enrolments.entries()) {
      const journey = catalog.journeys.get(e.journey_id);
      const ref = journey && (await catalog.at(e.journey_id, e.version));
      if (!ref || e.status !== 'active') continue;
      let plan: Plan | undefined;
      if (converts(ref.definition, waitingOf(e), event)) plan = planConversion(e, conversionValue(ref.definition, event.message), event.seq, now);
      else if (journey.status === 'live' && e.step_id !== null && resumes(ref.definition, waitingOf(e), event)) {
        const base = { enrolment: e, isNew: false, expectUpdatedAt: e.updated_at };
        plan = await planRun(base, ref, afterWait(ref.definition, e.step_id, 'event'), standpoint, deps.services, now);
      }
      if (!plan) continue;
      plans.push(plan);
      enrolments[i] = plan.enrolment;
    }
  }

  async function logBatch(catalog: Catalog, now: number): Promise<number> {
    const from = await readFrom('log');
    const upTo = await deps.pipelinePosition();
    if (upTo <= from) return 0;
    const names = [...new Set([...catalog.entryNames, ...catalog.progressNames])];
    // Only the events some journey listens to are read; the position moves over the others.
    const events = await deps.log.readNamed(from, upTo, names, deps.batchSize);
    const to = events.length === deps.batchSize ? events[events.length - 1]!.seq : upTo;
    const relevant = events.filter((e) => !internal.has(e.sourceId));
    const plans: Plan[] = [];
    if (relevant.length > 0) await planEvents(relevant, catalog, now, plans);
    return (await commit('log', to, plans)) ? Math.max(1, events.length) : 0;
  }

  async function planEvents(events: LoggedEvent[], catalog: Catalog, now: number, plans: Plan[]): Promise<void> {
    const owners = await deps.eventOwners(events.map((e) => e.seq));
    const profileIds = [...new Set(owners.values())];
    // A customer who entered under a profile merged since waits under that id: it goes on as the survivor.
    const absorbed = await deps.absorbedInto(profileIds);
    const [active, past, standpoints] = await Promise.all([
      activeOf([...profileIds, ...absorbed.keys()]).then((rows) =>
        rows.map((e) => (absorbed.has(e.profile_id) ? { ...e, profile_id: absorbed.get(e.profile_id)! } : e)),
      ),
      pastOf(
        catalog.live.map((j) => j.id),
        profileIds,
      ),
      deps.standpoints(profileIds, now),
    ]);
    const byProfile = new Map<string, EnrolmentRow[]>();
    for (const e of active) byProfile.set(e.profile_id, [...(byProfile.get(e.profile_id) ?? []), e]);
    for (const event of events) {
      const profileId = owners.get(event.seq);
      if (!profileId) continue;
      const message = JSON.parse(event.payload) as Record<string, unknown>;
      const logged = { seq: event.seq, timestamp: event.timestamp, receivedAt: event.receivedAt, message };
      const mine = byProfile.get(profileId) ?? [];
      await progressOn(logged, mine, catalog, standpoints.get(profileId), now, plans);
      for (const journey of catalog.live) {
        if (!entryByEvent(journey.current.entry, message) || !fresh({ at: event.timestamp, seenAt: event.receivedAt }, journey.liveSince, now)) continue;
        const enrolKey = keyOf(journey.current, message);
        if (enrolKey === undefined) continue;
        const trigger: Trigger = { journey, profileId, enrolKey, triggerKey: `event:${message.messageId ?? event.seq}`, message };
        const plan = await planEntry(trigger, past, standpoints.get(profileId), deps.services, now);
        if (!plan) continue;
        plans.push(plan);
        mine.push(plan.enrolment);
        byProfile.set(profileId, mine);
      }
    }
  }

  async function changeBatch<C extends { id: number; profileId: string; at: number; recordedAt: number | null }>(
    stream: 'segments' | 'stages',
    read: (after: number, limit: number) => Promise<C[]>,
    match: (journey: Catalog['live'][number], change: C) => string | undefined,
    catalog: Catalog,
    now: number,
  ): Promise<number> {
    const from = await readFrom(stream);
    const changes = await read(from, deps.batchSize);
    if (changes.length === 0) return 0;
    const triggers: Trigger[] = [];
    for (const change of changes) {
      for (const journey of catalog.live) {
        const triggerKey = match(journey, change);
        if (triggerKey === undefined || !fresh({ at: change.at, seenAt: change.recordedAt ?? now }, journey.liveSince, now)) continue;
        triggers.push({ journey, profileId: change.profileId, enrolKey: '', triggerKey, message: null });
      }
    }
    const plans = await planTriggers(triggers, now);
    return (await commit(stream, changes[changes.length - 1]!.id, plans)) ? changes.length : 0;
  }

  async function planTriggers(triggers: Trigger[], now: number): Promise<Plan[]> {
    if (triggers.length === 0) return [];
    const profileIds = [...new Set(triggers.map((t) => t.profileId))];
    const [past, standpoints] = await Promise.all([pastOf([...new Set(triggers.map((t) => t.journey.id))], profileIds), deps.standpoints(profileIds, now)]);
    const plans: Plan[] = [];
    for (const trigger of triggers) {
      const plan = await planEntry(trigger, past, standpoints.get(trigger.profileId), deps.services, now);
      if (plan) plans.push(plan);
    }
    return plans;
  }

  /** A customer merged into another since entering goes on as the survivor (an erased one has none: the policy suppresses). */
  async function followMerges(enrolments: EnrolmentRow[], standpoints: Map<string, Standpoint>, now: number): Promise<void> {
    const gone = enrolments.filter((e) => !standpoints.has(e.profile_id));
    if (gone.length === 0) return;
    for (const e of gone) {
      const survivor = await deps.survivorOf(e.profile_id);
      if (!survivor || survivor === e.profile_id) continue;
      const found = standpoints.get(survivor) ?? (await deps.standpoints([survivor], now)).get(survivor);
      if (!found) continue;
      standpoints.set(survivor, found);
      e.profile_id = survivor;
    }
  }

  async function timerBatch(catalog: Catalog, now: number): Promise<number> {
    const live = catalog.live.map((j) => j.id);
    if (live.length === 0) return 0;
    const due = await db()
      .selectFrom('journey_enrolments')
      .selectAll()
      .where('next_at', '<=', now)
      .where('status', '=', 'active')
      .where('journey_id', 'in', live)
      .orderBy('next_at')
      .limit(deps.batchSize)
      .execute();
    if (due.length === 0) return 0;
    const standpoints = await deps.standpoints([...new Set(due.map((e) => e.profile_id))], now);
    await followMerges(due, standpoints, now);
    const plans: Plan[] = [];
    for (const e of due) {
      const ref = await catalog.at(e.journey_id, e.version);
      if (!ref) continue;
      const from = e.step_id === null ? ref.definition.steps[0]!.id : afterWait(ref.definition, e.step_id, 'elapsed');
      plans.push(await planRun({ enrolment: e, isNew: false, expectUpdatedAt: e.updated_at }, ref, from, standpoints.get(e.profile_id), deps.services, now));
    }
    await commit(null, 0, plans);
    return due.length;
  }

  async function cycle(): Promise<number> {
    const catalog = await loadCatalog();
    const now = deps.clock.now();
    await deps.policy.refresh(now);
    let work = await logBatch(catalog, now);
    const segmentEntry = (j: Catalog['live'][number], c: SegmentChangeIn) =>
      entryBySegment(j.current.entry, c) ? `segment:${c.segmentId}:${c.change}:${c.at}` : undefined;
    const stageEntry = (j: Catalog['live'][number], c: StageChangeIn) => (entryByStage(j.current.entry, c) ? `stage:${c.from}:${c.to}:${c.at}` : undefined);
    work += await changeBatch('segments', deps.segmentChanges.after, segmentEntry, catalog, now);
    work += await changeBatch('stages', deps.stageChanges.after, stageEntry, catalog, now);
    work += await timerBatch(catalog, now);
    work += await schedules.step(catalog, now, (triggers) => planTriggers(triggers, now));
    work += await releaseDue({ ...deps, deliveries: deps.services.deliveries }, now);
    await relayTraits(deps);
    return work;
  }

  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  let ready: Promise<void> | undefined;
  const runCycle = () =>
    exclusive(async () => {
      ready ??= positions.prepare();
      await ready;
      return cycle();
    });

  async function nextDue(): Promise<number | null> {
    const [timer, schedule, deferred] = await Promise.all([
      db()
        .selectFrom('journey_enrolments')
        .innerJoin('journeys', 'journeys.id', 'journey_enrolments.journey_id')
        .select((eb) => eb.fn.min<number>('journey_enrolments.next_at').as('at'))
        .where('journey_enrolments.status', '=', 'active')
        .where('journeys.status', '=', 'live')
        .executeTakeFirst(),
      schedules.nextDue(),
      deps.messages.nextDue(),
    ]);
    const times = [timer?.at, schedule, deferred].filter((t): t is number => t !== null && t !== undefined).map(Number);
    return times.length === 0 ? null : Math.min(...times);
  }

  async function runLoop(): Promise<void> {
    while (running) {
      let sleepMs = deps.pollMs;
      // A wake that comes while a cycle runs is kept: the cycle may have read just before what woke it.
      woken = false;
      try {
        if ((await runCycle()) > 0 || woken) {
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        const due = await nextDue();
        if (due !== null) sleepMs = Math.max(1, Math.min(sleepMs, due - deps.clock.now()));
      } catch (error) {
        deps.logger?.error({ err: error }, 'journeys runner failed a cycle; retrying');
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, sleepMs).unref?.();
      });
      wake = undefined;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    wake: () => {
      woken = true;
      wake?.();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    async drain() {
      while ((await runCycle()) > 0);
    },
    nextDue,
    prepare: () => {
      ready ??= positions.prepare();
      return ready;
    },
  };
}
