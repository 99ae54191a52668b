/**
 * pipeline: the consumer that runs logged events through the stages
 * (identity -> profile -> standing) a batch at a time, with its position
 * committed together with the effects; retries with backoff, dead letters,
 * drops, replay and rebuild; the outbox of derived events; clock ticks that
 * fire timers at their place in the log. Stages are given at wiring time.
 */
import type { Kysely } from 'kysely';
import type { EventLog } from '../log/index.js';
import { CONSUMER, createConsumer, type PipelineDeps, type PipelineStatus } from './consumer.js';
import { loadPosition } from './positions.js';
import { createOutboxRelay } from './outbox.js';
import { SETTLE_MS } from './clock-ticks.js';
import type { PipelineTables } from './tables.js';

export type { BatchItem, BatchScope, DerivedEvent, PipelineEvent, Stage, StageChain, StageResult } from './stage.js';
export { chain, deadLetter, drop, ok } from './stage.js';
export type { PipelineOptions, PipelineStatus } from './consumer.js';
export { CLOCK_TICK, type Timers } from './clock-ticks.js';
export { pipelineMigrations } from './tables.js';
export { runInWorker, type ThreadedPipeline, type WorkerOptions } from './threaded.js';
export { writeOutbox as writeDerived } from './outbox.js';

/** Forgets events erased from the log: their drops and dead letters. */
export async function forgetEvents(store: import('../store/index.js').Store, trx: Kysely<object>, seqs: number[]): Promise<void> {
  await store.bulk.deleteIn(trx, 'pipeline_dropped', 'seq', seqs);
  await store.bulk.deleteIn(trx, 'pipeline_dead_letters', 'seq', seqs);
}

/** The pipeline's position as seen in `db` (in a transaction of the profiles lane it cannot move). */
export async function pipelinePosition(db: Kysely<object>): Promise<number> {
  return (await loadPosition(db, CONSUMER, -1)).seq;
}

export interface Resettable {
  /** Deletes everything the stage derived from events (before a rebuild). */
  reset(trx: Kysely<object>): Promise<void>;
}

export interface DeadLetter {
  seq: number;
  at: number;
  stage: string;
  reason: string;
  attempts: number;
}
export interface Dropped {
  seq: number;
  at: number;
  stage: string;
  reason: string;
}

export interface Pipeline {
  /** Runs in the background until stop(); wakes on every append and when a timer is due. */
  start(): void;
  /** Looks for new events and timers now (appended or set by another thread or process). */
  wake(): void;
  stop(): Promise<void>;
  /** Processes until caught up with the log and with the timers due now. */
  drain(onProgress?: (status: PipelineStatus) => void): Promise<PipelineStatus>;
  /** Resolves once the event at this log position has been processed. */
  until(seq: number): Promise<void>;
  status(): Promise<PipelineStatus>;
  /** The log position processed so far, as seen in `db` (a transaction that holds the profiles lane sees it fixed). */
  position(db?: Kysely<object>): Promise<number>;
  /** Processes again from a position: events applied before are skipped, the others applied. */
  replayFrom(seq: number): Promise<PipelineStatus>;
  /** Tries the dead-lettered events again; those that now succeed leave the dead letters. */
  replayDeadLetters(): Promise<{ replayed: number; stillFailing: number }>;
  /** Dead-lettered events, oldest first, after a log position. */
  deadLetters(limit: number, after?: number): Promise<DeadLetter[]>;
  /** Events a stage dropped on purpose, oldest first, after a log position. */
  dropped(limit: number, after?: number): Promise<Dropped[]>;
  /** Deletes everything derived and processes the whole log again. */
  rebuild(onProgress?: (status: PipelineStatus) => void): Promise<PipelineStatus>;
}

