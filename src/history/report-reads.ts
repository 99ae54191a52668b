/**
 * The history as reports read it: every message in bulk, compact, in the
 * order it was asked for. Attribution counts the ones that went out as
 * touchpoints; experiments count who was held back (the control group) and
 * which arm each customer was in.
 */
import type { Kysely } from 'kysely';
import type { HistoryTables } from './tables.js';

const historyDb = (db: Kysely<object>) => db.withTables<HistoryTables>();

export interface MessageFact {
  seq: number;
  profileId: string;
  channel: string;
  journeyId: string | null;
  contentId: string | null;
  /** marketing, transactional, ...: what the policy decided it as. */
  purpose: string;
  arm: string | null;
  status: string;
  reason: string | null;
  requestedAt: number;
  sentAt: number | null;
}

/** Calls `visit` with each page of messages asked for in [from, to), in seq order; resolves to how many were read. */
/** A turn of the event loop between pages (SQLite answers synchronously): the server keeps answering while a report reads. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function scanMessages(
  db: Kysely<object>,
  window: { from?: number; to?: number; pageRows?: number },
  visit: (page: MessageFact[]) => void | Promise<void>,
): Promise<number> {
  const limit = window.pageRows ?? 10_000;
  let after = 0;
  let total = 0;
  for (;;) {
    let query = historyDb(db)
      .selectFrom('messages')
      .select(['seq', 'profile_id', 'channel', 'journey_id', 'content_id', 'purpose', 'arm', 'status', 'reason', 'requested_at', 'sent_at'])
      .where('seq', '>', after);
    if (window.from !== undefined) query = query.where('requested_at', '>=', window.from);
    if (window.to !== undefined) query = query.where('requested_at', '<', window.to);
    if (total > 0) await nextTurn();
    const rows = await query.orderBy('seq').limit(limit).execute();
    if (rows.length > 0) {
      await visit(
        rows.map((r) => ({
          seq: Number(r.seq),
          profileId: r.profile_id,
          channel: r.channel,
          journeyId: r.journey_id,
          contentId: r.content_id,
          purpose: r.purpose,
          arm: r.arm,
          status: r.status,
          reason: r.reason,
          requestedAt: Number(r.requested_at),
          sentAt: r.sent_at === null ? null : Number(r.sent_at),
        })),
      );
    }
    total += rows.length;
    if (rows.length < limit) return total;
    after = Number(rows[rows.length - 1]!.seq);
  }
}
