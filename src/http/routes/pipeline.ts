/** Processing status, dead letters and identity hubs, for operators. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { iso, Loose, Nullable, typed } from '../api.js';
import type { IdentityReader } from '../../identity/index.js';
import type { Pipeline } from '../../pipeline/index.js';
import { responses } from '../schemas.js';


export async function pipelineRoutes(instance: FastifyInstance, deps: { pipeline: Pipeline; identity: IdentityReader }): Promise<void> {
  const app = typed(instance);
  app.get('/api/pipeline', {
    schema: { tags: ['operations'], summary: 'Pipeline position, lag and dead-letter count', response: responses({ 200: Loose }) },
  }, async () => deps.pipeline.status());

  app.get('/api/pipeline/dead-letters', {
    schema: {
      tags: ['operations'], summary: 'Events the pipeline could not process, with the reason (replay them with touchpoint replay --dead-letters)',
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), after: Type.Integer({ minimum: 0, default: 0 }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ deadLetters: Type.Array(Loose), next: Type.Union([Type.Integer(), Type.Null()]) }) }),
    },
  }, async (request) => {
    const { limit, after } = request.query;
    const rows = await deps.pipeline.deadLetters(limit, after);
    return { deadLetters: rows.map((r) => ({ ...r, at: iso(r.at) })), next: rows.length === limit ? rows[rows.length - 1]!.seq : null };
  });

  app.get('/api/pipeline/dropped', {
    schema: {
      tags: ['operations'], summary: 'Events a stage dropped on purpose, with the reason (no identifier, erased identifier, hub identifiers only, profile gone)',
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), after: Type.Integer({ minimum: 0, default: 0 }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ dropped: Type.Array(Loose), next: Nullable(Type.Integer()) }) }),
    },
  }, async (request) => {
    const { limit, after } = request.query;
    const rows = await deps.pipeline.dropped(limit, after);
    return { dropped: rows.map((r) => ({ ...r, at: iso(r.at) })), next: rows.length === limit ? rows[rows.length - 1]!.seq : null };
  });

  app.get('/api/identity/hubs', {
    schema: { tags: ['profiles'], summary: 'Identifiers that stopped linking profiles because too many profiles share them', response: responses({ 200: Type.Object({ hubs: Type.Array(Loose) }) }) },
  }, async () => ({ hubs: (await deps.identity.hubs()).map((h) => ({ ...h, flaggedAt: iso(h.flaggedAt) })) }));
}
