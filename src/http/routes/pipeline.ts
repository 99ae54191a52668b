/** Processing status, dead letters and identity hubs, for operators. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { iso, Loose, Nullable, typed } from '../api.js';
import { cursors, nextCursor } from '../cursor.js';
import type { IdentityReader } from '../../identity/index.js';
import type { Pipeline } from '../../pipeline/index.js';
import { responses } from '../schemas.js';

const Page = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    after: Type.Optional(Type.String({ description: 'The "next" cursor of the previous page; from the oldest when absent.' })),
  },
  { additionalProperties: false },
);

export async function pipelineRoutes(instance: FastifyInstance, deps: { pipeline: Pipeline; identity: IdentityReader }): Promise<void> {
  const app = typed(instance);
  app.get(
    '/api/pipeline',
    {
      schema: { tags: ['operations'], summary: 'Pipeline position, lag and dead-letter count', response: responses({ 200: Loose }) },
    },
    async () => deps.pipeline.status(),
  );

  app.get(
    '/api/pipeline/dead-letters',
    {
      schema: {
        tags: ['operations'],
        summary: 'Events the pipeline could not process, with the reason (replay them with touchpoint replay --dead-letters)',
        querystring: Page,
        response: responses({ 200: Type.Object({ deadLetters: Type.Array(Loose), next: Nullable(Type.String()) }) }),
      },
    },
    async (request) => {
      const { limit, after } = request.query;
      const rows = await deps.pipeline.deadLetters(limit, after === undefined ? undefined : cursors.deadLetters.decode(after, 'after').seq);
      return { deadLetters: rows.map((r) => ({ ...r, at: iso(r.at) })), next: nextCursor(cursors.deadLetters, rows, limit, (r) => ({ seq: r.seq })) };
    },
  );

  app.get(
    '/api/pipeline/dropped',
    {
      schema: {
        tags: ['operations'],
        summary: 'Events a stage dropped on purpose, with the reason (no identifier, erased identifier, hub identifiers only, profile gone)',
        querystring: Page,
        response: responses({ 200: Type.Object({ dropped: Type.Array(Loose), next: Nullable(Type.String()) }) }),
      },
    },
    async (request) => {
      const { limit, after } = request.query;
      const rows = await deps.pipeline.dropped(limit, after === undefined ? undefined : cursors.dropped.decode(after, 'after').seq);
      return { dropped: rows.map((r) => ({ ...r, at: iso(r.at) })), next: nextCursor(cursors.dropped, rows, limit, (r) => ({ seq: r.seq })) };
    },
  );

  app.get(
    '/api/identity/hubs',
    {
      schema: {
        tags: ['profiles'],
        summary: 'Identifiers that stopped linking profiles because too many profiles share them',
        response: responses({ 200: Type.Object({ hubs: Type.Array(Loose) }) }),
      },
    },
    async () => ({ hubs: (await deps.identity.hubs()).map((h) => ({ ...h, flaggedAt: iso(h.flaggedAt) })) }),
  );
}
