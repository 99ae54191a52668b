/**
 * The job runner: takes stored jobs one at a time, oldest first, and runs
 * their steps. A step writes its effects and the job's state in one
 * transaction, so a restart or a crash resumes where the last step ended. A
 * runner claims a job for a lease it renews with every step; a job whose
 * runner died is taken over when the lease runs out.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { TouchpointError } from '../errors.js';
import type { Ids } from '../ids.js';
import type { Store } from '../store/index.js';
import type { JobStatus, JobTables } from './tables.js';

export interface Job<S = unknown> {
  id: string;
  kind: string;
  subject: string;
  status: JobStatus;
  state: S;
  done: number;
  total: number;
  error: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface Progress<S> {
  state: S;
  done: number;
  total: number;
}

export interface StepContext<S> {
  readonly job: Job<S>;
  /** Saves the job's state and progress in the step's write transaction, with its effects. Throws when the job was cancelled meanwhile. */
  save(trx: Kysely<object>, progress: Progress<S>): Promise<void>;
}

/** more: call again; finished: done; waiting: call again a little later (it waits on something else). */
export type StepResult = 'more' | 'finished' | 'waiting';

export interface JobHandler<S> {
  readonly kind: string;
  step(ctx: StepContext<S>): Promise<StepResult>;
}

export interface JobsDeps {
  store: Store;
  clock: Clock;
  ids: Ids;
  logger?: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  leaseMs: number;
  pollMs?: number;
  maxAttempts?: number;
}

/** A step found its job cancelled (its subject deleted) or taken over: its transaction rolls back. */
export class JobLost extends Error {}

type Row = JobTables['jobs'];
const ACTIVE: JobStatus[] = ['queued', 'running'];
const WAIT_MS = 200;

export function toJob<S>(row: Row): Job<S> {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    status: row.status,
    state: JSON.parse(row.state) as S,
    done: row.done,
    total: row.total,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

export function createRunner(deps: JobsDeps, handlers: Map<string, JobHandler<unknown>>) {
  const table = (db: Kysely<object>) => db.withTables<JobTables>();
  const me = deps.ids.id('runner');
  const resting = new Map<string, number>();
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  /** Claims the oldest runnable job whose lease is free. */
  async function claim(): Promise<Row | undefined> {
    const now = deps.clock.now();
    const candidates = await table(deps.store.db)
      .selectFrom('jobs')
      .selectAll()
      .where('status', 'in', ACTIVE)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('claimed_by', '=', me)]))
      .orderBy('created_at')
      .orderBy('id')
      .limit(20)
      .execute();
    for (const row of candidates) {
      if ((resting.get(row.id) ?? 0) > performance.now() || !handlers.has(row.kind)) continue;
      const claimed = await deps.store.write((trx) =>
        table(trx)
          .updateTable('jobs')
          .set({ status: 'running', claimed_by: me, lease_until: now + deps.leaseMs, updated_at: now })
          .where('id', '=', row.id)
          .where('status', 'in', ACTIVE)
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('claimed_by', '=', me)]))
          .executeTakeFirst(),
      );
      if (Number(claimed.numUpdatedRows) === 1) return { ...row, status: 'running', claimed_by: me };
    }
    return undefined;
  }

  async function finish(id: string, status: JobStatus, error: string | null = null): Promise<void> {
    const now = deps.clock.now();
    await deps.store.write((trx) =>
      table(trx)
        .updateTable('jobs')
        .set({ status, error, finished_at: now, updated_at: now, claimed_by: null, lease_until: null })
        .where('id', '=', id)
        .where('status', 'in', ACTIVE)
        .execute(),
    );
  }

  async function release(id: string): Promise<void> {
    await deps.store.write((trx) =>
      table(trx).updateTable('jobs').set({ claimed_by: null, lease_until: null }).where('id', '=', id).where('claimed_by', '=', me).execute(),
    );
  }

  function context<S>(row: Row): StepContext<S> {
    const job = toJob<S>(row);
    return {
      job,
      async save(trx, progress) {
        const now = deps.clock.now();
        const result = await table(trx)
          .updateTable('jobs')
          .set({ state: JSON.stringify(progress.state), done: progress.done, total: progress.total, updated_at: now, lease_until: now + deps.leaseMs })
          .where('id', '=', job.id)
          .where('status', '=', 'running')
          .where('claimed_by', '=', me)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) throw new JobLost(`job ${job.id} was cancelled or taken over`);
        Object.assign(job, progress);
      },
    };
  }

  /** Runs one job's steps until it ends, waits, fails or the runner stops. */
  async function work(row: Row): Promise<void> {
    const handler = handlers.get(row.kind)!;
    const ctx = context(row);
    for (let failures = 0; running; ) {
      try {
        const result = await handler.step(ctx);
        if (result === 'finished') return finish(row.id, 'done');
        if (result === 'waiting') {
          resting.set(row.id, performance.now() + WAIT_MS);
          return;
        }
        // SQLite answers synchronously: without a turn of the event loop, steps would starve the HTTP server.
        await new Promise((resolve) => setImmediate(resolve));
      } catch (error) {
        if (error instanceof JobLost) return;
        if (++failures >= (deps.maxAttempts ?? 5)) {
          deps.logger?.error({ err: error, job: row.id, kind: row.kind }, 'job failed');
          return finish(row.id, 'failed', (error as Error).message.slice(0, 2000));
        }
        deps.logger?.warn({ err: error, job: row.id }, 'job step failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** failures));
      }
    }
    await release(row.id);
  }

  async function runLoop(): Promise<void> {
    while (running) {
      let row: Row | undefined;
      try {
        row = await claim();
        if (row) await work(row);
      } catch (error) {
        deps.logger?.error({ err: error }, 'job runner could not take a job; retrying');
      }
      if (row || !running) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, resting.size > 0 ? WAIT_MS : (deps.pollMs ?? 1000)).unref?.();
      });
      wake = undefined;
      for (const [id, until] of resting) if (until <= performance.now()) resting.delete(id);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    wake: () => wake?.(),
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}

export const notFound = (id: string) => new TouchpointError('TP_JOB_NOT_FOUND', `No job has the id ${JSON.stringify(id)}. List them with GET /api/jobs.`);
