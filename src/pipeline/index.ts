/**
 * pipeline: the consumer that runs each logged event through the stages
 * (identity -> profile; later lifecycle, segments, journeys), with its
 * position committed together with the effects, retries with backoff, dead
 * letters, replay and rebuild. Stages are plain values given at wiring time.
 */
import { type EventLog } from '../log/index.js';
import { createConsumer, type PipelineDeps, type PipelineStatus } from './consumer.js';
import { processEvent } from './process.js';
import type { PipelineTables } from './tables.js';

export type { PipelineEvent, Stage, StageContext, StageResult } from './stage.js';
export { ok, drop, deadLetter, cached } from './stage.js';
export type { PipelineOptions, PipelineStatus } from './consumer.js';
export { pipelineMigrations } from './tables.js';
export { createSharedLock, type SharedLock } from './lock.js';

/** Forgets events erased from the log (their applied marks and dead letters). */
export async function forgetEvents(db: import('kysely').Kysely<object>, seqs: number[]): Promise<void> {
  const tables = db.withTables<PipelineTables>();
  for (let i = 0; i < seqs.length; i += 500) {
    const chunk = seqs.slice(i, i + 500);
    await tables.deleteFrom('pipeline_applied').where('seq', 'in', chunk).execute();
    await tables.deleteFrom('pipeline_dead_letters').where('seq', 'in', chunk).execute();
  }
}

export interface Resettable {
  /** Deletes everything the stage derived from events (before a rebuild). */
  reset(db: import('kysely').Kysely<object>): Promise<void>;
}

export interface Pipeline {
  /** Runs in the background until stop(); wakes on every append. */
  start(): void;
  /** Looks for new events now (appended by another thread or process). */
  wake(): void;
  stop(): Promise<void>;
  /** Processes until caught up with the log. */
  drain(onProgress?: (status: PipelineStatus) => void): Promise<PipelineStatus>;
  status(): Promise<PipelineStatus>;
  /** Processes again from a position: events applied before are skipped, the others applied. */
  replayFrom(seq: number): Promise<PipelineStatus>;
  /** Tries the dead-lettered events again; those that now succeed leave the dead letters. */
  replayDeadLetters(): Promise<{ replayed: number; stillFailing: number }>;
  /** Dead-lettered events, oldest first, after a log position. */
  deadLetters(limit: number, after?: number): Promise<{ seq: number; at: number; stage: string; reason: string; attempts: number }[]>;
  /** Runs `work` while no batch is in flight, with the position reached. */
  paused<T>(work: (position: number) => Promise<T>): Promise<T>;
  /** Deletes everything derived and processes the whole log again. */
  rebuild(onProgress?: (status: PipelineStatus) => void): Promise<PipelineStatus>;
}

export function createPipeline(deps: PipelineDeps & { log: EventLog; resettables: Resettable[] }): Pipeline {
  const consumer = createConsumer(deps);
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let stopListening: (() => void) | undefined;

  async function drain(onProgress?: (status: PipelineStatus) => void): Promise<PipelineStatus> {
    for (;;) {
      const processed = await consumer.runBatch();
      if (processed === 0) return consumer.status(running);
      if (onProgress) onProgress(await consumer.status(running));
    }
  }

  async function runLoop(): Promise<void> {
    while (running) {
      try {
        if ((await consumer.runBatch()) > 0) {
          // Tracking calls come first: while appends wait for the store, processing steps back a little.
          if (deps.lock?.contended()) await new Promise((resolve) => setTimeout(resolve, deps.options.yieldMs));
          else await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
      } catch (error) {
        deps.logger?.error({ err: error }, 'pipeline could not read the log; retrying');
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, deps.options.pollMs).unref?.();
      });
      wake = undefined;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopListening = deps.log.onAppend(() => wake?.());
      loop = runLoop();
    },
    wake() {
      wake?.();
    },
    async stop() {
      running = false;
      stopListening?.();
      wake?.();
      await loop;
    },
    drain,
    status: () => consumer.status(running),
    paused: (work) => consumer.exclusive(async () => work(await consumer.position())),
    deadLetters: (limit, after = 0) => deps.store.db.withTables<PipelineTables>().selectFrom('pipeline_dead_letters').selectAll()
      .where('seq', '>', after).orderBy('seq').limit(limit).execute(),
    async replayFrom(seq) {
      await consumer.setPosition(Math.max(0, seq - 1));
      return drain();
    },
    async replayDeadLetters() {
      const db = deps.store.db.withTables<PipelineTables>();
      const dead = await db.selectFrom('pipeline_dead_letters').select(['seq', 'attempts']).orderBy('seq').execute();
      const events = await deps.log.get(dead.map((d) => d.seq));
      let replayed = 0;
      for (const event of events) {
        const attempts = (dead.find((d) => d.seq === event.seq)?.attempts ?? 0) + 1;
        const outcome = await consumer.exclusive(() =>
          deps.store.db.transaction().execute((trx) => processEvent(trx, deps.stages, event, attempts)).catch(() => undefined));
        if (outcome?.kind === 'applied' || outcome?.kind === 'skipped') replayed++;
      }
      const left = await db.selectFrom('pipeline_dead_letters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      return { replayed, stillFailing: Number(left?.n ?? 0) };
    },
    async rebuild(onProgress) {
      await consumer.exclusive(() => deps.store.db.transaction().execute(async (trx) => {
        const db = trx.withTables<PipelineTables>();
        await db.deleteFrom('pipeline_applied').execute();
        await db.deleteFrom('pipeline_dead_letters').execute();
        for (const r of deps.resettables) await r.reset(trx);
      }));
      await consumer.setPosition(0);
      return drain(onProgress);
    },
  };
}
