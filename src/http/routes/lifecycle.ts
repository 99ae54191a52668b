/** The lifecycle model and stage statistics: /api/lifecycle. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TouchpointError } from '../../errors.js';
import type { Lifecycle, LifecycleModel } from '../../lifecycle/index.js';
import { responses } from '../schemas.js';

const Model = Type.Object({
  stages: Type.Array(Type.Object({
    name: Type.String(), description: Type.Optional(Type.String()), condition: Type.Object({}, { additionalProperties: true }),
  }, { additionalProperties: false }), { description: 'In priority order: a profile is in the first stage whose condition it meets.' }),
}, { additionalProperties: false });

export async function lifecycleRoutes(app: FastifyInstance, deps: { lifecycle: Lifecycle; now(): number }): Promise<void> {
  app.get('/api/lifecycle', {
    schema: { tags: ['segments'], summary: 'The lifecycle stage model', response: responses({ 200: Model }) },
  }, async () => deps.lifecycle.model());

  app.put('/api/lifecycle', {
    schema: { tags: ['segments'], summary: 'Replace the model (rename, add, remove stages, change conditions); every profile is re-evaluated', body: Model, response: responses({ 200: Model }) },
  }, async (request) => deps.lifecycle.replaceModel(request.body as LifecycleModel));

  app.get('/api/lifecycle/distribution', {
    schema: {
      tags: ['segments'], summary: 'Profiles per stage at a moment (default now)',
      querystring: Type.Object({ at: Type.Optional(Type.String({ description: 'ISO 8601 date or time.' })) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ at: Type.String(), stages: Type.Record(Type.String(), Type.Integer()) }) }),
    },
  }, async (request) => {
    const { at } = request.query as { at?: string };
    const ms = at === undefined ? deps.now() : Date.parse(at);
    if (!Number.isFinite(ms)) throw new TouchpointError('TP_VALIDATION', 'at must be an ISO 8601 date such as 2026-11-23 or 2026-11-23T12:00:00Z.');
    // A date alone means the end of that day.
    const moment = at !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(at) ? ms + 86_400_000 - 1 : ms;
    return { at: new Date(moment).toISOString(), stages: await deps.lifecycle.distribution(moment) };
  });
}
