/**
 * Inbound activity summed up for the console's overview: customers' events
 * per channel and UTC day over a period (by event time), orders among them,
 * and how many customers there are. One grouped read of the timeline.
 */
import { sql, type Kysely } from 'kysely';
import { profilesDb } from './repository.js';

const DAY = 86_400_000;
/** The Segment e-commerce event that is an order, on any channel. */
const ORDER = 'Order Completed';

export interface ActivitySummary {
  customers: number;
  events: number;
  orders: number;
  /** UTC days of the period, oldest first (YYYY-MM-DD). */
  days: string[];
  /** Per channel: events per day (aligned with `days`) and in all; busiest channel first. */
  channels: { channel: string; counts: number[]; events: number; orders: number }[];
}

/** `ownSourceIds`: Touchpoint's own sources (stage changes, clock ticks, admin changes), left out: not the customer's doing. */
export async function summarizeActivity(db: Kysely<object>, from: number, to: number, ownSourceIds: readonly string[]): Promise<ActivitySummary> {
  const profiles = profilesDb(db);
  // Both databases divide integers as integers: the day number.
  const day = sql<number>`timestamp / ${sql.lit(DAY)}`;
  const [rows, customers] = await Promise.all([
    profiles
      .selectFrom('profile_events')
      .select([
        day.as('day'),
        'channel',
        (eb) => eb.fn.countAll<number>().as('events'),
        (eb) => eb.fn.sum<number>(eb.case().when('event', '=', ORDER).then(1).else(0).end()).as('orders'),
      ])
      .where('timestamp', '>=', from)
      .where('timestamp', '<', to)
      .$if(ownSourceIds.length > 0, (q) => q.where('source_id', 'not in', [...ownSourceIds]))
      .groupBy([day, 'channel'])
      .execute(),
    profiles
      .selectFrom('profiles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
  ]);
  const first = Math.floor(from / DAY);
  const dayCount = Math.ceil(to / DAY) - first;
  const byChannel = new Map<string, { channel: string; counts: number[]; events: number; orders: number }>();
  for (const row of rows) {
    const entry = byChannel.get(row.channel) ?? { channel: row.channel, counts: new Array<number>(dayCount).fill(0), events: 0, orders: 0 };
    const i = Number(row.day) - first;
    if (i >= 0 && i < dayCount) entry.counts[i]! += Number(row.events);
    entry.events += Number(row.events);
    entry.orders += Number(row.orders ?? 0);
    byChannel.set(row.channel, entry);
  }
  const channels = [...byChannel.values()].sort((a, b) => b.events - a.events || a.channel.localeCompare(b.channel));
  return {
    customers: Number(customers?.n ?? 0),
    events: channels.reduce((n, c) => n + c.events, 0),
    orders: channels.reduce((n, c) => n + c.orders, 0),
    days: Array.from({ length: dayCount }, (_, i) => new Date((first + i) * DAY).toISOString().slice(0, 10)),
    channels,
  };
}
