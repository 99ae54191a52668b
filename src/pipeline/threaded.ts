/**
 * Runs the pipeline loop in a worker thread, so that processing uses another
 * core than the tracking API. Both threads take turns on writes through the
 * store's shared lock; everything but the loop still runs here. When the
 * worker dies, even while it holds the write lock, this thread gives up its
 * turn in the lock and starts a new worker.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { EventLog } from '../log/index.js';
import type { Metrics } from '../metrics.js';
import type { SharedLock } from '../store/index.js';
import type { Pipeline, PipelineStatus } from './index.js';

export interface WorkerOptions {
  url: URL;
  workerData: unknown;
  log: EventLog;
  metrics: Metrics;
  /** The locks shared with the worker; the worker takes `workerSlot` in each. */
  locks: SharedLock[];
  workerSlot: number;
  logger?: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  restartMs?: number;
}

/** Counter values the worker reports, so the server's /metrics shows the pipeline too. */
export interface CounterReport {
  type: 'counts';
  values: { labels: Record<string, string>; value: number }[];
}

export interface ThreadedPipeline extends Pipeline {
  /** Stops the worker thread abruptly, as a crash would (operations and tests); it is started again. */
  terminateWorker(): Promise<void>;
  /** How many times a worker thread has been started. */
  readonly starts: number;
}

export function runInWorker(local: Pipeline, options: WorkerOptions): ThreadedPipeline {
  let worker: Worker | undefined;
  let stopping = false;
  let starts = 0;
  let stopListening: (() => void) | undefined;
  const reported = new Map<string, number>();

  function record(report: CounterReport): void {
    for (const { labels, value } of report.values) {
      const key = JSON.stringify(labels);
      const delta = value - (reported.get(key) ?? 0);
      if (delta > 0) options.metrics.pipelineEvents.inc(labels as never, delta);
      reported.set(key, value);
    }
  }

  function spawn(): void {
    if (stopping) return;
    reported.clear();
    starts++;
    const current = new Worker(options.url, { workerData: options.workerData });
    worker = current;
    current.on('message', (message: CounterReport) => message?.type === 'counts' && record(message));
    current.on('error', (error) => options.logger?.error({ err: error }, 'pipeline worker failed'));
    current.on('exit', (code) => {
      // A worker that died holding the write lock (or waiting for it) must not stall the tracking API.
      for (const lock of options.locks) lock.abandon(options.workerSlot);
      if (worker === current) worker = undefined;
      if (!stopping) {
        options.logger?.warn({ code }, 'pipeline worker stopped; starting it again');
        setTimeout(spawn, options.restartMs ?? 1000).unref();
      }
    });
  }

  async function waitUntilCaughtUp(): Promise<PipelineStatus> {
    const target = (await local.status()).head;
    for (;;) {
      if (!worker) return local.drain();
      const status = await local.status();
      if (status.position >= target) return { ...status, running: true };
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  return {
    ...local,
    start() {
      stopping = false;
      spawn();
      stopListening = options.log.onAppend(() => worker?.postMessage('wake'));
    },
    wake() {
      worker?.postMessage('wake');
    },
    async stop() {
      stopping = true;
      stopListening?.();
      const current = worker;
      if (!current) return;
      const exited = once(current, 'exit');
      current.postMessage('stop');
      await exited;
    },
    drain: waitUntilCaughtUp,
    async until(seq) {
      while (worker && (await local.position()) < seq) await new Promise((resolve) => setTimeout(resolve, 5));
      if (!worker) await local.until(seq);
    },
    status: async () => ({ ...(await local.status()), running: worker !== undefined }),
    async terminateWorker() {
      await worker?.terminate();
    },
    get starts() {
      return starts;
    },
  };
}
