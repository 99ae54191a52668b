/**
 * Every customer's activity in bulk, for reports: the timeline rows with the
 * event's properties and campaign, one customer at a time, in profile order
 * and event time within a profile. Reads in pages by a key that follows the
 * timeline index, so a scan of millions of events holds no transaction open
 * and keeps only one customer in memory.
 */
import type { Kysely } from 'kysely';
import type { TimelineEntry } from './reader.js';
import { profilesDb } from './repository.js';

/** One event of a customer, as reports see it; `properties` stays JSON until a report needs it. */
export interface ActivityEvent extends TimelineEntry {
  campaign: string | null;
  properties: string | null;
}

export interface ActivityScan {
  /** Events at or after this time (epoch ms). */
  from?: number;
  /** Events before this time. */
  to?: number;
  /** Leave these sources' events out (Touchpoint's own). */
  excludeSourceIds?: readonly string[];
  /** Rows read per query. */
  pageRows?: number;
}

export type VisitActivity = (profileId: string, events: ActivityEvent[]) => void | Promise<void>;

/** The two columns kept per event beside the timeline's own: its properties (JSON) and its campaign's name. */
export function eventFacts(message: Record<string, unknown>): [string | null, string | null] {
  const properties = message.properties;
  const kept = properties && typeof properties === 'object' && Object.keys(properties).length > 0 ? JSON.stringify(properties) : null;
  const context = message.context as { campaign?: { name?: unknown } } | undefined;
  const name = context?.campaign?.name;
  return [kept, typeof name === 'string' && name !== '' ? name : null];
}

/**
 * A turn of the event loop between pages: SQLite answers synchronously, so
 * without one a report reading a brand's whole timeline would hold the
 * server (its tracking requests, the console's other pages) for seconds.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Calls `visit` once per customer with events in the window; resolves to the customers visited and the rows read. */
export async function scanActivity(db: Kysely<object>, scan: ActivityScan, visit: VisitActivity): Promise<{ profiles: number; events: number }> {
  const table = profilesDb(db);
  const limit = scan.pageRows ?? 10_000;
  const excluded = scan.excludeSourceIds?.length ? new Set(scan.excludeSourceIds) : undefined;
  let after: [string, number, number] | undefined;
  let current: string | undefined;
  let events: ActivityEvent[] = [];
  let profiles = 0;
  let total = 0;
  for (;;) {
    let query = table
      .selectFrom('profile_events')
      .select(['profile_id', 'seq', 'timestamp', 'channel', 'type', 'event', 'source_id', 'campaign', 'properties']);
    if (after) {
      const key = after;
      query = query.where((eb) => eb(eb.refTuple('profile_id', 'timestamp', 'seq'), '>', eb.tuple(key[0], key[1], key[2])));
    }
    // The window and the sources are applied here, not in SQL: the read follows the primary key
    // front to back, which a condition on another column would turn into another plan.
    const rows = await query.orderBy('profile_id').orderBy('timestamp').orderBy('seq').limit(limit).execute();
    for (const r of rows) {
      const at = Number(r.timestamp);
      if ((scan.from !== undefined && at < scan.from) || (scan.to !== undefined && at >= scan.to) || excluded?.has(r.source_id)) continue;
      if (r.profile_id !== current) {
        if (current !== undefined) await visit(current, events);
        if (current !== undefined) profiles++;
        current = r.profile_id;
        events = [];
      }
      events.push({
        seq: Number(r.seq),
        timestamp: at,
        channel: r.channel,
        type: r.type,
        event: r.event,
        sourceId: r.source_id,
        campaign: r.campaign,
        properties: r.properties,
      });
    }
    total += rows.length;
    if (rows.length < limit) break;
    const last = rows[rows.length - 1]!;
    after = [last.profile_id, Number(last.timestamp), Number(last.seq)];
    await nextTurn();
  }
  if (current !== undefined) {
    await visit(current, events);
    profiles++;
  }
  return { profiles, events: total };
}

/**
 * Every timeline row read in pages by its primary key (profile, time, seq),
 * every column, nothing grouped or computed: the plain read a report's scan
 * is measured against.
 */
export async function rawTimelineScan(db: Kysely<object>, visit: (rows: number) => void, pageRows = 10_000): Promise<number> {
  let after: [string, number, number] | undefined;
  let total = 0;
  for (;;) {
    let query = profilesDb(db).selectFrom('profile_events').selectAll();
    if (after) {
      const key = after;
      query = query.where((eb) => eb(eb.refTuple('profile_id', 'timestamp', 'seq'), '>', eb.tuple(key[0], key[1], key[2])));
    }
    const rows = await query.orderBy('profile_id').orderBy('timestamp').orderBy('seq').limit(pageRows).execute();
    visit(rows.length);
    total += rows.length;
    if (rows.length < pageRows) return total;
    const last = rows[rows.length - 1]!;
    after = [last.profile_id, Number(last.timestamp), Number(last.seq)];
  }
}
