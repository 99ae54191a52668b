/** Journeys: /api/journeys (definitions, versions, status, stats, enrolments). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  JOURNEY_STATUSES,
  JourneyDefinitionSchema,
  NO_TOTALS,
  type Enrolment,
  type Journey,
  type JourneyDefinition,
  type Journeys,
} from '../../journeys/index.js';
import { iso, isoOrNull, Loose, Nullable, typed } from '../api.js';
import { cursors, nextCursor } from '../cursor.js';
import { responses, StringEnum } from '../schemas.js';

const DefinitionRef = Type.Unsafe<JourneyDefinition>(Type.Ref(JourneyDefinitionSchema));
/** Checked by the journeys module, which names the JSON pointer of every problem (TP_INVALID_JOURNEY). */
const DefinitionInput = Type.Unknown({ description: 'A JourneyDefinition (see the schema of that name).' });

const JourneySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  status: StringEnum(JOURNEY_STATUSES),
  version: Type.Integer({ description: 'The version customers enter now.' }),
  liveSince: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  definition: DefinitionRef,
});

const TotalsSchema = Type.Object(
  {
    entered: Type.Integer(),
    active: Type.Integer({ description: 'In the journey now.' }),
    converted: Type.Integer({ description: 'Reached the goal.' }),
    value: Type.Number({ description: 'The conversions\u2019 value.' }),
  },
  { description: 'Every version together.' },
);
const JourneyListSchema = Type.Intersect([JourneySchema, Type.Object({ totals: TotalsSchema })]);

const present = (j: Journey) => ({
  id: j.id,
  name: j.name,
  description: j.description,
  status: j.status,
  version: j.version,
  liveSince: isoOrNull(j.liveSince),
  createdAt: iso(j.createdAt),
  updatedAt: iso(j.updatedAt),
  definition: j.definition,
});

const EnrolmentSchema = Type.Object({
  id: Type.String(),
  journeyId: Type.String(),
  version: Type.Integer(),
  profileId: Type.String(),
  key: Nullable(Type.String()),
  status: Type.String({ description: 'active, completed, exited or converted.' }),
  stepId: Nullable(Type.String()),
  waitingUntil: Nullable(Type.String({ format: 'date-time' })),
  waitingFor: Nullable(Loose),
  arm: Nullable(Type.String()),
  enteredAt: Type.String({ format: 'date-time' }),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  exitReason: Nullable(Type.String()),
});

const presentEnrolment = (e: Enrolment) => ({
  ...e,
  waitingFor: e.waitingFor as Record<string, unknown> | null,
  waitingUntil: isoOrNull(e.waitingUntil),
  enteredAt: iso(e.enteredAt),
  endedAt: isoOrNull(e.endedAt),
});

const Params = Type.Object({ id: Type.String({ description: 'Id or name.' }) });

export async function journeyRoutes(instance: FastifyInstance, deps: { journeys: Journeys }): Promise<void> {
  const app = typed(instance);
  const { journeys } = deps;

  app.get(
    '/api/journeys',
    {
      schema: {
        tags: ['journeys'],
        summary: 'List journeys, each with its totals: entered, in it now, converted and value',
        response: responses({ 200: Type.Object({ journeys: Type.Array(JourneyListSchema) }) }),
      },
    },
    async () => {
      const [list, totals] = await Promise.all([journeys.list(), journeys.totals()]);
      return { journeys: list.map((j) => ({ ...present(j), totals: totals.get(j.id) ?? NO_TOTALS })) };
    },
  );

  app.post(
    '/api/journeys',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Create a journey (a draft): its definition is checked, and what it refers to must exist',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
            definition: DefinitionInput,
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: JourneySchema }),
      },
    },
    async (request, reply) => reply.status(201).send(present(await journeys.create(request.body))),
  );

  app.get(
    '/api/journeys/:id',
    { schema: { tags: ['journeys'], summary: 'One journey with its current definition', params: Params, response: responses({ 200: JourneySchema }) } },
    async (request) => present(await journeys.get(request.params.id)),
  );

  app.put(
    '/api/journeys/:id',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Change a journey: a new definition makes a new version once the current one has been live (customers in it finish on theirs)',
        params: Params,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
            definition: Type.Optional(DefinitionInput),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: JourneySchema }),
      },
    },
    async (request) => present(await journeys.update(request.params.id, request.body)),
  );

  app.post(
    '/api/journeys/:id/status',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Make a journey live, pause or resume it, or archive it (customers still in it leave)',
        params: Params,
        body: Type.Object({ status: StringEnum(JOURNEY_STATUSES) }, { additionalProperties: false }),
        response: responses({ 200: JourneySchema }),
      },
    },
    async (request) => present(await journeys.setStatus(request.params.id, request.body.status)),
  );

  app.get(
    '/api/journeys/:id/stats',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Entered, where customers are now and have passed, messages sent and suppressed by reason, conversions and value, per split arm',
        params: Params,
        response: responses({ 200: Type.Object({ journey: Type.Object({ id: Type.String(), name: Type.String(), version: Type.Integer() }), stats: Loose }) }),
      },
    },
    async (request) => {
      const { journey, stats } = await journeys.stats(request.params.id);
      return { journey: { id: journey.id, name: journey.name, version: journey.version }, stats: stats as unknown as Record<string, unknown> };
    },
  );

  app.get(
    '/api/enrolments',
    {
      schema: {
        tags: ['journeys'],
        summary: "A customer's enrolments in every journey, newest first, with the journey's name",
        querystring: Type.Object(
          { profileId: Type.String({ minLength: 1 }), limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) },
          { additionalProperties: false },
        ),
        response: responses({
          200: Type.Object({ enrolments: Type.Array(Type.Composite([EnrolmentSchema, Type.Object({ journeyName: Type.String() })])) }),
        }),
      },
    },
    async (request) => ({
      enrolments: (await journeys.enrolmentsOf(request.query.profileId, request.query.limit)).map((e) => ({
        ...presentEnrolment(e),
        journeyName: e.journeyName,
      })),
    }),
  );

  app.get(
    '/api/journeys/:id/enrolments',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Customers who entered the journey, newest first, with where they are',
        params: Params,
        querystring: Type.Object(
          {
            status: Type.Optional(StringEnum(['active', 'completed', 'exited', 'converted'] as const)),
            profileId: Type.Optional(Type.String()),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            before: Type.Optional(Type.String({ description: 'The "next" cursor of the previous page.' })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ enrolments: Type.Array(EnrolmentSchema), next: Nullable(Type.String()) }) }),
      },
    },
    async (request) => {
      const q = request.query;
      const before = q.before === undefined ? undefined : cursors.enrolments.decode(q.before, 'before');
      const enrolments = await journeys.enrolments(request.params.id, { status: q.status, profileId: q.profileId, limit: q.limit, before });
      return {
        enrolments: enrolments.map(presentEnrolment),
        next: nextCursor(cursors.enrolments, enrolments, q.limit, (e) => ({ enteredAt: e.enteredAt, id: e.id })),
      };
    },
  );
}
