/** Computed trait definitions: /api/computed-traits. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { MESSAGE_TYPES } from '../../collect/index.js';
import type { Pipeline } from '../../pipeline/index.js';
import { AGGREGATIONS, FILTER_OPS, type ComputedTraits, type StoredTrait, type TraitDefinition } from '../../profiles/index.js';
import { responses } from '../schemas.js';

const Definition = Type.Object({
  name: Type.String({ description: 'How the trait appears on profiles, e.g. lifetimeValue.' }),
  aggregation: Type.Union(AGGREGATIONS.map((a) => Type.Literal(a))),
  eventType: Type.Union(MESSAGE_TYPES.map((t) => Type.Literal(t)), { default: 'track' }),
  event: Type.Optional(Type.String({ minLength: 1, description: 'Track event (or page/screen) name; all when absent.' })),
  property: Type.Optional(Type.String({ minLength: 1, description: 'Dotted path in properties; not needed for count.' })),
  windowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  where: Type.Array(Type.Object({
    property: Type.String({ minLength: 1 }),
    op: Type.Union(FILTER_OPS.map((o) => Type.Literal(o))),
    value: Type.Optional(Type.Unknown()),
  }, { additionalProperties: false }), { default: [] }),
}, { additionalProperties: false });

const Trait = Type.Composite([Definition, Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('backfilling'), Type.Literal('ready')]),
  progress: Type.Number({ description: 'Share of the back-fill done, 0 to 1.' }),
})]);

function present(t: StoredTrait) {
  const { id, createdAt, backfillUntil, backfillAt, ...definition } = t;
  return {
    ...definition, id, createdAt: new Date(createdAt).toISOString(),
    status: backfillAt >= backfillUntil ? 'ready' as const : 'backfilling' as const,
    progress: backfillUntil === 0 ? 1 : Math.min(1, backfillAt / backfillUntil),
  };
}

export async function computedTraitRoutes(app: FastifyInstance, deps: { computed: ComputedTraits; pipeline: Pipeline }): Promise<void> {
  const IdParams = Type.Object({ id: Type.String({ description: 'Id or name.' }) });
  app.get('/api/computed-traits', {
    schema: { tags: ['profiles'], summary: 'List computed traits', response: responses({ 200: Type.Object({ computedTraits: Type.Array(Trait) }) }) },
  }, async () => ({ computedTraits: (await deps.computed.list()).map(present) }));

  app.post('/api/computed-traits', {
    schema: {
      tags: ['profiles'], summary: 'Define a computed trait; past events are back-filled in the background', body: Definition,
      response: responses({ 201: Trait }),
    },
  }, async (request, reply) => reply.status(201).send(present(await deps.computed.create(request.body as TraitDefinition, deps.pipeline))));

  app.get('/api/computed-traits/:id', {
    schema: { tags: ['profiles'], summary: 'One computed trait and its back-fill progress', params: IdParams, response: responses({ 200: Trait }) },
  }, async (request) => present(await deps.computed.find((request.params as { id: string }).id)));

  app.delete('/api/computed-traits/:id', {
    schema: { tags: ['profiles'], summary: 'Delete a computed trait and its values', params: IdParams, response: responses({ 204: Type.Null() }) },
  }, async (request, reply) => {
    await deps.computed.remove((request.params as { id: string }).id, deps.pipeline);
    return reply.status(204).send();
  });
}
