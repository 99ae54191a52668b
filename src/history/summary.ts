/**
 * The contact history summed up for the console's overview: how many
 * messages went out and how many were held back, by day, channel and reason.
 * The database counts (one grouped read); `summarize` shapes the counts with
 * no I/O.
 */
import { sql, type Kysely } from 'kysely';
import { wentOut, type MessageStatus } from './statuses.js';
import type { HistoryTables } from './tables.js';

const DAY = 86_400_000;

/** What became of a message: it went out, the policy held it back (suppressed, deferred), or it is on its way. */
export type Outcome = 'sent' | 'suppressed' | 'deferred' | 'pending';

export interface CountRow {
  /** Days since the epoch (UTC). */
  day: number;
  channel: string;
  status: string;
  reason: string | null;
  count: number;
}

export interface MessageSummary {
  from: number;
  to: number;
  total: number;
  outcomes: Record<Outcome, number>;
  /** One row per UTC day of the period, oldest first, days without messages included. */
  days: ({ day: number } & Record<Outcome, number>)[];
  channels: ({ channel: string } & Record<Outcome, number>)[];
  /** Why messages were held back (suppressed or deferred), most frequent first. */
  reasons: { outcome: 'suppressed' | 'deferred'; reason: string; count: number }[];
}

export function outcomeOf(status: string): Outcome {
  if (status === 'suppressed' || status === 'deferred') return status;
  return wentOut(status as MessageStatus) ? 'sent' : 'pending';
}

const zero = (): Record<Outcome, number> => ({ sent: 0, suppressed: 0, deferred: 0, pending: 0 });

export function summarize(rows: readonly CountRow[], from: number, to: number): MessageSummary {
  const outcomes = zero();
  const days = new Map<number, Record<Outcome, number>>();
  for (let day = Math.floor(from / DAY); day * DAY < to; day++) days.set(day, zero());
  const channels = new Map<string, Record<Outcome, number>>();
  const reasons = new Map<string, { outcome: 'suppressed' | 'deferred'; reason: string; count: number }>();
  for (const row of rows) {
    const outcome = outcomeOf(row.status);
    outcomes[outcome] += row.count;
    const day = days.get(row.day);
    if (day) day[outcome] += row.count;
    const channel = channels.get(row.channel) ?? zero();
    channel[outcome] += row.count;
    channels.set(row.channel, channel);
    if (outcome === 'suppressed' || outcome === 'deferred') {
      const reason = row.reason ?? '(none)';
      const key = `${outcome}\u0000${reason}`;
      const entry = reasons.get(key) ?? { outcome, reason, count: 0 };
      entry.count += row.count;
      reasons.set(key, entry);
    }
  }
  return {
    from,
    to,
    total: Object.values(outcomes).reduce((a, b) => a + b, 0),
    outcomes,
    days: [...days].map(([day, counts]) => ({ day, ...counts })),
    channels: [...channels]
      .map(([channel, counts]) => ({ channel, ...counts }))
      .sort((a, b) => b.sent + b.suppressed + b.deferred + b.pending - (a.sent + a.suppressed + a.deferred + a.pending) || a.channel.localeCompare(b.channel)),
    reasons: [...reasons.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}

/** Messages asked for in [from, to), counted by day, channel, status and reason. */
export async function countMessages(db: Kysely<object>, from: number, to: number): Promise<CountRow[]> {
  // Both databases divide integers as integers: the day number.
  const day = sql<number>`requested_at / ${sql.lit(DAY)}`;
  const rows = await db
    .withTables<HistoryTables>()
    .selectFrom('messages')
    .select([day.as('day'), 'channel', 'status', 'reason', (eb) => eb.fn.countAll<number>().as('count')])
    .where('requested_at', '>=', from)
    .where('requested_at', '<', to)
    .groupBy([day, 'channel', 'status', 'reason'])
    .execute();
  return rows.map((r) => ({ day: Number(r.day), channel: r.channel, status: r.status, reason: r.reason, count: Number(r.count) }));
}
