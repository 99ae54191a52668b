/** Households: their members and what they add up to. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { typed } from '../api.js';
import { TouchpointError } from '../../errors.js';
import { summarize, type ProfileReader } from '../../profiles/index.js';
import { responses } from '../schemas.js';

export async function householdRoutes(instance: FastifyInstance, deps: { profiles: ProfileReader }): Promise<void> {
  const app = typed(instance);
  app.get(
    '/api/households/:id',
    {
      schema: {
        tags: ['profiles'],
        summary: 'A household: its members, their value and the channels they use',
        params: Type.Object({ id: Type.String() }),
        response: responses({ 200: Type.Object({}, { additionalProperties: true }) }),
      },
    },
    async (request) => {
      const { id } = request.params;
      const members = [];
      let orders = 0;
      let revenue = 0;
      const channels = new Set<string>();
      for (const profileId of await deps.profiles.householdMembers(id)) {
        const state = await deps.profiles.state(profileId);
        if (!state) continue;
        members.push({ ...summarize(profileId, state), orders: state.orders });
        orders += state.orders.count;
        revenue += state.orders.revenue;
        for (const channel of Object.keys(state.channels)) channels.add(channel);
      }
      if (members.length === 0) throw new TouchpointError('TP_HOUSEHOLD_NOT_FOUND', `No profile belongs to household ${JSON.stringify(id)}.`);
      return { id, members, totals: { members: members.length, orders, revenue, channels: [...channels].sort() } };
    },
  );
}
