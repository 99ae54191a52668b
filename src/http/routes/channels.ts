/**
 * Delivery channels for admins: what is configured and queued, the dead
 * letters (and sending one again), the address suppression list, and
 * bounce reports (JSON, or a DSN as the mail server returned it).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Channels } from '../../channels/index.js';
import { TouchpointError } from '../../errors.js';
import { iso, Loose, Nullable, typed } from '../api.js';
import { cursors, nextCursor } from '../cursor.js';
import { responses, StringEnum } from '../schemas.js';
import { presentMessage, MessageSchema } from './messages.js';

const ChannelSchema = Type.Object({
  name: Type.String(),
  kind: Type.String({ description: 'smtp or webhook.' }),
  serves: StringEnum(['email', 'sms', 'push', 'webhook'] as const, { description: 'The content variant it sends.' }),
  ratePerSecond: Nullable(Type.Number({ description: 'Messages per second at most (null: no limit).' })),
  maxAttempts: Type.Integer(),
  waiting: Type.Integer({ description: 'Deliveries queued or being sent.' }),
  dead: Type.Integer({ description: 'Dead letters: deliveries out of tries, or refused for good.' }),
});

const DeadLetterSchema = Type.Object({
  id: Type.String({ description: 'The message id (or the journey call id).' }),
  kind: StringEnum(['message', 'call'] as const),
  profileId: Type.String(),
  attempts: Type.Integer(),
  reason: Nullable(Type.String()),
  response: Nullable(Loose),
  at: Type.String({ format: 'date-time' }),
});

const SuppressionSchema = Type.Object({
  channel: Type.String(),
  address: Type.String(),
  reason: Type.String({ description: 'hard_bounce or complaint.' }),
  messageId: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
});

const Limit = Type.Integer({ minimum: 1, maximum: 500, default: 50 });

export interface ChannelRouteDeps {
  channels: Channels;
  now(): number;
  /** Reads a DSN bounce (RFC 3464) as the mail server returned it. */
  parseDsn(raw: string): { messageId?: string; recipient?: string; status?: string; action?: string; hard: boolean } | undefined;
}

export async function channelRoutes(instance: FastifyInstance, deps: ChannelRouteDeps): Promise<void> {
  const app = typed(instance);
  const channelOf = (name: string) => {
    const channel = deps.channels.channel(name);
    if (!channel) {
      const names = deps.channels.list().map((c) => c.name);
      throw new TouchpointError(
        'TP_CHANNEL_NOT_FOUND',
        `No channel is configured with the name ${JSON.stringify(name)} (configured: ${names.join(', ') || 'none'}).`,
      );
    }
    return channel;
  };

  app.get(
    '/api/channels',
    { schema: { tags: ['channels'], summary: 'The configured delivery channels with their queues', response: responses({ 200: Type.Array(ChannelSchema) }) } },
    async () => {
      const counts = await deps.channels.queue.counts();
      return deps.channels.list().map((c) => ({
        name: c.name,
        kind: c.kind,
        serves: c.serves,
        ratePerSecond: c.ratePerSecond ?? null,
        maxAttempts: c.maxAttempts,
        waiting: counts.get(c.name)?.waiting ?? 0,
        dead: counts.get(c.name)?.dead ?? 0,
      }));
    },
  );

  app.get(
    '/api/channels/:name/dead',
    {
      schema: {
        tags: ['channels'],
        summary: 'A channel\u2019s dead letters, newest first',
        params: Type.Object({ name: Type.String() }),
        querystring: Type.Object(
          { limit: Limit, before: Type.Optional(Type.String({ description: 'The "next" cursor of the previous page.' })) },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ dead: Type.Array(DeadLetterSchema), next: Nullable(Type.String()) }) }),
      },
    },
    async (request) => {
      const channel = channelOf(request.params.name);
      const position = request.query.before === undefined ? undefined : cursors.deliveryDead.decode(request.query.before, 'before');
      // A cursor of another channel's list points at nothing in this one.
      if (position && position.channel !== channel.name) throw cursors.deliveryDead.refuse('before');
      const dead = await deps.channels.queue.dead(channel.name, position?.seq, request.query.limit);
      const next = nextCursor(cursors.deliveryDead, dead, request.query.limit, (d) => ({ channel: channel.name, seq: d.seq }));
      return { dead: dead.map((d) => ({ ...d, kind: d.kind as 'message' | 'call', at: iso(d.at) })), next };
    },
  );

  app.post(
    '/api/channels/:name/dead/:id/retry',
    {
      schema: {
        tags: ['channels'],
        summary: 'Sends a dead letter again, with a fresh count of tries',
        params: Type.Object({ name: Type.String(), id: Type.String() }),
        response: responses({ 202: Type.Object({ id: Type.String(), status: Type.Literal('queued') }) }),
      },
    },
    async (request, reply) => {
      const channel = channelOf(request.params.name);
      if (!(await deps.channels.requeue(channel.name, request.params.id)))
        throw new TouchpointError('TP_DEAD_LETTER_NOT_FOUND', `Channel ${channel.name} has no dead letter with the id ${JSON.stringify(request.params.id)}.`);
      return reply.code(202).send({ id: request.params.id, status: 'queued' as const });
    },
  );

  app.get(
    '/api/channels/journey-calls/secret',
    {
      schema: {
        tags: ['channels'],
        summary: 'The secret journeys\u2019 webhook calls are signed with (Standard Webhooks), to verify them',
        response: responses({ 200: Type.Object({ secret: Type.String() }) }),
      },
    },
    async () => ({ secret: await deps.channels.callSecret() }),
  );

  app.get(
    '/api/channels/suppressions',
    {
      schema: {
        tags: ['channels'],
        summary: 'Addresses that are not written to again (hard bounces, complaints), newest first',
        querystring: Type.Object({ limit: Limit, before: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false }),
        response: responses({ 200: Type.Object({ suppressions: Type.Array(SuppressionSchema) }) }),
      },
    },
    async (request) => {
      const before = request.query.before === undefined ? undefined : Date.parse(request.query.before);
      const list = await deps.channels.suppressions(request.query.limit, before);
      return { suppressions: list.map((s) => ({ ...s, at: iso(s.at) })) };
    },
  );

  app.delete(
    '/api/channels/suppressions/:channel/:address',
    {
      schema: {
        tags: ['channels'],
        summary: 'Lets an address be written to again (after the customer fixed it)',
        params: Type.Object({ channel: Type.String(), address: Type.String() }),
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      const { channel, address } = request.params;
      if (!(await deps.channels.unsuppress(channel, address)))
        throw new TouchpointError('TP_SUPPRESSION_NOT_FOUND', `${JSON.stringify(address)} is not suppressed on ${channel}.`);
      return reply.code(204).send(null);
    },
  );

  await bounceRoute(instance, deps);
}

