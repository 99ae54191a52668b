/**
 * Events per source per period, read without scanning the log: the log has
 * no index on time, but positions grow with receipt, so each period's first
 * position is found by bisection on the position (the primary key), and each
 * source's events between two positions are counted on its (source, position)
 * index. Writers commit in position order, so a period's edge is off by at
 * most the few events of one commit.
 */
import type { Kysely } from 'kysely';
import type { LogTables } from './tables.js';

/** The first position received at or after `at` (head + 1 when none is). */
export async function firstSeqAt(db: Kysely<LogTables>, at: number, head: number): Promise<number> {
  let lo = 1;
  let hi = head + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = await db.selectFrom('event_log').select(['seq', 'received_at']).where('seq', '>=', mid).orderBy('seq').limit(1).executeTakeFirst();
    if (!row) hi = mid;
    else if (Number(row.received_at) >= at) hi = mid;
    else lo = Number(row.seq) + 1;
  }
  return lo;
}

/**
 * For each source, its events received in each period [edges[i], edges[i+1]):
 * `counts[source][i]`. `edges` ascend.
 */
export async function countBySource(db: Kysely<LogTables>, edges: readonly number[], sourceIds: readonly string[]): Promise<Map<string, number[]>> {
  const head = Number(
    (
      await db
        .selectFrom('event_log')
        .select((eb) => eb.fn.max('seq').as('head'))
        .executeTakeFirst()
    )?.head ?? 0,
  );
  const seqs: number[] = [];
  for (const edge of edges) seqs.push(await firstSeqAt(db, edge, head));
  const counts = new Map<string, number[]>();
  for (const sourceId of sourceIds) {
    const perPeriod: number[] = [];
    for (let i = 0; i + 1 < seqs.length; i++) {
      const row = await db
        .selectFrom('event_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('source_id', '=', sourceId)
        .where('seq', '>=', seqs[i]!)
        .where('seq', '<', seqs[i + 1]!)
        .executeTakeFirst();
      perPeriod.push(Number(row?.n ?? 0));
    }
    counts.set(sourceId, perPeriod);
  }
  return counts;
}
