/**
 * Delivery callbacks from providers: what happened to messages a channel
 * took (delivered, failed, opened, clicked, replied, bounced,
 * unsubscribed). Public, and authenticated by the Standard Webhooks
 * signature made with the channel's secret over the exact body.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CALLBACK_STATUSES, type Channels } from '../../channels/index.js';
import { TouchpointError } from '../../errors.js';
import { Loose, typed } from '../api.js';
import { responses, StringEnum } from '../schemas.js';

const Fields = {
  messageId: Type.String({ minLength: 1, description: 'The message id: the webhook-id of the delivery, or data.messageId of its envelope.' }),
  status: StringEnum(CALLBACK_STATUSES),
  at: Type.Optional(Type.String({ format: 'date-time', description: 'When it happened (default: now).' })),
  detail: Type.Optional(Loose),
};
const CallbackSchema = Type.Object(Fields, { additionalProperties: false });

/** One event, or several under `events`: one object schema (not a union), so that a mistake is named field by field. */
const BodySchema = Type.Object(
  {
    messageId: Type.Optional(Fields.messageId),
    status: Type.Optional(Fields.status),
    at: Fields.at,
    detail: Fields.detail,
    events: Type.Optional(Type.Array(CallbackSchema, { minItems: 1, maxItems: 1000 })),
  },
  { additionalProperties: false },
);
type Callback = Static<typeof CallbackSchema>;

function eventsOf(body: Static<typeof BodySchema>): Callback[] {
  const { events, ...one } = body;
  if (events && Object.keys(one).length > 0)
    throw new TouchpointError('TP_VALIDATION', 'body: send one event (messageId, status, at, detail) or several under "events", not both.');
  if (events) return events;
  if (one.messageId === undefined || one.status === undefined)
    throw new TouchpointError('TP_VALIDATION', 'body: an event needs "messageId" and "status" (or send several under "events").');
  return [one as Callback];
}

const ResultSchema = Type.Object({
  accepted: Type.Integer({ description: 'Events recorded.' }),
  unknown: Type.Array(Type.String(), { description: 'Message ids that are not (or no longer) in the contact history: nothing was recorded for them.' }),
  repeated: Type.Boolean({ description: 'true: a callback with this webhook-id was taken before; nothing was recorded again.' }),
});

export interface ChannelHookDeps {
  channels: Channels;
  now(): number;
  /** Checks a Standard Webhooks signature; the reason it fails when it does. */
  verify(secret: string, headers: Record<string, string | string[] | undefined>, body: string, nowSec: number): { ok: true } | { ok: false; reason: string };
}

export async function channelHookRoutes(instance: FastifyInstance, deps: ChannelHookDeps): Promise<void> {
  await instance.register(async (scope) => {
    // The signature covers the exact bytes: keep them beside the parsed body.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (request, body, done) => {
      (request as { rawBody?: string }).rawBody = String(body);
      try {
        done(null, JSON.parse(String(body)));
      } catch (error) {
        done(new TouchpointError('TP_INVALID_JSON', `The body is not valid JSON: ${(error as Error).message}.`));
      }
    });
    scope.addHook('preValidation', async (request) => {
      const name = (request.params as { name: string }).name;
      const channel = deps.channels.channel(name);
      if (!channel?.secret) throw new TouchpointError('TP_CHANNEL_NOT_FOUND', `No channel named ${JSON.stringify(name)} takes delivery callbacks.`);
      const raw = (request as { rawBody?: string }).rawBody ?? '';
      const checked = deps.verify(channel.secret, request.headers, raw, Math.floor(deps.now() / 1000));
      if (!checked.ok)
        throw new TouchpointError(
          'TP_INVALID_SIGNATURE',
          `The callback's signature does not check out (${checked.reason}): sign it with the channel's secret per Standard Webhooks.`,
        );
    });
    typed(scope).post(
      '/hooks/channels/:name',
      {
        schema: {
          tags: ['channels'],
          summary: 'A provider reports what happened to messages it was given (signed with the channel\u2019s secret)',
          params: Type.Object({ name: Type.String() }),
          body: BodySchema,
          response: responses({ 200: ResultSchema }),
        },
      },
      async (request) => {
        const events = eventsOf(request.body);
        const name = request.params.name;
        const webhookId = String(request.headers['webhook-id']);
        // The webhook-id is the provider's idempotency key: a repeat (its retry after a lost answer) changes nothing.
        if (await deps.channels.seen(name, webhookId)) return { accepted: 0, unknown: [], repeated: true };
        const now = deps.now();
        const list = events.map((e) => ({
          messageId: e.messageId,
          status: e.status,
          at: e.at === undefined ? now : Date.parse(e.at),
          detail: (e.detail as Record<string, unknown>) ?? {},
        }));
        const messages = await deps.channels.responses.callbacks(name, list);
        const unknown = events.flatMap((e, i) => (messages[i] ? [] : [e.messageId]));
        await deps.channels.received(name, webhookId, deps.now());
        return { accepted: events.length - unknown.length, unknown, repeated: false };
      },
    );
  });
}
