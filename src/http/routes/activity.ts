/** Inbound activity summed up (the console's overview): GET /api/activity. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TouchpointError } from '../../errors.js';
import type { Analytics } from '../../analytics/index.js';
import type { ProfileReader } from '../../profiles/index.js';
import { iso, typed } from '../api.js';
import { responses } from '../schemas.js';

const DAY = 86_400_000;

export async function activityRoutes(
  instance: FastifyInstance,
  deps: { profiles: ProfileReader; analytics: Analytics; internalSourceIds: string[]; now(): number },
): Promise<void> {
  const app = typed(instance);
  app.get(
    '/api/activity',
    {
      schema: {
        tags: ['profiles'],
        summary: "Customers' events per channel and UTC day over a period (event time), orders (Order Completed) among them, and how many customers there are",
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ format: 'date-time', description: 'Start of the period (default: 30 days before `to`).' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'End of the period, excluded (default: now).' })),
            fresh: Type.Optional(Type.Boolean({ description: 'true: count now rather than serve an answer kept from an earlier request (see `freshness`).' })),
          },
          { additionalProperties: false },
        ),
        response: responses({
          200: Type.Object({
            from: Type.String({ format: 'date-time' }),
            to: Type.String({ format: 'date-time' }),
            customers: Type.Integer({ description: 'Profiles now (not only those active in the period).' }),
            events: Type.Integer(),
            orders: Type.Integer(),
            days: Type.Array(Type.String({ description: 'UTC day, YYYY-MM-DD, oldest first.' })),
            channels: Type.Array(
              Type.Object({
                channel: Type.String(),
                counts: Type.Array(Type.Integer(), { description: 'Events per day, as `days`.' }),
                events: Type.Integer(),
                orders: Type.Integer(),
              }),
            ),
            freshness: Type.Object(
              { computedAt: Type.String({ format: 'date-time' }), eventsSince: Type.Integer(), cached: Type.Boolean() },
              { description: 'When the figures were counted, and the events processed since: an answer is kept a few minutes, as reports are.' },
            ),
          }),
        }),
      },
    },
    async (request) => {
      const to = request.query.to === undefined ? deps.now() : Date.parse(request.query.to);
      const from = request.query.from === undefined ? to - 30 * DAY : Date.parse(request.query.from);
      if (!(from < to)) throw new TouchpointError('TP_VALIDATION', 'querystring/from must be before querystring/to.');
      if (to - from > 400 * DAY) throw new TouchpointError('TP_VALIDATION', 'The period is at most 400 days: move querystring/from closer to querystring/to.');
      const kept = await deps.analytics.keep(
        `activity ${request.query.from ?? ''} ${request.query.to ?? ''}`,
        async () => ({ from: iso(from), to: iso(to), ...(await deps.profiles.activity(from, to, deps.internalSourceIds)) }),
        { fresh: request.query.fresh },
      );
      // The period as the kept answer counted it (without `to`, it ended when it was counted).
      return { ...kept.value, freshness: kept.freshness };
    },
  );
}
