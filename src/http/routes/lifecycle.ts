/** The lifecycle model and stage statistics: /api/lifecycle. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TouchpointError } from '../../errors.js';
import { LifecycleModelSchema, type LifecycleModel, type Standing } from '../../standing/index.js';
import { typed } from '../api.js';
import { responses } from '../schemas.js';

const Model = Type.Unsafe<LifecycleModel>(Type.Ref(LifecycleModelSchema));

export async function lifecycleRoutes(instance: FastifyInstance, deps: { standing: Standing; now(): number }): Promise<void> {
  const app = typed(instance);
  const lifecycle = deps.standing.lifecycle;
  app.get(
    '/api/lifecycle',
    {
      schema: { tags: ['segments'], summary: 'The lifecycle stage model', response: responses({ 200: Model }) },
    },
    async () => lifecycle.model(),
  );

  app.put(
    '/api/lifecycle',
    {
      schema: {
        tags: ['segments'],
        summary: 'Replace the model (rename, add, remove stages, change conditions); every profile is re-evaluated by a job',
        body: Model,
        response: responses({ 200: Model }),
      },
      // The model is checked by the condition language itself, which names the JSON pointer of each problem.
      preValidation: async (request) => lifecycle.check(request.body),
    },
    async (request) => lifecycle.replaceModel(request.body),
  );

  app.get(
    '/api/lifecycle/distribution',
    {
      schema: {
        tags: ['segments'],
        summary: 'Profiles per stage at a moment in event time (default now)',
        querystring: Type.Object(
          { at: Type.Optional(Type.String({ description: 'ISO 8601 date or time; a date alone means the end of that day (UTC).' })) },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ at: Type.String(), stages: Type.Record(Type.String(), Type.Integer()) }) }),
      },
    },
    async (request) => {
      const { at } = request.query;
      const ms = at === undefined ? deps.now() : Date.parse(at);
      const dateOnly = at !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(at);
      // Date.parse takes 2026-02-30 for 2026-03-02: a day that does not exist is refused.
      if (!Number.isFinite(ms) || (dateOnly && new Date(ms).toISOString().slice(0, 10) !== at)) {
        throw new TouchpointError('TP_VALIDATION', 'at must be an ISO 8601 date such as 2026-11-23 or 2026-11-23T12:00:00Z (a day that exists).');
      }
      const moment = dateOnly ? ms + 86_400_000 - 1 : ms;
      return { at: new Date(moment).toISOString(), stages: await lifecycle.distribution(moment) };
    },
  );
}
