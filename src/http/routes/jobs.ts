/** Background jobs (back-fills, re-evaluations): /api/jobs. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Job, Jobs } from '../../jobs/index.js';
import { TouchpointError } from '../../errors.js';
import { iso, isoOrNull, Loose, Nullable, typed } from '../api.js';
import { cursors, nextCursor } from '../cursor.js';
import { responses, StringEnum } from '../schemas.js';

const STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;

const JobSchema = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'segment-backfill, lifecycle-reevaluation, computed-trait-backfill.' }),
  subject: Type.String({ description: 'What the job works on: a segment id, a computed trait id, "model".' }),
  status: StringEnum(STATUSES),
  done: Type.Integer(),
  total: Type.Integer(),
  progress: Type.Number({ description: 'Share done, 0 to 1.' }),
  state: Loose,
  error: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
});

const present = (job: Job) => ({
  id: job.id,
  kind: job.kind,
  subject: job.subject,
  status: job.status,
  done: job.done,
  total: job.total,
  progress: job.status === 'done' ? 1 : job.total === 0 ? 0 : Math.min(1, job.done / job.total),
  state: job.state as Record<string, unknown>,
  error: job.error,
  createdAt: iso(job.createdAt),
  updatedAt: iso(job.updatedAt),
  finishedAt: isoOrNull(job.finishedAt),
});

export async function jobRoutes(instance: FastifyInstance, deps: { jobs: Jobs }): Promise<void> {
  const app = typed(instance);
  app.get(
    '/api/jobs',
    {
      schema: {
        tags: ['operations'],
        summary: 'Background jobs, newest first',
        querystring: Type.Object(
          {
            status: Type.Optional(StringEnum(STATUSES)),
            kind: Type.Optional(Type.String()),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            before: Type.Optional(Type.String({ description: 'The "next" cursor of the previous page.' })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ jobs: Type.Array(JobSchema), next: Nullable(Type.String()) }) }),
      },
    },
    async (request) => {
      const { before, ...filter } = request.query;
      const position = before === undefined ? undefined : cursors.jobs.decode(before, 'before').id;
      const jobs = await deps.jobs.list({ ...filter, before: position }).catch((error: unknown) => {
        // The cursor's job is the only one list() looks up: a cursor naming no job was not made by a page.
        if (error instanceof TouchpointError && error.code === 'TP_JOB_NOT_FOUND') throw cursors.jobs.refuse('before');
        throw error;
      });
      return { jobs: jobs.map(present), next: nextCursor(cursors.jobs, jobs, filter.limit, (j) => ({ id: j.id })) };
    },
  );

  app.get(
    '/api/jobs/:id',
    {
      schema: {
        tags: ['operations'],
        summary: 'One job, with its progress',
        params: Type.Object({ id: Type.String() }),
        response: responses({ 200: JobSchema }),
      },
    },
    async (request) => present(await deps.jobs.get(request.params.id)),
  );
}
