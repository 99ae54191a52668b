/**
 * Delivery callbacks from providers: what happened to messages a channel
 * took (delivered, failed, opened, clicked, replied, bounced,
 * unsubscribed). Public, and authenticated by the Standard Webhooks
 * signature made with the channel's secret over the exact body.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CALLBACK_STATUSES, type Channels } from '../../channels/index.js';
import { TouchpointError } from '../../errors.js';
import { Loose, typed } from '../api.js';
import { responses, StringEnum } from '../schemas.js';

const CallbackSchema = Type.Object(
  {
    messageId: Type.String({ minLength: 1, description: 'The message id: the webhook-id of the delivery, or data.messageId of its envelope.' }),
    status: StringEnum(CALLBACK_STATUSES),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'When it happened (default: now).' })),
    detail: Type.Optional(Loose),
  },
  { additionalProperties: false },
);

const BodySchema = Type.Union([
  CallbackSchema,
  Type.Object({ events: Type.Array(CallbackSchema, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
]);

const ResultSchema = Type.Object({
  accepted: Type.Integer({ description: 'Events recorded.' }),
  unknown: Type.Array(Type.String(), { description: 'Message ids that are not (or no longer) in the contact history: nothing was recorded for them.' }),
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
        const events = 'events' in request.body ? request.body.events : [request.body];
        const unknown: string[] = [];
        for (const e of events) {
          const at = e.at === undefined ? deps.now() : Date.parse(e.at);
          const message = await deps.channels.responses.callback(request.params.name, e.messageId, e.status, at, (e.detail as Record<string, unknown>) ?? {});
          if (!message) unknown.push(e.messageId);
        }
        return { accepted: events.length - unknown.length, unknown };
      },
    );
  });
}
