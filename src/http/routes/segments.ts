/** Segments: /api/segments. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TouchpointError } from '../../errors.js';
import type { IdentityReader } from '../../identity/index.js';
import { summarize, type ProfileReader } from '../../profiles/index.js';
import { ConditionSchema, validateCondition, type Condition, type SegmentRow, type Standing } from '../../standing/index.js';
import { IdParams, iso, isoOrNull, Loose, Nullable, typed } from '../api.js';
import { cursors, nextCursor } from '../cursor.js';
import { responses } from '../schemas.js';
import { membersCsv } from './members-csv.js';

const ConditionRef = Type.Unsafe<Condition>(Type.Ref(ConditionSchema));
const Identifiers = Type.Array(Type.Object({ kind: Type.String(), value: Type.String() }, { additionalProperties: false }), { maxItems: 100_000 });

const SegmentSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  kind: Type.Union([Type.Literal('dynamic'), Type.Literal('static')]),
  condition: Nullable(ConditionRef),
  size: Type.Integer(),
  status: Type.String({ description: 'counting (event conditions back-filling), evaluating (members back-filling), ready.' }),
  progress: Type.Number({ description: 'Share of the back-fill done, 0 to 1.' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  unmatched: Type.Optional(Type.Integer({ description: 'Static segments: identifiers that matched no profile.' })),
});

export interface SegmentRouteDeps {
  standing: Standing;
  profiles: ProfileReader;
  identity: IdentityReader;
}

/** Conditions are checked by the condition language itself, which names the JSON pointer of each problem. */
async function checkCondition(request: FastifyRequest): Promise<void> {
  const condition = (request.body as { condition?: unknown } | undefined)?.condition;
  if (condition === undefined) return;
  const problems = validateCondition(condition);
  if (problems.length > 0) throw new TouchpointError('TP_INVALID_CONDITION', `The condition is not valid: ${problems.join('; ')}.`);
}

