/** Segments: /api/segments. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TouchpointError } from '../../errors.js';
import type { IdentityReader, KindSpec } from '../../identity/index.js';
import { summarize, type ProfileReader } from '../../profiles/index.js';
import type { SegmentInput, SegmentService } from '../../segments/index.js';
import { responses } from '../schemas.js';
import { membersCsv } from './members-csv.js';

const Loose = Type.Object({}, { additionalProperties: true });
const Condition = Type.Object({}, { additionalProperties: true, description: 'A condition of the segment language (docs/segments.md).' });
const Identifiers = Type.Array(Type.Object({ kind: Type.String(), value: Type.String() }, { additionalProperties: false }), { maxItems: 100_000 });
const IdParams = Type.Object({ id: Type.String({ description: 'Segment id or name.' }) });

export interface SegmentRouteDeps { segments: SegmentService; profiles: ProfileReader; identity: IdentityReader; kinds: KindSpec[] }

export async function segmentRoutes(app: FastifyInstance, deps: SegmentRouteDeps): Promise<void> {
  const present = async (row: Awaited<ReturnType<SegmentService['find']>>) => ({
    id: row.id, name: row.name, description: row.description, kind: row.kind,
    condition: row.condition ? JSON.parse(row.condition) : null,
    size: await deps.segments.size(row.id),
    status: row.status, progress: row.status === 'ready' ? 1 : row.backfill_total === 0 ? 0 : row.backfill_done / row.backfill_total,
    createdAt: new Date(row.created_at).toISOString(), updatedAt: new Date(row.updated_at).toISOString(),
  });

  app.get('/api/segments', {
    schema: { tags: ['segments'], summary: 'List segments with their size and back-fill status', response: responses({ 200: Type.Object({ segments: Type.Array(Loose) }) }) },
  }, async () => ({ segments: await Promise.all((await deps.segments.list()).map(present)) }));

  app.post('/api/segments', {
    schema: {
      tags: ['segments'], summary: 'Create a segment: dynamic (condition) or static (identifiers); dynamic ones back-fill in the background',
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 200 }), description: Type.Optional(Type.String({ maxLength: 2000 })),
        condition: Type.Optional(Condition), identifiers: Type.Optional(Identifiers),
      }, { additionalProperties: false }),
      response: responses({ 201: Loose }),
    },
  }, async (request, reply) => {
    const body = request.body as SegmentInput;
    if ((body.condition === undefined) === (body.identifiers === undefined)) {
      throw new TouchpointError('TP_VALIDATION', 'Give either condition (a dynamic segment) or identifiers (a static one).');
    }
    checkKinds(deps.kinds, body.identifiers);
    const { id, unmatched } = await deps.segments.create(body);
    return reply.status(201).send({ ...(await present(await deps.segments.find(id))), ...(unmatched !== undefined && { unmatched }) });
  });

  app.post('/api/segments/preview', {
    schema: {
      tags: ['segments'], summary: 'How many profiles a condition matches now, with a sample, before saving it',
      body: Type.Object({ condition: Condition, sample: Type.Integer({ minimum: 0, maximum: 100, default: 10 }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ count: Type.Integer(), total: Type.Integer(), sample: Type.Array(Loose) }) }),
    },
  }, async (request) => {
    const { condition, sample } = request.body as { condition: unknown; sample: number };
    const result = await deps.segments.preview(condition, sample);
    const profiles = [];
    for (const id of result.sample) {
      const state = await deps.profiles.state(id);
      if (state) profiles.push(summarize(id, state));
    }
    return { count: result.count, total: result.total, sample: profiles };
  });

  app.get('/api/segments/:id', {
    schema: { tags: ['segments'], summary: 'One segment', params: IdParams, response: responses({ 200: Loose }) },
  }, async (request) => present(await deps.segments.find((request.params as { id: string }).id)));

  app.put('/api/segments/:id', {
    schema: {
      tags: ['segments'], summary: 'Change a segment; a new condition back-fills (members who no longer match leave)', params: IdParams,
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), description: Type.Optional(Type.String({ maxLength: 2000 })),
        condition: Type.Optional(Condition), identifiers: Type.Optional(Identifiers),
      }, { additionalProperties: false }),
      response: responses({ 200: Loose }),
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const body = request.body as Partial<SegmentInput>;
    checkKinds(deps.kinds, body.identifiers);
    await deps.segments.update(id, body);
    return present(await deps.segments.find(body.name ?? id));
  });

  app.delete('/api/segments/:id', {
    schema: { tags: ['segments'], summary: 'Delete a segment', params: IdParams, response: responses({ 204: Type.Null() }) },
  }, async (request, reply) => {
    await deps.segments.remove((request.params as { id: string }).id);
    return reply.status(204).send();
  });

  app.get('/api/segments/:id/members', {
    schema: {
      tags: ['segments'], summary: 'Members, a page at a time; ?format=csv streams all of them with their main identifiers', params: IdParams,
      querystring: Type.Object({
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), after: Type.Optional(Type.String()),
        format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
      }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const q = request.query as { limit: number; after?: string; format: 'json' | 'csv' };
    const segment = await deps.segments.find(id);
    if (q.format === 'csv') {
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${segment.name.replace(/[^\w.-]+/g, '_')}.csv"`);
      const pages = {
        page: (after?: string) => deps.segments.members(segment.id, 1000, after),
        identities: (ids: string[]) => deps.identity.identitiesOfMany(ids),
      };
      return reply.send(membersCsv(pages, (error) => request.log.error({ err: error, segment: segment.id }, 'segment CSV export failed')));
    }
    const members = await deps.segments.members(segment.id, q.limit, q.after);
    const last = members[members.length - 1];
    return { members: members.map((m) => ({ profileId: m.profileId, since: new Date(m.since).toISOString() })), next: members.length === q.limit && last ? last.profileId : null };
  });

  app.get('/api/segments/:id/sizes', {
    schema: { tags: ['segments'], summary: 'Daily size history', params: IdParams, response: responses({ 200: Type.Object({ sizes: Type.Array(Loose) }) }) },
  }, async (request) => ({ sizes: await deps.segments.sizes((request.params as { id: string }).id) }));

  app.get('/api/segments/:id/changes', {
    schema: {
      tags: ['segments'], summary: 'Who entered and left, in order (the stream journeys trigger on)', params: IdParams,
      querystring: Type.Object({ after: Type.Integer({ minimum: 0, default: 0 }), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ changes: Type.Array(Loose), next: Type.Union([Type.Integer(), Type.Null()]) }) }),
    },
  }, async (request) => {
    const { after, limit } = request.query as { after: number; limit: number };
    const rows = await deps.segments.changes((request.params as { id: string }).id, limit, after);
    const changes = rows.map((r) => ({ id: r.id, profileId: r.profile_id, change: r.change, at: new Date(r.at).toISOString(), trigger: r.trigger, seq: r.seq }));
    return { changes, next: rows.length === limit ? rows[rows.length - 1]!.id : null };
  });
}

/** An identifier of a kind that does not exist would only be counted as unmatched: refuse it, as /api/profiles/lookup does. */
function checkKinds(kinds: KindSpec[], identifiers: SegmentInput['identifiers'] = []): void {
  const known = new Set(kinds.map((k) => k.kind));
  const unknown = identifiers.flatMap((identifier, index) => (known.has(identifier.kind) ? [] : [{ index, kind: identifier.kind }]));
  const first = unknown[0];
  if (!first) return;
  const more = unknown.length > 1 ? ` (${unknown.length} identifiers have a kind that does not exist)` : '';
  throw new TouchpointError('TP_VALIDATION', `body/identifiers/${first.index}/kind ${JSON.stringify(first.kind)} is not an identifier kind; use one of ${[...known].join(', ')}${more}.`);
}
