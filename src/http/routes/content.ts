/** The content library: /api/content. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  assertContentShape,
  CONTENT_CHANNELS,
  ContentInputSchema,
  VariantsSchema,
  type Content,
  type ContentInput,
  type ContentItem,
} from '../../content/index.js';
import { IdParams, iso, Nullable, typed } from '../api.js';
import { cursors, nextCursor } from '../cursor.js';
import { ErrorSchema, responses, StringEnum } from '../schemas.js';

const ContentInputRef = Type.Unsafe<ContentInput>(Type.Ref(ContentInputSchema));
const Params = IdParams('Content item id or name.');
const stamps = { createdAt: Type.String({ format: 'date-time' }), updatedAt: Type.String({ format: 'date-time' }) };

const ContentItemSchema = Type.Object({ id: Type.String(), name: Type.String(), description: Nullable(Type.String()), variants: VariantsSchema, ...stamps });

const ContentSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  channels: Type.Array(StringEnum(CONTENT_CHANNELS), { description: 'The channels it has a variant for.' }),
  ...stamps,
});

const present = (item: ContentItem) => ({ ...item, createdAt: iso(item.createdAt), updatedAt: iso(item.updatedAt) });

const summarize = (item: ContentItem) => ({
  id: item.id,
  name: item.name,
  description: item.description,
  channels: CONTENT_CHANNELS.filter((channel) => item.variants[channel] !== undefined),
  createdAt: iso(item.createdAt),
  updatedAt: iso(item.updatedAt),
});

/** The content's own check runs before the request schema's: its problems carry JSON pointers and TP_INVALID_CONTENT. */
async function checkShape(request: FastifyRequest): Promise<void> {
  assertContentShape(request.body);
}

export async function contentRoutes(instance: FastifyInstance, deps: { content: Content }): Promise<void> {
  const app = typed(instance);
  const { content } = deps;
  app.get(
    '/api/content',
    {
      schema: {
        tags: ['content'],
        summary: 'List content items by name, a page at a time (without their variants)',
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
            after: Type.Optional(Type.String({ description: 'The "next" cursor of the previous page.' })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ content: Type.Array(ContentSummarySchema), next: Nullable(Type.String()) }) }),
      },
    },
    async (request) => {
      const { limit, after } = request.query;
      const items = await content.list({ limit, after: after === undefined ? undefined : cursors.content.decode(after, 'after').name });
      return { content: items.map(summarize), next: nextCursor(cursors.content, items, limit, (item) => ({ name: item.name })) };
    },
  );

  app.post(
    '/api/content',
    {
      schema: {
        tags: ['content'],
        summary: 'Create a content item; every template must parse',
        body: ContentInputRef,
        response: responses({ 201: ContentItemSchema }),
      },
      preValidation: checkShape,
    },
    async (request, reply) => reply.status(201).send(present(await content.create(request.body))),
  );

  app.get(
    '/api/content/:id',
    { schema: { tags: ['content'], summary: 'One content item with its variants', params: Params, response: responses({ 200: ContentItemSchema }) } },
    async (request) => present(await content.find(request.params.id)),
  );

  app.put(
    '/api/content/:id',
    {
      schema: {
        tags: ['content'],
        summary: 'Replace a content item: its name, description and variants',
        params: Params,
        body: ContentInputRef,
        response: responses({ 200: ContentItemSchema }),
      },
      preValidation: checkShape,
    },
    async (request) => present(await content.update(request.params.id, request.body)),
  );

  app.delete(
    '/api/content/:id',
    {
      schema: {
        tags: ['content'],
        summary: 'Delete a content item that no journey uses',
        params: Params,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await content.remove(request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/content/:id/preview',
    {
      schema: {
        tags: ['content'],
        summary: "Render one channel's variant for a profile, with the variables it lacks",
        params: Params,
        body: Type.Object(
          {
            profileId: Type.String({ minLength: 1 }),
            channel: StringEnum(CONTENT_CHANNELS),
            event: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'A sample triggering event (its message), seen as `event`.' })),
          },
          { additionalProperties: false },
        ),
        response: responses({
          200: Type.Object({
            channel: StringEnum(CONTENT_CHANNELS),
            rendered: Type.Object({}, { additionalProperties: true, description: "The variant's fields, rendered." }),
            missing: Type.Array(Type.String(), { description: 'Variable paths the templates read that the profile (or event) lacks; they rendered as empty.' }),
          }),
          422: ErrorSchema,
        }),
      },
    },
    async (request) => {
      const { profileId, channel, event } = request.body;
      const result = await content.preview(request.params.id, profileId, channel, event === undefined ? {} : { event });
      return { channel: result.channel, rendered: result.variant, missing: result.missing };
    },
  );
}