const BounceSchema = Type.Object(
  {
    messageId: Type.Optional(Type.String({ minLength: 1 })),
    recipient: Type.Optional(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 320, description: 'The email address that bounced.' })),
    type: StringEnum(['hard', 'soft', 'complaint'] as const),
    at: Type.Optional(Type.String({ format: 'date-time' })),
    detail: Type.Optional(Loose),
  },
  { additionalProperties: false },
);
type BounceBody = Static<typeof BounceSchema>;

/** The kinds of DSN action that report no failure: a delay warning, a success receipt. */
const NOT_FAILED = new Set(['delayed', 'delivered', 'relayed', 'expanded']);

/** A DSN as the mail server returned it, read into the same form as a JSON report. */
function fromDsn(deps: ChannelRouteDeps, raw: string): BounceBody {
  const dsn = deps.parseDsn(raw);
  if (dsn?.action !== undefined && NOT_FAILED.has(dsn.action))
    throw new TouchpointError('TP_INVALID_BOUNCE', `The notification reports action "${dsn.action}", not a failure: nothing to record.`);
  if (!dsn || (dsn.messageId === undefined && dsn.recipient === undefined))
    throw new TouchpointError(
      'TP_INVALID_BOUNCE',
      'The body is not a delivery status notification (multipart/report; report-type=delivery-status) with a Final-Recipient or the returned message\u2019s headers.',
    );
  return { messageId: dsn.messageId, recipient: dsn.recipient, type: dsn.hard ? 'hard' : 'soft', detail: { status: dsn.status, via: 'dsn' } };
}

/** Bounce reports, in a scope of their own: it also reads the raw DSN a mail server returns into a report. */
async function bounceRoute(instance: FastifyInstance, deps: ChannelRouteDeps): Promise<void> {
  await instance.register(async (scope) => {
    for (const type of ['message/rfc822', 'multipart/report', 'text/plain'])
      scope.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 1024 * 1024 }, (request, body, done) => {
        try {
          // A report posted as its own body carries its boundary in the request's Content-Type, not in a header line of its own.
          const text = String(body);
          const headed = /^[\w-]+:/.test(text) || type !== 'multipart/report';
          done(null, fromDsn(deps, headed ? text : `Content-Type: ${request.headers['content-type']}\r\n\r\n${text}`));
        } catch (error) {
          done(error as Error);
        }
      });
    typed(scope).post(
      '/api/email/bounces',
      {
        schema: {
          tags: ['channels'],
          summary: 'A bounce or complaint: JSON, or a delivery status notification (RFC 3464) as text',
          body: BounceSchema,
          response: responses({ 200: Type.Object({ message: Nullable(MessageSchema), suppressed: Nullable(Type.String()) }) }),
        },
      },
      async (request) => {
        const input = request.body;
        if (input.messageId === undefined && input.recipient === undefined)
          throw new TouchpointError('TP_INVALID_BOUNCE', 'Name the message (messageId) or the address that bounced (recipient).');
        const message = input.messageId === undefined ? undefined : await deps.channels.responses.message(input.messageId);
        if (input.messageId !== undefined && !message && input.recipient === undefined)
          throw new TouchpointError('TP_MESSAGE_NOT_FOUND', `No message has the id ${JSON.stringify(input.messageId)}.`);
        if (message && message.channel !== 'email')
          throw new TouchpointError(
            'TP_INVALID_BOUNCE',
            `Message ${message.id} went out by ${message.channel}, not email: report what happened to it with the channel\u2019s delivery callbacks.`,
          );
        const at = input.at === undefined ? deps.now() : Date.parse(input.at);
        const detail = input.detail as Record<string, unknown> | undefined;
        const result = await deps.channels.responses.bounce({ messageId: input.messageId, recipient: input.recipient, type: input.type, at, detail });
        return { message: result.message ? presentMessage(result.message) : null, suppressed: result.suppressed ?? null };
      },
    );
  });
}
