/**
 * The pipeline consumer: reads the event log in order and runs a batch at a
 * time through the stages. A batch, its effects, its derived events (in the
 * outbox) and the consumer position commit in one transaction, so a crash
 * neither skips nor repeats an effect. When a batch fails, its events are
 * retried one by one with backoff; an event that keeps failing goes to the
 * dead letters and the consumer moves on.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { EventLog, LoggedEvent } from '../log/index.js';
import type { Metrics } from '../metrics.js';
import type { SharedLock, Store, WriteOptions } from '../store/index.js';
import { Refusal, runStages, toPipelineEvent, type Outcome } from './batch.js';
import { tickEvent, watermark, type Timers } from './clock-ticks.js';
import { writeOutbox, type OutboxRelay } from './outbox.js';
import { loadPosition, savePosition } from './positions.js';
import type { BatchScope, DerivedEvent, Stage } from './stage.js';
import type { PipelineTables } from './tables.js';

export const CONSUMER = 'pipeline';
/** Work derived from the log: a crash makes the pipeline do it again, so its commits need not wait for the disk. */
const DERIVED: WriteOptions = { lane: 'profiles', relaxed: true };
/** The embedded pipeline reads every partition in log order, under this position key. */
const ALL_PARTITIONS = -1;
/** Timers fired by one clock tick, at most: a tick is one transaction. */
const TIMERS_PER_TICK = 500;

export interface PipelineOptions {
  batchSize: number;
  maxAttempts: number;
  backoffMs: number;
  pollMs: number;
  /** Pause between batches while another thread waits to write (pipeline worker only). */
  yieldMs: number;
}

export interface PipelineStatus {
  position: number;
  head: number;
  lagEvents: number;
  /** Age of the oldest event not yet processed, in seconds (0 when caught up). */
  lagSeconds: number;
  deadLetters: number;
  running: boolean;
}

export interface Logger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PipelineDeps {
  store: Store;
  log: EventLog;
  stages: readonly Stage<unknown, unknown>[];
  clock: Clock;
  metrics: Metrics;
  logger?: Logger;
  options: PipelineOptions;
  sleep?: (ms: number) => Promise<void>;
  /** Standing that changes with time: fired by clock ticks. */
  timers?: Timers;
  /** Touchpoint's own sources: derived events are appended as `derived`, clock ticks as `clock`. */
  sources?: { derived: string; clock: string };
  /** The write lock shared with another thread, when there is one: the loop steps back while it is wanted. */
  lock?: SharedLock;
  /** Called after a batch commits: consumers that read behind the pipeline (journeys) look again. */
  onProcessed?: () => void;
}

export interface ConsumerDeps extends PipelineDeps {
  outbox?: OutboxRelay;
}

export interface BatchReport {
  /** Events read (0: caught up). */
  events: number;
  /** Events the batch derived (the outbox holds them until relayed). */
  derived: number;
}

