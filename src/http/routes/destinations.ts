/** Destinations (audience sync to ad and social platforms): /api/destinations. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { BATCH_SIZE, HASHING_RULES, IDENTIFIER_KINDS, KINDS, type Destination, type Destinations, type DestinationStatus } from '../../destinations/index.js';
import { IdParams, iso, isoOrNull, Nullable, typed } from '../api.js';
import { responses, StringEnum } from '../schemas.js';

export interface DestinationRouteDeps {
  destinations: Destinations;
}

const STATES = ['backfilling', 'active', 'paused'] as const;
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Url = Type.String({ maxLength: 2000, description: 'http or https; where webhook batches are POSTed.' });
const Secret = Type.String({ maxLength: 200, description: 'Standard Webhooks secret: whsec_ and base64 of 24 to 64 bytes. Made when left out.' });
const BatchSize = Type.Integer({
  minimum: BATCH_SIZE.min,
  maximum: BATCH_SIZE.max,
  description: `Profiles per batch at most (default ${BATCH_SIZE.default}).`,
});
const Identifiers = Type.Array(StringEnum(IDENTIFIER_KINDS), { minItems: 1, uniqueItems: true, description: 'Identifiers sent (default both).' });
const Hashing = StringEnum(HASHING_RULES, {
  description: 'Whose normalisation the hashes follow: google (Customer Match) or meta (Custom Audiences); default google.',
});

const DestinationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  segment: Type.Object({ id: Type.String(), name: Type.String(), deleted: Type.Boolean() }),
  kind: StringEnum(KINDS),
  url: Nullable(Type.String()),
  secretHint: Nullable(Type.String({ description: 'The secret’s last 4 characters; the secret itself is shown once, when it is made.' })),
  batchSize: Type.Integer(),
  identifiers: Type.Array(StringEnum(IDENTIFIER_KINDS)),
  hashing: StringEnum(HASHING_RULES),
  status: StringEnum(STATES),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const StatusSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: StringEnum(STATES),
  members: Type.Integer({ description: 'Profiles the platform was told to add and not yet to remove.' }),
  added: Type.Integer({ description: 'Profiles added by batches the receiver took.' }),
  removed: Type.Integer({ description: 'Profiles removed by batches the receiver took.' }),
  skipped: Type.Integer({ description: 'Profiles that entered with no email or phone to send.' }),
  pendingBatches: Type.Integer(),
  sentBatches: Type.Integer(),
  deadBatches: Type.Integer(),
  lastError: Nullable(Type.String()),
  lastErrorAt: Nullable(Type.String({ format: 'date-time' })),
  lastSyncAt: Nullable(Type.String({ format: 'date-time' })),
  position: Type.Integer({ description: 'The segment change stream position consumed up to.' }),
});

const present = (d: Destination) => ({ ...d, createdAt: iso(d.createdAt), updatedAt: iso(d.updatedAt) });
const presentStatus = (s: DestinationStatus) => ({ ...s, lastErrorAt: isoOrNull(s.lastErrorAt), lastSyncAt: isoOrNull(s.lastSyncAt) });
const Params = IdParams('Destination id or name.');

export async function destinationRoutes(instance: FastifyInstance, deps: DestinationRouteDeps): Promise<void> {
  const app = typed(instance);
  const { destinations } = deps;

  app.get(
    '/api/destinations',
    {
      schema: {
        tags: ['destinations'],
        summary: 'List destinations',
        response: responses({ 200: Type.Object({ destinations: Type.Array(DestinationSchema) }) }),
      },
    },
    async () => ({ destinations: (await destinations.list()).map(present) }),
  );

  app.post(
    '/api/destinations',
    {
      schema: {
        tags: ['destinations'],
        summary: "Create a destination; a webhook one first adds the segment's current members, then follows its entries and exits",
        body: Type.Object(
          {
            name: Name,
            segment: Type.String({ minLength: 1, description: 'Segment id or name.' }),
            kind: Type.Optional(StringEnum(KINDS, { description: 'webhook (default): batches pushed; csv: downloaded.' })),
            url: Type.Optional(Url),
            secret: Type.Optional(Secret),
            batchSize: Type.Optional(BatchSize),
            identifiers: Type.Optional(Identifiers),
            hashing: Type.Optional(Hashing),
          },
          { additionalProperties: false },
        ),
        response: responses({
          201: Type.Composite([
            DestinationSchema,
            Type.Object({ secret: Type.Optional(Type.String({ description: 'Only when Touchpoint made it: keep it now.' })) }),
          ]),
        }),
      },
    },
    async (request, reply) => {
      const { destination, secret } = await destinations.create(request.body);
      return reply.status(201).send({ ...present(destination), ...(secret !== undefined && { secret }) });
    },
  );

  app.get(
    '/api/destinations/:id',
    { schema: { tags: ['destinations'], summary: 'One destination', params: Params, response: responses({ 200: DestinationSchema }) } },
    async (request) => present(await destinations.get(request.params.id)),
  );

  app.put(
    '/api/destinations/:id',
    {
      schema: {
        tags: ['destinations'],
        summary: 'Change a destination’s settings, or pause and resume it; its segment and kind stay',
        params: Params,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            url: Type.Optional(Url),
            secret: Type.Optional(Secret),
            batchSize: Type.Optional(BatchSize),
            identifiers: Type.Optional(Identifiers),
            hashing: Type.Optional(Hashing),
            status: Type.Optional(StringEnum(['active', 'paused'] as const)),
            segment: Type.Optional(Type.String({ description: 'Accepted only unchanged.' })),
            kind: Type.Optional(Type.String({ description: 'Accepted only unchanged.' })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: DestinationSchema }),
      },
    },
    async (request) => present(await destinations.update(request.params.id, request.body)),
  );

  app.delete(
    '/api/destinations/:id',
    {
      schema: {
        tags: ['destinations'],
        summary: 'Delete a destination and its queue (nothing is sent: the platform’s audience stays as it is)',
        params: Params,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await destinations.remove(request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/destinations/:id/status',
    { schema: { tags: ['destinations'], summary: 'Sync status and counts', params: Params, response: responses({ 200: StatusSchema }) } },
    async (request) => presentStatus(await destinations.status(request.params.id)),
  );

  app.get(
    '/api/destinations/:id/export.csv',
    { schema: { tags: ['destinations'], summary: 'The segment’s current members, hashed, as a CSV file to upload', params: Params } },
    async (request, reply) => {
      const id = request.params.id;
      const { filename, stream } = await destinations.exportCsv(id, (error) =>
        request.log.error({ err: error, destination: id }, 'destination CSV export failed'),
      );
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(stream);
    },
  );
}
