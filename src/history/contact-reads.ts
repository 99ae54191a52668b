/**
 * The reads the contact policy makes of the history: each customer's recent
 * messages (caps count what went out; fatigue looks for ignored ones;
 * arbitration sees the windows open), the response counts it learns
 * propensities from, and when customers responded (their best hour).
 */
import type { Kysely } from 'kysely';
import type { HistoryTables } from './tables.js';

const historyDb = (db: Kysely<object>) => db.withTables<HistoryTables>();
const RESPONSES = ['opened', 'clicked', 'replied', 'converted'];
/** Enough opens and clicks for the brand's best hour; the latest ones. */
const BRAND_TIMES = 20_000;

export interface RecentMessage {
  channel: string;
  purpose: string;
  contentId: string | null;
  journeyId: string | null;
  status: string;
  at: number;
  sentAt: number | null;
  deferredUntil: number | null;
  reason: string | null;
}

export async function recentOf(db: Kysely<object>, profileIds: readonly string[], since: number): Promise<Map<string, RecentMessage[]>> {
  const out = new Map<string, RecentMessage[]>();
  if (profileIds.length === 0) return out;
  const rows = await historyDb(db)
    .selectFrom('messages')
    .select(['profile_id', 'channel', 'purpose', 'content_id', 'journey_id', 'status', 'requested_at', 'sent_at', 'deferred_until', 'reason'])
    .where('profile_id', 'in', profileIds)
    // Asked for, or sent, since: a message deferred long ago may have gone out within a cap's window.
    .where((eb) => eb.or([eb('requested_at', '>', since), eb('sent_at', '>', since)]))
    .orderBy('requested_at')
    .execute();
  for (const r of rows) {
    const list = out.get(r.profile_id) ?? [];
    list.push({
      channel: r.channel,
      purpose: r.purpose,
      contentId: r.content_id,
      journeyId: r.journey_id,
      status: r.status,
      at: Number(r.requested_at),
      sentAt: r.sent_at === null ? null : Number(r.sent_at),
      deferredUntil: r.deferred_until === null ? null : Number(r.deferred_until),
      reason: r.reason,
    });
    out.set(r.profile_id, list);
  }
  return out;
}

export async function responseCounts(db: Kysely<object>, since: number) {
  const rows = await historyDb(db)
    .selectFrom('messages')
    .select(({ fn, eb }) => [
      'content_id',
      'channel',
      'stage',
      fn.countAll<number>().as('sent'),
      fn.sum<number>(eb.case().when('status', 'in', RESPONSES).then(1).else(0).end()).as('responded'),
    ])
    .where('sent_at', '>', since)
    .where('content_id', 'is not', null)
    .groupBy(['content_id', 'channel', 'stage'])
    .execute();
  return rows.map((r) => ({ contentId: r.content_id!, channel: r.channel, stage: r.stage, sent: Number(r.sent), responded: Number(r.responded ?? 0) }));
}

export async function responseTimes(db: Kysely<object>, since: number, profileIds?: readonly string[]): Promise<{ profileId: string; at: number }[]> {
  if (profileIds?.length === 0) return [];
  let query = historyDb(db)
    .selectFrom('message_events')
    .innerJoin('messages', 'messages.id', 'message_events.message_id')
    .select(['messages.profile_id', 'message_events.at'])
    .where('message_events.status', 'in', ['opened', 'clicked'])
    .where('message_events.at', '>', since);
  query = profileIds ? query.where('messages.profile_id', 'in', profileIds) : query.orderBy('message_events.id', 'desc').limit(BRAND_TIMES);
  return (await query.execute()).map((r) => ({ profileId: r.profile_id, at: Number(r.at) }));
}