export function createPipeline(deps: PipelineDeps & { log: EventLog; resettables: Resettable[] }): Pipeline {
  const relay = deps.sources && createOutboxRelay({ store: deps.store, log: deps.log, sourceId: deps.sources.derived, now: deps.clock.now });
  const consumer = createConsumer({ ...deps, outbox: relay });
  const tables = deps.store.db.withTables<PipelineTables>();
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let woken = false;
  let stopListening: (() => void) | undefined;

  /** One batch; when caught up, the derived events still waiting are relayed (and then processed: they join timelines). */
  async function step(): Promise<number> {
    const report = await consumer.runBatch();
    if (report.events > 0) deps.onProcessed?.();
    if (report.derived > 0) await relay?.derived(report.derived);
    if (report.events > 0 || !relay?.pending()) return report.events;
    return relay.relay();
  }

  async function drain(onProgress?: (status: PipelineStatus) => void): Promise<PipelineStatus> {
    await relay?.relay();
    for (;;) {
      if ((await step()) === 0) return consumer.status(running);
      if (onProgress) onProgress(await consumer.status(running));
    }
  }

  /** How long to sleep with nothing to do: until the next timer is due, or the poll interval. */
  async function idleMs(): Promise<number> {
    const due = await consumer.nextWake();
    const untilDue = due === null ? Infinity : due + SETTLE_MS - deps.clock.now();
    return Math.max(1, Math.min(deps.options.pollMs, untilDue));
  }

  async function runLoop(): Promise<void> {
    await relay?.relay().catch((error) => deps.logger?.error({ err: error }, 'pipeline could not relay the outbox; retrying'));
    while (running) {
      let sleepMs = deps.options.pollMs;
      // A wake that comes while a step runs is kept: the step may have read the log just before the append that woke it.
      woken = false;
      try {
        if ((await step()) > 0 || woken) {
          // Tracking calls come first: while another thread waits to write, processing steps back a little.
          if (deps.store.dialect.singleWriter && contended()) await new Promise((resolve) => setTimeout(resolve, deps.options.yieldMs));
          else await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        sleepMs = await idleMs();
      } catch (error) {
        deps.logger?.error({ err: error }, 'pipeline could not read the log; retrying');
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, sleepMs).unref?.();
      });
      wake = undefined;
    }
  }

  const contended = () => deps.lock?.contended() ?? false;

  return {
    start() {
      if (running) return;
      running = true;
      stopListening = deps.log.onAppend(() => {
        woken = true;
        wake?.();
      });
      loop = runLoop();
    },
    wake() {
      woken = true;
      wake?.();
    },
    async stop() {
      running = false;
      stopListening?.();
      wake?.();
      await loop;
    },
    drain,
    async until(seq) {
      while ((await consumer.position()).seq < seq) if ((await step()) === 0) return;
    },
    status: () => consumer.status(running),
    position: async (db) => (await consumer.position(db)).seq,
    deadLetters: (limit, after = 0) => tables.selectFrom('pipeline_dead_letters').selectAll().where('seq', '>', after).orderBy('seq').limit(limit).execute(),
    dropped: (limit, after = 0) => tables.selectFrom('pipeline_dropped').selectAll().where('seq', '>', after).orderBy('seq').limit(limit).execute(),
    async replayFrom(seq) {
      await consumer.setPosition(Math.max(0, seq - 1));
      return drain();
    },
    async replayDeadLetters() {
      const dead = await tables.selectFrom('pipeline_dead_letters').select(['seq', 'attempts']).orderBy('seq').execute();
      const events = await deps.log.get(dead.map((d) => d.seq));
      let replayed = 0;
      for (const event of events) {
        const attempts = (dead.find((d) => d.seq === event.seq)?.attempts ?? 0) + 1;
        const result = await consumer.exclusive(() => consumer.commitBatch([event], attempts, false)).catch(() => undefined);
        const outcome = result?.outcomes.get(event.seq);
        if (outcome?.kind === 'applied') replayed++;
      }
      await relay?.relay();
      const left = await tables
        .selectFrom('pipeline_dead_letters')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return { replayed, stillFailing: Number(left?.n ?? 0) };
    },
    async rebuild(onProgress) {
      if (deps.sources) await deps.log.eraseSource(deps.sources.derived);
      await consumer.exclusive(() =>
        deps.store.write(async (trx) => {
          const db = trx.withTables<PipelineTables>();
          await db.deleteFrom('pipeline_dropped').execute();
          await db.deleteFrom('pipeline_dead_letters').execute();
          await db.deleteFrom('pipeline_outbox').execute();
          for (const r of deps.resettables) await r.reset(trx);
        }, 'profiles'),
      );
      await consumer.setPosition(0, true);
      return drain(onProgress);
    },
  };
}