export async function segmentRoutes(instance: FastifyInstance, deps: SegmentRouteDeps): Promise<void> {
  const app = typed(instance);
  const segments = deps.standing.segments;
  const present = async (row: SegmentRow) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    kind: row.kind,
    condition: row.condition ? (JSON.parse(row.condition) as Condition) : null,
    size: await segments.size(row.id),
    status: row.status,
    progress: row.status === 'ready' ? 1 : row.backfill_total === 0 ? 0 : Math.min(1, row.backfill_done / row.backfill_total),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  });

  app.get(
    '/api/segments',
    {
      schema: {
        tags: ['segments'],
        summary: 'List segments with their size and back-fill status',
        response: responses({ 200: Type.Object({ segments: Type.Array(SegmentSchema) }) }),
      },
    },
    async () => ({ segments: await Promise.all((await segments.list()).map(present)) }),
  );

  app.post(
    '/api/segments',
    {
      schema: {
        tags: ['segments'],
        summary: 'Create a segment: dynamic (condition) or static (identifiers); dynamic ones back-fill as a job',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            description: Type.Optional(Type.String({ maxLength: 2000 })),
            condition: Type.Optional(ConditionRef),
            identifiers: Type.Optional(Identifiers),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: SegmentSchema }),
      },
      preValidation: checkCondition,
    },
    async (request, reply) => {
      const body = request.body;
      if ((body.condition === undefined) === (body.identifiers === undefined)) {
        throw new TouchpointError('TP_VALIDATION', 'Give either condition (a dynamic segment) or identifiers (a static one).');
      }
      const { id, unmatched } = await segments.create(body);
      return reply.status(201).send({ ...(await present(await segments.find(id))), ...(unmatched !== undefined && { unmatched }) });
    },
  );

  app.post(
    '/api/segments/preview',
    {
      schema: {
        tags: ['segments'],
        summary: 'How many profiles a condition matches now, with a sample, before saving it',
        body: Type.Object({ condition: ConditionRef, sample: Type.Integer({ minimum: 0, maximum: 100, default: 10 }) }, { additionalProperties: false }),
        response: responses({ 200: Type.Object({ count: Type.Integer(), total: Type.Integer(), sample: Type.Array(Loose) }) }),
      },
      preValidation: checkCondition,
    },
    async (request) => {
      const result = await deps.standing.preview(request.body.condition, request.body.sample);
      const profiles = [];
      for (const id of result.sample) {
        const state = await deps.profiles.state(id);
        if (state) profiles.push(summarize(id, state));
      }
      return { count: result.count, total: result.total, sample: profiles };
    },
  );

  app.get(
    '/api/segments/:id',
    {
      schema: { tags: ['segments'], summary: 'One segment', params: IdParams('Segment id or name.'), response: responses({ 200: SegmentSchema }) },
    },
    async (request) => present(await segments.find(request.params.id)),
  );

  app.put(
    '/api/segments/:id',
    {
      schema: {
        tags: ['segments'],
        summary: 'Change a segment; a new condition back-fills (members who no longer match leave)',
        params: IdParams('Segment id or name.'),
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            description: Type.Optional(Type.String({ maxLength: 2000 })),
            condition: Type.Optional(ConditionRef),
            identifiers: Type.Optional(Identifiers),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: SegmentSchema }),
      },
      preValidation: checkCondition,
    },
    async (request) => present(await segments.update(request.params.id, request.body)),
  );

  app.delete(
    '/api/segments/:id',
    {
      schema: {
        tags: ['segments'],
        summary: 'Delete a segment (its back-fill job is cancelled)',
        params: IdParams('Segment id or name.'),
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await segments.remove(request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/segments/:id/members',
    {
      schema: {
        tags: ['segments'],
        summary: 'Members, a page at a time; ?format=csv streams all of them with their main identifiers',
        params: IdParams('Segment id or name.'),
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            after: Type.Optional(Type.String({ description: 'The "next" cursor of the previous page.' })),
            format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const segment = await segments.find(request.params.id);
      if (q.format === 'csv') {
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${segment.name.replace(/[^\w.-]+/g, '_')}.csv"`);
        const pages = {
          page: (after?: string) => segments.members(segment.id, 1000, after),
          identities: (ids: string[]) => deps.identity.identitiesOfMany(ids),
        };
        return reply.send(membersCsv(pages, (error) => request.log.error({ err: error, segment: segment.id }, 'segment CSV export failed')));
      }
      const after = q.after === undefined ? undefined : cursors.segmentMembers.decode(q.after, 'after').profileId;
      const members = await segments.members(segment.id, q.limit, after);
      const next = nextCursor(cursors.segmentMembers, members, q.limit, (m) => ({ profileId: m.profileId }));
      return { members: members.map((m) => ({ profileId: m.profileId, since: iso(m.since) })), next };
    },
  );

  app.get(
    '/api/segments/:id/sizes',
    {
      schema: {
        tags: ['segments'],
        summary: 'Daily size history',
        params: IdParams('Segment id or name.'),
        response: responses({ 200: Type.Object({ sizes: Type.Array(Type.Object({ day: Type.String(), size: Type.Integer() })) }) }),
      },
    },
    async (request) => ({ sizes: await segments.sizes(request.params.id) }),
  );

  app.get(
    '/api/segments/:id/changes',
    {
      schema: {
        tags: ['segments'],
        summary: 'Who entered and left, in order (the stream journeys trigger on); at is when it happened, recordedAt when it was recorded',
        params: IdParams('Segment id or name.'),
        querystring: Type.Object(
          {
            after: Type.Optional(Type.String({ description: 'The "next" cursor of the previous page; from the first change when absent.' })),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ changes: Type.Array(Loose), next: Nullable(Type.String()) }) }),
      },
    },
    async (request) => {
      const { after, limit } = request.query;
      const rows = await segments.changes(request.params.id, limit, after === undefined ? undefined : cursors.segmentChanges.decode(after, 'after').id);
      const changes = rows.map((r) => ({ ...r, at: iso(r.at), recordedAt: isoOrNull(r.recordedAt) }));
      return { changes, next: nextCursor(cursors.segmentChanges, rows, limit, (r) => ({ id: r.id })) };
    },
  );
}
