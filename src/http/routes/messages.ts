/** The contact history: /api/messages, the outbox channel (/api/outbox) and outcomes reported by providers. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TouchpointError } from '../../errors.js';
import { MESSAGE_STATUSES, REPORTED_STATUSES, type Message, type Messages } from '../../history/index.js';
import { MESSAGE_CHANNELS } from '../../policy/index.js';
import { iso, isoOrNull, Loose, Nullable, typed } from '../api.js';
import { cursors, nextCursor } from '../cursor.js';
import { responses, StringEnum } from '../schemas.js';

export const MessageSchema = Type.Object({
  id: Type.String(),
  profileId: Type.String(),
  journeyId: Nullable(Type.String()),
  journeyVersion: Nullable(Type.Integer()),
  stepId: Nullable(Type.String()),
  enrolmentId: Nullable(Type.String()),
  arm: Nullable(Type.String({ description: 'The split arm the customer drew, when the journey has a split.' })),
  channel: StringEnum(MESSAGE_CHANNELS),
  delivery: Nullable(Type.String({ description: 'The delivery adapter that took it: outbox (the embedded default).' })),
  contentId: Nullable(Type.String()),
  purpose: Type.String(),
  status: StringEnum(MESSAGE_STATUSES),
  reason: Nullable(Type.String({ description: 'Why it was suppressed, deferred or failed (a stable code).' })),
  deferredUntil: Nullable(Type.String({ format: 'date-time' })),
  rendered: Nullable(Loose),
  requestedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const presentMessage = (m: Message) => ({
  id: m.id,
  profileId: m.profileId,
  journeyId: m.journeyId,
  journeyVersion: m.journeyVersion,
  stepId: m.stepId,
  enrolmentId: m.enrolmentId,
  arm: m.arm,
  channel: m.channel as (typeof MESSAGE_CHANNELS)[number],
  delivery: m.delivery,
  contentId: m.contentId,
  purpose: m.purpose,
  status: m.status,
  reason: m.reason,
  deferredUntil: isoOrNull(m.deferredUntil),
  rendered: m.rendered,
  requestedAt: iso(m.requestedAt),
  updatedAt: iso(m.updatedAt),
});

const StepSchema = Type.Object({ status: StringEnum(MESSAGE_STATUSES), at: Type.String({ format: 'date-time' }), detail: Nullable(Loose) });
const Page = Type.Object({ messages: Type.Array(MessageSchema), next: Nullable(Type.String()) });
const Limit = Type.Integer({ minimum: 1, maximum: 500, default: 50 });
const DAY = 86_400_000;
const Outcomes = {
  sent: Type.Integer({ description: 'Went out (sent, delivered, opened... failed and bounced included).' }),
  suppressed: Type.Integer(),
  deferred: Type.Integer({ description: 'Held until later, still waiting.' }),
  pending: Type.Integer({ description: 'Allowed, on its way out.' }),
};
const SummarySchema = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  total: Type.Integer(),
  outcomes: Type.Object(Outcomes),
  days: Type.Array(Type.Object({ day: Type.String({ description: 'UTC day, YYYY-MM-DD.' }), ...Outcomes })),
  channels: Type.Array(Type.Object({ channel: Type.String(), ...Outcomes })),
  reasons: Type.Array(Type.Object({ outcome: StringEnum(['suppressed', 'deferred'] as const), reason: Type.String(), count: Type.Integer() })),
});

export async function messageRoutes(instance: FastifyInstance, deps: { messages: Messages; now(): number }): Promise<void> {
  const app = typed(instance);
  const find = async (id: string) => {
    const message = await deps.messages.get(id);
    if (!message) throw new TouchpointError('TP_MESSAGE_NOT_FOUND', `No message has the id ${JSON.stringify(id)}.`);
    return message;
  };

  app.get(
    '/api/messages',
    {
      schema: {
        tags: ['messages'],
        summary: 'The contact history: messages newest first, by profile, journey, channel or status',
        querystring: Type.Object(
          {
            profileId: Type.Optional(Type.String()),
            journeyId: Type.Optional(Type.String()),
            channel: Type.Optional(StringEnum(MESSAGE_CHANNELS)),
            status: Type.Optional(StringEnum(MESSAGE_STATUSES)),
            limit: Limit,
            before: Type.Optional(Type.String({ description: 'The "next" cursor of the previous page.' })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Page }),
      },
    },
    async (request) => {
      const q = request.query;
      const before = q.before === undefined ? undefined : cursors.messages.decode(q.before, 'before').seq;
      const messages = await deps.messages.list({ ...q, before });
      return { messages: messages.map(presentMessage), next: nextCursor(cursors.messages, messages, q.limit, (m) => ({ seq: m.seq })) };
    },
  );

  app.get(
    '/api/messages/summary',
    {
      schema: {
        tags: ['messages'],
        summary: 'Messages asked for in a period: sent and held back (suppressed, deferred) by day, channel and reason',
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ format: 'date-time', description: 'Start of the period (default: 30 days before `to`).' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'End of the period, excluded (default: now).' })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: SummarySchema }),
      },
    },
    async (request) => {
      const to = request.query.to === undefined ? deps.now() : Date.parse(request.query.to);
      const from = request.query.from === undefined ? to - 30 * DAY : Date.parse(request.query.from);
      if (!(from < to)) throw new TouchpointError('TP_VALIDATION', 'querystring/from must be before querystring/to.');
      if (to - from > 400 * DAY) throw new TouchpointError('TP_VALIDATION', 'The period is at most 400 days: move querystring/from closer to querystring/to.');
      const summary = await deps.messages.summary(from, to);
      return {
        ...summary,
        from: iso(from),
        to: iso(to),
        days: summary.days.map(({ day, ...counts }) => ({ day: iso(day * DAY).slice(0, 10), ...counts })),
      };
    },
  );

  app.get(
    '/api/messages/:id',
    {
      schema: {
        tags: ['messages'],
        summary: 'One message with every status it went through',
        params: Type.Object({ id: Type.String() }),
        response: responses({ 200: Type.Intersect([MessageSchema, Type.Object({ history: Type.Array(StepSchema) })]) }),
      },
    },
    async (request) => {
      const message = await find(request.params.id);
      const history = (await deps.messages.steps(message.id)).map((s) => ({ ...s, at: iso(s.at) }));
      return { ...presentMessage(message), history };
    },
  );

  app.post(
    '/api/messages/:id/events',
    {
      schema: {
        tags: ['messages'],
        summary: 'Reports what happened to a message that went out (a provider\u2019s delivery receipt, an open, a click, a bounce...)',
        params: Type.Object({ id: Type.String() }),
        body: Type.Object(
          {
            status: StringEnum(REPORTED_STATUSES),
            at: Type.Optional(Type.String({ format: 'date-time', description: 'When it happened (default: now).' })),
            detail: Type.Optional(Loose),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: MessageSchema }),
      },
    },
    async (request) => {
      const { status, at, detail } = request.body;
      const when = at === undefined ? deps.now() : Date.parse(at);
      if (!Number.isFinite(when)) throw new TouchpointError('TP_VALIDATION', '/at: must be an ISO 8601 date-time.');
      return presentMessage(await deps.messages.report(request.params.id, status, when, detail));
    },
  );

  app.get(
    '/api/outbox',
    {
      schema: {
        tags: ['messages'],
        summary: 'The outbox channel: messages handed to it, oldest first, each with its rendered content; read on from the "next" cursor',
        querystring: Type.Object(
          {
            channel: Type.Optional(StringEnum(MESSAGE_CHANNELS)),
            limit: Limit,
            after: Type.Optional(Type.String({ description: 'The "next" cursor of the previous page.' })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Page }),
      },
    },
    async (request) => {
      const q = request.query;
      const after = q.after === undefined ? 0 : cursors.outbox.decode(q.after, 'after').seq;
      const messages = await deps.messages.outbox(after, q.limit, q.channel);
      const last = messages[messages.length - 1];
      // The outbox is read on from where the last page ended, even when it was short: new messages come after it.
      return { messages: messages.map(presentMessage), next: cursors.outbox.encode({ seq: last?.seq ?? after }) };
    },
  );
}
