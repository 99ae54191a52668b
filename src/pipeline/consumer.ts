/**
 * The pipeline consumer: reads the event log in order and runs each event
 * through the stages. A batch of events and the consumer position commit in
 * one transaction, so a crash neither skips nor repeats an effect. When a
 * batch fails, its events are retried one by one with backoff; an event that
 * keeps failing goes to the dead letters and the consumer moves on.
 */
import type { Clock } from '../clock.js';
import { loadPositions, savePosition, type EventLog, type LoggedEvent } from '../log/index.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/index.js';
import { processEvent, recordDeadLetter, type Outcome } from './process.js';
import type { SharedLock } from './lock.js';
import type { Stage } from './stage.js';
import type { PipelineTables } from './tables.js';

export const CONSUMER = 'pipeline';
/** The embedded pipeline reads every partition in log order, under this position key. */
const ALL_PARTITIONS = -1;

export interface PipelineOptions {
  batchSize: number;
  maxAttempts: number;
  backoffMs: number;
  pollMs: number;
  /** Pause between batches while the tracking API waits to commit (pipeline worker only). */
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
  stages: Stage[];
  clock: Clock;
  metrics: Metrics;
  logger?: Logger;
  options: PipelineOptions;
  sleep?: (ms: number) => Promise<void>;
  /** Shared with a pipeline worker thread, when there is one. */
  lock?: SharedLock;
}

export function createConsumer(deps: PipelineDeps) {
  const { store, log, stages, options } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let queue: Promise<unknown> = Promise.resolve();
  const locked = async <T>(work: () => Promise<T>): Promise<T> => {
    if (!deps.lock) return work();
    await deps.lock.acquire();
    try {
      return await work();
    } finally {
      deps.lock.release();
    }
  };
  /** One batch at a time, whoever asks (the loop, drain, replay; another thread through the shared lock). */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(() => locked(work), () => locked(work));
    queue = next.catch(() => undefined);
    return next;
  };

  const position = async () => (await loadPositions(store.db, CONSUMER)).get(ALL_PARTITIONS) ?? 0;

  const count = (outcome: Outcome) => {
    deps.metrics.pipelineEvents.inc({ outcome: outcome.kind, stage: 'stage' in outcome ? outcome.stage : '' });
  };

  async function runBatch(): Promise<number> {
    const events = await log.readAll(await position(), options.batchSize);
    if (events.length === 0) return 0;
    try {
      const outcomes = await store.db.transaction().execute(async (trx) => {
        const results: Outcome[] = [];
        const cache = new Map<string, unknown>();
        for (const event of events) results.push(await processEvent(trx, stages, event, 1, cache));
        await savePosition(trx, CONSUMER, ALL_PARTITIONS, events[events.length - 1]!.seq);
        return results;
      });
      outcomes.forEach(count);
    } catch (error) {
      deps.logger?.warn({ err: error, from: events[0]!.seq }, 'pipeline batch failed; retrying its events one by one');
      for (const event of events) await runOneWithRetries(event);
    }
    return events.length;
  }

  async function runOneWithRetries(event: LoggedEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await store.db.transaction().execute(async (trx) => {
          const result = await processEvent(trx, stages, event, attempt);
          await savePosition(trx, CONSUMER, ALL_PARTITIONS, event.seq);
          return result;
        });
        count(outcome);
        return;
      } catch (error) {
        if (attempt >= options.maxAttempts) {
          deps.logger?.error({ err: error, seq: event.seq }, 'pipeline event failed every attempt: dead-lettered');
          await store.db.transaction().execute(async (trx) => {
            await recordDeadLetter(trx, event.seq, 'pipeline', `failed ${attempt} times: ${(error as Error).message}`, attempt, deps.clock.now());
            await savePosition(trx, CONSUMER, ALL_PARTITIONS, event.seq);
          });
          count({ kind: 'dead_letter', stage: 'pipeline', reason: 'error' });
          return;
        }
        await sleep(options.backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  async function status(running: boolean): Promise<PipelineStatus> {
    const [at, head] = await Promise.all([position(), log.head()]);
    const next = at < head ? (await log.readAll(at, 1))[0] : undefined;
    const dead = await store.db.withTables<PipelineTables>().selectFrom('pipeline_dead_letters')
      .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const lagSeconds = next ? Math.max(0, (deps.clock.now() - next.receivedAt) / 1000) : 0;
    deps.metrics.pipelineLagEvents.set(head - at);
    deps.metrics.pipelineLagSeconds.set(lagSeconds);
    return { position: at, head, lagEvents: head - at, lagSeconds, deadLetters: Number(dead?.n ?? 0), running };
  }

  return {
    runBatch: () => exclusive(runBatch),
    status,
    position,
    setPosition: (seq: number) => exclusive(() => savePosition(store.db, CONSUMER, ALL_PARTITIONS, seq)),
    exclusive,
  };
}

export type Consumer = ReturnType<typeof createConsumer>;
