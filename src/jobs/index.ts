/**
 * jobs: background work stored in the store, with status and progress:
 * back-fills of segments and computed traits, lifecycle re-evaluation, and
 * later scheduled sends. A job is resumed after a restart (even after a
 * SIGKILL) where its last step ended, and cancelled when its subject goes.
 * Modules register a handler per kind; one runner per process runs them.
 */
import type { Kysely } from 'kysely';
import { TouchpointError } from '../errors.js';
import { createRunner, notFound, toJob, type Job, type JobHandler, type JobsDeps } from './runner.js';
import type { JobStatus, JobTables } from './tables.js';

export { jobMigrations, type JobStatus } from './tables.js';
export { JobLost, type Job, type JobHandler, type Progress, type StepContext, type StepResult } from './runner.js';

export interface JobFilter {
  status?: JobStatus;
  kind?: string;
  /** Cursor: jobs created before this job. */
  before?: string;
  limit: number;
}

export function createJobs(deps: JobsDeps) {
  const handlers = new Map<string, JobHandler<unknown>>();
  const runner = createRunner(deps, handlers);
  const table = (db: Kysely<object>) => db.withTables<JobTables>();

  async function cancel(kind: string, subject: string, trx?: Kysely<object>): Promise<number> {
    const now = deps.clock.now();
    const run = (db: Kysely<object>) =>
      table(db)
        .updateTable('jobs')
        .set({ status: 'cancelled', finished_at: now, updated_at: now, claimed_by: null, lease_until: null })
        .where('kind', '=', kind)
        .where('subject', '=', subject)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
    const result = trx ? await run(trx) : await deps.store.write(run);
    return Number(result.numUpdatedRows);
  }

  return {
    register<S>(handler: JobHandler<S>): void {
      handlers.set(handler.kind, handler as JobHandler<unknown>);
    },
    /** Queues a job; an active job of the same kind and subject is cancelled (the new one supersedes it). */
    async enqueue<S>(kind: string, subject: string, state: S, trx?: Kysely<object>): Promise<Job<S>> {
      const now = deps.clock.now();
      const row = {
        id: deps.ids.id('job'),
        kind,
        subject,
        status: 'queued' as const,
        state: JSON.stringify(state),
        done: 0,
        total: 0,
        error: null,
        attempts: 0,
        claimed_by: null,
        lease_until: null,
        created_at: now,
        updated_at: now,
        finished_at: null,
      };
      const insert = async (db: Kysely<object>) => {
        await cancel(kind, subject, db);
        await table(db).insertInto('jobs').values(row).execute();
      };
      if (trx) await insert(trx);
      else await deps.store.write(insert);
      runner.wake();
      return toJob<S>(row);
    },
    cancel,
    /** Whether a job of this kind and subject is queued or running. */
    async activeIn(db: Kysely<object>, kind: string, subject: string): Promise<boolean> {
      const row = await table(db)
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', kind)
        .where('subject', '=', subject)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
      return row !== undefined;
    },
    async get(id: string): Promise<Job> {
      const row = await table(deps.store.db).selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound(id);
      return toJob(row);
    },
    /** The newest job of a kind and subject. */
    async latest(kind: string, subject: string): Promise<Job | undefined> {
      const row = await table(deps.store.db)
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', kind)
        .where('subject', '=', subject)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && toJob(row);
    },
    /** Newest first. */
    async list(filter: JobFilter): Promise<Job[]> {
      if (filter.kind !== undefined && !handlers.has(filter.kind)) {
        throw new TouchpointError('TP_VALIDATION', `querystring/kind must be one of ${[...handlers.keys()].join(', ')}.`);
      }
      let query = table(deps.store.db).selectFrom('jobs').selectAll();
      if (filter.status) query = query.where('status', '=', filter.status);
      if (filter.kind) query = query.where('kind', '=', filter.kind);
      if (filter.before) {
        const cursor = await table(deps.store.db).selectFrom('jobs').select(['created_at', 'id']).where('id', '=', filter.before).executeTakeFirst();
        if (!cursor) throw notFound(filter.before);
        query = query.where((eb) =>
          eb.or([eb('created_at', '<', cursor.created_at), eb.and([eb('created_at', '=', cursor.created_at), eb('id', '<', cursor.id)])]),
        );
      }
      return (await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()).map((r) => toJob(r));
    },
    /** Resolves once no job is queued or running (tests, and commands that wait). */
    async settle(): Promise<void> {
      for (;;) {
        const active = await table(deps.store.db).selectFrom('jobs').select('id').where('status', 'in', ['queued', 'running']).limit(1).executeTakeFirst();
        if (!active) return;
        runner.wake();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    start: runner.start,
    stop: runner.stop,
    wake: runner.wake,
  };
}

export type Jobs = ReturnType<typeof createJobs>;
