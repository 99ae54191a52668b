/** The event debugger: stored events, newest first. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { typed } from '../api.js';
import { MESSAGE_TYPES, type Sources } from '../../collect/index.js';
import type { EventLog, LoggedEvent } from '../../log/index.js';
import { cursors, nextCursor } from '../cursor.js';
import { ChannelSchema, responses, StringEnum } from '../schemas.js';
import { findOrThrow } from './sources.js';

const EventSchema = Type.Object({
  seq: Type.Integer({ description: 'Position in the event log.' }),
  sourceId: Type.String(),
  channel: ChannelSchema,
  type: Type.String(),
  event: Type.Union([Type.String(), Type.Null()]),
  messageId: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  anonymousId: Type.Union([Type.String(), Type.Null()]),
  timestamp: Type.String({ format: 'date-time', description: 'Event time, corrected for clock skew.' }),
  receivedAt: Type.String({ format: 'date-time' }),
  message: Type.Object({}, { additionalProperties: true, description: 'The stored message.' }),
});

const Query = Type.Object(
  {
    source: Type.Optional(Type.String({ description: 'Source id or name.' })),
    type: Type.Optional(StringEnum(MESSAGE_TYPES)),
    userId: Type.Optional(Type.String()),
    anonymousId: Type.Optional(Type.String()),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
    before: Type.Optional(Type.String({ description: 'The "next" cursor of the previous page.' })),
  },
  { additionalProperties: false },
);

export async function eventRoutes(instance: FastifyInstance, deps: { log: EventLog; sources: Sources; internalSourceIds: string[] }): Promise<void> {
  const app = typed(instance);
  app.get(
    '/api/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Stored events, newest first',
        querystring: Query,
        response: responses({ 200: Type.Object({ events: Type.Array(EventSchema), next: Type.Union([Type.String(), Type.Null()]) }) }),
      },
    },
    async (request) => {
      const q = request.query;
      const sourceId = q.source === undefined ? undefined : (await findOrThrow(deps.sources, q.source)).id;
      const events = await deps.log.query({
        sourceId,
        excludeSourceIds: deps.internalSourceIds,
        type: q.type,
        userId: q.userId,
        anonymousId: q.anonymousId,
        before: q.before === undefined ? undefined : cursors.events.decode(q.before, 'before').seq,
        limit: q.limit,
      });
      return { events: events.map(present), next: nextCursor(cursors.events, events, q.limit, (e) => ({ seq: e.seq })) };
    },
  );
}

function present(event: LoggedEvent) {
  return {
    seq: event.seq,
    sourceId: event.sourceId,
    channel: event.channel,
    type: event.type,
    event: event.event,
    messageId: event.messageId,
    userId: event.userId,
    anonymousId: event.anonymousId,
    timestamp: new Date(event.timestamp).toISOString(),
    receivedAt: new Date(event.receivedAt).toISOString(),
    message: JSON.parse(event.payload) as Record<string, unknown>,
  };
}