export function createConsumer(deps: ConsumerDeps) {
  const { store, log, options } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const tables = (db: Kysely<object>) => db.withTables<PipelineTables>();
  let queue: Promise<unknown> = Promise.resolve();
  let tickInFlight = 0;
  /** One batch at a time in this thread, whoever asks (the loop, drain, replay). */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const position = (db: Kysely<object> = store.db) => loadPosition(db, CONSUMER, ALL_PARTITIONS);

  const count = (outcome: Outcome) => {
    deps.metrics.pipelineEvents.inc({ outcome: outcome.kind, stage: 'stage' in outcome ? outcome.stage : '' });
  };

  /** Events at or below the high-water mark were applied unless they were dropped or dead-lettered: only replays meet them. */
  async function alreadyApplied(trx: Kysely<object>, events: LoggedEvent[], highWater: number): Promise<Set<number>> {
    const old = events.filter((e) => e.seq <= highWater).map((e) => e.seq);
    if (old.length === 0) return new Set();
    const [dropped, dead] = await Promise.all([
      tables(trx).selectFrom('pipeline_dropped').select('seq').where('seq', 'in', old).execute(),
      tables(trx).selectFrom('pipeline_dead_letters').select('seq').where('seq', 'in', old).execute(),
    ]);
    const retry = new Set([...dropped, ...dead].map((r) => r.seq));
    return new Set(old.filter((seq) => !retry.has(seq)));
  }

  async function recordOutcomes(trx: Kysely<object>, outcomes: Map<number, Outcome>, at: number, attempts: number): Promise<void> {
    const dropped: unknown[][] = [];
    const dead: unknown[][] = [];
    const settled: number[] = [];
    for (const [seq, o] of outcomes) {
      if (o.kind === 'dropped') dropped.push([seq, at, o.stage, o.reason.slice(0, 2000)]);
      else if (o.kind === 'dead_letter') dead.push([seq, at, o.stage, o.reason.slice(0, 2000), attempts]);
      else if (o.kind === 'applied') settled.push(seq);
    }
    const update = { target: ['seq'], update: ['at', 'stage', 'reason'] };
    await store.bulk.insert(trx, 'pipeline_dropped', ['seq', 'at', 'stage', 'reason'], dropped, { conflict: update });
    await store.bulk.insert(trx, 'pipeline_dead_letters', ['seq', 'at', 'stage', 'reason', 'attempts'], dead, {
      conflict: { target: ['seq'], update: [...update.update, 'attempts'] },
    });
    await store.bulk.deleteIn(trx, 'pipeline_dropped', 'seq', [...settled, ...dead.map((d) => d[0])]);
    await store.bulk.deleteIn(trx, 'pipeline_dead_letters', 'seq', [...settled, ...dropped.map((d) => d[0])]);
  }

  /** Processes events (none of them a clock tick) in one transaction; a refused event is taken out and the batch runs again. */
  async function commitBatch(events: LoggedEvent[], attempts: number, advance = true): Promise<{ outcomes: Map<number, Outcome>; derived: number }> {
    const refused = new Map<number, Outcome>();
    for (;;) {
      try {
        return await store.write(async (trx) => {
          const derived: DerivedEvent[] = [];
          const scope: BatchScope = { trx, now: deps.clock.now(), derive: (e) => derived.push(e) };
          const at = await position(trx);
          const skipped = await alreadyApplied(trx, events, at.highWater);
          const live = events.filter((e) => !skipped.has(e.seq) && !refused.has(e.seq)).map(toPipelineEvent);
          const outcomes = new Map([...refused, ...(await runStages(deps.stages, live, scope))]);
          for (const seq of skipped) outcomes.set(seq, { kind: 'skipped' });
          await recordOutcomes(trx, outcomes, scope.now, attempts);
          await writeOutbox(store, trx, derived);
          await deps.outbox?.prune(trx);
          if (advance) await savePosition(trx, CONSUMER, ALL_PARTITIONS, events[events.length - 1]!.seq);
          return { outcomes, derived: derived.length };
        }, DERIVED);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        refused.set(error.seq, error.outcome);
      }
    }
  }

  /** A clock tick: timers due up to its time fire here, between the events before and after it. */
  async function commitTick(tick: LoggedEvent): Promise<{ derived: number }> {
    return store.write(async (trx) => {
      const derived: DerivedEvent[] = [];
      const scope: BatchScope = { trx, now: deps.clock.now(), derive: (e) => derived.push(e) };
      const at = await position(trx);
      if (tick.seq > at.highWater && deps.timers) await deps.timers.fire(tick.timestamp, TIMERS_PER_TICK, scope);
      await writeOutbox(store, trx, derived);
      await deps.outbox?.prune(trx);
      await savePosition(trx, CONSUMER, ALL_PARTITIONS, tick.seq);
      return { derived: derived.length };
    }, DERIVED);
  }

  async function runOneWithRetries(event: LoggedEvent): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { outcomes, derived } = await commitBatch([event], attempt);
        outcomes.forEach(count);
        return derived;
      } catch (error) {
        if (attempt < options.maxAttempts) {
          await sleep(options.backoffMs * 2 ** (attempt - 1));
          continue;
        }
        deps.logger?.error({ err: error, seq: event.seq }, 'pipeline event failed every attempt: dead-lettered');
        const outcome: Outcome = { kind: 'dead_letter', stage: 'pipeline', reason: `failed ${attempt} times: ${(error as Error).message}` };
        await store.write(async (trx) => {
          await recordOutcomes(trx, new Map([[event.seq, outcome]]), deps.clock.now(), attempt);
          await savePosition(trx, CONSUMER, ALL_PARTITIONS, event.seq);
        }, DERIVED);
        count(outcome);
        return 0;
      }
    }
  }

  /** Events up to (not including) the first clock tick, or the tick alone when it comes first. */
  function takeUntilTick(events: LoggedEvent[]): LoggedEvent[] {
    const at = events.findIndex((e) => e.sourceId === deps.sources?.clock);
    if (at === 0) return [events[0]!];
    return at < 0 ? events : events.slice(0, at);
  }

  async function runBatch(): Promise<BatchReport> {
    const at = await position();
    const read = await log.readAll(at.seq, options.batchSize);
    const ticked = await maybeTick(read, at.seq);
    if (read.length === 0) return ticked ? runBatch() : { events: 0, derived: 0 };
    const events = takeUntilTick(read);
    if (events[0]!.sourceId === deps.sources?.clock) {
      const { derived } = await commitTick(events[0]!);
      count({ kind: 'applied' });
      return { events: 1, derived };
    }
    try {
      const { outcomes, derived } = await commitBatch(events, 1);
      outcomes.forEach(count);
      return { events: events.length, derived };
    } catch (error) {
      deps.logger?.warn({ err: error, from: events[0]!.seq }, 'pipeline batch failed; retrying its events one by one');
      let derived = 0;
      for (const event of events) derived += await runOneWithRetries(event);
      return { events: events.length, derived };
    }
  }

  /** Appends a clock tick when a timer is due by the watermark and no tick is on its way already. */
  async function maybeTick(waiting: LoggedEvent[], at: number): Promise<boolean> {
    if (!deps.timers || !deps.sources || tickInFlight > at) return false;
    const due = await deps.timers.nextDue();
    const now = deps.clock.now();
    const mark = watermark(now, waiting);
    if (due === null || due > mark) return false;
    const [outcome] = await log.append([tickEvent(deps.sources.clock, mark, at, now)]);
    if (outcome?.status !== 'stored') return false;
    tickInFlight = outcome.seq;
    return true;
  }

  async function status(running: boolean): Promise<PipelineStatus> {
    const [at, head] = await Promise.all([position(), log.head()]);
    const next = at.seq < head ? (await log.readAll(at.seq, 1))[0] : undefined;
    const dead = await tables(store.db)
      .selectFrom('pipeline_dead_letters')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const lagSeconds = next ? Math.max(0, (deps.clock.now() - next.receivedAt) / 1000) : 0;
    deps.metrics.pipelineLagEvents.set(head - at.seq);
    deps.metrics.pipelineLagSeconds.set(lagSeconds);
    return { position: at.seq, head, lagEvents: head - at.seq, lagSeconds, deadLetters: Number(dead?.n ?? 0), running };
  }

  return {
    runBatch: () => exclusive(runBatch),
    /** When the loop should look again with no new event: the next timer's due time (plus the settle margin), if any. */
    nextWake: async (): Promise<number | null> => (deps.timers ? deps.timers.nextDue() : null),
    status,
    position,
    setPosition: (seq: number, reset = false) => exclusive(() => store.write((trx) => savePosition(trx, CONSUMER, ALL_PARTITIONS, seq, { reset }), 'profiles')),
    exclusive,
    commitBatch,
  };
}

export type Consumer = ReturnType<typeof createConsumer>;
