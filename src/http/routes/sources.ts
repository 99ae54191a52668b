/** Management of sources and their write keys: /api/sources. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { iso, typed } from '../api.js';
import type { Source, SourceRejections, Sources } from '../../collect/index.js';
import type { EventLog } from '../../log/index.js';
import { TouchpointError } from '../../errors.js';
import { ChannelSchema, responses } from '../schemas.js';
import { presentSource } from '../../collect/index.js';

const SourceSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  channel: ChannelSchema,
  writeKeyHint: Type.String({ description: 'The first characters of the current write key.' }),
  createdAt: Type.String({ format: 'date-time' }),
  rotatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const SourceWithKeySchema = Type.Composite([SourceSchema, Type.Object({ writeKey: Type.String({ description: 'Shown this once; only its hash is kept.' }) })]);
const IdParams = Type.Object({ id: Type.String({ description: 'Source id or name.' }) });

const DAY = 86_400_000;

export interface SourceRouteDeps {
  sources: Sources;
  log: EventLog;
  rejections: SourceRejections;
  now(): number;
}

export async function sourceRoutes(instance: FastifyInstance, deps: SourceRouteDeps): Promise<void> {
  const app = typed(instance);
  app.post(
    '/api/sources',
    {
      schema: {
        tags: ['sources'],
        summary: 'Create a source; the response shows its write key once',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), channel: ChannelSchema }, { additionalProperties: false }),
        response: responses({ 201: SourceWithKeySchema }),
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (body.name.trim() === '') throw new TouchpointError('TP_VALIDATION', 'body/name must not be blank.');
      const created = await deps.sources.create(body);
      return reply.status(201).send({ ...present(created), writeKey: created.writeKey });
    },
  );

  app.get(
    '/api/sources',
    {
      schema: { tags: ['sources'], summary: 'List sources', response: responses({ 200: Type.Object({ sources: Type.Array(SourceSchema) }) }) },
    },
    async () => ({ sources: (await deps.sources.list()).map(present) }),
  );

  app.get(
    '/api/sources/volume',
    {
      schema: {
        tags: ['sources'],
        summary: 'Events each source sent per UTC day, by the time they were received, over the last `days` days (today included)',
        querystring: Type.Object({ days: Type.Integer({ minimum: 1, maximum: 366, default: 30 }) }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({
            days: Type.Array(Type.String({ description: 'UTC day, YYYY-MM-DD, oldest first.' })),
            sources: Type.Array(
              Type.Object({ id: Type.String(), name: Type.String(), channel: ChannelSchema, counts: Type.Array(Type.Integer()), total: Type.Integer() }),
            ),
          }),
        }),
      },
    },
    async (request) => {
      const today = Math.floor(deps.now() / DAY) * DAY;
      const edges = Array.from({ length: request.query.days + 1 }, (_, i) => today - (request.query.days - 1 - i) * DAY);
      const sources = await deps.sources.list();
      const counts = await deps.log.countBySource(
        edges,
        sources.map((x) => x.id),
      );
      return {
        days: edges.slice(0, -1).map((edge) => iso(edge).slice(0, 10)),
        sources: sources.map((x) => {
          const perDay = counts.get(x.id) ?? [];
          return { id: x.id, name: x.name, channel: x.channel, counts: perDay, total: perDay.reduce((a, b) => a + b, 0) };
        }),
      };
    },
  );

  app.get(
    '/api/sources/:id/rejections',
    {
      schema: {
        tags: ['sources'],
        summary: "The source's latest refused messages, newest first (the last 100 are kept)",
        params: IdParams,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({
            rejections: Type.Array(
              Type.Object({
                at: Type.String({ format: 'date-time' }),
                code: Type.String(),
                message: Type.String(),
                index: Type.Integer({ description: "The message's place in its batch." }),
              }),
            ),
          }),
        }),
      },
    },
    async (request) => {
      const source = await findOrThrow(deps.sources, request.params.id);
      const rejections = await deps.rejections.recent(source.id, request.query.limit);
      return { rejections: rejections.map((r) => ({ ...r, at: iso(r.at) })) };
    },
  );

  app.get(
    '/api/sources/:id',
    {
      schema: { tags: ['sources'], summary: 'One source', params: IdParams, response: responses({ 200: SourceSchema }) },
    },
    async (request) => present(await findOrThrow(deps.sources, request.params.id)),
  );

  app.post(
    '/api/sources/:id/rotate-key',
    {
      schema: {
        tags: ['sources'],
        summary: 'Replace the write key; the old one stops at once or after graceSeconds',
        params: IdParams,
        body: Type.Object({ graceSeconds: Type.Integer({ minimum: 0, maximum: 30 * 86400, default: 0 }) }, { additionalProperties: false }),
        response: responses({ 200: SourceWithKeySchema }),
      },
    },
    async (request) => {
      const rotated = await deps.sources.rotateKey(request.params.id, request.body.graceSeconds);
      return { ...present(rotated), writeKey: rotated.writeKey };
    },
  );
}

export async function findOrThrow(sources: Sources, idOrName: string): Promise<Source> {
  const source = await sources.find(idOrName);
  if (!source) throw new TouchpointError('TP_SOURCE_NOT_FOUND', `No source has the id or name ${JSON.stringify(idOrName)}. List them with GET /api/sources.`);
  return source;
}

/** As the CLI shows them too: times as ISO 8601. */
const present = presentSource;
