/** Computed trait definitions: /api/computed-traits. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { MESSAGE_TYPES } from '../../collect/index.js';
import { AGGREGATIONS, FILTER_OPS, type ComputedTraits, type StoredTrait, type TraitDefinition } from '../../profiles/index.js';
import { IdParams, iso, typed } from '../api.js';
import { responses, StringEnum } from '../schemas.js';

const Definition = Type.Object(
  {
    name: Type.String({ description: 'How the trait appears on profiles, e.g. lifetimeValue.' }),
    aggregation: StringEnum(AGGREGATIONS),
    eventType: StringEnum(MESSAGE_TYPES, { default: 'track' }),
    event: Type.Optional(Type.String({ minLength: 1, description: 'Track event (or page/screen) name; all when absent.' })),
    property: Type.Optional(Type.String({ minLength: 1, description: 'Dotted path in properties; not needed for count.' })),
    windowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    where: Type.Array(
      Type.Object(
        {
          property: Type.String({ minLength: 1 }),
          op: StringEnum(FILTER_OPS),
          value: Type.Optional(Type.Unknown()),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
  },
  { additionalProperties: false },
);

const Trait = Type.Composite([
  Definition,
  Type.Object({
    id: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    status: Type.Union([Type.Literal('backfilling'), Type.Literal('ready')]),
    progress: Type.Number({ description: 'Share of the back-fill done, 0 to 1.' }),
  }),
]);

function present(t: StoredTrait) {
  const { id, createdAt, backfillUntil, backfillAt, owner: _owner, ...definition } = t;
  return {
    ...definition,
    eventType: definition.eventType as (typeof MESSAGE_TYPES)[number],
    id,
    createdAt: iso(createdAt),
    status: backfillAt >= backfillUntil ? ('ready' as const) : ('backfilling' as const),
    progress: backfillUntil === 0 ? 1 : Math.min(1, backfillAt / backfillUntil),
  };
}

export async function computedTraitRoutes(instance: FastifyInstance, deps: { computed: ComputedTraits }): Promise<void> {
  const app = typed(instance);
  app.get(
    '/api/computed-traits',
    {
      schema: { tags: ['profiles'], summary: 'List computed traits', response: responses({ 200: Type.Object({ computedTraits: Type.Array(Trait) }) }) },
    },
    async () => ({ computedTraits: (await deps.computed.list()).map(present) }),
  );

  app.post(
    '/api/computed-traits',
    {
      schema: {
        tags: ['profiles'],
        summary: 'Define a computed trait; past events are back-filled by a job',
        body: Definition,
        response: responses({ 201: Trait }),
      },
    },
    async (request, reply) => reply.status(201).send(present(await deps.computed.create(request.body as TraitDefinition))),
  );

  app.get(
    '/api/computed-traits/:id',
    {
      schema: { tags: ['profiles'], summary: 'One computed trait and its back-fill progress', params: IdParams(), response: responses({ 200: Trait }) },
    },
    async (request) => present(await deps.computed.find(request.params.id)),
  );

  app.delete(
    '/api/computed-traits/:id',
    {
      schema: {
        tags: ['profiles'],
        summary: 'Delete a computed trait and its values (its back-fill job is cancelled)',
        params: IdParams(),
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await deps.computed.remove(request.params.id);
      return reply.status(204).send();
    },
  );
}
